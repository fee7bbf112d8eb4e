package dev.siitdc.it;

import dev.siitdc.lab.Shell;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.siitdc.it.Namespaces.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A user who is not root ({@code setpriv} to uid/gid 65534, no groups) running what needs root gets one line
 * naming the reason and exit status 5 (permission denied): {@code siitdc run} (CAP_NET_ADMIN), and {@code siitdc stats display}
 * against a running daemon's control socket (mode 0600, and a directory on the way that user cannot search).
 * The command line runs from a world-readable copy of the test class path (the Maven repository is root's).
 * Needs root, /dev/net/tun, iproute2, ping and setpriv, or it is skipped with a loud message.
 */
class NotRootTest {
    private static final String NOBODY = "65534";

    @TempDir
    Path dir;

    private final Namespaces namespaces = new Namespaces();
    private Path pub;

    @BeforeAll
    static void requirements() throws IOException {
        Namespaces.require("the not-root tests");
        Namespaces.requireTool("the not-root tests", "setpriv", "util-linux");
    }

    @AfterEach
    void cleanUp() throws Exception {
        try {
            namespaces.close();
        } finally {
            if (pub != null) Namespaces.run(List.of("rm", "-rf", pub.toString()), 30);
        }
    }

    @Test
    void runAndTheControlCommandsSayPermissionDeniedAndExit5() throws Exception {
        String ns = namespaces.add("siitdc-nr-" + Namespaces.tag());
        ok("ip", "-n", ns, "link", "add", "d0", "type", "veth", "peer", "name", "d1");
        ok("ip", "-n", ns, "link", "set", "d0", "up");
        String classPath = readableClassPath();
        Path hidden = dir.resolve("br.sock");                           // in the JUnit directory, 0700
        Path exposed = pub.resolve("run").resolve("br.sock");           // in a 0755 directory: the socket's own mode
        Files.createDirectories(exposed.getParent());
        Path config = Files.writeString(pub.resolve("br.toml"), Daemon.BORDER_RELAY_CONFIG.formatted("", "",
                "queues = 1\ncontrol-socket = \"" + exposed + "\""));

        Shell.Result run = asNobody(ns, classPath, "run", "--config", config.toString());
        assertThat(run.exit()).as(run.out()).isEqualTo(5);   // permission denied, ExitStatus.PERMISSION_DENIED
        assertThat(run.out()).isEqualTo("siitdc: run: permission denied: siitdc run needs root (CAP_NET_ADMIN) to create its"
                + " TUN and change routes, but runs as uid 65534: run it as root (sudo, or the systemd unit)\n");
        assertThat(exposed.getParent()).as("nothing created").isEmptyDirectory();
        assertThat(ok("ip", "-n", ns, "link", "show")).doesNotContain("siit0");

        assertDeniedWhileRunning(ns, classPath, config, "daemon", exposed, "stats", "display");

        // a socket in a directory that user cannot search (mode 0700): the same, not "no daemon listening"
        Files.writeString(config, Daemon.BORDER_RELAY_CONFIG.formatted("", "", "queues = 1\ncontrol-socket = \"" + hidden + "\""));
        assertDeniedWhileRunning(ns, classPath, config, "daemon2", hidden, "eamt", "display");
    }

    /**
     * Starts the Border Relay of {@code config} (outputs {@code name}.out/.err), runs {@code siitdc COMMAND --socket
     * SOCKET} as nobody, asserts it is refused with exit status 5 and the permission message, then stops the relay.
     */
    private void assertDeniedWhileRunning(String ns, String classPath, Path config, String name, Path socket,
            String... command) throws Exception {
        Daemon d = namespaces.siitdc(ns, config, dir.resolve(name));
        d.awaitStartUp("siitdc: border-relay on ");
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(List.of("--socket", socket.toString()));
        Shell.Result r = asNobody(ns, classPath, args.toArray(String[]::new));
        assertThat(r.exit()).as(r.out()).isEqualTo(5);
        assertThat(r.out()).isEqualTo("siitdc: permission denied on " + socket + ": the control socket is root's:"
                + " run this as root\n");
        d.stop();
    }

    /** {@code siitdc ARGS} in {@code ns} as uid/gid 65534 without groups; stdout and stderr merged. */
    private static Shell.Result asNobody(String ns, String classPath, String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, "setpriv", "--reuid=" + NOBODY,
                "--regid=" + NOBODY, "--clear-groups", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", classPath, "dev.siitdc.cli.Main"));
        cmd.addAll(List.of(args));
        return Namespaces.run(cmd, 60);
    }

    /** The test class path copied into a world-readable directory ({@link #pub}); returns the copy's class path. */
    private String readableClassPath() throws IOException {
        pub = Files.createTempDirectory("siitdc-notroot-", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        List<String> entries = new ArrayList<>();
        int i = 0;
        for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path src = Path.of(e);
            if (!Files.exists(src)) continue;
            Path dst = pub.resolve("cp" + i++ + (Files.isDirectory(src) ? "" : ".jar"));
            if (Files.isDirectory(src)) {
                try (Stream<Path> s = Files.walk(src)) {
                    for (Path p : s.toList()) {
                        Path t = dst.resolve(src.relativize(p).toString());
                        if (Files.isDirectory(p)) Files.createDirectories(t);
                        else Files.copy(p, t, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            } else {
                Files.copy(src, dst);
            }
            entries.add(dst.toString());
        }
        ok("chmod", "-R", "a+rX", pub.toString());
        return String.join(java.io.File.pathSeparator, entries);
    }
}
