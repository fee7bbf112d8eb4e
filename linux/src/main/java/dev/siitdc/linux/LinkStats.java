package dev.siitdc.linux;

/**
 * An interface's packet counters as the kernel keeps them (IFLA_STATS64, {@code struct rtnl_link_stats64};
 * what {@code ip -s link show} prints), from the interface's point of view: {@code rx} is what the
 * interface received (for a TUN: what its reader wrote into the kernel), {@code tx} what it sent (for a
 * TUN: what the kernel queued for its reader). For a TUN, {@code txDropped} counts the packets the kernel
 * dropped because the reader's queue (txqueuelen packets) was full, {@code rxDropped} the packets written
 * to it that the kernel refused (not an IP packet...).
 */
public record LinkStats(long rxPackets, long txPackets, long rxBytes, long txBytes, long rxErrors, long txErrors,
        long rxDropped, long txDropped) {
    /** The size of the fields read from {@code struct rtnl_link_stats64} (its first eight u64). */
    static final int SIZE = 8 * 8;
}
