package dev.siitdc.core.fuzz;

import dev.siitdc.core.addr.Ipv4Prefix;
import dev.siitdc.core.addr.Ipv6Prefix;
import dev.siitdc.core.config.ConfigException;
import dev.siitdc.core.config.HairpinMode;
import dev.siitdc.core.config.TranslatorConfig;
import dev.siitdc.core.eam.Eam;
import dev.siitdc.core.xlat.Translator;

import java.util.List;

/**
 * The translator configurations the fuzz targets choose from with the first input byte {@code sel}:
 * <ul>
 *   <li>bits 0-2: pool6 = {@link #POOL6}[sel & 7] (64:ff9b::/96, NSP /96, the RFC 6052 s2.4 example
 *       prefixes /40../64 and a /32 of the documentation prefix 3fff::/20 (RFC 9637; the s2.4 example
 *       2001:db8::/32 holds the EAMT's IPv6 prefixes, which a configuration may not: see
 *       TranslatorConfig.Builder#build), or none: EAMT only);</li>
 *   <li>bit 3: eam-hairpin-mode intrinsic (else off; simple when bit 7 is also set);</li>
 *   <li>bits 4-5: MTUs {@link #MTUS} (lowest-ipv6-mtu, ipv6-mtu, ipv4-mtu);</li>
 *   <li>bit 6: own-ipv4/ipv6-address and the RFC 6791 pools set (the translator originates ICMPv6 errors);</li>
 *   <li>bit 7: amend-udp-checksum-zero, atomic-fragments, zeroize-traffic-class, override-tos 0x2e,
 *       and with bit 6 forward-udp-checksum-zero.</li>
 * </ul>
 * The EAMT is always {@link #EAMT}: /24, /32 and shorter-than-exact pairs, and one whose IPv4 side
 * overlaps the others. Translators are built lazily and cached (one per selector).
 */
public final class FuzzConfigs {
    private FuzzConfigs() {}

    static final String[] POOL6 = {
            "64:ff9b::/96", "2001:db8:64::/96", "3fff::/32", "2001:db8:100::/40",
            "2001:db8:122::/48", "2001:db8:122:300::/56", "2001:db8:122:344::/64", null};

    static final int[][] MTUS = {{1280, 1280, 1500}, {1280, 1500, 576}, {1500, 9000, 1500}, {1500, 65575, 65535}};

    static final List<Eam> EAMT = List.of(
            Eam.parse("198.51.100.0/24", "2001:db8:1::/120"),
            Eam.parse("192.0.2.1", "2001:db8:2::1"),
            Eam.parse("203.0.113.0/24", "2001:db8:3::/104"),
            Eam.parse("203.0.113.128/25", "2001:db8:4::/121"),
            Eam.parse("10.0.0.0/8", "2001:db8:a00::/40"));

    private static final Translator[] CACHE = new Translator[256];

    public static synchronized Translator translator(int sel) {
        sel &= 0xff;
        Translator t = CACHE[sel];
        if (t == null) CACHE[sel] = t = new Translator(config(sel));
        return t;
    }

    public static TranslatorConfig config(int sel) {
        TranslatorConfig.Builder b = TranslatorConfig.builder();
        String p = POOL6[sel & 7];
        b.pool6 = p == null ? null : Ipv6Prefix.parse(p);
        b.eamt = EAMT;
        boolean opts = (sel & 0x80) != 0, own = (sel & 0x40) != 0;
        b.eamHairpinMode = (sel & 8) == 0 ? HairpinMode.OFF : opts ? HairpinMode.SIMPLE : HairpinMode.INTRINSIC;
        int[] m = MTUS[(sel >>> 4) & 3];
        b.lowestIpv6Mtu = m[0];
        b.ipv6Mtu = m[1];
        b.ipv4Mtu = m[2];
        b.randomizeRfc6791Addresses = false;    // keep the targets deterministic
        if (own) {
            b.ownIpv4Address = Ipv4Prefix.parseAddress("192.0.2.254");
            b.ownIpv6Address = Ipv6Prefix.parse("2001:db8:ffff::1");
            b.rfc6791v4Prefix = Ipv4Prefix.parse("192.0.2.128/25");
            b.rfc6791v6Prefix = Ipv6Prefix.parse("2001:db8:6791::/64");
        }
        if (opts) {
            b.amendUdpChecksumZero = true;
            b.atomicFragments = true;
            b.zeroizeTrafficClass = true;
            b.overrideTos = true;
            b.tos = 0x2e;
            b.forwardUdpChecksumZero = own;
        }
        try {
            return b.build();
        } catch (ConfigException e) {
            throw new IllegalStateException("fuzz config " + sel + ": " + e.getMessage(), e);
        }
    }
}
