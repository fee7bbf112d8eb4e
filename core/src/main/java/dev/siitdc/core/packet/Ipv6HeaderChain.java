package dev.siitdc.core.packet;

/**
 * The one walker over an IPv6 extension-header chain (RFC 8200 s4): Hop-by-Hop, Routing and
 * Destination Options are skipped, the Fragment header is noted, and the walk stops at the first
 * other header (the upper layer, as RFC 7915 s5.1 sees it). It is used by the outer packet, by the
 * packet quoted in an ICMPv6 error, by the error-about-an-error check and by the relay's offload
 * code, so all of them agree on where the transport header is.
 *
 * <p>A flyweight: one instance per thread, results in fields, nothing allocated per walk. Every
 * length is checked before it is read.
 */
public final class Ipv6HeaderChain {
    /**
     * The most extension headers walked. RFC 8200 s4.1 allows each header once (Destination Options
     * twice): at most five of the walked kinds. A longer chain is dropped as {@link #TOO_LONG}.
     */
    public static final int MAX_EXTENSION_HEADERS = 8;

    /** Why a walk stopped: {@link #OK} or the reason the chain cannot be used. */
    public static final int OK = 0, TRUNCATED = 1,
            /** Hop-by-Hop not first, or two Fragment headers. */
            BAD = 2,
            /** An extension header after the Fragment header (RFC 7915 s5.1.1). */
            HEADER_AFTER_FRAGMENT = 3,
            /** More than {@link #MAX_EXTENSION_HEADERS}. */
            TOO_LONG = 4;

    private int upperProtocol;
    private int upperOffset;
    private int fragmentHeader;
    private int segmentsLeftPointer;
    private int nextHeaderPointer;

    /** Whether {@code nh} is one of the headers this walker skips. */
    public static boolean isSkipped(int nh) {
        return nh == IpProtocol.HOP_BY_HOP || nh == IpProtocol.ROUTING || nh == IpProtocol.DESTINATION_OPTIONS;
    }

    /**
     * Walks the chain of the IPv6 packet at {@code off}, whose bytes end at {@code end} (exclusive);
     * {@code end - off >= 40} is the caller's to check.
     *
     * @return {@link #OK} or why the chain cannot be used
     */
    public int walk(byte[] b, int off, int end) {
        return walk(b, off, end, false);
    }

    /**
     * {@link #walk}; {@code lenient} walks on past an extension header after the Fragment header and a
     * Hop-by-Hop header that is not first, to find what the packet carries even when it is not
     * translatable (the error-about-an-error check of RFC 4443 s2.4 e.1). The bound still applies.
     */
    public int walk(byte[] b, int off, int end, boolean lenient) {
        int nh = Ipv6Header.nextHeader(b, off);
        int nhField = off + Ipv6Header.NEXT_HEADER;
        int p = off + Ipv6Header.LENGTH;
        fragmentHeader = -1;
        segmentsLeftPointer = -1;
        for (int headers = 0; ; headers++) {
            if (!isSkipped(nh) && nh != IpProtocol.FRAGMENT) return upper(nh, p, nhField, off);
            if (headers == MAX_EXTENSION_HEADERS) return TOO_LONG;
            if (nh == IpProtocol.FRAGMENT) {
                if (fragmentHeader >= 0) return BAD;
                if (p + Ipv6FragmentHeader.LENGTH > end) return TRUNCATED;
                fragmentHeader = p;
                nhField = p + Ipv6FragmentHeader.NEXT_HEADER;
                nh = b[nhField] & 0xff;
                p += Ipv6FragmentHeader.LENGTH;
                if ((Ipv6FragmentHeader.offsetFlags(b, fragmentHeader) & Ipv6FragmentHeader.OFFSET_MASK) != 0) {
                    // a non-first fragment: what follows is payload, not headers
                    if (isSkipped(nh)) return HEADER_AFTER_FRAGMENT;
                    return upper(nh, p, nhField, off);
                }
            } else {
                if (fragmentHeader >= 0 && !lenient) return HEADER_AFTER_FRAGMENT;
                if (nh == IpProtocol.HOP_BY_HOP && p != off + Ipv6Header.LENGTH && !lenient) return BAD;   // RFC 8200 s4.1
                if (p + Ipv6ExtensionHeader.MIN_LENGTH > end) return TRUNCATED;
                int hlen = Ipv6ExtensionHeader.length(b, p);
                if (p + hlen > end) return TRUNCATED;
                if (nh == IpProtocol.ROUTING && b[p + Ipv6ExtensionHeader.ROUTING_SEGMENTS_LEFT] != 0 && segmentsLeftPointer < 0)
                    segmentsLeftPointer = p + Ipv6ExtensionHeader.ROUTING_SEGMENTS_LEFT - off;
                nhField = p + Ipv6ExtensionHeader.NEXT_HEADER;
                nh = b[nhField] & 0xff;
                p += hlen;
            }
        }
    }

    private int upper(int nh, int p, int nhField, int off) {
        upperProtocol = nh;
        upperOffset = p;
        nextHeaderPointer = nhField - off;
        return OK;
    }

    /** After {@link #OK}: the upper-layer protocol. */
    public int upperProtocol() { return upperProtocol; }

    /** After {@link #OK}: the absolute offset of the upper-layer header. */
    public int upperOffset() { return upperOffset; }

    /** The absolute offset of the Fragment header, or -1. */
    public int fragmentHeader() { return fragmentHeader; }

    /** The pointer (from the IPv6 header) to the first non-zero Segments Left, or -1. */
    public int segmentsLeftPointer() { return segmentsLeftPointer; }

    /** After {@link #OK}: the pointer (from the IPv6 header) to the Next Header field naming the upper layer. */
    public int nextHeaderPointer() { return nextHeaderPointer; }

    /** After {@link #OK}: the Fragment header's offset field (offset in bytes | M), or 0. */
    public int fragmentField(byte[] b) {
        return fragmentHeader >= 0 ? Ipv6FragmentHeader.offsetFlags(b, fragmentHeader) : 0;
    }
}
