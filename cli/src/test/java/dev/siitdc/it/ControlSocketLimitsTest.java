package dev.siitdc.it;

import dev.siitdc.cli.CliRun;
import dev.siitdc.cli.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static dev.siitdc.cli.CliRun.siitdc;
import static dev.siitdc.it.Namespaces.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code siitdc run} Border Relay out of file descriptors, and the limits of its control socket: at most 16
 * connections at once (the 17th is told why and closed), an idle connection closed after the timeout
 * ({@code SIITDC_CONTROL_IDLE_TIMEOUT}), an accept loop that backs off instead of spinning when the
 * descriptors run out (RLIMIT_NOFILE lowered with prlimit on the running daemon) and serves again once
 * connections are closed, and a start-up with too few descriptors that says "too many open files" (EMFILE),
 * never "no TUN driver". One namespace with a veth pair (as {@link MetricsDaemonTest}); needs root,
 * /dev/net/tun, iproute2, ping and prlimit, or it is skipped with a loud message.
 */
class ControlSocketLimitsTest {
    @TempDir
    Path dir;

    private final Namespaces namespaces = new Namespaces();
    private String ns;
    private Path socket;

    @BeforeAll
    static void requirements() throws IOException {
        Namespaces.require("the control socket limits tests (fd exhaustion, connection cap, idle timeout)");
        Namespaces.requireTool("the control socket limits tests", "prlimit", "util-linux");
    }

    @BeforeEach
    void namespace() {
        ns = namespaces.add("siitdc-fd-" + Namespaces.tag());
        ok("ip", "-n", ns, "link", "add", "d0", "type", "veth", "peer", "name", "d1");
        ok("ip", "-n", ns, "link", "set", "d0", "up");
        ok("ip", "-n", ns, "link", "set", "d1", "up");
        socket = dir.resolve("br.sock");
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        namespaces.close();
    }

    @Test
    void theSeventeenthConnectionIsToldWhyAndIdleConnectionsAreClosed() throws Exception {
        Daemon d = start("SIITDC_CONTROL_IDLE_TIMEOUT", "3");
        List<SocketChannel> open = new ArrayList<>();
        try {
            for (int i = 0; i < 16; i++) {
                SocketChannel c = connect();
                open.add(c);
                assertThat(ask(c, "hello")).as("connection %d is served", i + 1).isEqualTo("ok siitdc border-relay on siit0");
            }
            CliRun c = siitdc("stats", "display", "--socket", socket.toString());
            assertThat(c.exit()).as("the 17th: %s", c.err()).isEqualTo(1);
            assertThat(c.err()).isEqualTo("siitdc: stats display: too many control connections open (at most 16): try"
                    + " again when one is closed\n");
            // 3 s without a request: the daemon closes them
            long t0 = System.nanoTime();
            for (SocketChannel s : open) assertThat(s.read(ByteBuffer.allocate(16))).as("closed by the daemon").isEqualTo(-1);
            assertThat((System.nanoTime() - t0) / 1e9).as("seconds until closed").isBetween(1.5, 8.0);
        } finally {
            for (SocketChannel s : open) s.close();
        }
        CliRun c = siitdc("stats", "display", "--socket", socket.toString());
        assertThat(c.exit()).as(c.err()).isZero();
        d.stop();
    }

    @Test
    void outOfDescriptorsTheAcceptLoopBacksOffSaysEmfileAndServesAgain() throws Exception {
        Daemon d = start();
        int inUse = Files.list(Path.of("/proc", Long.toString(d.pid()), "fd")).toList().size();
        int limit = inUse + 6;
        ok("prlimit", "--pid", Long.toString(d.pid()), "--nofile=" + limit + ":" + limit);
        List<SocketChannel> open = new ArrayList<>();
        try {
            // more than the daemon can accept: the rest wait in the backlog, accept fails with EMFILE
            for (int i = 0; i < 30; i++) open.add(connect());
            Thread.sleep(500);
            double busy = cpuSeconds(d, 3);
            System.out.println("CPU seconds used in 3 s while out of descriptors: " + busy);
            assertThat(busy).as("CPU seconds the daemon used in 3 s while out of descriptors").isLessThan(0.6);
            d.awaitErr(l -> l.contains("cannot accept a connection: too many open files (EMFILE)"), 10, "the EMFILE warning");
        } finally {
            for (SocketChannel s : open) s.close();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        CliRun c;
        do {
            c = siitdc("stats", "display", "--socket", socket.toString());
        } while (c.exit() != 0 && System.nanoTime() < deadline);
        assertThat(c.exit()).as("served again once the connections are closed: %s", c.err()).isZero();
        d.awaitErr(l -> l.contains("accepting connections again"), 10, "the recovery line");
        assertThat(d.err()).as("said once, not per failed accept")
                .containsOnlyOnce("cannot accept a connection").doesNotContain("\tat ");
        d.stop();
    }

    @Test
    void aStartUpWithTooFewDescriptorsSaysSoNotNoTunDriver() throws Exception {
        Path cfg = config();
        List<String> failures = new ArrayList<>();
        boolean started = false;
        List<String> jvm = new ArrayList<>();   // the JVM's own failures (class loading needs descriptors too)
        for (int n = 24; n <= 96 && !started; n++) {
            Path out = dir.resolve("low-" + n + ".out");
            List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, "prlimit", "--nofile=" + n + ":" + n));
            List<String> java = Namespaces.javaCommand(ns, "dev.siitdc.cli.Main", "run", "--config", cfg.toString());
            cmd.addAll(java.subList(4, java.size()));   // without "ip netns exec NS": prlimit runs it
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (p.isAlive() && !Daemon.read(out).contains("siitdc: border-relay on ") && System.nanoTime() < deadline)
                    Thread.sleep(100);
                if (p.isAlive()) {
                    started = true;
                    ok("kill", "-TERM", Long.toString(p.pid()));
                    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
                } else {
                    String text = Daemon.read(out);
                    // a JVM that died of the limit before (below) left its state file: the next start undoes it
                    // first and says so (crash recovery); the refusal is what remains, and must be one line
                    String refusal = text.lines().filter(l -> !l.startsWith("siitdc: recovery: ")
                            && !l.startsWith("siitdc: warning: the previous siitdc daemon")).collect(Collectors.joining("\n"));
                    if (p.exitValue() == 2) failures.add(n + ": " + refusal.strip());
                    else jvm.add(n + ": exit " + p.exitValue() + ": " + text.lines().findFirst().orElse(""));
                }
            } finally {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
        System.out.println("start-up with too few descriptors, siitdc's refusals:\n" + String.join("\n", failures)
                + "\nthe JVM's own failures:\n" + String.join("\n", jvm));
        assertThat(started).as("it starts with enough descriptors").isTrue();
        assertThat(failures).as("some limits too low to start").isNotEmpty();
        assertThat(failures).allSatisfy(f -> assertThat(f).doesNotContain("no TUN driver").doesNotContain("\tat ")
                .doesNotContain("\n")
                .satisfies(t -> assertThat(t.toLowerCase(Locale.ROOT)).contains("too many open files")));
        assertThat(String.join("\n", failures)).as("the TUN's own failure is among them").contains("cannot create the TUN interface");
    }

    // ---------------------------------------------------------------- helpers

    private Path config() throws IOException {
        return Files.writeString(dir.resolve("br.toml"), Daemon.BORDER_RELAY_CONFIG.formatted("", "",
                "queues = 2\ncontrol-socket = \"" + socket + "\"\nstats-file = \"" + dir.resolve("stats") + "\""));
    }

    private Daemon start(String... env) throws Exception {
        Daemon d = namespaces.siitdc(ns, config(), dir.resolve("daemon"), env);
        d.awaitStartUp("siitdc: border-relay on ");
        return d;
    }

    private SocketChannel connect() throws IOException {
        return SocketChannel.open(UnixDomainSocketAddress.of(socket));
    }

    /** Sends one request, returns the status line of its answer. */
    private static String ask(SocketChannel c, String request) throws IOException {
        c.write(ByteBuffer.wrap((request + "\n").getBytes(StandardCharsets.UTF_8)));
        ByteBuffer b = ByteBuffer.allocate(4096);
        StringBuilder sb = new StringBuilder();
        while (sb.indexOf("\n") < 0) {
            b.clear();
            if (c.read(b) < 0) return "(closed)";
            sb.append(new String(b.array(), 0, b.position(), StandardCharsets.UTF_8));
        }
        return sb.substring(0, sb.indexOf("\n"));
    }

    /** The CPU time (user + system, all threads) the daemon uses in the next {@code seconds}. */
    private static double cpuSeconds(Daemon d, int seconds) throws Exception {
        long before = cpuTicks(d);
        Thread.sleep(seconds * 1000L);
        return (cpuTicks(d) - before) / 100.0;   // USER_HZ
    }

    private static long cpuTicks(Daemon d) throws IOException {
        Path file = Path.of("/proc", Long.toString(d.pid()), "stat");
        assertThat(d.process().isAlive() && Files.exists(file)).as("the daemon runs; stdout:%n%s%nstderr:%n%s", d.out(), d.err())
                .isTrue();
        String stat = Files.readString(file);
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);   // fields 14 utime, 15 stime
    }
}
