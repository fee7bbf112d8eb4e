package dev.siitdc.dataplane.fastpath;

/**
 * The per-CPU counters of the BPF program, in the order of {@code enum siit_counter} in
 * siitdc_fastpath.bpf.c. The {@code PUNT_} ones count packets left unchanged for the TUN path.
 */
public enum FastPathCounter {
    TRANSLATED46, TRANSLATED64,
    PUNT_NOT_IP, PUNT_NO_SETTINGS, PUNT_BAD_HEADER, PUNT_OPTIONS, PUNT_FRAGMENT, PUNT_TTL, PUNT_PROTOCOL,
    PUNT_ICMP_TYPE, PUNT_UDP_ZERO, PUNT_TRUNCATED, PUNT_ADDRESS, PUNT_OWN, PUNT_HAIRPIN, PUNT_MTU,
    PUNT_EXT_HEADER, PUNT_CHECKSUM_EDGE, PUNT_GSO, PUNT_HELPER, PUNT_FILTER,
    REDIRECTED, FIB_MISS, ERROR_AFTER_CHANGE;

    public boolean isPunt() { return name().startsWith("PUNT_"); }

    /** The name in metrics and {@code stats}: lower case, dashes. */
    public String metricName() { return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'); }
}
