package dev.siitdc.core.xlat;

import dev.siitdc.core.packet.Ipv4Header;
import dev.siitdc.core.packet.Ipv6FragmentHeader;
import dev.siitdc.core.packet.Ipv6Header;

/** MTU arithmetic of RFC 7915 s4.2 / s5.2 and RFC 1191 plateaus, as fixed by docs/config-reference.md. */
public final class Mtu {
    public static final int IPV6_MIN_MTU = 1280;
    public static final int IPV4_MIN_ERROR_MTU = 576;

    /** An IPv4 packet grows by this much in IPv6 (RFC 7915 s4: 40-byte header for a 20-byte one). */
    static final int GROWTH = Ipv6Header.LENGTH - Ipv4Header.MIN_LENGTH;
    /** ... and by this much with a Fragment header. */
    static final int GROWTH_FRAGMENT = GROWTH + Ipv6FragmentHeader.LENGTH;

    private Mtu() {}

    /**
     * Fragmentation Needed -> Packet Too Big (RFC 7915 s4.2): max(1280, min(FN + 20, ipv6-mtu,
     * ipv4-mtu + 20)). FN = 0 (a pre-RFC 1191 router): the greatest plateau below the Total Length
     * of the packet in error (RFC 1191 s5).
     *
     * @param plateausDesc plateaus sorted from greatest to smallest
     */
    public static int packetTooBigMtu(int fragNeededMtu, int innerTotalLength, int ipv4Mtu, int ipv6Mtu,
                                      int[] plateausDesc) {
        long mtu = fragNeededMtu;
        if (mtu == 0) {
            for (int p : plateausDesc) {
                if (p < innerTotalLength) {
                    mtu = p;
                    break;
                }
            }
        }
        long r = Math.min(mtu + GROWTH, Math.min(ipv6Mtu, ipv4Mtu + (long) GROWTH));
        return (int) Math.max(IPV6_MIN_MTU, r);
    }

    /**
     * Packet Too Big -> Fragmentation Needed (RFC 7915 s5.2): min(PTB - 20, ipv4-mtu, ipv6-mtu - 20),
     * within the 16-bit field, for a packet in error without a Fragment header.
     */
    public static int fragmentationNeededMtu(long packetTooBigMtu, int ipv4Mtu, int ipv6Mtu) {
        return fragmentationNeededMtu(packetTooBigMtu, ipv4Mtu, ipv6Mtu, false);
    }

    /**
     * Packet Too Big -> Fragmentation Needed (RFC 7915 s5.2), "taking into account whether or not the
     * packet in error includes a Fragment Header": the IPv6 form of an IPv4 packet is 20 bytes longer,
     * 28 with a Fragment header, so min(PTB - d, ipv4-mtu, ipv6-mtu - d) with d = 20 or 28.
     */
    public static int fragmentationNeededMtu(long packetTooBigMtu, int ipv4Mtu, int ipv6Mtu, boolean fragmentHeader) {
        int d = fragmentHeader ? GROWTH_FRAGMENT : GROWTH;
        long r = Math.min(packetTooBigMtu - d, Math.min(ipv4Mtu, ipv6Mtu - (long) d));
        return (int) Math.max(0, Math.min(Ipv4Header.MAX_TOTAL_LENGTH, r));
    }

    /** MTU advertised in the Fragmentation Needed the translator originates for a DF packet (RFC 7915 s4). */
    public static int ownFragmentationNeededMtu(int ipv6Mtu) {
        return Math.max(IPV4_MIN_ERROR_MTU, Math.min(Ipv4Header.MAX_TOTAL_LENGTH, ipv6Mtu - GROWTH));
    }

    /**
     * MTU advertised to the IPv6 sender of a hairpinned DF packet too big for ipv6-mtu (RFC 7757 s4.2):
     * the largest packet of the sender's that fits once its {@code senderHeaders} bytes of IPv6 and
     * extension headers became a plain 40-byte IPv6 header; never below 1280.
     */
    public static int hairpinPacketTooBigMtu(int ipv6Mtu, int senderHeaders) {
        return Math.max(IPV6_MIN_MTU, ipv6Mtu - Ipv6Header.LENGTH + senderHeaders);
    }

    /** MTU advertised in the Packet Too Big the translator originates (RFC 7915 s5; never < 1280). */
    public static int ownPacketTooBigMtu(int ipv4Mtu) {
        return Math.max(IPV6_MIN_MTU, ipv4Mtu + GROWTH);
    }
}
