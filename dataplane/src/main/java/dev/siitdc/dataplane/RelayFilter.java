package dev.siitdc.dataplane;


import dev.siitdc.core.addr.Ipv4Prefix;
import dev.siitdc.core.addr.Ipv6Prefix;
import dev.siitdc.core.addr.Pool6;
import dev.siitdc.core.xlat.Settings;
import java.util.Arrays;
import java.util.List;

/**
 * What the relay does with a packet read from the TUN before the translator sees it. Pure and
 * allocation-free; thread-safe (immutable).
 *
 * <p>Both roles: IPv6 packets to link-local (fe80::/10) or multicast (ff00::/8) destinations are the
 * kernel's own traffic on the TUN (router solicitations, MLD reports, neighbour discovery: the TUN has
 * a link-local address). They are not the translator's business and are ignored quietly, counted.
 *
 * <p>Edge Relay (RFC 7756 s6):
 * <ul>
 *   <li>an IPv4 packet whose source no EAM covers is dropped (the s6 ingress filtering, RFC 2827):
 *       translated with pool6, it would leave the Border Relay with a spoofed IPv4 source. The EAMs
 *       include the local Service Addresses' own, so the applications' traffic passes. A network-based
 *       Edge Relay (s3.2) is stricter: the source must be one of its Service Addresses;</li>
 *   <li>an IPv6 packet whose source is one of the local IPv6 Service Addresses, or whose source
 *       translates (EAM first, then pool6, as the translator would) to one of the local IPv4 Service
 *       Addresses, is dropped: the application would take it for a packet from itself.</li>
 * </ul>
 * Packets too short to hold the addresses pass: the translator drops and counts them as truncated.
 */
public final class RelayFilter {
    private final boolean edge;
    /** Network-based Edge Relay: IPv4 sources must be local Service Addresses, not just EAM-covered. */
    private final boolean network;
    /** Local IPv4 Service Addresses, sorted (signed order, for binarySearch). */
    private final int[] local4;
    /** Local IPv6 Service Addresses as hi/lo pairs, sorted by (hi, lo) in signed order. */
    private final long[] local6;

    private RelayFilter(boolean edge, boolean network, List<ServiceAddress> sas) {
        this.edge = edge;
        this.network = network;
        this.local4 = sas.stream().mapToInt(ServiceAddress::ipv4).sorted().toArray();
        long[][] pairs = sas.stream().map(s -> new long[] {s.ipv6().hi(), s.ipv6().lo()})
                .sorted(RelayFilter::compare).toArray(long[][]::new);
        this.local6 = new long[2 * pairs.length];
        for (int i = 0; i < pairs.length; i++) {
            local6[2 * i] = pairs[i][0];
            local6[2 * i + 1] = pairs[i][1];
        }
    }

    /** The Border Relay's filter: only the kernel's link-local and multicast IPv6 traffic is ignored. */
    public static RelayFilter borderRelay() {
        return new RelayFilter(false, false, List.of());
    }

    /** The Edge Relay's filter for its Service Addresses (at least one). */
    public static RelayFilter edgeRelay(List<ServiceAddress> serviceAddresses) {
        if (serviceAddresses.isEmpty()) {
            throw new IllegalArgumentException("an edge relay needs at least one service address");
        }
        return new RelayFilter(true, false, serviceAddresses);
    }

    /**
     * The network-based Edge Relay's filter (RFC 7756 s3.2): as {@link #edgeRelay}, but an IPv4 packet
     * is translated only if its source is one of the Service Addresses. The segment's nodes could send
     * any source; an EAM covering it (another ER's Service Address, say) does not make it theirs.
     */
    public static RelayFilter networkEdgeRelay(List<ServiceAddress> serviceAddresses) {
        if (serviceAddresses.isEmpty()) {
            throw new IllegalArgumentException("an edge relay needs at least one service address");
        }
        return new RelayFilter(true, true, serviceAddresses);
    }

    /** The filter of a relay in {@code role}, network-based (RFC 7756 s3.2) or not. */
    public static RelayFilter of(Role role, boolean networkBased, List<ServiceAddress> serviceAddresses) {
        return networkBased ? networkEdgeRelay(serviceAddresses) : of(role, serviceAddresses);
    }

    /** The filter for {@code role}; the service addresses are ignored for a border relay. */
    public static RelayFilter of(Role role, List<ServiceAddress> serviceAddresses) {
        return role == Role.EDGE_RELAY ? edgeRelay(serviceAddresses) : borderRelay();
    }

    /**
     * The verdict on the packet {@code b[off, off+len)} read from the TUN.
     *
     * @param s the translator's current settings (the EAMT and pool6 the Edge Relay checks use)
     * @return null to hand the packet to the translator, or the counter of the reason it is not
     */
    public RelayCounter check(byte[] b, int off, int len, Settings s) {
        if (len < 1) {
            return null;
        }
        int version = (b[off] & 0xff) >>> 4;
        if (version == 6) {
            if (len < 40) {
                return null;
            }
            int dst = off + 24;
            if (b[dst] == (byte) 0xff) {
                return RelayCounter.IGNORED6_MULTICAST_DST;
            }
            if (b[dst] == (byte) 0xfe && (b[dst + 1] & 0xc0) == 0x80) {
                return RelayCounter.IGNORED6_LINK_LOCAL_DST;
            }
            return edge ? check6(b, off + 8, s) : null;
        }
        if (version == 4 && edge && len >= 20) {
            int src = Ipv4Prefix.read(b, off + 12);
            if (network) {
                return Arrays.binarySearch(local4, src) >= 0 ? null : RelayCounter.ER_DROP4_SOURCE_NOT_SERVICE_ADDRESS;
            }
            if (!s.eamTable().covers4(src)) {
                return RelayCounter.ER_DROP4_SOURCE_WITHOUT_EAM;
            }
        }
        return null;
    }

    private RelayCounter check6(byte[] b, int src, Settings s) {
        long hi = Ipv6Prefix.readHi(b, src), lo = Ipv6Prefix.readLo(b, src);
        if (isLocal6(hi, lo)) {
            return RelayCounter.ER_DROP6_SOURCE_IS_LOCAL;
        }
        long v4 = s.eamTable().translate6to4(hi, lo);
        if (v4 < 0) {
            Pool6 pool6 = s.pool6();
            if (pool6 == null || !pool6.matches(hi, lo)) {
                return null;    // untranslatable: the translator refuses it (RFC 7915 s5.1)
            }
            v4 = pool6.extract(hi, lo);
        }
        return Arrays.binarySearch(local4, (int) v4) >= 0 ? RelayCounter.ER_DROP6_SOURCE_MAPS_TO_LOCAL : null;
    }

    private boolean isLocal6(long hi, long lo) {
        int a = 0, z = local6.length / 2 - 1;
        while (a <= z) {
            int m = (a + z) >>> 1;
            long mh = local6[2 * m], ml = local6[2 * m + 1];
            int c = mh != hi ? Long.compare(mh, hi) : Long.compare(ml, lo);
            if (c == 0) {
                return true;
            }
            if (c < 0) {
                a = m + 1;
            } else {
                z = m - 1;
            }
        }
        return false;
    }

    private static int compare(long[] x, long[] y) {
        return x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]);
    }

    /** Whether this is an Edge Relay's filter. */
    public boolean edgeRelay() {
        return edge;
    }
}
