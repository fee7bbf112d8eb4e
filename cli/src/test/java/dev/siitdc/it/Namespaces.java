package dev.siitdc.it;

import dev.siitdc.lab.Shell;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The throw-away network namespaces of one test of {@code siitdc run} (not the lab's) and the processes it
 * started in them: {@link #close()} kills those processes and everything else left in the namespaces, then
 * deletes the namespaces, whatever happened. Also the commands such a test runs and the Border Relay topology
 * that {@link BorderRelaySmokeTest} and {@link ControlSocketTest} share.
 */
final class Namespaces implements AutoCloseable {
    private final List<String> names = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    /**
     * Skips {@code what} with a loud message on stderr without root, /dev/net/tun, iproute2 or ping.
     * @param what the test(s), as in "SKIPPING the control socket tests"
     */
    static void require(String what) throws IOException {
        String uid = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("Uid:"))
                .map(l -> l.split("\\s+")[2]).findFirst().orElse("?");
        skipLoudly(what, !"0".equals(uid), "not root (effective uid " + uid + ")");
        skipLoudly(what, !Files.exists(Path.of("/dev/net/tun")), "/dev/net/tun does not exist");
        skipLoudly(what, run(List.of("ip", "-V"), 10).exit() != 0, "iproute2's ip is not installed");
        skipLoudly(what, run(List.of("sh", "-c", "command -v ping"), 10).exit() != 0,
                "ping is not installed (apt-get install -y iputils-ping)");
    }

    /** Skips {@code what} with a loud message on stderr when {@code tool} (of the package {@code pkg}) is not installed. */
    static void requireTool(String what, String tool, String pkg) {
        if (run(List.of("sh", "-c", "command -v " + tool), 10).exit() != 0) {
            String msg = "!!!!! SKIPPING " + what + ": " + tool + " (" + pkg + ") is not installed !!!!!";
            System.err.println(msg);
            Assumptions.abort(msg);
        }
    }

    private static void skipLoudly(String what, boolean skip, String why) {
        if (skip) {
            String msg = "!!!!! SKIPPING " + what + ": " + why
                    + ". It needs root, /dev/net/tun, iproute2 and ping (it runs in throw-away network namespaces). !!!!!";
            System.err.println(msg);
            Assumptions.abort(msg);
        }
    }

    /** A random tag that keeps the namespace names of concurrent runs apart. */
    static String tag() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(2);
    }

    /** Adds the namespace {@code name} (deleted by {@link #close()}) with its lo up; returns the name. */
    String add(String name) {
        ok("ip", "netns", "add", name);
        names.add(name);
        ok("ip", "-n", name, "link", "set", "lo", "up");
        return name;
    }

    /**
     * The Border Relay topology, three namespaces {@code prefix + "v4-" + tag}, {@code "br-"} and {@code "idc-"}:
     *
     * <pre>
     *  v4client                      br                                        idc (IPv6 only)
     *  198.51.100.2/24 ---veth--- 198.51.100.1/24   2001:db8:1::1/64 ---veth--- 2001:db8:1::10/64
     *  default via .1             (v4)               (v6)                      (d0) + moreIdcAddresses
     *                                                                          default via 2001:db8:1::1
     * </pre>
     */
    BorderTopology borderTopology(String prefix, String... moreIdcAddresses) {
        String tag = tag();
        String v4client = add(prefix + "v4-" + tag), br = add(prefix + "br-" + tag), idc = add(prefix + "idc-" + tag);
        ok("ip", "link", "add", "c0", "netns", v4client, "type", "veth", "peer", "name", "v4", "netns", br);
        ok("ip", "link", "add", "v6", "netns", br, "type", "veth", "peer", "name", "d0", "netns", idc);
        ok("ip", "-n", v4client, "addr", "add", "198.51.100.2/24", "dev", "c0");
        ok("ip", "-n", v4client, "link", "set", "c0", "up");
        ok("ip", "-n", v4client, "route", "add", "default", "via", "198.51.100.1");
        ok("ip", "-n", br, "addr", "add", "198.51.100.1/24", "dev", "v4");
        ok("ip", "-n", br, "link", "set", "v4", "up");
        ok("ip", "-n", br, "addr", "add", "2001:db8:1::1/64", "dev", "v6", "nodad");
        ok("ip", "-n", br, "link", "set", "v6", "up");
        ok("ip", "-n", idc, "addr", "add", "2001:db8:1::10/64", "dev", "d0", "nodad");
        for (String a : moreIdcAddresses) ok("ip", "-n", idc, "addr", "add", a, "dev", "d0", "nodad");
        ok("ip", "-n", idc, "link", "set", "d0", "up");
        ok("ip", "-n", idc, "-6", "route", "add", "default", "via", "2001:db8:1::1");
        return new BorderTopology(v4client, br, idc);
    }

    /** The namespaces of {@link #borderTopology}: the IPv4 client, the Border Relay and the IPv6-only host. */
    record BorderTopology(String v4client, String br, String idc) {}

    /** Starts {@code siitdc run --config config} in {@code ns}; its output goes to {@code outputs}.out and .err. */
    Daemon siitdc(String ns, Path config, Path outputs, String... env) throws IOException {
        Daemon d = Daemon.start(ns, config, outputs, env);
        processes.add(d.process());
        return d;
    }

    /** Starts the daemon command {@code command} (e.g. under nohup); its output goes to {@code outputs}.out and .err. */
    Daemon siitdc(List<String> command, Path outputs) throws IOException {
        Daemon d = Daemon.start(command, outputs);
        processes.add(d.process());
        return d;
    }

    /** Starts {@code mainClass} (on the test class path) in a child JVM in {@code ns}, stdout and stderr to {@code out}. */
    Process java(String ns, Path out, String mainClass, String... args) throws IOException {
        Process p = new ProcessBuilder(javaCommand(ns, mainClass, args)).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        processes.add(p);
        return p;
    }

    /** {@code ip netns exec NS java ... MAINCLASS ARGS}, with this JVM's java and class path. */
    static List<String> javaCommand(String ns, String mainClass, String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Kills the processes started here and whatever else runs in the namespaces, then deletes the namespaces. */
    @Override
    public void close() throws InterruptedException {
        try {
            for (Process p : processes) {
                if (p.isAlive()) {
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                }
            }
        } finally {
            for (String ns : names) {
                Shell.Result pids = run(List.of("ip", "netns", "pids", ns), 10);
                for (String pid : pids.out().split("\\s+"))
                    if (pid.matches("\\d+")) ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                Shell.Result r = run(List.of("ip", "netns", "delete", ns), 20);
                if (r.exit() != 0) System.err.println("could not delete namespace " + ns + ": " + r.out());
            }
        }
    }

    /** Runs the command, which must succeed; returns its output. */
    static String ok(String... cmd) {
        Shell.Result r = run(List.of(cmd), 30);
        assertThat(r.exit()).as("%s:%n%s", String.join(" ", cmd), r.out()).isZero();
        return r.out();
    }

    /** Runs the command (stdout and stderr merged), killed after {@code timeoutSeconds} (exit status -1 then). */
    static Shell.Result run(List<String> cmd, int timeoutSeconds) {
        return Shell.run(cmd, timeoutSeconds);
    }
}
