package dev.siitdc.core.addr;

/** IPv4 special-purpose address checks for the packet path (allocation-free). */
public final class SpecialAddresses {
    private SpecialAddresses() {}

    /**
     * Whether {@code v4} is a global unicast address: not in a block the IANA IPv4 Special-Purpose
     * Address Registry (RFC 6890 and updates) marks "Globally Reachable: False", nor multicast (224/4).
     * Used for RFC 6052 s3.1: the Well-Known Prefix must not embed non-global addresses.
     *
     * <p>Non-global: 0/8, 10/8, 100.64/10, 127/8, 169.254/16, 172.16/12, 192.0.0/24 except
     * 192.0.0.9 and 192.0.0.10 (PCP and TURN anycast, RFC 7723, RFC 8155), 192.0.2/24, 192.88.99/24
     * (6to4 relay anycast, deprecated by RFC 7526; listed by RFC 5735 s3, which RFC 6052 s3.1 cites),
     * 192.168/16, 198.18/15, 198.51.100/24, 203.0.113/24, 224/4, 240/4 (incl. 255.255.255.255).
     * Global per the registry: 192.31.196/24 (AS112-v4, RFC 7535), 192.52.193/24 (AMT, RFC 7450) and
     * 192.175.48/24 (AS112 direct delegation, RFC 7534) are anycast services reachable Internet-wide.
     */
    public static boolean isGlobal(int v4) {
        switch (v4 >>> 24) {
            case 0, 10, 127:
                return false;
            case 100:
                return (v4 & 0xffc0_0000) != 0x6440_0000;               // 100.64.0.0/10
            case 169:
                return (v4 >>> 16) != 0xa9fe;                           // 169.254.0.0/16
            case 172:
                return (v4 & 0xfff0_0000) != 0xac10_0000;               // 172.16.0.0/12
            case 192: {
                int s24 = v4 >>> 8;
                if (s24 == 0xc0_0000) return v4 == 0xc000_0009 || v4 == 0xc000_000a; // 192.0.0.0/24
                return s24 != 0xc0_0002                                 // 192.0.2.0/24
                        && s24 != 0xc0_5863                             // 192.88.99.0/24
                        && (v4 >>> 16) != 0xc0a8;                       // 192.168.0.0/16
            }
            case 198:
                return (v4 & 0xfffe_0000) != 0xc612_0000                // 198.18.0.0/15
                        && (v4 >>> 8) != 0xc6_3364;                     // 198.51.100.0/24
            case 203:
                return (v4 >>> 8) != 0xcb_0071;                         // 203.0.113.0/24
            default:
                return (v4 >>> 24) < 224;                               // 224/4, 240/4
        }
    }

    /**
     * Whether {@code v4} must not be a source address (RFC 1812 s5.3.7): 0/8, 127/8, multicast 224/4
     * and 240/4 (which includes the limited broadcast 255.255.255.255). These are also the addresses
     * that are not a unicast destination: an ICMP error is never translated toward one.
     */
    public static boolean isIllegalSource(int v4) {
        int a = v4 >>> 24;
        return a == 0 || a == 127 || a >= 224;
    }
}
