package dev.siitdc.core.packet;

/**
 * Layout of the IPv4 header (RFC 791 s3.1): field offsets from the start of the header and static
 * accessors over a byte array, in the style of a codec flyweight (nothing is allocated).
 */
public final class Ipv4Header {
    // the fields, one line per 32-bit word of the RFC 791 s3.1 figure
    public static final int VERSION_IHL = 0, TOS = 1, TOTAL_LENGTH = 2;
    /** Flags (3 bits) and Fragment Offset (13 bits, in 8-byte units). */
    public static final int IDENTIFICATION = 4, FLAGS_FRAGMENT_OFFSET = 6;
    public static final int TTL = 8, PROTOCOL = 9, CHECKSUM = 10;
    public static final int SOURCE = 12, DESTINATION = 16, OPTIONS = 20;

    /** Version 4; IHL 5 (a header without options, also the smallest legal IHL, in bytes) and the first byte of one. */
    public static final int VERSION = 4, MIN_LENGTH = 20, VERSION_IHL_NO_OPTIONS = 0x45;
    /** Total Length is a 16-bit field; Source and Destination are contiguous. */
    public static final int MAX_TOTAL_LENGTH = 0xffff, ADDRESSES_LENGTH = DESTINATION + 4 - SOURCE;
    public static final int FLAG_DF = 0x4000, FLAG_MF = 0x2000, FRAGMENT_OFFSET_MASK = 0x1fff;

    /** Option types (RFC 791 s3.1): End of Option List, No Operation, the two source routes. */
    public static final int OPTION_END = 0, OPTION_NOP = 1, OPTION_LSRR = 131, OPTION_SSRR = 137;
    /**
     * Inside a type-length-value option: the Length and (source routes) Pointer bytes; Type and Length
     * make the smallest option, Type, Length and Pointer the smallest source route.
     */
    public static final int OPTION_LENGTH = 1, OPTION_POINTER = 2, OPTION_MIN_LENGTH = 2, ROUTE_OPTION_MIN_LENGTH = 3;

    private Ipv4Header() {}

    public static int version(byte[] b, int ip) { return (b[ip + VERSION_IHL] & 0xff) >>> 4; }

    /** IHL in bytes. */
    public static int headerLength(byte[] b, int ip) { return (b[ip + VERSION_IHL] & 0xf) << 2; }

    public static int tos(byte[] b, int ip) { return b[ip + TOS] & 0xff; }

    public static int totalLength(byte[] b, int ip) { return Bytes.u16(b, ip + TOTAL_LENGTH); }

    public static int identification(byte[] b, int ip) { return Bytes.u16(b, ip + IDENTIFICATION); }

    public static int flagsFragmentOffset(byte[] b, int ip) { return Bytes.u16(b, ip + FLAGS_FRAGMENT_OFFSET); }

    /** Fragment Offset in bytes. */
    public static int fragmentOffset(byte[] b, int ip) {
        return (flagsFragmentOffset(b, ip) & FRAGMENT_OFFSET_MASK) << 3;
    }

    public static int ttl(byte[] b, int ip) { return b[ip + TTL] & 0xff; }

    public static int protocol(byte[] b, int ip) { return b[ip + PROTOCOL] & 0xff; }

    public static int source(byte[] b, int ip) { return Bytes.i32(b, ip + SOURCE); }

    public static int destination(byte[] b, int ip) { return Bytes.i32(b, ip + DESTINATION); }

    /** Writes a header without options, its checksum last (RFC 791 s3.1). */
    public static void write(byte[] b, int ip, int tos, int totalLength, int id, int flagsFragmentOffset, int ttl,
                             int protocol, int src, int dst) {
        b[ip + VERSION_IHL] = (byte) VERSION_IHL_NO_OPTIONS;
        b[ip + TOS] = (byte) tos;
        Bytes.put16(b, ip + TOTAL_LENGTH, totalLength);
        Bytes.put16(b, ip + IDENTIFICATION, id);
        Bytes.put16(b, ip + FLAGS_FRAGMENT_OFFSET, flagsFragmentOffset);
        b[ip + TTL] = (byte) ttl;
        b[ip + PROTOCOL] = (byte) protocol;
        Bytes.put32(b, ip + SOURCE, src);
        Bytes.put32(b, ip + DESTINATION, dst);
        updateChecksum(b, ip);
    }

    /** Recomputes the checksum of a header without options. */
    public static void updateChecksum(byte[] b, int ip) {
        Bytes.put16(b, ip + CHECKSUM, Checksum.ipv4Header(b, ip, MIN_LENGTH));
    }
}
