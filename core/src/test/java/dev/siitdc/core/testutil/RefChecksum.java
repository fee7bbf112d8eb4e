package dev.siitdc.core.testutil;

/**
 * Reference Internet checksum (RFC 1071), computed from scratch over whole packets: deliberately
 * independent of {@code dev.siitdc.core.packet.Checksum}.
 *
 * <p>The <em>residual</em> of a packet is the folded one's complement sum of its pseudo-header and
 * upper-layer bytes, checksum field included: 0xffff when the checksum is right. A translator that
 * updates checksums incrementally (RFC 1624) keeps the residual of a wrong checksum unchanged, which is
 * what "equivalently wrong" means.
 */
public final class RefChecksum {
    private RefChecksum() {}

    public static long sum(byte[] b, int off, int len) {
        long s = 0;
        int i = off, end = off + len;
        for (; i + 1 < end; i += 2) s += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
        if (i < end) s += (b[i] & 0xff) << 8;
        return s;
    }

    public static int fold(long s) {
        while ((s >>> 16) != 0) s = (s & 0xffff) + (s >>> 16);
        return (int) s;
    }

    /** The checksum field value for data summing to {@code s} with the field at zero. */
    public static int checksumOf(long s) { return ~fold(s) & 0xffff; }

    /** One's complement addition of two 16-bit values. */
    public static int onesAdd(int a, int b) { return fold((a & 0xffff) + (long) (b & 0xffff)); }

    public static long pseudo4(byte[] src, byte[] dst, int proto, int len) {
        return sum(src, 0, 4) + sum(dst, 0, 4) + proto + len;
    }

    public static long pseudo6(byte[] src, byte[] dst, int nextHeader, long len) {
        return sum(src, 0, 16) + sum(dst, 0, 16) + (len >>> 16) + (len & 0xffff) + nextHeader;
    }

    /** IPv4 header checksum check (over IHL * 4 bytes). */
    public static boolean ipv4HeaderValid(byte[] p) {
        return fold(sum(p, 0, (p[0] & 0xf) * 4)) == 0xffff;
    }

    /**
     * Residual of the transport checksum of an unfragmented (or atomic-fragment) packet, over the
     * upper-layer length its IP header announces: 0xffff means valid.
     */
    public static int l4Residual(byte[] p) {
        PacketView v = PacketView.of(p);
        if (v.l4Length != v.l4DeclaredLength)
            throw new IllegalArgumentException("upper layer truncated: " + v.l4Length + " of " + v.l4DeclaredLength);
        long s = sum(p, v.l4Offset, v.l4Length) + pseudo(v, p);
        return fold(s);
    }

    public static boolean l4Valid(byte[] p) { return l4Residual(p) == 0xffff; }

    /** The checksum value that would make the packet's transport checksum valid. */
    public static int correctL4Checksum(byte[] p) {
        PacketView v = PacketView.of(p);
        int at = v.l4Offset + (v.protocol == Pkt.TCP ? 16 : v.protocol == Pkt.UDP ? 6 : 2);
        long s = sum(p, v.l4Offset, v.l4Length) + pseudo(v, p) - (((p[at] & 0xff) << 8) | (p[at + 1] & 0xff));
        int c = checksumOf(s);
        return v.protocol == Pkt.UDP && c == 0 ? 0xffff : c;
    }

    private static long pseudo(PacketView v, byte[] p) {
        if (v.version == 4) {
            if (v.protocol == Pkt.ICMP) return 0;
            return sum(p, 12, 8) + v.protocol + v.l4Length;
        }
        return sum(p, 8, 32) + (v.l4Length >>> 16) + (v.l4Length & 0xffff) + v.protocol;
    }

    /** RFC 4884 s7 extension structure checksum check. */
    public static boolean extensionValid(byte[] structure) {
        return fold(sum(structure, 0, structure.length)) == 0xffff;
    }
}
