package dev.siitdc.core.config;

import dev.siitdc.core.addr.Ipv4Prefix;
import dev.siitdc.core.addr.Ipv6Prefix;
import dev.siitdc.core.addr.SpecialAddresses;
import dev.siitdc.core.eam.Eam;

import java.util.List;

/**
 * The address rules of {@link TranslatorConfig.Builder#build()}: the values a translator cannot work with
 * whatever the node (the own addresses, the RFC 6791 pools, the EAMs against pool6, the own address and
 * the special-purpose blocks). Every path to a configuration (a file, {@code global update}, a reload,
 * {@code eamt add}) goes through {@code build()}, so every path applies them.
 */
final class AddressRules {
    private AddressRules() {}

    /** RFC 6890 special-purpose IPv4 blocks an EAM may not overlap (unless allow-special-purpose-eams). */
    private static final List<Ipv4Prefix> SPECIAL4 = List.of(
            Ipv4Prefix.parse("127.0.0.0/8"),     // loopback (RFC 6890 s2.2.2, RFC 1122 s3.2.1.3)
            Ipv4Prefix.parse("169.254.0.0/16"),  // link-local (RFC 6890 s2.2.2, RFC 3927)
            Ipv4Prefix.parse("224.0.0.0/4"));    // multicast (RFC 5771)
    private static final List<String> SPECIAL4_NAMES = List.of("loopback", "link-local", "multicast");

    /** RFC 6890 special-purpose IPv6 blocks an EAM may not overlap (unless allow-special-purpose-eams). */
    private static final List<Ipv6Prefix> SPECIAL6 = List.of(
            Ipv6Prefix.parse("::1/128"),         // loopback (RFC 6890 s2.2.3, RFC 4291 s2.5.3)
            Ipv6Prefix.parse("fe80::/10"),       // link-local (RFC 6890 s2.2.3, RFC 4291 s2.5.6)
            Ipv6Prefix.parse("ff00::/8"));       // multicast (RFC 4291 s2.7)
    private static final List<String> SPECIAL6_NAMES = SPECIAL4_NAMES;

    private static final String OVERRIDE = " (set allow-special-purpose-eams = true in [translator] if you"
            + " really mean it)";

    static void check(Ipv6Prefix pool6, Ipv4Prefix rfc6791v4, Ipv6Prefix rfc6791v6, Integer own4, Ipv6Prefix own6,
            List<Eam> eamt, boolean allowSpecial) throws ConfigException {
        if (rfc6791v4 != null && rfc6791v4.length() == 0)
            throw new ConfigException("rfc6791v4-prefix", "/0 is the whole IPv4 address space: the RFC 6791 pool"
                    + " must be addresses of the operator's own (a /32 or a short range)");
        if (rfc6791v6 != null && rfc6791v6.length() == 0)
            throw new ConfigException("rfc6791v6-prefix", "/0 is the whole IPv6 address space: the RFC 6791 pool"
                    + " must be addresses of the operator's own (a /128 or a short range)");
        if (own4 != null) {
            String why = ownIpv4Problem(own4);
            if (why != null) throw new ConfigException("own-ipv4-address", Ipv4Prefix.format(own4) + " " + why);
        }
        if (own6 != null) {
            String why = ownIpv6Problem(own6);
            if (why != null)
                throw new ConfigException("own-ipv6-address", Ipv6Prefix.format(own6.hi(), own6.lo()) + " " + why);
        }
        for (int i = 0; i < eamt.size(); i++) {
            Eam e = eamt.get(i);
            Ipv4Prefix v4 = e.ipv4();
            Ipv6Prefix v6 = e.ipv6();
            if (v4.length() == 0)
                throw new ConfigException("eamt.ipv4", "0.0.0.0/0 would map the whole IPv4 Internet: an EAM maps"
                        + " Service Addresses; pool6 is the translation of the rest", i);
            if (v6.length() == 0)
                throw new ConfigException("eamt.ipv6", "::/0 would map the whole IPv6 Internet: an EAM maps"
                        + " Service Addresses; pool6 is the translation of the rest", i);
            if (pool6 != null && overlaps(pool6, v6))
                throw new ConfigException("eamt.ipv6", v6 + (v6.length() >= pool6.length() ? " lies inside" : " covers")
                        + " pool6 " + pool6 + ": those IPv6 addresses would have two IPv4 mappings, the EAM's and"
                        + " pool6's (RFC 6052); choose IPv6 Service Addresses outside pool6", i);
            if (own4 != null && v4.length() == 32 && v4.address() == own4)
                throw new ConfigException("eamt.ipv4", v4 + " is own-ipv4-address, the translator's own address:"
                        + " it cannot also be a Service Address (a Border Relay routes both into its TUN);"
                        + " choose another own-ipv4-address", i);
            if (!allowSpecial) {
                for (int k = 0; k < SPECIAL4.size(); k++)
                    if (overlaps(SPECIAL4.get(k), v4))
                        throw new ConfigException("eamt.ipv4", v4 + " overlaps the " + SPECIAL4_NAMES.get(k) + " block "
                                + SPECIAL4.get(k) + " (RFC 6890): such addresses are not Service Addresses" + OVERRIDE, i);
                for (int k = 0; k < SPECIAL6.size(); k++)
                    if (overlaps(SPECIAL6.get(k), v6))
                        throw new ConfigException("eamt.ipv6", v6 + " overlaps the " + SPECIAL6_NAMES.get(k) + " block "
                                + SPECIAL6.get(k) + " (RFC 6890): such addresses are not Service Addresses" + OVERRIDE, i);
            }
        }
    }

    /** Why {@code a} cannot be own-ipv4-address, the source of ICMPv4 errors (RFC 1812 s5.3.7), or null. */
    private static String ownIpv4Problem(int a) {
        if (!SpecialAddresses.isIllegalSource(a)) return null;
        int top = a >>> 24;
        String what = a == 0 ? "is the unspecified address"
                : a == -1 ? "is the limited broadcast address"
                : top == 0 ? "is in 0.0.0.0/8 (this network)"
                : top == 127 ? "is a loopback address (127.0.0.0/8)"
                : top < 240 ? "is a multicast address (224.0.0.0/4)"
                : "is in the reserved block 240.0.0.0/4";
        return what + ": it cannot be the source of the translator's ICMPv4 errors (RFC 1812 s5.3.7)";
    }

    /** Why {@code a} cannot be own-ipv6-address, the source of ICMPv6 errors (RFC 4291), or null. */
    private static String ownIpv6Problem(Ipv6Prefix a) {
        String what = a.hi() == 0 && a.lo() == 0 ? "is the unspecified address (RFC 4291 s2.5.2)"
                : a.hi() == 0 && a.lo() == 1 ? "is the loopback address (RFC 4291 s2.5.3)"
                : (a.hi() >>> 56) == 0xff ? "is a multicast address (RFC 4291 s2.7)"
                : null;
        return what == null ? null : what + ": it cannot be the source of the translator's ICMPv6 errors";
    }

    private static boolean overlaps(Ipv4Prefix a, Ipv4Prefix b) {
        Ipv4Prefix shorter = a.length() <= b.length() ? a : b, longer = shorter == a ? b : a;
        return shorter.contains(longer.address());
    }

    private static boolean overlaps(Ipv6Prefix a, Ipv6Prefix b) {
        Ipv6Prefix shorter = a.length() <= b.length() ? a : b, longer = shorter == a ? b : a;
        return shorter.contains(longer.hi(), longer.lo());
    }
}
