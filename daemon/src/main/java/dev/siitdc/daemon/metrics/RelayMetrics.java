package dev.siitdc.daemon.metrics;

import dev.siitdc.core.xlat.Counters;
import dev.siitdc.daemon.RelayDaemon;
import dev.siitdc.daemon.RelayConfig;
import dev.siitdc.dataplane.RelayCounters;

/**
 * The metrics of a running {@link RelayDaemon}. The endpoint is started before the relay (so that a port in use
 * stops start-up before the kernel is touched) and {@link #attach attached} to it once it runs; until then
 * every counter reads 0.
 */
public final class RelayMetrics implements MetricsSource {
    private final RelayConfig config;
    private volatile RelayDaemon relay;

    public RelayMetrics(RelayConfig config) {
        this.config = config;
    }

    /** From now on, the counters are {@code relay}'s. */
    public void attach(RelayDaemon relay) {
        this.relay = relay;
    }

    @Override
    public void addCounters(Counters translator, RelayCounters relayCounters) {
        RelayDaemon r = relay;
        if (r != null) {
            r.addCountersTo(translator, relayCounters);
        }
    }

    @Override
    public String role() {
        return config.role().configName();
    }

    @Override
    public String tunName() {
        return config.tunName();
    }

    @Override
    public int queues() {
        RelayDaemon r = relay;
        return r == null ? 0 : r.queues();
    }

    @Override
    public long eamEntries() {
        RelayDaemon r = relay;
        return r == null || r.live() == null ? -1 : r.live().eams().size();
    }

    /** The table last hashed and its hash: a scrape hashes again only after the table changed. */
    private record Hashed(java.util.List<dev.siitdc.core.eam.Eam> eams, String hash) {}

    private volatile Hashed hashed;

    @Override
    public String eamtHash() {
        RelayDaemon r = relay;
        if (r == null || r.live() == null) {
            return null;
        }
        java.util.List<dev.siitdc.core.eam.Eam> eams = r.live().eams();
        Hashed h = hashed;
        if (h == null || h.eams() != eams) {
            h = new Hashed(eams, EamtHash.of(eams));
            hashed = h;
        }
        return h.hash();
    }

    @Override
    public boolean dropLogging() {
        RelayDaemon r = relay;
        return r != null && r.dropLogging();
    }

    @Override
    public dev.siitdc.daemon.dhcp.DhcpCounters dhcpCounters() {
        RelayDaemon r = relay;
        return r == null ? null : r.dhcpCounters();
    }

    @Override
    public long startTimeMillis() {
        RelayDaemon r = relay;
        return r == null ? 0 : r.startTimeMillis();
    }

    @Override
    public dev.siitdc.linux.LinkStats tunLinkStats() {
        RelayDaemon r = relay;
        return r == null ? null : r.tunLinkStats();
    }
}
