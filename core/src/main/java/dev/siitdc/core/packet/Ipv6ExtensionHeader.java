package dev.siitdc.core.packet;

/**
 * Layout common to Hop-by-Hop, Routing and Destination Options (RFC 8200 s4.3-s4.6): Next Header,
 * Hdr Ext Len in 8-byte units not counting the first 8.
 */
public final class Ipv6ExtensionHeader {
    /** Segments Left is the Routing header's (RFC 8200 s4.4); the smallest header is also the Hdr Ext Len unit. */
    public static final int NEXT_HEADER = 0, HDR_EXT_LEN = 1, ROUTING_SEGMENTS_LEFT = 3, MIN_LENGTH = 8;

    private Ipv6ExtensionHeader() {}

    /** The header's length in bytes. */
    public static int length(byte[] b, int p) { return ((b[p + HDR_EXT_LEN] & 0xff) + 1) * MIN_LENGTH; }
}
