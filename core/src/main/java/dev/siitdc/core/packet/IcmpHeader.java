package dev.siitdc.core.packet;

/**
 * Layout of the ICMPv4 (RFC 792) and ICMPv6 (RFC 4443 s2.1) header: Type, Code, Checksum and a
 * 32-bit rest of header whose meaning depends on the type; the types the translator names.
 */
public final class IcmpHeader {
    public static final int TYPE = 0, CODE = 1, CHECKSUM = 2;
    /** The 32-bit rest of the header, whose meaning depends on the type. */
    public static final int REST = 4, LENGTH = 8;
    /**
     * In the rest of the header: the ICMPv4 Parameter Problem pointer (RFC 792) and Fragmentation
     * Needed Next-Hop MTU (RFC 1191 s4); the RFC 4884 s4.1 Length attribute, ICMPv4 byte 5 (32-bit
     * words), ICMPv6 byte 4 (64-bit words). The ICMPv6 pointer and MTU are the whole 32-bit REST.
     */
    public static final int POINTER4 = 4, MTU4 = 6, LENGTH4 = 5, LENGTH6 = 4;

    /** ICMPv4 types (RFC 792). */
    public static final int ECHO_REPLY4 = 0, DEST_UNREACHABLE4 = 3, SOURCE_QUENCH4 = 4, REDIRECT4 = 5,
            ECHO_REQUEST4 = 8, TIME_EXCEEDED4 = 11, PARAMETER_PROBLEM4 = 12;
    /** ICMPv4 Destination Unreachable codes (RFC 792, RFC 1122 s3.2.2.1, RFC 1812 s5.2.7.1). */
    public static final int NET_UNREACHABLE4 = 0, HOST_UNREACHABLE4 = 1, PROTOCOL_UNREACHABLE4 = 2,
            PORT_UNREACHABLE4 = 3, FRAGMENTATION_NEEDED4 = 4, SOURCE_ROUTE_FAILED4 = 5, NET_UNKNOWN4 = 6,
            HOST_UNKNOWN4 = 7, HOST_ISOLATED4 = 8, NET_ADMIN_PROHIBITED4 = 9, HOST_ADMIN_PROHIBITED4 = 10,
            NET_UNREACHABLE_FOR_TOS4 = 11, HOST_UNREACHABLE_FOR_TOS4 = 12, ADMIN_PROHIBITED4 = 13,
            HOST_PRECEDENCE_VIOLATION4 = 14, PRECEDENCE_CUTOFF4 = 15;
    /** ICMPv4 Parameter Problem codes (RFC 792, RFC 1812 s5.2.7.3). */
    public static final int POINTER_INDICATES_ERROR4 = 0, BAD_LENGTH4 = 2;

    /** ICMPv6 types (RFC 4443). */
    public static final int DEST_UNREACHABLE6 = 1, PACKET_TOO_BIG6 = 2, TIME_EXCEEDED6 = 3, PARAMETER_PROBLEM6 = 4;
    public static final int ECHO_REQUEST6 = 128, ECHO_REPLY6 = 129;
    /** The first ICMPv6 informational type: below it, every type is an error (RFC 4443 s2.1). */
    public static final int FIRST_INFORMATIONAL6 = 128;
    /** ICMPv6 Destination Unreachable codes; Parameter Problem codes. */
    public static final int NO_ROUTE6 = 0, ADMIN_PROHIBITED6 = 1, BEYOND_SCOPE6 = 2, ADDRESS_UNREACHABLE6 = 3,
            PORT_UNREACHABLE6 = 4, SOURCE_POLICY_FAILED6 = 5;
    public static final int ERRONEOUS_HEADER6 = 0, UNRECOGNIZED_NEXT_HEADER6 = 1, UNRECOGNIZED_OPTION6 = 2;
    /** Time Exceeded codes, the same in both versions: hop limit / TTL, fragment reassembly. */
    public static final int HOP_LIMIT_EXCEEDED = 0, REASSEMBLY_TIME_EXCEEDED = 1;

    private IcmpHeader() {}

    public static int type(byte[] b, int icmp) { return b[icmp + TYPE] & 0xff; }

    public static int code(byte[] b, int icmp) { return b[icmp + CODE] & 0xff; }

    /** Type and Code as one 16-bit word (what a checksum update sees). */
    public static int typeCode(byte[] b, int icmp) { return Bytes.u16(b, icmp + TYPE); }

    public static void typeCode(byte[] b, int icmp, int typeCode) { Bytes.put16(b, icmp + TYPE, typeCode); }

    public static int checksum(byte[] b, int icmp) { return Bytes.u16(b, icmp + CHECKSUM); }

    public static void checksum(byte[] b, int icmp, int checksum) { Bytes.put16(b, icmp + CHECKSUM, checksum); }

    /** Type, Code, a zero checksum and the rest of the header. */
    public static void write(byte[] b, int icmp, int type, int code, int rest) {
        b[icmp + TYPE] = (byte) type;
        b[icmp + CODE] = (byte) code;
        Bytes.put16(b, icmp + CHECKSUM, 0);
        Bytes.put32(b, icmp + REST, rest);
    }
}
