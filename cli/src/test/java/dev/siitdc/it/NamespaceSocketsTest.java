package dev.siitdc.it;

import dev.siitdc.lab.Shell;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.siitdc.it.Namespaces.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two Border Relays on one host, each in a network namespace of its own, both on TUN siit0 with the default
 * control socket: they do not clash (/run/siitdc/NETNS/siit0.sock, NETNS the ip netns name), and
 * {@code siitdc eamt display} and {@code siitdc reload} without --socket reach the daemon of the namespace they
 * run in. A clean stop leaves no control socket, no state file, no stats file and no /run/siitdc/NETNS. Needs root and iproute2.
 */
class NamespaceSocketsTest {
    @TempDir
    Path dir;

    private final Namespaces namespaces = new Namespaces();
    private final List<Path> socketDirs = new ArrayList<>();

    @BeforeAll
    static void requirements() throws IOException {
        Namespaces.require("the control socket per network namespace test");
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        try {
            namespaces.close();
        } finally {
            for (Path d : socketDirs) Namespaces.run(List.of("rm", "-rf", d.toString()), 10);
        }
    }

    private String namespace(String role) {
        String ns = namespaces.add("siitdc-ns" + role + "-" + Namespaces.tag());
        ok("ip", "-n", ns, "link", "add", "d0", "type", "veth", "peer", "name", "d1");
        ok("ip", "-n", ns, "link", "set", "d0", "up");
        socketDirs.add(Path.of("/run/siitdc", ns));
        return ns;
    }

    private static Shell.Result siitdc(String ns, String... args) {
        return Namespaces.run(Namespaces.javaCommand(ns, "dev.siitdc.cli.Main", args), 60);
    }

    @Test
    void twoRelaysInTwoNamespacesEachWithItsOwnDefaultSocketAndNothingLeftAfterAStop() throws Exception {
        String a = namespace("a"), b = namespace("b");
        Path statsA = dir.resolve("a.stats"), statsB = dir.resolve("b.stats");
        Path configA = Files.writeString(dir.resolve("a.toml"), Daemon.BORDER_RELAY_CONFIG.formatted("", "",
                "queues = 1\nstats-file = \"" + statsA + "\""));
        Path configB = Files.writeString(dir.resolve("b.toml"), Daemon.BORDER_RELAY_CONFIG.formatted("",
                "[[eamt]]\nipv4 = \"192.0.2.11\"\nipv6 = \"2001:db8:1::11\"\n", "queues = 1\nstats-file = \"" + statsB + "\""));
        Daemon da = namespaces.siitdc(a, configA, dir.resolve("a"));
        Daemon db = namespaces.siitdc(b, configB, dir.resolve("b"));
        Path socketA = Path.of("/run/siitdc", a, "siit0.sock"), socketB = Path.of("/run/siitdc", b, "siit0.sock");
        assertThat(da.awaitStartUp("siitdc: border-relay on ")).contains("control socket " + socketA);
        assertThat(db.awaitStartUp("siitdc: border-relay on ")).contains("control socket " + socketB);
        assertThat(socketA).exists();
        assertThat(socketB).exists();

        // Without --socket each command finds the daemon of its own namespace.
        Shell.Result r = siitdc(a, "eamt", "display");
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("192.0.2.10").doesNotContain("192.0.2.11");
        r = siitdc(b, "eamt", "display");
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("192.0.2.10", "192.0.2.11");
        r = siitdc(b, "reload");
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("reloaded " + configB);
        assertThat(db.out()).contains("siitdc: reloaded " + configB);
        assertThat(da.out()).doesNotContain("reloaded");

        // The stats files are written while they run...
        Daemon.waitFor(() -> Files.exists(statsA) && Files.exists(statsB), 10, "both stats files");
        da.stop();
        db.stop();
        // ... and a clean stop leaves nothing: no socket, no state file, no stats file.
        for (Path p : List.of(socketA, socketB, socketA.resolveSibling("siit0.state"), socketB.resolveSibling("siit0.state"),
                statsA, statsB))
            assertThat(p).as("left after a clean stop").doesNotExist();
        assertThat(socketA.getParent()).as("the namespace's directory in /run/siitdc").doesNotExist();
        assertThat(socketB.getParent()).as("the namespace's directory in /run/siitdc").doesNotExist();
    }
}
