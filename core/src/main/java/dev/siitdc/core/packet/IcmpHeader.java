package dev.siitdc.core.packet;

/**
 * Layout of the ICMPv4 (RFC 792) and ICMPv6 (RFC 4443 s2.1) header: Type, Code, Checksum and a
 * 32-bit rest of header whose meaning depends on the type; the types the translator names.
 */
public final class IcmpHeader {
    private IcmpHeader() {}

    public static final int LENGTH = 8;

    public static final int TYPE = 0;
    public static final int CODE = 1;
    public static final int CHECKSUM = 2;
    public static final int REST = 4;
    /** ICMPv4 Parameter Problem pointer (RFC 792); ICMPv6 Parameter Problem pointer is the 32-bit REST. */
    public static final int POINTER4 = 4;
    /** ICMPv4 Fragmentation Needed Next-Hop MTU (RFC 1191 s4); ICMPv6 Packet Too Big MTU is the 32-bit REST. */
    public static final int MTU4 = 6;
    /** RFC 4884 s4.1 Length attribute: ICMPv4 byte 5 (32-bit words), ICMPv6 byte 4 (64-bit words). */
    public static final int LENGTH4 = 5;
    public static final int LENGTH6 = 4;

    // ICMPv4 types (RFC 792)
    public static final int ECHO_REPLY4 = 0;
    public static final int DEST_UNREACHABLE4 = 3;
    public static final int ECHO_REQUEST4 = 8;
    public static final int TIME_EXCEEDED4 = 11;
    public static final int PARAMETER_PROBLEM4 = 12;
    // ICMPv4 Destination Unreachable codes
    public static final int PROTOCOL_UNREACHABLE4 = 2;
    public static final int PORT_UNREACHABLE4 = 3;
    public static final int FRAGMENTATION_NEEDED4 = 4;
    public static final int SOURCE_ROUTE_FAILED4 = 5;
    public static final int ADMIN_PROHIBITED4 = 13;

    // ICMPv6 types (RFC 4443)
    public static final int DEST_UNREACHABLE6 = 1;
    public static final int PACKET_TOO_BIG6 = 2;
    public static final int TIME_EXCEEDED6 = 3;
    public static final int PARAMETER_PROBLEM6 = 4;
    public static final int ECHO_REQUEST6 = 128;
    public static final int ECHO_REPLY6 = 129;
    // ICMPv6 Destination Unreachable codes
    public static final int ADMIN_PROHIBITED6 = 1;
    public static final int PORT_UNREACHABLE6 = 4;
    public static final int SOURCE_POLICY_FAILED6 = 5;
    // ICMPv6 Parameter Problem codes
    public static final int ERRONEOUS_HEADER6 = 0;
    public static final int UNRECOGNIZED_NEXT_HEADER6 = 1;

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
