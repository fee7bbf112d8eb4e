package dev.siitdc.core.packet;

/**
 * The IP protocol / IPv6 Next Header numbers the translator looks at (IANA "Assigned Internet
 * Protocol Numbers"; RFC 8200 s4 for the extension headers).
 */
public final class IpProtocol {
    private IpProtocol() {}

    /** RFC 8200 s4.3 Hop-by-Hop Options. */
    public static final int HOP_BY_HOP = 0;
    /** RFC 792. */
    public static final int ICMP = 1;
    /** RFC 1112; not translated (RFC 7915 s4.2). */
    public static final int IGMP = 2;
    /** RFC 9293. */
    public static final int TCP = 6;
    /** RFC 768. */
    public static final int UDP = 17;
    /** RFC 8200 s4.4 Routing. */
    public static final int ROUTING = 43;
    /** RFC 8200 s4.5 Fragment. */
    public static final int FRAGMENT = 44;
    /** RFC 4443. */
    public static final int ICMPV6 = 58;
    /** RFC 8200 s4.7: nothing follows. */
    public static final int NO_NEXT_HEADER = 59;
    /** RFC 8200 s4.6 Destination Options. */
    public static final int DESTINATION_OPTIONS = 60;
}
