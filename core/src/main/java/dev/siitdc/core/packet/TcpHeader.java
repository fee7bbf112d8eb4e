package dev.siitdc.core.packet;

/** Layout of the TCP header (RFC 9293 s3.1). */
public final class TcpHeader {
    // one line per 32-bit word of the RFC 9293 s3.1 figure
    public static final int SOURCE_PORT = 0, DESTINATION_PORT = 2;
    public static final int SEQUENCE = 4;
    public static final int ACKNOWLEDGMENT = 8;
    /** Data Offset (4 bits, in 32-bit words) and reserved bits, the control bits, the window. */
    public static final int DATA_OFFSET = 12, FLAGS = 13, WINDOW = 14;
    /** The checksum field lies within the first CHECKSUM_END bytes. */
    public static final int CHECKSUM = 16, URGENT_POINTER = 18, MIN_LENGTH = 20, CHECKSUM_END = CHECKSUM + 2;

    public static final int FIN = 0x01, SYN = 0x02, RST = 0x04, ACK = 0x10;

    private TcpHeader() {}

    /** Data Offset in bytes. */
    public static int dataOffset(byte[] b, int tcp) { return (b[tcp + DATA_OFFSET] & 0xf0) >>> 2; }

    public static void dataOffset(byte[] b, int tcp, int bytes) { b[tcp + DATA_OFFSET] = (byte) (bytes << 2); }
}
