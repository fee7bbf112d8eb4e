package dev.siitdc.dataplane.fastpath;

import dev.siitdc.dataplane.ServiceAddress;

import java.util.List;

/**
 * The RFC 7756 s6 filters the fast path enforces, as {@link dev.siitdc.dataplane.RelayFilter} does on the
 * TUN path: it punts what that filter drops, so the packet meets the filter there.
 *
 * @param edge an Edge Relay: an IPv4 source must be covered by an EAM, an IPv6 source must not be (or
 *             map to) a local Service Address
 * @param networkBased a network-based Edge Relay (s3.2): an IPv4 source must be a local Service Address
 */
public record FastPathFilter(boolean edge, boolean networkBased, List<ServiceAddress> serviceAddresses) {
    /** The Border Relay: no filter. */
    public static final FastPathFilter NONE = new FastPathFilter(false, false, List.of());

    public FastPathFilter {
        serviceAddresses = List.copyOf(serviceAddresses);
        if (edge && serviceAddresses.isEmpty())
            throw new IllegalArgumentException("an edge relay needs at least one service address");
    }
}
