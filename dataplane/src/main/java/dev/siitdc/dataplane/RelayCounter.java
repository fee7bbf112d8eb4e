package dev.siitdc.dataplane;

/**
 * The counters the relay keeps around the translator (whose own counters are
 * {@link dev.siitdc.core.xlat.Counter}). The names are what an operator sees in the stats file and
 * at exit.
 */
public enum RelayCounter implements NamedCounter {
    // --- TUN traffic ---
    TUN_READ("tun-packets-read", "packets read from the TUN (sent into it by the kernel)"),
    TUN_WRITTEN("tun-packets-written", "packets written to the TUN (translations and ICMP errors)"),
    DROP_TUN_WRITE_BLOCKED("drop-tun-write-would-block", "emitted packet the TUN could not take (EAGAIN)"),
    DROP_TUN_WRITE_ERROR("drop-tun-write-error", "emitted packet the kernel refused (a write error other than EAGAIN)"),
    DROP_INTERNAL_ERROR("drop-internal-error", "packet whose translation threw an exception (a bug; reported on stderr)"),

    // --- offload (IFF_VNET_HDR: [relay] offload = true) ---
    GSO_READ("gso-packets-read", "GSO super-packet read from the TUN (TSO/USO: several segments, translated once)"),
    GSO_WRITTEN("gso-packets-written", "GSO super-packet written to the TUN (the kernel segments it after translation)"),
    GSO_SEGMENTED("gso-packets-segmented", "IPv4 GSO super-packet with DF=0 the relay segmented itself, each segment translated"
            + " alone, because its translated UDP datagrams exceed min(lowest-ipv6-mtu, ipv6-mtu) or atomic-fragments is on (RFC 7915 s4)"),
    DROP_BAD_VNET_HEADER("drop-bad-vnet-header",
            "packet whose virtio_net_hdr the relay cannot honour (a partial checksum outside the packet, or"
            + " on a GSO packet whose checksum is not TCP/UDP right after the IP headers)"),

    // --- the kernel's own traffic on the TUN (it has an IPv6 link-local address) ---
    IGNORED6_LINK_LOCAL_DST("ignored-ipv6-link-local-destination",
            "IPv6 packet to a link-local destination (fe80::/10), not translated"),
    IGNORED6_MULTICAST_DST("ignored-ipv6-multicast-destination",
            "IPv6 packet to a multicast destination (router solicitations, MLD, neighbour discovery), not translated"),

    // --- RFC 7756 s6, Edge Relay only ---
    ER_DROP4_SOURCE_WITHOUT_EAM("er-drop-ipv4-source-without-eam",
            "IPv4 packet whose source no EAM covers (RFC 7756 s6 ingress filtering, RFC 2827)"),
    ER_DROP4_SOURCE_NOT_SERVICE_ADDRESS("er-drop-ipv4-source-not-service-address",
            "IPv4 packet from the segment of a network-based Edge Relay whose source is not one of its Service"
            + " Addresses (RFC 7756 s6 ingress filtering, RFC 2827)"),
    ER_DROP6_SOURCE_IS_LOCAL("er-drop-ipv6-source-is-local-service-address",
            "IPv6 packet whose source is one of the local IPv6 Service Addresses (RFC 7756 s6)"),
    ER_DROP6_SOURCE_MAPS_TO_LOCAL("er-drop-ipv6-source-maps-to-local-service-address",
            "IPv6 packet whose source translates to one of the local IPv4 Service Addresses (RFC 7756 s6)");

    private final Label label;

    RelayCounter(String operatorName, String description) {
        label = new Label(operatorName, description);
    }

    @Override
    public Label label() { return label; }
}
