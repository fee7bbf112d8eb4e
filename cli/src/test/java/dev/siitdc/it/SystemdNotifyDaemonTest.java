package dev.siitdc.it;

import dev.siitdc.lab.Shell;
import dev.siitdc.linux.NotifyReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static dev.siitdc.it.Namespaces.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code siitdc run} under a stand-in for systemd: NOTIFY_SOCKET names a datagram socket this test binds and
 * reads (sd_notify(3)). READY=1 comes only once the TUN and its routes exist; SIGHUP and {@code siitdc reload}
 * are each framed by RELOADING=1 (with MONOTONIC_USEC) and READY=1; {@code siitdc reload} exits 2 with the
 * reason for a file the daemon refuses; WATCHDOG=1 comes every WATCHDOG_USEC/2; STATUS= says role, EAMs and
 * packets/s; SIGTERM brings STOPPING=1. Needs root and iproute2 (skipped loudly without).
 */
class SystemdNotifyDaemonTest {
    @TempDir
    Path dir;

    private final Namespaces namespaces = new Namespaces();
    private String br;
    private NotifyReceiver systemd;
    /** Every datagram taken by {@link #next} so far, in order. */
    private final List<String> seen = new ArrayList<>();
    /** What the reader thread took off the socket (as systemd does: at once, so that no datagram is lost). */
    private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
    private Thread reader;

    @BeforeAll
    static void requirements() throws IOException {
        Namespaces.require("the systemd notification test");
    }

    @BeforeEach
    void topology() throws Exception {
        br = namespaces.borderTopology("sdn-").br();
        systemd = NotifyReceiver.bind(dir.resolve("notify").toString());
        reader = Thread.ofPlatform().daemon(true).start(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    String m = systemd.receive(200);
                    if (m != null) queue.add(m);
                }
            } catch (Exception e) {
                queue.add("(reader failed: " + e + ")");
            }
        });
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        try {
            namespaces.close();
        } finally {
            if (reader != null) {
                reader.interrupt();
                reader.join(2000);
            }
            if (systemd != null) systemd.close();
        }
    }

    /** The next datagram that is not WATCHDOG=1 or a periodic STATUS= alone, within {@code seconds}. */
    private String next(int seconds) throws Exception {
        return next(seconds, false);
    }

    /** The next periodic STATUS= datagram, within {@code seconds}. */
    private String nextStatus(int seconds) throws Exception {
        return next(seconds, true);
    }

    private String next(int seconds, boolean status) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            String m = queue.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (m == null) break;
            seen.add(m);
            if (!m.equals("WATCHDOG=1") && m.startsWith("STATUS=") == status) return m;
        }
        throw new AssertionError("no notification within " + seconds + " s; seen so far: " + seen);
    }

    private Shell.Result reloadCommand(Path socket) {
        return Namespaces.run(Namespaces.javaCommand(br, "dev.siitdc.cli.Main", "reload", "--socket", socket.toString()), 60);
    }

    @Test
    void readyAfterTheTunReloadingAroundReloadsStoppingOnSigterm() throws Exception {
        Path socket = dir.resolve("siit0.sock");
        String relay = "queues = 1\ncontrol-socket = \"" + socket + "\"";
        Path config = Files.writeString(dir.resolve("br.toml"), Daemon.BORDER_RELAY_CONFIG.formatted("", "", relay));
        Daemon daemon = namespaces.siitdc(br, config, dir.resolve("daemon"), "NOTIFY_SOCKET", systemd.name(),
                "WATCHDOG_USEC", "400000");

        String ready = next(60);
        // Checked the moment READY=1 arrives: the TUN and its routes are already there.
        assertThat(Namespaces.run(List.of("ip", "-n", br, "link", "show", "siit0"), 10).exit()).as("siit0 at READY=1").isZero();
        assertThat(ok("ip", "-n", br, "-4", "route")).contains("192.0.2.10 dev siit0");
        assertThat(seen).as("READY=1 is the first datagram").hasSize(1);
        assertThat(ready).startsWith("READY=1\n").contains("STATUS=border-relay on siit0: 1 EAM, 0 packets/s translated");
        assertThat(daemon.out()).contains("siitdc: border-relay on siit0");

        // SIGHUP with one more EAM in the file: RELOADING=1 + MONOTONIC_USEC, then READY=1.
        Files.writeString(config, Daemon.BORDER_RELAY_CONFIG.formatted("", "[[eamt]]\nipv4 = \"192.0.2.11\"\n"
                + "ipv6 = \"2001:db8:1::11\"\n", relay));
        long before = System.nanoTime() / 1000;
        daemon.signal("HUP");
        String reloading = next(30);
        assertThat(reloading).startsWith("RELOADING=1\nMONOTONIC_USEC=");
        long usec = Long.parseLong(reloading.substring(reloading.indexOf('=', 12) + 1).strip());
        assertThat(usec).as("CLOCK_MONOTONIC microseconds").isBetween(before, System.nanoTime() / 1000);
        assertThat(next(30)).startsWith("READY=1");
        daemon.awaitOut(l -> l.contains("siitdc: reloaded "), 30, "the reload's report");

        // siitdc reload: a good file -> exit 0 and what changed, framed the same way.
        Files.writeString(config, Daemon.BORDER_RELAY_CONFIG.formatted("", "", relay));
        Shell.Result r = reloadCommand(socket);
        assertThat(r.exit()).as("siitdc reload:%n%s", r.out()).isZero();
        assertThat(r.out()).contains("reloaded " + config).contains("1 EAM");
        assertThat(next(10)).startsWith("RELOADING=1\nMONOTONIC_USEC=");
        assertThat(next(10)).startsWith("READY=1");

        // A file the daemon refuses: exit 2, the reason FILE:LINE: KEY: REASON, the previous configuration runs on.
        Files.writeString(config, Daemon.BORDER_RELAY_CONFIG.formatted("pool6 = \"nonsense\"\n", "", relay));
        r = reloadCommand(socket);
        assertThat(r.exit()).as("siitdc reload of a bad file:%n%s", r.out()).isEqualTo(2);
        assertThat(r.out()).contains("siitdc: reload: " + config + ":").contains("pool6")
                .contains("still running the previous configuration");
        assertThat(next(10)).startsWith("RELOADING=1");
        assertThat(next(10)).startsWith("READY=1");

        // siitdc reload --config FILE (the unit's ExecReload) finds the socket in the file: [relay] control-socket.
        Files.writeString(config, Daemon.BORDER_RELAY_CONFIG.formatted("", "", relay));
        r = Namespaces.run(Namespaces.javaCommand(br, "dev.siitdc.cli.Main", "reload", "--config", config.toString()), 60);
        assertThat(r.exit()).as("siitdc reload --config:%n%s", r.out()).isZero();
        assertThat(r.out()).contains("reloaded " + config);
        assertThat(next(10)).startsWith("RELOADING=1");
        assertThat(next(10)).startsWith("READY=1");

        // STATUS= every few seconds; the watchdog's WATCHDOG=1 all along.
        assertThat(nextStatus(15)).isEqualTo("STATUS=border-relay on siit0: 1 EAM, 0 packets/s translated");
        assertThat(seen).as("WATCHDOG=1 every 0.2 s").contains("WATCHDOG=1");

        daemon.signal("TERM");
        assertThat(next(30)).isEqualTo("STOPPING=1");
        assertThat(daemon.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(daemon.exit()).as("exit status; stderr:%n%s", daemon.err()).isZero();
        assertThat(daemon.err()).doesNotContain("cannot notify systemd");
    }

    @Test
    void aRealSystemdRunWhereSystemdIsPid1() throws Exception {
        String init = Files.readString(Path.of("/proc/1/comm")).strip();
        Assumptions.assumeTrue(init.equals("systemd"), "PID 1 is \"" + init + "\", not systemd: no systemd-run test of"
                + " Type=notify here (SystemdNotifyDaemonTest.readyAfterTheTun... plays systemd instead)");
        Path socket = dir.resolve("siit0.sock");
        Path config = Files.writeString(dir.resolve("br.toml"), Daemon.BORDER_RELAY_CONFIG.formatted("", "",
                "queues = 1\ncontrol-socket = \"" + socket + "\""));
        String unit = "siitdc-notify-test-" + ProcessHandle.current().pid();
        List<String> cmd = new ArrayList<>(List.of("systemd-run", "--unit", unit, "--wait", "--collect", "-p", "Type=notify",
                "-p", "NotifyAccess=main", "--property=NetworkNamespacePath=/run/netns/" + br));
        cmd.addAll(Namespaces.javaCommand(br, "dev.siitdc.cli.Main", "run", "--config", config.toString()).subList(4, 9));
        cmd.addAll(List.of("run", "--config", config.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("systemd-run.out").toFile()).start();
        try {
            // systemctl start of a Type=notify unit returns once READY=1 came: the socket answers at once.
            Daemon.waitFor(() -> Namespaces.run(List.of("systemctl", "is-active", unit), 10).out().strip().equals("active"),
                    60, unit + " active");
            assertThat(Files.exists(socket)).isTrue();
        } finally {
            Namespaces.run(List.of("systemctl", "stop", unit), 30);
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
