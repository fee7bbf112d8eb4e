package dev.siitdc.core.xlat;

/** MTU arithmetic of RFC 7915 s4.2 / s5.2 and RFC 1191 plateaus, as fixed by spec/config.md. */
public final class Mtu {
    public static final int IPV6_MIN_MTU = 1280;
    public static final int IPV4_MIN_ERROR_MTU = 576;

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
        long r = Math.min(mtu + 20, Math.min(ipv6Mtu, ipv4Mtu + 20L));
        return (int) Math.max(IPV6_MIN_MTU, r);
    }

    /**
     * Packet Too Big -> Fragmentation Needed (RFC 7915 s5.2): min(PTB - 20, ipv4-mtu, ipv6-mtu - 20),
     * within the 16-bit field.
     */
    public static int fragmentationNeededMtu(long packetTooBigMtu, int ipv4Mtu, int ipv6Mtu) {
        long r = Math.min(packetTooBigMtu - 20, Math.min(ipv4Mtu, ipv6Mtu - 20L));
        return (int) Math.max(0, Math.min(0xffff, r));
    }

    /** MTU advertised in the Fragmentation Needed the translator originates for a DF packet (RFC 7915 s4). */
    public static int ownFragmentationNeededMtu(int ipv6Mtu) {
        return Math.max(IPV4_MIN_ERROR_MTU, Math.min(0xffff, ipv6Mtu - 20));
    }

    /** MTU advertised in the Packet Too Big the translator originates (RFC 7915 s5; never < 1280). */
    public static int ownPacketTooBigMtu(int ipv4Mtu) {
        return Math.max(IPV6_MIN_MTU, ipv4Mtu + 20);
    }
}
