package dev.siitdc.it;

import dev.siitdc.cli.CliRun;
import dev.siitdc.daemon.metrics.PrometheusText;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.siitdc.cli.CliRun.siitdc;
import static dev.siitdc.it.Namespaces.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packets the kernel drops at the TUN queue, shown: a {@code siitdc run} Border Relay is stopped (SIGSTOP)
 * while 8,000 UDP datagrams are routed into its TUN, whose queue holds 5,000; after SIGCONT the kernel's
 * tx_dropped of the link appears as {@code tun-tx-dropped} in {@code siitdc stats display}, in the stats file
 * and as {@code siitdc_tun_dropped_total{direction="tx"}} in the metrics. One namespace (as
 * {@link MetricsDaemonTest}); needs root, /dev/net/tun, iproute2 and ping, or it is skipped with a loud message.
 */
class TunDropsDaemonTest {
    private static final int SENT = 8000;

    @TempDir
    Path dir;

    private final Namespaces namespaces = new Namespaces();

    @BeforeAll
    static void requirements() throws IOException {
        Namespaces.require("the TUN queue drops test");
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        namespaces.close();
    }

    @Test
    void packetsTheKernelDroppedAtTheTunQueueAreCountedInStatsTheStatsFileAndMetrics() throws Exception {
        String ns = namespaces.add("siitdc-tq-" + Namespaces.tag());
        ok("ip", "-n", ns, "link", "add", "d0", "type", "veth", "peer", "name", "d1");
        ok("ip", "-n", ns, "addr", "add", "198.51.100.2/24", "dev", "d0");
        ok("ip", "-n", ns, "link", "set", "d0", "up");
        ok("ip", "-n", ns, "link", "set", "d1", "up");
        Path socket = dir.resolve("br.sock"), stats = dir.resolve("stats");
        Path config = Files.writeString(dir.resolve("br.toml"), Daemon.BORDER_RELAY_CONFIG.formatted("", "",
                "queues = 1\noffload = false\ncontrol-socket = \"" + socket + "\"\nstats-file = \"" + stats + "\""));
        Daemon d = namespaces.siitdc(ns, config, dir.resolve("daemon"));
        d.awaitStartUp("siitdc: border-relay on ");
        assertThat(ok("ip", "-n", ns, "link", "show", "siit0")).contains("qlen 5000");
        CliRun before = siitdc("stats", "display", "--all", "--socket", socket.toString());
        assertThat(before.out()).containsPattern("(?m)^tun-tx-dropped +0$").containsPattern("(?m)^tun-rx-dropped +0$");

        d.signal("STOP");
        try {
            // 8,000 datagrams to the EAM's 192.0.2.10, routed into siit0 (bash opens one UDP socket per line)
            ok("ip", "netns", "exec", ns, "bash", "-c",
                    "for ((i = 0; i < " + SENT + "; i++)); do echo x > /dev/udp/192.0.2.10/9; done");
            String kernel = ok("ip", "-n", ns, "-s", "link", "show", "siit0");
            System.out.println("while stopped:\n" + kernel);
        } finally {
            d.signal("CONT");
        }
        // the worker reads the queued ones after SIGCONT
        Daemon.waitFor(() -> value(siitdc("stats", "display", "--socket", socket.toString()).out(), "tun-packets-read") >= 4900,
                30, "the 5000 queued packets read");
        CliRun c = siitdc("stats", "display", "--socket", socket.toString());
        assertThat(c.exit()).as(c.err()).isZero();
        long dropped = value(c.out(), "tun-tx-dropped");
        assertThat(dropped).as("tun-tx-dropped in stats display:%n%s", c.out()).isBetween((long) SENT - 5000 - 100, (long) SENT);

        Daemon.waitFor(() -> Daemon.read(stats).contains("tun-tx-dropped " + dropped + "\n"), 10, "the stats file line");
        PrometheusText m = ScrapeChild.scrape(ns, dir.resolve("scrape.txt"));
        assertThat(m.value("siitdc_tun_dropped_total", "direction", "tx")).isEqualTo(dropped);
        assertThat(m.value("siitdc_tun_dropped_total", "direction", "rx")).isZero();
        assertThat(m.value("siitdc_tun_errors_total", "direction", "tx")).isZero();
        d.stop();
    }

    private static long value(String statsOut, String counter) {
        Matcher mt = Pattern.compile("(?m)^" + Pattern.quote(counter) + " +(\\d+)$").matcher(statsOut);
        return mt.find() ? Long.parseLong(mt.group(1)) : 0;
    }

}
