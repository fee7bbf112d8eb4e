package dev.siitdc.daemon.metrics;

import dev.siitdc.core.xlat.Counters;
import dev.siitdc.dataplane.RelayCounters;

/**
 * What the metrics endpoint reads at each scrape, on the HTTP server's thread: the workers' counters and a
 * few facts about the relay. Nothing is pushed from the packet path; a scrape reads each worker's counters
 * (single writer, opaque reads) as the stats file does.
 */
public interface MetricsSource {
    /** Adds the counters of every worker into {@code translator} and {@code relay} (fresh, all zero). */
    void addCounters(Counters translator, RelayCounters relay);

    /** "border-relay" or "edge-relay". */
    String role();

    /** The TUN interface's name. */
    String tunName();

    /** Worker threads (TUN queues). */
    int queues();

    /** Entries of the EAM table in force now (it changes at run time), or -1 if unknown. */
    default long eamEntries() {
        return -1;
    }

    /** {@link EamtHash} of the EAM table in force now, or null if unknown. */
    default String eamtHash() {
        return null;
    }

    /** Whether per-packet drop logging is on. */
    default boolean dropLogging() {
        return false;
    }

    /** The DHCP server's counters (network-based Edge Relay), or null when none runs. */
    default dev.siitdc.daemon.dhcp.DhcpCounters dhcpCounters() {
        return null;
    }

    /** The kernel's counters of the TUN link, read now (one netlink request), or null when unknown. */
    default dev.siitdc.linux.LinkStats tunLinkStats() {
        return null;
    }

    /** When the relay started, in milliseconds since the epoch, or 0 if unknown. */
    default long startTimeMillis() {
        return 0;
    }
}
