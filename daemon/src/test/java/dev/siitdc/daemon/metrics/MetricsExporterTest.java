package dev.siitdc.daemon.metrics;

import dev.siitdc.core.xlat.Counter;
import dev.siitdc.core.xlat.Counters;
import dev.siitdc.dataplane.RelayCounter;
import dev.siitdc.dataplane.RelayCounters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Prometheus endpoint in-process, with a fake counter source, scraped over HTTP by
 * java.net.http.HttpClient and parsed by the strict {@link PrometheusText} parser.
 */
class MetricsExporterTest {
    /** Counters as two workers would hold them. */
    static class FakeSource implements MetricsSource {
        final Counters[] translator = {new Counters(), new Counters()};
        final RelayCounters[] relay = {new RelayCounters(), new RelayCounters()};
        volatile boolean dropLogging;
        int scrapes;

        @Override
        public synchronized void addCounters(Counters t, RelayCounters r) {
            scrapes++;
            for (Counters c : translator) c.addTo(t);
            for (RelayCounters c : relay) c.addTo(r);
        }

        @Override public String role() { return "border-relay"; }
        @Override public String tunName() { return "siit0"; }
        @Override public int queues() { return 2; }
        @Override public long eamEntries() { return 3; }
        @Override public boolean dropLogging() { return dropLogging; }
        @Override public long startTimeMillis() { return 1_700_000_000_000L; }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private MetricsExporter exporter;

    @AfterEach
    void stop() {
        if (exporter != null) exporter.close();
    }

    private HttpResponse<String> get(String url, String accept) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (accept != null) b.header("Accept", accept);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aNetworkEdgeRelaysDhcpCountersAreOneFamilyByEvent() throws Exception {
        // RFC 7756 Appendix A.1: the segment's DHCP server counts what it receives, sends and drops.
        int gw = dev.siitdc.core.addr.Ipv4Prefix.parseAddress("198.51.100.65");
        var server = new dev.siitdc.daemon.dhcp.DhcpServer(dev.siitdc.daemon.dhcp.DhcpConfig.builder(gw, 29)
                .pool(gw + 1, gw + 2).build(), null, w -> { });
        var reply = new dev.siitdc.daemon.dhcp.DhcpReply();
        server.handle(new byte[100], 0, 100, 0, reply);        // shorter than the BOOTP header: truncated
        FakeSource src = new FakeSource() {
            @Override public dev.siitdc.daemon.dhcp.DhcpCounters dhcpCounters() { return server.counters(); }
        };
        exporter = MetricsExporter.start("127.0.0.1", 0, src);
        PrometheusText m = PrometheusText.parse(get(exporter.url(), null).body());
        assertThat(m.value("siitdc_dhcp_total", "event", "received")).isEqualTo(1);
        assertThat(m.value("siitdc_dhcp_total", "event", "drop-truncated")).isEqualTo(1);
        assertThat(m.value("siitdc_dhcp_total", "event", "ack")).isZero();
        assertThat(m.samples("siitdc_dhcp_total")).hasSize(dev.siitdc.daemon.dhcp.DhcpCounter.values().length);
        assertThat(m.families().get("siitdc_dhcp_total").type()).isEqualTo("counter");
        server.handle(new byte[10], 0, 10, 0, reply);
        assertThat(PrometheusText.parse(get(exporter.url(), null).body()).value("siitdc_dhcp_total", "event",
                "received")).as("read at scrape time").isEqualTo(2);
        // Without a DHCP server (a Border Relay, a node-based ER) there is no such family.
        exporter.close();
        exporter = MetricsExporter.start("127.0.0.1", 0, new FakeSource());
        assertThat(PrometheusText.parse(get(exporter.url(), null).body()).families()).doesNotContainKey("siitdc_dhcp_total");
    }

    @Test
    void scrapeOverHttpIsValidExpositionWithEveryCounterReadAtScrapeTime() throws Exception {
        FakeSource src = new FakeSource();
        src.translator[0].add(Counter.TRANSLATED46, 5);
        src.translator[1].add(Counter.TRANSLATED46, 7);
        src.translator[0].add(Counter.TRANSLATED64, 4);
        src.translator[0].add(Counter.BYTES46, 1000);
        src.translator[1].add(Counter.BYTES64, 333);
        src.translator[0].add(Counter.DROP64_HOP_LIMIT_EXPIRED, 3);
        src.translator[1].add(Counter.DROP46_TTL_EXPIRED, 2);
        src.translator[0].add(Counter.DROP_UNKNOWN_VERSION, 1);
        src.translator[0].add(Counter.HAIRPINNED, 6);
        src.translator[1].add(Counter.ICMP4_ERRORS_SENT, 8);
        src.translator[1].add(Counter.ICMP6_ERRORS_SENT, 9);
        src.relay[0].add(RelayCounter.TUN_READ, 10);
        src.relay[1].add(RelayCounter.TUN_READ, 11);
        src.relay[1].add(RelayCounter.ER_DROP4_SOURCE_WITHOUT_EAM, 4);
        src.relay[0].add(RelayCounter.IGNORED6_MULTICAST_DST, 12);

        exporter = MetricsExporter.start("127.0.0.1", 0, src);
        assertThat(exporter.url()).isEqualTo("http://127.0.0.1:" + exporter.port() + "/metrics");
        assertThat(src.scrapes).as("nothing is read before a scrape").isZero();

        HttpResponse<String> r = get(exporter.url(), null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
        PrometheusText m = PrometheusText.parse(r.body());

        assertThat(m.value("siitdc_packets_translated_total", "direction", "4to6")).isEqualTo(12);
        assertThat(m.value("siitdc_packets_translated_total", "direction", "6to4")).isEqualTo(4);
        assertThat(m.value("siitdc_bytes_translated_total", "direction", "4to6")).isEqualTo(1000);
        assertThat(m.value("siitdc_bytes_translated_total", "direction", "6to4")).isEqualTo(333);
        assertThat(m.value("siitdc_drops_total", "reason", "drop-6to4-hop-limit-expired", "direction", "6to4")).isEqualTo(3);
        assertThat(m.value("siitdc_drops_total", "reason", "drop-4to6-ttl-expired", "direction", "4to6")).isEqualTo(2);
        assertThat(m.value("siitdc_drops_total", "reason", "drop-not-ip", "direction", "any")).isEqualTo(1);
        assertThat(m.value("siitdc_drops_total", "reason", "er-drop-ipv4-source-without-eam", "direction", "4to6"))
                .isEqualTo(4);
        assertThat(m.value("siitdc_drops_total", "reason", "drop-hairpin-loop", "direction", "6to4")).isZero();
        assertThat(m.value("siitdc_packets_hairpinned_total")).isEqualTo(6);
        assertThat(m.value("siitdc_icmp_errors_originated_total", "protocol", "icmpv4")).isEqualTo(8);
        assertThat(m.value("siitdc_icmp_errors_originated_total", "protocol", "icmpv6")).isEqualTo(9);
        assertThat(m.value("siitdc_tun_packets_read_total")).isEqualTo(21);
        assertThat(m.value("siitdc_packets_ignored_total", "reason", "ignored-ipv6-multicast-destination",
                "direction", "6to4")).isEqualTo(12);
        assertThat(m.value("siitdc_info", "role", "border-relay", "tun", "siit0")).isEqualTo(1);
        assertThat(m.value("siitdc_queues")).isEqualTo(2);
        assertThat(m.value("siitdc_eamt_entries")).isEqualTo(3);
        assertThat(m.value("siitdc_drop_logging")).isZero();
        assertThat(m.value("siitdc_start_time_seconds")).isEqualTo(1.7e9);

        // Every counter of both enums is a series (zeros included), each exactly once; every family has
        // HELP and TYPE; counters are counters.
        Set<String> seen = new HashSet<>();
        for (CounterSeries.Series s : CounterSeries.all()) {
            String[] labels = s.labels().entrySet().stream().flatMap(e -> java.util.stream.Stream.of(e.getKey(), e.getValue()))
                    .toArray(String[]::new);
            m.value(s.family() + "_total", labels);
            assertThat(seen.add(s.family() + s.labels())).as("one series per counter: %s", s).isTrue();
        }
        assertThat(m.samples("siitdc_drops_total")).hasSize((int) (java.util.Arrays.stream(Counter.values())
                .filter(c -> c.operatorName().startsWith("drop-")).count() + java.util.Arrays.stream(RelayCounter.values())
                .filter(c -> c.operatorName().contains("drop-")).count()));
        for (PrometheusText.Family f : m.families().values()) {
            assertThat(f.help()).as("HELP of %s", f.name()).isNotBlank();
            if (f.name().endsWith("_total")) assertThat(f.type()).as("TYPE of %s", f.name()).isEqualTo("counter");
        }
        assertThat(m.families().get("siitdc_queues").type()).isEqualTo("gauge");

        // Values are read at each scrape.
        src.translator[1].add(Counter.TRANSLATED46, 100);
        src.dropLogging = true;
        PrometheusText again = PrometheusText.parse(get(exporter.url(), null).body());
        assertThat(again.value("siitdc_packets_translated_total", "direction", "4to6")).isEqualTo(112);
        assertThat(again.value("siitdc_drop_logging")).isEqualTo(1);
        assertThat(src.scrapes).isEqualTo(2);
    }

    @Test
    void openMetricsOnRequest() throws Exception {
        exporter = MetricsExporter.start("127.0.0.1", 0, new FakeSource());
        HttpResponse<String> r = get(exporter.url(), "application/openmetrics-text; version=1.0.0; charset=utf-8");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/openmetrics-text");
        assertThat(r.body()).contains("# TYPE siitdc_drops counter").endsWith("# EOF\n");
    }

    @Test
    void ipv6LoopbackAndPortInUse() throws Exception {
        exporter = MetricsExporter.start("::1", 0, new FakeSource());
        assertThat(exporter.url()).isEqualTo("http://[::1]:" + exporter.port() + "/metrics");
        assertThat(get(exporter.url(), null).statusCode()).isEqualTo(200);
        int port = exporter.port();
        assertThatThrownBy(() -> MetricsExporter.start("::1", port, new FakeSource())).isInstanceOf(IOException.class);
        exporter.close();
        // closed: the port is free again
        exporter = MetricsExporter.start("::1", port, new FakeSource());
        assertThat(exporter.port()).isEqualTo(port);
    }

    @Test
    void namesAreValidAndFamiliesConsistent() {
        Map<String, Set<String>> labelNames = new java.util.HashMap<>();
        for (CounterSeries.Series s : CounterSeries.all()) {
            assertThat(s.family()).matches("siitdc_[a-z0-9_]+").doesNotEndWith("_total");
            assertThat(s.help()).isNotBlank();
            Set<String> names = labelNames.computeIfAbsent(s.family(), f -> s.labels().keySet());
            assertThat(s.labels().keySet()).as("same labels across %s", s.family()).isEqualTo(names);
            s.labels().values().forEach(v -> assertThat(v).isNotEmpty());
        }
        assertThat(CounterSeries.of(Counter.DROP64_HOP_LIMIT_EXPIRED).labels())
                .isEqualTo(Map.of("reason", "drop-6to4-hop-limit-expired", "direction", "6to4"));
        assertThat(CounterSeries.of(Counter.DROP64_TOO_BIG_FOR_IPV4).labels())
                .isEqualTo(Map.of("reason", "drop-6to4-too-big-for-ipv4", "direction", "6to4"));
        assertThat(CounterSeries.of(RelayCounter.ER_DROP6_SOURCE_MAPS_TO_LOCAL).labels().get("direction")).isEqualTo("6to4");
        assertThat(CounterSeries.of(RelayCounter.DROP_TUN_WRITE_ERROR).labels().get("direction")).isEqualTo("any");
        assertThat(CounterSeries.of(RelayCounter.TUN_WRITTEN).family()).isEqualTo("siitdc_tun_packets_written");
        assertThat(List.of(CounterSeries.of(Counter.ICMP_ERRORS_RATE_LIMITED).family(),
                CounterSeries.of(Counter.FRAGMENTED46).family()))
                .containsExactly("siitdc_icmp_errors_rate_limited", "siitdc_packets_fragmented");
    }
}
