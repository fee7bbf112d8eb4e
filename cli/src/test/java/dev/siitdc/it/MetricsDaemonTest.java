package dev.siitdc.it;

import dev.siitdc.daemon.metrics.PrometheusText;
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
 * A running {@code siitdc run} Border Relay in a throw-away network namespace, watched as an operator would:
 * its Prometheus endpoint on the default 127.0.0.1:9464 scraped over HTTP from inside the namespace (a
 * java.net.http.HttpClient in a child JVM, {@link ScrapeChild}) and parsed by the strict
 * {@link PrometheusText} parser; its output in the journal format ({@code SIITDC_LOG_FORMAT=journal});
 * SIGUSR1 switching per-packet drop logging on.
 *
 * <pre>
 *  namespace: d0 (veth to d1) 198.51.100.2/24 --ping--> 192.0.2.10 routed into siit0 (EAM 192.0.2.10 &lt;-&gt; 2001:db8:1::10)
 * </pre>
 *
 * Needs root, /dev/net/tun, iproute2 and ping, or it is skipped with a loud message.
 */
class MetricsDaemonTest {
    @TempDir
    Path dir;

    private final Namespaces namespaces = new Namespaces();
    private String ns;

    @BeforeAll
    static void requirements() throws IOException {
        Namespaces.require("the siitdc metrics/logging daemon test");
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        namespaces.close();
    }

    @Test
    void metricsScrapedFromTheRunningDaemonAndJournalFormattedLogs() throws Exception {
        ns = namespaces.add("siitdc-mx-" + Namespaces.tag());
        // an interface with an IPv4 address for the pings' source (a veth pair: no dummy module everywhere)
        ok("ip", "-n", ns, "link", "add", "d0", "type", "veth", "peer", "name", "d1");
        ok("ip", "-n", ns, "addr", "add", "198.51.100.2/24", "dev", "d0");
        ok("ip", "-n", ns, "link", "set", "d0", "up");
        ok("ip", "-n", ns, "link", "set", "d1", "up");

        Path config = Files.writeString(dir.resolve("br.toml"), Daemon.BORDER_RELAY_CONFIG.formatted(
                "own-ipv4-address = \"203.0.113.1\"\n", "",
                "queues = 1\noffload = false\ncontrol-socket = \"" + dir.resolve("siit0.sock") + "\""));
        Daemon daemon = namespaces.siitdc(ns, config, dir.resolve("daemon"), "SIITDC_LOG_FORMAT", "journal");

        String summary = daemon.awaitStartUp("siitdc: border-relay on ");
        assertThat(summary).startsWith("<5>siitdc: border-relay on siit0: 1 queue,")
                .contains(", 1 EAM,", "metrics http://127.0.0.1:9464/metrics", "drop logging off (SIGUSR1 toggles)");

        // Traffic: 3 echo requests translated 4 -> 6, 2 with TTL 1 dropped (Time Exceeded sent back).
        ping("-c", "3", "-i", "0.2");
        ping("-c", "2", "-i", "0.2", "-t", "1");

        PrometheusText m = scrape();
        assertThat(m.value("siitdc_info", "role", "border-relay", "tun", "siit0")).isEqualTo(1);
        assertThat(m.value("siitdc_queues")).isEqualTo(1);
        assertThat(m.value("siitdc_eamt_entries")).isEqualTo(1);
        assertThat(m.value("siitdc_packets_translated_total", "direction", "4to6")).isGreaterThanOrEqualTo(3);
        assertThat(m.value("siitdc_bytes_translated_total", "direction", "4to6")).isGreaterThanOrEqualTo(3 * 104);
        assertThat(m.value("siitdc_drops_total", "reason", "drop-4to6-ttl-expired", "direction", "4to6")).isEqualTo(2);
        assertThat(m.value("siitdc_icmp_errors_originated_total", "protocol", "icmpv4")).isEqualTo(2);
        assertThat(m.value("siitdc_tun_packets_read_total")).isGreaterThanOrEqualTo(5);
        assertThat(m.value("siitdc_drop_logging")).isZero();
        assertThat(m.value("siitdc_start_time_seconds")).isGreaterThan(1.7e9);

        // SIGUSR1: drop logging on; a dropped packet is logged with its reason and addresses.
        daemon.signal("USR1");
        daemon.awaitErr(l -> l.equals("<5>siitdc: drop logging on"), 10, "drop logging on");
        ping("-c", "1", "-t", "1");
        String drop = daemon.awaitErr(l -> l.contains("siitdc: drop: "), 10, "a drop line");
        assertThat(drop).isEqualTo("<6>siitdc: drop: reason=drop-4to6-ttl-expired queue=0 proto=icmp src=198.51.100.2"
                + " dst=192.0.2.10 type=8/0 len=84");
        PrometheusText again = scrape();
        assertThat(again.value("siitdc_drop_logging")).isEqualTo(1);
        assertThat(again.value("siitdc_drops_total", "reason", "drop-4to6-ttl-expired", "direction", "4to6")).isEqualTo(3);

        daemon.stop();
        String out = Files.readString(daemon.outFile()), err = Files.readString(daemon.errFile());
        assertThat(out).contains("<5>siitdc: stopped (SIGTERM)").containsPattern("(?m)^<6>translated-4to6 [1-9]");
        // one line per event, each with its priority
        for (String l : (out + err).lines().toList()) assertThat(l).as("journal line").matches("<[0-7]>.*");
    }

    private void ping(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, "ping", "-n", "-W", "1"));
        cmd.addAll(List.of(args));
        cmd.add("192.0.2.10");
        Namespaces.run(cmd, 30);   // no answer: nothing behind 2001:db8:1::10 (the exit status is 1)
    }

    /** Scrapes the daemon's default endpoint from inside the namespace, parsed strictly. */
    private PrometheusText scrape() throws IOException, InterruptedException {
        return ScrapeChild.scrape(ns, dir.resolve("scrape.txt"));
    }
}
