package dev.siitdc.core.packet;

/** Layout of the IPv6 Fragment header (RFC 8200 s4.5). */
public final class Ipv6FragmentHeader {
    /** Fragment Offset (13 bits, in 8-byte units, so the field masked is the offset in bytes), Res, M. */
    public static final int NEXT_HEADER = 0, RESERVED = 1, OFFSET_FLAGS = 2;
    public static final int IDENTIFICATION = 4, LENGTH = 8;
    public static final int OFFSET_MASK = 0xfff8, FLAG_M = 1;

    private Ipv6FragmentHeader() {}

    /** Offset in bytes | M. */
    public static int offsetFlags(byte[] b, int frag) { return Bytes.u16(b, frag + OFFSET_FLAGS); }

    /** The low 16 bits of the Identification (the IPv4 Identification of a translated fragment). */
    public static int identification16(byte[] b, int frag) { return Bytes.u16(b, frag + IDENTIFICATION + 2); }

    /** RFC 7915 s4.1: offset (bytes) and M copied, Identification = the IPv4 one. */
    public static void write(byte[] b, int frag, int nextHeader, int offsetBytes, boolean more, int id) {
        b[frag + NEXT_HEADER] = (byte) nextHeader;
        b[frag + RESERVED] = 0;
        Bytes.put16(b, frag + OFFSET_FLAGS, offsetBytes | (more ? FLAG_M : 0));
        Bytes.put32(b, frag + IDENTIFICATION, id);
    }
}
