package dev.siitdc.lab;

import dev.siitdc.core.addr.Ipv4Prefix;
import dev.siitdc.core.addr.Ipv6Prefix;

import java.util.List;

/**
 * The lab's addressing plan, modelled on RFC 7756 Figures 1, 5 and 6 with documentation ranges only
 * (RFC 5737, RFC 3849). docs/lab.md draws it. pool6 is a network-specific prefix: the well-known
 * 64:ff9b::/96 must not carry documentation or private IPv4 addresses (RFC 6052 s3.1).
 *
 * <pre>
 *  client ns             br ns                        idc ns                    era / erb / v6srv ns
 *  192.0.2.100 --eth0--inet0-- 192.0.2.1
 *                          BR (siit0)
 *                          2001:db8:ff:1::2 --idc0--to-br-- 2001:db8:ff:1::1
 *                                                   lan0 (bridge) 2001:db8:12:34::1/64
 *                                                     +-- p-era --eth0-- ER A node 2001:db8:12:34::a
 *                                                     +-- p-erb --eth0-- ER B node 2001:db8:12:34::b
 *                                                     +-- p-v6srv -eth0- IPv6 server 2001:db8:12:34::30
 * </pre>
 */
public final class Plan {
    private Plan() {}

    // --- RFC 6052 translation prefix, routed to the BR ---
    public static final String POOL6 = "2001:db8:46::/96";

    // --- the IPv4 Internet (RFC 5737 TEST-NET-1) ---
    public static final String CLIENT4 = "192.0.2.100";
    public static final String BR_INET4 = "192.0.2.1";
    public static final int INET_PREFIX_LENGTH = 24;

    // --- the BR's translator: its own addresses and its RFC 6791 pool (TEST-NET-3) ---
    public static final String BR_OWN4 = "203.0.113.1";
    /** pool6 + BR_OWN4: already routed to the BR. */
    public static final String BR_OWN6 = "2001:db8:46::cb00:7101";
    public static final String BR_RFC6791_4 = "203.0.113.8/29";

    // --- the IPv6-only IDC ---
    public static final String BR_IDC6 = "2001:db8:ff:1::2";
    public static final String IDC_TO_BR6 = "2001:db8:ff:1::1";
    public static final String IDC_LAN = "2001:db8:12:34::/64";
    public static final String IDC_LAN6 = "2001:db8:12:34::1";
    public static final String ER_A_NODE6 = "2001:db8:12:34::a";
    public static final String ER_B_NODE6 = "2001:db8:12:34::b";
    public static final String V6SRV6 = "2001:db8:12:34::30";

    // --- Service Addresses (RFC 5737 TEST-NET-2 <-> the IDC LAN), one EAM each ---
    /** ER A's service: Figure 5's 192.0.2.1 / 2001:db8:a::. */
    public static final Eam A = new Eam("198.51.100.10", "2001:db8:12:34::10");
    /** ER A's second service, reached directly by ER B through an additional EAM (Figure 6). */
    public static final Eam A2 = new Eam("198.51.100.11", "2001:db8:12:34::11");
    /** ER B's service: Figure 5's 192.0.2.2 / 2001:db8:b::. */
    public static final Eam B = new Eam("198.51.100.20", "2001:db8:12:34::20");
    /** ER B's second service, reached directly by ER A through an additional EAM (Figure 6). */
    public static final Eam B2 = new Eam("198.51.100.21", "2001:db8:12:34::21");
    /** The native IPv6 server, published through the BR only (plain RFC 7755 SIIT-DC, no ER). */
    public static final Eam SRV = new Eam("198.51.100.30", V6SRV6);

    /** Every EAM the BR has. */
    public static final List<Eam> BR_EAMS = List.of(A, A2, B, B2, SRV);

    /** The ERs' own IPv4 address (RFC 7335 IPv4 Service Continuity Prefix, local significance only). */
    public static final String ER_OWN4 = "192.0.0.1";

    // --- ports of the lab's apps ---
    public static final int APP_PORT = 7;
    public static final int IPERF_PORT = 5201;

    /** An Explicit Address Mapping between an IPv4 and an IPv6 Service Address (/32 <-> /128). */
    public record Eam(String v4, String v6) {}

    /** pool6 + {@code ipv4}, RFC 6052 /96: 198.51.100.10 gives 2001:db8:46::c633:640a. */
    public static String pool6(String ipv4) {
        int a = Ipv4Prefix.parseAddress(ipv4);
        Ipv6Prefix p = Ipv6Prefix.parse(POOL6);
        return Ipv6Prefix.format(p.hi(), (p.lo() & 0xffff_ffff_0000_0000L) | (a & 0xffff_ffffL));
    }

    /** The IPv4 address {@code 2001:db8:46::c633:640a} embeds, or null when it is outside pool6. */
    public static String fromPool6(String ipv6) {
        Ipv6Prefix p = Ipv6Prefix.parse(POOL6);
        Ipv6Prefix a = Ipv6Prefix.parseAddress(ipv6);
        if (a.hi() != p.hi() || (a.lo() >>> 32) != (p.lo() >>> 32)) return null;
        return Ipv4Prefix.format((int) a.lo());
    }
}
