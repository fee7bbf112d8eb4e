package dev.siitdc.daemon.metrics;

import dev.siitdc.core.xlat.Counter;
import dev.siitdc.core.xlat.Counters;
import dev.siitdc.dataplane.RelayCounter;
import dev.siitdc.dataplane.RelayCounters;
import dev.siitdc.dataplane.TunLinkCounter;
import dev.siitdc.daemon.dhcp.DhcpCounter;
import dev.siitdc.daemon.dhcp.DhcpCounters;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The relay's metrics, built at each scrape from a {@link MetricsSource} (callback style: nothing is
 * recorded on the packet path). Every counter is exported, zeros included, so that every series exists
 * from the first scrape on; see {@link CounterSeries} for the names. Besides the counters:
 *
 * <ul>
 *   <li>{@code siitdc_info{role="border-relay",tun="siit0"} 1}</li>
 *   <li>{@code siitdc_queues}: worker threads (TUN queues)</li>
 *   <li>{@code siitdc_eamt_entries}: entries of the EAM table in force</li>
 *   <li>{@code siitdc_eamt_hash{hash="..."} 1}: the {@link EamtHash} of that table, the same on relays that hold
 *       the same entries in any order</li>
 *   <li>{@code siitdc_drop_logging}: 1 while per-packet drop logging is on</li>
 *   <li>{@code siitdc_start_time_seconds}: when the relay started (Unix time)</li>
 *   <li>{@code siitdc_tun_dropped_total{direction="tx"|"rx"}}, {@code siitdc_tun_errors_total{direction}}: the
 *       kernel's counters of the TUN link (see {@link CounterSeries#of(TunLinkCounter)}), read at the scrape</li>
 *   <li>network-based Edge Relay with DHCP: {@code siitdc_dhcp_total{event="discover"}} and the other
 *       DHCP counters (see {@link CounterSeries#of(DhcpCounter)})</li>
 * </ul>
 */
public final class SiitdcCollector implements MultiCollector {
    private final MetricsSource source;

    public SiitdcCollector(MetricsSource source) {
        this.source = source;
    }

    @Override
    public MetricSnapshots collect() {
        Counters translator = new Counters();
        RelayCounters relay = new RelayCounters();
        source.addCounters(translator, relay);

        Map<String, CounterSnapshot.Builder> families = new LinkedHashMap<>();
        for (Counter c : Counter.values()) {
            add(families, CounterSeries.of(c), translator.get(c));
        }
        for (RelayCounter c : RelayCounter.values()) {
            add(families, CounterSeries.of(c), relay.get(c));
        }
        DhcpCounters dhcp = source.dhcpCounters();
        if (dhcp != null) {
            for (DhcpCounter c : DhcpCounter.values()) {
                add(families, CounterSeries.of(c), dhcp.get(c));
            }
        }
        dev.siitdc.linux.LinkStats link = source.tunLinkStats();
        if (link != null) {
            for (TunLinkCounter c : TunLinkCounter.values()) {
                add(families, CounterSeries.of(c), c.of(link));
            }
        }
        List<MetricSnapshot> out = new ArrayList<>();
        out.add(InfoSnapshot.builder().name("siitdc").help("The relay: its role and TUN interface")
                .dataPoint(InfoDataPointSnapshot.builder()
                        .labels(Labels.of("role", source.role(), "tun", source.tunName())).build())
                .build());
        out.add(gauge("siitdc_queues", "Worker threads (TUN queues)", source.queues()));
        long eams = source.eamEntries();
        if (eams >= 0) {
            out.add(gauge("siitdc_eamt_entries", "Entries of the EAM table in force (RFC 7757)", eams));
        }
        String hash = source.eamtHash();
        if (hash != null) {
            out.add(GaugeSnapshot.builder().name("siitdc_eamt_hash")
                    .help("1, labelled with the hash of the EAM table in force (sorted entries: insertion order does not count)")
                    .dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("hash", hash)).value(1).build())
                    .build());
        }
        out.add(gauge("siitdc_drop_logging", "1 while per-packet drop logging is on", source.dropLogging() ? 1 : 0));
        long start = source.startTimeMillis();
        if (start > 0) {
            out.add(gauge("siitdc_start_time_seconds", "When the relay started, in seconds since the Unix epoch",
                    start / 1000.0));
        }
        families.values().forEach(b -> out.add(b.build()));
        return new MetricSnapshots(out);
    }

    private static void add(Map<String, CounterSnapshot.Builder> families, CounterSeries.Series s, long value) {
        CounterSnapshot.Builder b = families.computeIfAbsent(s.family(),
                f -> CounterSnapshot.builder().name(f).help(s.help()));
        b.dataPoint(CounterDataPointSnapshot.builder().labels(labels(s.labels())).value(value).build());
    }

    private static Labels labels(Map<String, String> m) {
        if (m.isEmpty()) {
            return Labels.EMPTY;
        }
        return Labels.of(new ArrayList<>(m.keySet()), new ArrayList<>(m.values()));
    }

    private static GaugeSnapshot gauge(String name, String help, double value) {
        return GaugeSnapshot.builder().name(name).help(help)
                .dataPoint(GaugeDataPointSnapshot.builder().value(value).build()).build();
    }
}
