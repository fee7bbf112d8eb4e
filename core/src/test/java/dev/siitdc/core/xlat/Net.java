package dev.siitdc.core.xlat;

import dev.siitdc.core.addr.Ipv4Prefix;
import dev.siitdc.core.addr.Ipv6Prefix;
import dev.siitdc.core.config.ConfigException;
import dev.siitdc.core.config.TranslatorConfig;
import dev.siitdc.core.eam.Eam;
import dev.siitdc.core.testutil.Pkt;
import dev.siitdc.core.testutil.XlatRun;

import java.util.List;
import java.util.function.Consumer;

/**
 * The test network of the xlat tests: an SIIT-DC Border Relay with a non-checksum-neutral pool6
 * (2001:db8:64::/96, so checksum-update bugs show) and one EAM for the IPv6 data centre.
 *
 * <pre>
 *  IPv4 Internet                       translator                      IPv6 data centre
 *  client 203.0.113.7  = 2001:db8:64::cb00:7107     EAM 192.0.2.0/24 = 2001:db8:aaaa::/120
 *  router 203.0.113.254 = 2001:db8:64::cb00:71fe    server A 192.0.2.5 = 2001:db8:aaaa::5
 *  own 198.51.100.1 / 2001:db8:1::1                 server B 192.0.2.9 = 2001:db8:aaaa::9
 *                                                   router 2001:db8:ffff::1 (no IPv4 mapping)
 * </pre>
 */
final class Net {
    private Net() {}

    static final String POOL6 = "2001:db8:64::/96";
    static final String CLIENT4 = "203.0.113.7", CLIENT6 = "2001:db8:64::cb00:7107";
    static final String ROUTER4 = "203.0.113.254", ROUTER4_6 = "2001:db8:64::cb00:71fe";
    static final String SERVER_A4 = "192.0.2.5", SERVER_A6 = "2001:db8:aaaa::5";
    static final String SERVER_B4 = "192.0.2.9", SERVER_B6 = "2001:db8:aaaa::9";
    /** pool6 form of the EAM addresses (hairpinning). */
    static final String SERVER_A_POOL6 = "2001:db8:64::c000:205", SERVER_B_POOL6 = "2001:db8:64::c000:209";
    static final String ROUTER6 = "2001:db8:ffff::1";
    static final String OWN4 = "198.51.100.1", OWN6 = "2001:db8:1::1";

    /** The base configuration (defaults of docs/config-reference.md otherwise). */
    static TranslatorConfig.Builder base() {
        TranslatorConfig.Builder b = TranslatorConfig.builder();
        b.pool6 = Ipv6Prefix.parse(POOL6);
        b.eamt = List.of(Eam.parse("192.0.2.0/24", "2001:db8:aaaa::/120"));
        b.ownIpv4Address = Ipv4Prefix.parseAddress(OWN4);
        b.ownIpv6Address = Ipv6Prefix.parse(OWN6);
        return b;
    }

    static Translator translator() { return translator(b -> { }); }

    static Translator translator(Consumer<TranslatorConfig.Builder> change) {
        TranslatorConfig.Builder b = base();
        change.accept(b);
        try {
            return new Translator(b.build());
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static XlatRun run(Translator t, byte[] packet) { return XlatRun.run(t, packet); }

    static XlatRun run(byte[] packet) { return XlatRun.run(translator(), packet); }

    // ------------------------------------------------------------------ typical packets

    /** IPv4 client -> server A: TCP 40000 -> 80 with {@code payload} bytes. */
    static Pkt tcp46(int payload) {
        return Pkt.v4(CLIENT4, SERVER_A4).ttl(64).df().id(0x1234).tcp(40000, 80).payload(payload);
    }

    /** Server A (IPv6) -> IPv4 client: TCP 80 -> 40000 with {@code payload} bytes. */
    static Pkt tcp64(int payload) {
        return Pkt.v6(SERVER_A6, CLIENT6).hopLimit(64).tcp(80, 40000).payload(payload);
    }

    /** What server A's TCP segment looks like on the IPv4 side (quoted by ICMPv4 errors). */
    static Pkt tcpFromA4(int payload) {
        return Pkt.v4(SERVER_A4, CLIENT4).ttl(63).df().id(0x4321).tcp(80, 40000).payload(payload);
    }

    /** What the IPv4 client's TCP segment looks like on the IPv6 side (quoted by ICMPv6 errors). */
    static Pkt tcpToA6(int payload) {
        return Pkt.v6(CLIENT6, SERVER_A6).hopLimit(63).tcp(40000, 80).payload(payload);
    }
}
