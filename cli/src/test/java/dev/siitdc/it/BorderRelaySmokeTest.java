package dev.siitdc.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code siitdc run} as a Border Relay, end to end, in three throw-away network namespaces:
 *
 * <pre>
 *  v4client                      br (siitdc run)                           idc (IPv6 only)
 *  198.51.100.2/24 ---veth--- 198.51.100.1/24   2001:db8:1::1/64 ---veth--- 2001:db8:1::10/64
 *  default via .1             siit0: pool6 2001:db8:46::/96,               default via 2001:db8:1::1
 *                             EAM 192.0.2.10 &lt;-&gt; 2001:db8:1::10
 * </pre>
 *
 * The IPv4 client pings 192.0.2.10, the IPv6-only host's IPv4 Service Address; after SIGTERM the daemon
 * exits 0 and br has no TUN, no route into it and its forwarding sysctls back at 0. Needs root,
 * /dev/net/tun, iproute2 and ping; without them it is skipped with a loud message. The namespaces are
 * deleted after each test, whatever happened.
 */
class BorderRelaySmokeTest {
    static final String CONFIG = """
            [translator]
            pool6 = "2001:db8:46::/96"
            own-ipv6-address = "2001:db8:1::1"
            lowest-ipv6-mtu = 1500

            [[eamt]]
            ipv4 = "192.0.2.10"
            ipv6 = "2001:db8:1::10"

            [relay]
            role = "border-relay"
            tun-name = "siit0"
            queues = 2
            stats-file = "%s"
            """;

    @TempDir
    Path dir;

    private final List<String> namespaces = new ArrayList<>();
    private String v4client, br, idc;
    private Process daemon;

    record Result(int exit, String out) {}

    @BeforeAll
    static void requirements() throws IOException, InterruptedException {
        String uid = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("Uid:"))
                .map(l -> l.split("\\s+")[2]).findFirst().orElse("?");
        skipLoudly(!"0".equals(uid), "not root (effective uid " + uid + ")");
        skipLoudly(!Files.exists(Path.of("/dev/net/tun")), "/dev/net/tun does not exist");
        skipLoudly(!works("ip", "-V"), "iproute2's ip is not installed");
        skipLoudly(!works("sh", "-c", "command -v ping"), "ping is not installed (apt-get install -y iputils-ping)");
    }

    private static boolean works(String... cmd) throws InterruptedException {
        try {
            return run(List.of(cmd), 10).exit() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static void skipLoudly(boolean skip, String why) {
        if (skip) {
            String msg = "!!!!! SKIPPING the siitdc run Border Relay smoke test: " + why
                    + ". It needs root, /dev/net/tun, iproute2 and ping (it runs in throw-away network namespaces). !!!!!";
            System.err.println(msg);
            Assumptions.abort(msg);
        }
    }

    @BeforeEach
    void topology() throws IOException, InterruptedException {
        String tag = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(2);
        v4client = netns("siitdc-v4client-" + tag);
        br = netns("siitdc-br-" + tag);
        idc = netns("siitdc-idc-" + tag);
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
        ok("ip", "-n", idc, "link", "set", "d0", "up");
        ok("ip", "-n", idc, "-6", "route", "add", "default", "via", "2001:db8:1::1");
    }

    @AfterEach
    void cleanUp() throws IOException, InterruptedException {
        try {
            if (daemon != null && daemon.isAlive()) {
                daemon.destroyForcibly();
                daemon.waitFor(10, TimeUnit.SECONDS);
            }
        } finally {
            for (String ns : namespaces) {
                Result pids = run(List.of("ip", "netns", "pids", ns), 10);
                for (String pid : pids.out().split("\\s+"))
                    if (pid.matches("\\d+")) ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                Result r = run(List.of("ip", "netns", "delete", ns), 20);
                if (r.exit() != 0) System.err.println("could not delete namespace " + ns + ": " + r.out());
            }
        }
    }

    @Test
    void ipv4ClientReachesIpv6OnlyHostAndEverythingIsUndoneOnSigterm() throws Exception {
        Path config = dir.resolve("br.toml");
        Path stats = dir.resolve("run/siit0.stats");
        Files.writeString(config, CONFIG.formatted(stats));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // Output goes to files: a pipe read by a thread can lose its tail when the process exits.
        Path outFile = dir.resolve("daemon.out"), errFile = dir.resolve("daemon.err");
        daemon = new ProcessBuilder("ip", "netns", "exec", br, java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "dev.siitdc.cli.Main", "run", "--config", config.toString())
                .redirectOutput(outFile.toFile()).redirectError(errFile.toFile())
                .start();
        Output out = new Output(outFile), err = new Output(errFile);

        // Ready: the summary line comes once the TUN, routes and sysctls are in place and the workers run.
        long readyBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!out.toString().contains("siitdc: border-relay on ") && daemon.isAlive() && System.nanoTime() < readyBy)
            Thread.sleep(100);
        boolean started = out.toString().contains("siitdc: border-relay on ");
        assertThat(started).as("start-up summary within 60 s; stdout:%n%s%nstderr:%n%s", out, err).isTrue();
        assertThat(out.toString()).startsWith("siitdc: border-relay on siit0: 2 queues, tun mtu 1520,");
        assertThat(ok("ip", "-n", br, "-d", "link", "show", "siit0")).contains("tun");
        assertThat(ok("ip", "-n", br, "-4", "route")).contains("192.0.2.10 dev siit0");
        assertThat(ok("ip", "-n", br, "-6", "route")).contains("2001:db8:46::/96 dev siit0")
                .doesNotContain("2001:db8:1::10 dev siit0");   // RFC 7755: the EAM's IPv6 side is not routed in
        assertThat(ok("ip", "netns", "exec", br, "sysctl", "-n", "net.ipv4.ip_forward", "net.ipv6.conf.all.forwarding"))
                .isEqualTo("1\n1\n");

        Result ping = run(List.of("ip", "netns", "exec", v4client, "ping", "-n", "-c", "3", "-i", "0.2", "-W", "3",
                "192.0.2.10"), 30);
        assertThat(ping.exit()).as("ping from the IPv4 client:%n%s%ndaemon stderr:%n%s", ping.out(), err).isZero();
        assertThat(ping.out()).contains("bytes from 192.0.2.10");

        // The stats file is rewritten every second.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!(Files.exists(stats) && Files.readString(stats).contains("translated-6to4")) && System.nanoTime() < deadline)
            Thread.sleep(100);
        assertThat(Files.readString(stats)).contains("translated-4to6 ", "translated-6to4 ", "tun-packets-read ");

        // SIGTERM. (ip netns exec execs java: same process. Process.destroy() would close our pipes.)
        ok("kill", "-TERM", Long.toString(daemon.pid()));
        assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s after SIGTERM").isTrue();
        assertThat(daemon.exitValue()).as("exit status; stdout:%n%s%nstderr:%n%s", out, err).isZero();
        assertThat(out.toString()).contains("siitdc: stopped (SIGTERM)").containsPattern("(?m)^translated-4to6 [1-9]")
                .containsPattern("(?m)^translated-6to4 [1-9]");
        assertThat(err.toString()).doesNotContain("could not undo");

        // Nothing remains.
        assertThat(run(List.of("ip", "-n", br, "link", "show", "siit0"), 10).exit()).as("siit0 is gone").isNotZero();
        assertThat(ok("ip", "-n", br, "-4", "route")).doesNotContain("siit0").doesNotContain("192.0.2.10");
        assertThat(ok("ip", "-n", br, "-6", "route")).doesNotContain("siit0").doesNotContain("2001:db8:46::");
        assertThat(ok("ip", "netns", "exec", br, "sysctl", "-n", "net.ipv4.ip_forward", "net.ipv6.conf.all.forwarding"))
                .isEqualTo("0\n0\n");
    }

    /** A file the daemon writes, read afresh whenever it is shown or searched. */
    private record Output(Path file) {
        @Override
        public String toString() {
            try {
                return Files.exists(file) ? Files.readString(file) : "";
            } catch (IOException e) {
                return "(cannot read " + file + ": " + e + ")";
            }
        }
    }

    private String netns(String name) throws IOException, InterruptedException {
        ok("ip", "netns", "add", name);
        namespaces.add(name);
        ok("ip", "-n", name, "link", "set", "lo", "up");
        return name;
    }

    /** Runs the command, which must succeed; returns its output. */
    private static String ok(String... cmd) throws IOException, InterruptedException {
        Result r = run(List.of(cmd), 20);
        assertThat(r.exit()).as("%s:%n%s", String.join(" ", cmd), r.out()).isZero();
        return r.out();
    }

    static Result run(List<String> cmd, int timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        StringBuffer out = new StringBuffer();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                out.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                out.append("(output lost: ").append(e).append(')');
            }
        });
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
            reader.join(5000);
            return new Result(-1, out + "\n(killed after " + timeoutSeconds + " s: " + String.join(" ", cmd) + ")");
        }
        reader.join(5000);
        return new Result(p.exitValue(), out.toString());
    }
}
