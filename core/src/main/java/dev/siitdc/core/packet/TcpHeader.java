package dev.siitdc.core.packet;

/** Layout of the TCP header (RFC 9293 s3.1). */
public final class TcpHeader {
    private TcpHeader() {}

    public static final int MIN_LENGTH = 20;

    public static final int SOURCE_PORT = 0;
    public static final int DESTINATION_PORT = 2;
    public static final int SEQUENCE = 4;
    public static final int ACKNOWLEDGMENT = 8;
    /** Data Offset (4 bits, in 32-bit words), reserved bits. */
    public static final int DATA_OFFSET = 12;
    public static final int FLAGS = 13;
    public static final int WINDOW = 14;
    public static final int CHECKSUM = 16;
    public static final int URGENT_POINTER = 18;
    /** The checksum field lies within the first this many bytes. */
    public static final int CHECKSUM_END = CHECKSUM + 2;

    public static final int FIN = 0x01, SYN = 0x02, RST = 0x04, ACK = 0x10;

    /** Data Offset in bytes. */
    public static int dataOffset(byte[] b, int tcp) { return (b[tcp + DATA_OFFSET] & 0xf0) >>> 2; }

    public static void dataOffset(byte[] b, int tcp, int bytes) { b[tcp + DATA_OFFSET] = (byte) (bytes << 2); }
}
