package dev.siitdc.core.packet;

/** Layout of the UDP header (RFC 768). */
public final class UdpHeader {
    public static final int SOURCE_PORT = 0, DESTINATION_PORT = 2;
    public static final int LENGTH_FIELD = 4, CHECKSUM = 6, LENGTH = 8;

    private UdpHeader() {}
}
