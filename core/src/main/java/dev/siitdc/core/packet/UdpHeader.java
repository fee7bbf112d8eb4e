package dev.siitdc.core.packet;

/** Layout of the UDP header (RFC 768). */
public final class UdpHeader {
    private UdpHeader() {}

    public static final int LENGTH = 8;

    public static final int SOURCE_PORT = 0;
    public static final int DESTINATION_PORT = 2;
    public static final int LENGTH_FIELD = 4;
    public static final int CHECKSUM = 6;
}
