package dev.siitdc.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.siitdc.core.addr.Ipv4Prefix;
import dev.siitdc.core.addr.Ipv6Prefix;
import dev.siitdc.core.config.TranslatorConfig;
import dev.siitdc.core.eam.Eam;
import dev.siitdc.core.eam.EamTable;
import dev.siitdc.core.xlat.Settings;
import dev.siitdc.core.xlat.Translator;
import java.util.List;
import org.junit.jupiter.api.Test;

class RelayFilterTest {
    static final int OFF = Translator.HEADROOM;

    /** An Edge Relay world: pool6, its own three Service Addresses and two other EAMs (RFC 7756 s5.2). */
    static final TranslatorConfig ER = config("2001:db8:46::/96",
            Eam.parse("198.51.100.10", "2001:db8:a::"),
            Eam.parse("203.0.113.200", "fd00::1"),           // high bit set on both sides: signed sort order
            Eam.parse("10.1.2.3", "2001:db8:b::3"),
            Eam.parse("192.0.2.0/24", "2001:db8:c::/120"),    // a target behind another ER
            Eam.parse("198.51.100.0/24", "2001:db8:f::/120")); // covers .10 too, less specific than its /32
    static final Settings ER_SETTINGS = Settings.compile(ER);
    static final List<ServiceAddress> LOCAL = ServiceAddress.resolveAll(
            List.of(ip4("198.51.100.10"), ip4("203.0.113.200"), ip4("10.1.2.3")), ER_SETTINGS.eamTable());
    static final RelayFilter EDGE = RelayFilter.edgeRelay(LOCAL);
    static final RelayFilter BORDER = RelayFilter.borderRelay();

    static TranslatorConfig config(String pool6, Eam... eams) {
        TranslatorConfig.Builder b = TranslatorConfig.builder();
        b.pool6 = pool6 == null ? null : Ipv6Prefix.parse(pool6);
        b.eamt = List.of(eams);
        try {
            return b.build();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static int ip4(String s) {
        return Ipv4Prefix.parseAddress(s);
    }

    static byte[] v4(String src, String dst) {
        byte[] b = new byte[OFF + 28];
        b[OFF] = 0x45;
        b[OFF + 3] = 28;
        b[OFF + 8] = 64;
        b[OFF + 9] = 17;
        Ipv4Prefix.write(ip4(src), b, OFF + 12);
        Ipv4Prefix.write(ip4(dst), b, OFF + 16);
        return b;
    }

    static byte[] v6(String src, String dst) {
        byte[] b = new byte[OFF + 48];
        b[OFF] = 0x60;
        b[OFF + 5] = 8;
        b[OFF + 6] = 17;
        b[OFF + 7] = 64;
        Ipv6Prefix s = Ipv6Prefix.parseAddress(src), d = Ipv6Prefix.parseAddress(dst);
        Ipv6Prefix.write(s.hi(), s.lo(), b, OFF + 8);
        Ipv6Prefix.write(d.hi(), d.lo(), b, OFF + 24);
        return b;
    }

    static RelayCounter check(RelayFilter f, byte[] p) {
        return f.check(p, OFF, p.length - OFF, ER_SETTINGS);
    }

    @Test
    void kernelTrafficToLinkLocalOrMulticastIsIgnoredInBothRoles() {
        for (RelayFilter f : List.of(BORDER, EDGE)) {
            assertThat(check(f, v6("fe80::1", "ff02::2"))).isEqualTo(RelayCounter.IGNORED6_MULTICAST_DST);   // RS
            assertThat(check(f, v6("fe80::1", "ff02::16"))).isEqualTo(RelayCounter.IGNORED6_MULTICAST_DST);  // MLDv2
            assertThat(check(f, v6("::", "ff02::1:ff00:1"))).isEqualTo(RelayCounter.IGNORED6_MULTICAST_DST); // DAD
            assertThat(check(f, v6("2001:db8:46::c633:6402", "ff0e::1"))).isEqualTo(RelayCounter.IGNORED6_MULTICAST_DST);
            assertThat(check(f, v6("fe80::1", "fe80::2"))).isEqualTo(RelayCounter.IGNORED6_LINK_LOCAL_DST);
            assertThat(check(f, v6("fe80::1", "febf:ffff::1"))).isEqualTo(RelayCounter.IGNORED6_LINK_LOCAL_DST);
        }
        // fec0::/10 (deprecated site-local) and the rest are not link-local: the translator decides.
        assertThat(check(BORDER, v6("2001:db8:a::", "fec0::1"))).isNull();
        assertThat(check(BORDER, v6("2001:db8:a::", "2001:db8:46::c633:6402"))).isNull();
    }

    @Test
    void borderRelayPassesEverythingElse() {
        assertThat(check(BORDER, v4("203.0.113.7", "198.51.100.10"))).isNull();
        assertThat(check(BORDER, v4("198.51.100.10", "198.51.100.10"))).isNull();
        assertThat(check(BORDER, v6("2001:db8:a::", "2001:db8:46::cb00:7107"))).isNull();
        assertThat(check(BORDER, v6("2001:db8:46::c633:640a", "2001:db8:a::"))).isNull();
        assertThat(BORDER.edgeRelay()).isFalse();
    }

    @Test
    void edgeRelayDropsIpv4FromSourcesWithoutEam() {
        // RFC 7756 s6: a source without EAM would be translated with pool6 and leave the BR spoofed.
        assertThat(check(EDGE, v4("203.0.113.7", "192.0.2.9"))).isEqualTo(RelayCounter.ER_DROP4_SOURCE_WITHOUT_EAM);
        assertThat(check(EDGE, v4("192.0.0.8", "192.0.2.9"))).isEqualTo(RelayCounter.ER_DROP4_SOURCE_WITHOUT_EAM);
        // Sources with an EAM pass: the local Service Addresses, and (as the rule says) any other EAM.
        assertThat(check(EDGE, v4("198.51.100.10", "192.0.2.9"))).isNull();
        assertThat(check(EDGE, v4("203.0.113.200", "8.8.8.8"))).isNull();
        assertThat(check(EDGE, v4("10.1.2.3", "8.8.8.8"))).isNull();
        assertThat(check(EDGE, v4("192.0.2.5", "8.8.8.8"))).isNull();
        assertThat(check(EDGE, v4("198.51.100.11", "8.8.8.8"))).isNull();
    }

    @Test
    void networkEdgeRelayTranslatesOnlyItsServiceAddressesAsIpv4Sources() {
        // RFC 7756 s3.2 + s6: a node of the segment may send any source; only the Service Addresses pass,
        // even sources another EAM covers (another ER's Service Address).
        RelayFilter net = RelayFilter.networkEdgeRelay(LOCAL);
        assertThat(net.edgeRelay()).isTrue();
        assertThat(check(net, v4("198.51.100.10", "192.0.2.9"))).isNull();
        assertThat(check(net, v4("203.0.113.200", "8.8.8.8"))).isNull();
        assertThat(check(net, v4("10.1.2.3", "8.8.8.8"))).isNull();
        assertThat(check(net, v4("198.51.100.11", "8.8.8.8")))
                .isEqualTo(RelayCounter.ER_DROP4_SOURCE_NOT_SERVICE_ADDRESS);
        assertThat(check(net, v4("192.0.2.5", "8.8.8.8"))).isEqualTo(RelayCounter.ER_DROP4_SOURCE_NOT_SERVICE_ADDRESS);
        assertThat(check(net, v4("203.0.113.7", "192.0.2.9"))).isEqualTo(RelayCounter.ER_DROP4_SOURCE_NOT_SERVICE_ADDRESS);
        // The IPv6 rules are the node-based ER's.
        assertThat(check(net, v6("2001:db8:a::", "2001:db8:a::"))).isEqualTo(RelayCounter.ER_DROP6_SOURCE_IS_LOCAL);
        assertThat(check(net, v6("2001:db8:46::c000:209", "2001:db8:a::"))).isNull();
        assertThatThrownBy(() -> RelayFilter.networkEdgeRelay(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void edgeRelayDropsIpv6FromItsOwnServiceAddresses() {
        assertThat(check(EDGE, v6("2001:db8:a::", "2001:db8:a::"))).isEqualTo(RelayCounter.ER_DROP6_SOURCE_IS_LOCAL);
        assertThat(check(EDGE, v6("2001:db8:a::", "fd00::1"))).isEqualTo(RelayCounter.ER_DROP6_SOURCE_IS_LOCAL);
        assertThat(check(EDGE, v6("fd00::1", "2001:db8:a::"))).isEqualTo(RelayCounter.ER_DROP6_SOURCE_IS_LOCAL);
        assertThat(check(EDGE, v6("2001:db8:b::3", "2001:db8:a::"))).isEqualTo(RelayCounter.ER_DROP6_SOURCE_IS_LOCAL);
        assertThat(check(EDGE, v6("2001:db8:b::4", "2001:db8:a::"))).isNull(); // no EAM, not pool6
    }

    @Test
    void edgeRelayDropsIpv6WhoseSourceTranslatesToALocalServiceAddress() {
        // through pool6 (a spoofed "IPv4 client" that is the node itself)
        assertThat(check(EDGE, v6("2001:db8:46::c633:640a", "2001:db8:a::")))
                .isEqualTo(RelayCounter.ER_DROP6_SOURCE_MAPS_TO_LOCAL);
        assertThat(check(EDGE, v6("2001:db8:46::cb00:71c8", "2001:db8:a::")))
                .isEqualTo(RelayCounter.ER_DROP6_SOURCE_MAPS_TO_LOCAL);
        assertThat(check(EDGE, v6("2001:db8:46::a01:203", "2001:db8:a::")))
                .isEqualTo(RelayCounter.ER_DROP6_SOURCE_MAPS_TO_LOCAL);
        // through another EAM whose IPv4 prefix holds a local Service Address (198.51.100.0/24 -> .10)
        assertThat(check(EDGE, v6("2001:db8:f::a", "2001:db8:a::")))
                .isEqualTo(RelayCounter.ER_DROP6_SOURCE_MAPS_TO_LOCAL);
        // other sources pass
        assertThat(check(EDGE, v6("2001:db8:f::b", "2001:db8:a::"))).isNull();
        assertThat(check(EDGE, v6("2001:db8:46::cb00:7107", "2001:db8:a::"))).isNull();
        assertThat(check(EDGE, v6("2001:db8:c::5", "2001:db8:a::"))).isNull();
    }

    @Test
    void withoutPool6OnlyEamsTranslate() {
        Settings s = Settings.compile(config(null, Eam.parse("198.51.100.10", "2001:db8:a::"),
                Eam.parse("198.51.100.0/24", "2001:db8:f::/120")));
        RelayFilter f = RelayFilter.edgeRelay(ServiceAddress.resolveAll(List.of(ip4("198.51.100.10")), s.eamTable()));
        byte[] p = v6("2001:db8:46::c633:640a", "2001:db8:a::");
        assertThat(f.check(p, OFF, p.length - OFF, s)).isNull();
        p = v6("2001:db8:f::a", "2001:db8:a::");
        assertThat(f.check(p, OFF, p.length - OFF, s)).isEqualTo(RelayCounter.ER_DROP6_SOURCE_MAPS_TO_LOCAL);
    }

    @Test
    void packetsTooShortToInspectGoToTheTranslator() {
        byte[] p4 = v4("203.0.113.7", "192.0.2.9");
        assertThat(EDGE.check(p4, OFF, 19, ER_SETTINGS)).isNull();
        assertThat(EDGE.check(p4, OFF, 0, ER_SETTINGS)).isNull();
        byte[] p6 = v6("2001:db8:a::", "ff02::2");
        assertThat(EDGE.check(p6, OFF, 39, ER_SETTINGS)).isNull();
        assertThat(BORDER.check(p6, OFF, 39, ER_SETTINGS)).isNull();
        byte[] junk = new byte[OFF + 40];
        junk[OFF] = 0x50;
        assertThat(EDGE.check(junk, OFF, 40, ER_SETTINGS)).isNull();
    }

    @Test
    void checkingAllocatesNothing() {
        var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        byte[][] packets = {v4("203.0.113.7", "192.0.2.9"), v4("198.51.100.10", "192.0.2.9"),
            v6("2001:db8:46::c633:640a", "2001:db8:a::"), v6("2001:db8:46::cb00:7107", "2001:db8:a::"),
            v6("fe80::1", "ff02::2"), v6("2001:db8:f::a", "2001:db8:a::")};
        int hits = 0;
        for (int round = 0; round < 2; round++) {    // the first round warms up
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 200_000; i++) {
                byte[] p = packets[i % packets.length];
                if (EDGE.check(p, OFF, p.length - OFF, ER_SETTINGS) != null) hits++;
            }
            long allocated = mx.getCurrentThreadAllocatedBytes() - before;
            if (round == 1) assertThat(allocated).as("bytes allocated by 200000 checks").isLessThan(4096);
        }
        assertThat(hits).isEqualTo(2 * (33_333 * 4 + 1));  // packets 0, 2, 4 and 5 are dropped or ignored
    }

    @Test
    void filterUsesTheSettingsItIsGiven() {
        // The same filter with new settings (a live EAMT change) sees the new table.
        Settings more = ER_SETTINGS.withEamTable(ER_SETTINGS.eamTable().with(Eam.parse("203.0.113.7", "2001:db8:d::7")));
        byte[] p = v4("203.0.113.7", "192.0.2.9");
        assertThat(EDGE.check(p, OFF, p.length - OFF, more)).isNull();
        assertThat(EDGE.check(p, OFF, p.length - OFF, ER_SETTINGS)).isEqualTo(RelayCounter.ER_DROP4_SOURCE_WITHOUT_EAM);
    }

    @Test
    void edgeRelayNeedsServiceAddresses() {
        assertThatThrownBy(() -> RelayFilter.edgeRelay(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThat(RelayFilter.of(Role.BORDER_RELAY, LOCAL).edgeRelay()).isFalse();
        assertThat(RelayFilter.of(Role.EDGE_RELAY, LOCAL).edgeRelay()).isTrue();
    }

    @Test
    void serviceAddressesComeFromTheirOwnSlash32Eam() {
        EamTable t = ER_SETTINGS.eamTable();
        assertThat(ServiceAddress.resolve(ip4("198.51.100.10"), t).toString()).isEqualTo("198.51.100.10=2001:db8:a::");
        assertThatThrownBy(() -> ServiceAddress.resolve(ip4("198.51.100.11"), t))
                .hasMessageContaining("198.51.100.11 is covered by the EAM 198.51.100.0/24 <-> 2001:db8:f::/120")
                .hasMessageContaining("/32 <-> /128");
        assertThatThrownBy(() -> ServiceAddress.resolve(ip4("203.0.113.7"), t))
                .hasMessageStartingWith("203.0.113.7 has no EAM");
        // a /32 mapped to a shorter IPv6 prefix is not a dedicated IPv6 Service Address either
        EamTable odd = EamTable.of(List.of(Eam.parse("198.51.100.10", "2001:db8:a::/64")));
        assertThatThrownBy(() -> ServiceAddress.resolve(ip4("198.51.100.10"), odd)).hasMessageContaining("/32 <-> /128");
    }
}
