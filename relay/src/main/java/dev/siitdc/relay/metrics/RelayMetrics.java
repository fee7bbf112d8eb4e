package dev.siitdc.relay.metrics;

import dev.siitdc.core.xlat.Counters;
import dev.siitdc.relay.Relay;
import dev.siitdc.relay.RelayConfig;
import dev.siitdc.relay.RelayCounters;

/**
 * The metrics of a running {@link Relay}. The endpoint is started before the relay (so that a port in use
 * stops start-up before the kernel is touched) and {@link #attach attached} to it once it runs; until then
 * every counter reads 0.
 */
public final class RelayMetrics implements MetricsSource {
    private final RelayConfig config;
    private volatile Relay relay;

    public RelayMetrics(RelayConfig config) {
        this.config = config;
    }

    /** From now on, the counters are {@code relay}'s. */
    public void attach(Relay relay) {
        this.relay = relay;
    }

    @Override
    public void addCounters(Counters translator, RelayCounters relayCounters) {
        Relay r = relay;
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
        Relay r = relay;
        return r == null ? 0 : r.queues();
    }

    @Override
    public long eamEntries() {
        Relay r = relay;
        return r == null || r.live() == null ? -1 : r.live().eams().size();
    }

    @Override
    public boolean dropLogging() {
        Relay r = relay;
        return r != null && r.dropLogging();
    }

    @Override
    public dev.siitdc.relay.dhcp.DhcpCounters dhcpCounters() {
        Relay r = relay;
        return r == null ? null : r.dhcpCounters();
    }

    @Override
    public long startTimeMillis() {
        Relay r = relay;
        return r == null ? 0 : r.startTimeMillis();
    }

    @Override
    public dev.siitdc.linux.LinkStats tunLinkStats() {
        Relay r = relay;
        return r == null ? null : r.tunLinkStats();
    }
}
