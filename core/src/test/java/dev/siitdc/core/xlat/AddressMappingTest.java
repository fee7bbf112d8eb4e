package dev.siitdc.core.xlat;

import dev.siitdc.core.addr.Ipv6Prefix;
import dev.siitdc.core.eam.Eam;
import dev.siitdc.core.testutil.PacketView;
import dev.siitdc.core.testutil.Pkt;
import dev.siitdc.core.testutil.RefChecksum;
import dev.siitdc.core.testutil.XlatRun;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static dev.siitdc.core.testutil.PacketExpect.expect;
import static dev.siitdc.core.xlat.Net.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Address mapping: RFC 7757 EAM precedence and RFC 6052 s3.1 (checklist 16, 74, 113-116, 118-123). */
class AddressMappingTest {

    /** Adds an EAM for an IPv4 client network and an overlapping, longer EAM inside 192.0.2.0/24. */
    static Translator moreEams() {
        return translator(b -> b.eamt = List.of(
                Eam.parse("192.0.2.0/24", "2001:db8:aaaa::/120"),
                Eam.parse("192.0.2.8/29", "2001:db8:cccc::/125"),
                Eam.parse("100.64.0.0/24", "2001:db8:bbbb::/120")));
    }

    @Test
    @DisplayName("RFC 7757 s3.2 / s5: the EAMT wins over pool6; source (pool6) and destination (EAM) are mapped independently, 4->6")
    void eamPrecedence46() {
        byte[] in = Pkt.v4(CLIENT4, SERVER_A4).tcp(1, 2).payload(8).build();
        PacketView v = run(in).only();
        assertThat(v.src).isEqualTo(CLIENT6);
        assertThat(v.dst).as("EAM, not 2001:db8:64::c000:205").isEqualTo(SERVER_A6);
        expect(v).l4Valid();
    }

    @Test
    @DisplayName("RFC 7757 s3.2 / s5: the EAMT wins over pool6; source (EAM) and destination (pool6) are mapped independently, 6->4")
    void eamPrecedence64() {
        PacketView v = run(Pkt.v6(SERVER_A6, CLIENT6).tcp(1, 2).payload(8).build()).only();
        expect(v).route(SERVER_A4, CLIENT4);
        expect(v).l4Valid();
    }

    @ParameterizedTest(name = "{0} <-> {1}")
    @CsvSource({"192.0.2.5, 2001:db8:aaaa::5", "192.0.2.9, 2001:db8:cccc::1", "192.0.2.15, 2001:db8:cccc::7",
            "192.0.2.16, 2001:db8:aaaa::10"})
    @DisplayName("RFC 7757 s3.3: longest-prefix match among overlapping EAMs, both directions (Jool eamt.md oracle)")
    void longestPrefix(String v4, String v6) {
        Translator t = moreEams();
        assertThat(run(t, Pkt.v4(CLIENT4, v4).udp(1, 2).build()).only().dst).isEqualTo(v6);
        assertThat(run(t, Pkt.v6(v6, CLIENT6).udp(1, 2).build()).only().src).isEqualTo(v4);
    }

    @Test
    @DisplayName("RFC 7757 s3.2: both addresses through EAMs (Edge Relay to server)")
    void bothEam() {
        Translator t = moreEams();
        XlatRun r = run(t, Pkt.v4("100.64.0.7", SERVER_A4).tcp(1, 2).payload(3).build());
        assertThat(r.only().src).isEqualTo("2001:db8:bbbb::7");
        assertThat(r.only().dst).isEqualTo(SERVER_A6);
        assertThat(RefChecksum.l4Valid(r.onlyBytes())).isTrue();
        XlatRun back = run(t, Pkt.v6(SERVER_A6, "2001:db8:bbbb::7").tcp(2, 1).payload(3).build());
        assertThat(back.only().src).isEqualTo(SERVER_A4);
        assertThat(back.only().dst).isEqualTo("100.64.0.7");
        assertThat(RefChecksum.l4Valid(back.onlyBytes())).isTrue();
    }

    @Test
    @DisplayName("RFC 7915 s5.1: an IPv6 source outside pool6 and the EAMT is not translated (ICMPv6 1/5 to it)")
    void untranslatableSource64() {
        byte[] in = Pkt.v6("2001:db8:ffff::9", CLIENT6).tcp(1, 2).build();
        XlatRun r = run(in);
        assertThat(r.views).noneMatch(v -> v.version == 4);
        assertThat(r.dropCounters()).isEqualTo(Map.of(Counter.DROP64_SRC_UNTRANSLATABLE, 1L));
        for (PacketView v : r.views) {
            expect(v).icmp(1, 5).dst("2001:db8:ffff::9");
        }
    }

    @Test
    @DisplayName("RFC 7915 s5.1: an IPv6 destination outside pool6 and the EAMT is not translated")
    void untranslatableDestination64() {
        XlatRun r = run(Pkt.v6(SERVER_A6, "2001:db8:ffff::9").tcp(1, 2).build());
        assertThat(r.views).noneMatch(v -> v.version == 4);
        assertThat(r.dropCounters()).isEqualTo(Map.of(Counter.DROP64_DST_UNTRANSLATABLE, 1L));
    }

    @Test
    @DisplayName("RFC 7757 s3.2 / RFC 7755 s3: without pool6, an IPv4 destination outside the EAMT is not translated")
    void untranslatableDestination46() {
        Translator t = translator(b -> b.pool6 = null);
        XlatRun r = run(t, Pkt.v4("192.0.2.77", "198.51.100.77").tcp(1, 2).build());
        assertThat(r.views).noneMatch(v -> v.version == 6);
        assertThat(r.dropCounters()).isEqualTo(Map.of(Counter.DROP46_DST_UNTRANSLATABLE, 1L));
    }

    // ------------------------------------------------------------------ RFC 6052 s3.1 / RFC 8215

    static Translator wkp(String prefix) {
        return translator(b -> b.pool6 = Ipv6Prefix.parse(prefix));
    }

    /** Under 64:ff9b::/96 {@code in} is refused: no packet of the other family, {@code drop} counted once. */
    static void assertWkpRefused(byte[] in, int otherVersion, Counter drop) {
        XlatRun r = run(wkp("64:ff9b::/96"), in);
        assertThat(r.views).noneMatch(v -> v.version == otherVersion);
        assertThat(r.dropCounters()).isEqualTo(Map.of(drop, 1L));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"10.1.2.3, 192.0.2.5", "192.168.1.1, 192.0.2.5", "8.8.8.8, 192.168.1.1", "8.8.8.8, 10.1.2.3",
            "100.64.0.1, 192.0.2.5", "172.16.0.1, 192.0.2.5"})
    @DisplayName("RFC 6052 s3.1: with 64:ff9b::/96, a non-global IPv4 source or destination is refused 4->6")
    void wkpRefused46(String src, String dst) {
        assertWkpRefused(Pkt.v4(src, dst).tcp(1, 2).build(), 6, Counter.DROP46_WKP_NON_GLOBAL);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"64:ff9b::a01:203, 2001:db8:aaaa::5", "64:ff9b::c0a8:101, 2001:db8:aaaa::5",
            "2001:db8:aaaa::5, 64:ff9b::a01:203", "2001:db8:aaaa::5, 64:ff9b::c0a8:101"})
    @DisplayName("RFC 6052 s3.1: with 64:ff9b::/96, an address embedding a non-global IPv4 address is refused 6->4")
    void wkpRefused64(String src, String dst) {
        assertWkpRefused(Pkt.v6(src, dst).tcp(1, 2).build(), 4, Counter.DROP64_WKP_NON_GLOBAL);
    }

    @Test
    @DisplayName("RFC 6052 s2.1 / s3.1: with 64:ff9b::/96, global IPv4 addresses translate both ways")
    void wkpGlobal() {
        Translator t = wkp("64:ff9b::/96");
        assertThat(run(t, Pkt.v4("8.8.8.8", SERVER_A4).tcp(1, 2).build()).only().src).isEqualTo("64:ff9b::808:808");
        assertThat(run(t, Pkt.v6(SERVER_A6, "64:ff9b::808:808").tcp(1, 2).build()).only().dst).isEqualTo("8.8.8.8");
    }

    @Test
    @DisplayName("RFC 8215: 64:ff9b:1::/48 (local use) translates non-global IPv4 addresses both ways")
    void localUsePrefix() {
        Translator t = wkp("64:ff9b:1::/48");
        XlatRun r = run(t, Pkt.v4("10.1.2.3", SERVER_A4).tcp(1, 2).payload(5).build());
        assertThat(r.only().src).isEqualTo("64:ff9b:1:a01:2:300::");
        assertThat(RefChecksum.l4Valid(r.onlyBytes())).isTrue();
        XlatRun back = run(t, Pkt.v6(SERVER_A6, "64:ff9b:1:c0a8:1:100::").tcp(1, 2).payload(5).build());
        assertThat(back.only().dst).isEqualTo("192.168.1.1");
        assertThat(RefChecksum.l4Valid(back.onlyBytes())).isTrue();
    }

    @ParameterizedTest(name = "pool6 {0}: {1} <-> {2}")
    @CsvSource({
            "2001:db8::/32, 192.0.2.33, 2001:db8:c000:221::",
            "2001:db8:100::/40, 192.0.2.33, 2001:db8:1c0:2:21::",
            "2001:db8:122::/48, 192.0.2.33, 2001:db8:122:c000:2:2100::",
            "2001:db8:122:300::/56, 192.0.2.33, 2001:db8:122:3c0:0:221::",
            "2001:db8:122:344::/64, 192.0.2.33, 2001:db8:122:344:c0:2:2100:0",
            "2001:db8:122:344::/96, 192.0.2.33, 2001:db8:122:344::c000:221",
    })
    @DisplayName("RFC 6052 s2.2 / s2.4: every pool6 length translates both ways with valid checksums (the RFC's own examples)")
    void pool6Lengths(String prefix, String v4, String v6) {
        Translator t = translator(b -> { b.pool6 = Ipv6Prefix.parse(prefix); b.eamt = List.of(Eam.parse("198.51.100.0/24", "3fff:eeee::/120")); });
        XlatRun r = run(t, Pkt.v4(v4, "198.51.100.2").udp(1, 2).payload(9).build());
        assertThat(r.only().src).isEqualTo(v6);
        assertThat(RefChecksum.l4Valid(r.onlyBytes())).isTrue();
        XlatRun back = run(t, Pkt.v6("3fff:eeee::1", v6).udp(2, 1).payload(9).build());
        assertThat(back.only().dst).isEqualTo(v4);
        assertThat(RefChecksum.l4Valid(back.onlyBytes())).isTrue();
    }
}
