package dev.siitdc.core.packet;

/** Layout of the fixed IPv6 header (RFC 8200 s3): field offsets and static accessors over a byte array. */
public final class Ipv6Header {
    /** Version (4 bits), Traffic Class (8 bits), Flow Label (20 bits); then one line per 32-bit word. */
    public static final int VERSION_CLASS_FLOW = 0;
    /** The byte of the Traffic Class's low four bits and the Flow Label's high four (RFC 7915 Figure 3). */
    public static final int CLASS_FLOW = 1;
    public static final int PAYLOAD_LENGTH = 4, NEXT_HEADER = 6, HOP_LIMIT = 7;
    public static final int SOURCE = 8, DESTINATION = 24, LENGTH = 40;

    public static final int VERSION = 6, ADDRESS_LENGTH = 16;
    /** Source and Destination are contiguous; the largest Payload Length. */
    public static final int ADDRESSES_LENGTH = 2 * ADDRESS_LENGTH, MAX_PAYLOAD_LENGTH = 0xffff;

    private Ipv6Header() {}

    public static int version(byte[] b, int ip) { return (b[ip + VERSION_CLASS_FLOW] & 0xff) >>> 4; }

    public static int trafficClass(byte[] b, int ip) {
        return ((b[ip] & 0xf) << 4) | ((b[ip + 1] & 0xff) >>> 4);
    }

    public static int payloadLength(byte[] b, int ip) { return Bytes.u16(b, ip + PAYLOAD_LENGTH); }

    public static int nextHeader(byte[] b, int ip) { return b[ip + NEXT_HEADER] & 0xff; }

    public static int hopLimit(byte[] b, int ip) { return b[ip + HOP_LIMIT] & 0xff; }

    /** Version 6, the Traffic Class, Flow Label 0 (RFC 7915 s4.1). */
    public static void versionClassFlow(byte[] b, int ip, int trafficClass) {
        b[ip] = (byte) ((VERSION << 4) | (trafficClass >>> 4));
        b[ip + 1] = (byte) ((trafficClass & 0xf) << 4);
        b[ip + 2] = 0;
        b[ip + 3] = 0;
    }

    public static void payloadLength(byte[] b, int ip, int length) { Bytes.put16(b, ip + PAYLOAD_LENGTH, length); }

    public static void nextHeader(byte[] b, int ip, int nextHeader) { b[ip + NEXT_HEADER] = (byte) nextHeader; }

    public static void hopLimit(byte[] b, int ip, int hopLimit) { b[ip + HOP_LIMIT] = (byte) hopLimit; }

    /** Copies both addresses (32 bytes: source, destination) from a[at]. */
    public static void addresses(byte[] b, int ip, byte[] a, int at) {
        System.arraycopy(a, at, b, ip + SOURCE, ADDRESSES_LENGTH);
    }

    /** Multicast (ff00::/8), loopback (::1) or unspecified (::): never the destination of an error. */
    public static boolean isNonUnicast(byte[] b, int addr) {
        if (b[addr] == (byte) 0xff) return true;
        for (int i = 0; i < ADDRESS_LENGTH - 1; i++) if (b[addr + i] != 0) return false;
        return (b[addr + ADDRESS_LENGTH - 1] & 0xfe) == 0;
    }

    public static boolean isMulticast(byte[] b, int addr) { return b[addr] == (byte) 0xff; }

    public static boolean isUnspecified(byte[] b, int addr) {
        for (int i = 0; i < ADDRESS_LENGTH; i++) if (b[addr + i] != 0) return false;
        return true;
    }
}
