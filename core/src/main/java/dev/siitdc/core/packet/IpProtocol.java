package dev.siitdc.core.packet;

/**
 * The IP protocol / IPv6 Next Header numbers the translator looks at (IANA "Assigned Internet
 * Protocol Numbers"; RFC 8200 s4 for the extension headers).
 */
public final class IpProtocol {
    /** Upper layers: ICMP (RFC 792), IGMP (RFC 1112; not translated, RFC 7915 s4.2), TCP, UDP, ICMPv6 (RFC 4443). */
    public static final int ICMP = 1, IGMP = 2, TCP = 6, UDP = 17, ICMPV6 = 58;
    /**
     * RFC 8200 s4: Hop-by-Hop Options (s4.3), Routing (s4.4), Fragment (s4.5), Destination Options
     * (s4.6), and No Next Header (s4.7: nothing follows).
     */
    public static final int HOP_BY_HOP = 0, ROUTING = 43, FRAGMENT = 44, DESTINATION_OPTIONS = 60, NO_NEXT_HEADER = 59;

    private IpProtocol() {}
}
