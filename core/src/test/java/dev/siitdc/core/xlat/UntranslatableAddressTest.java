package dev.siitdc.core.xlat;

import dev.siitdc.core.addr.Ipv6Prefix;
import dev.siitdc.core.eam.Eam;
import dev.siitdc.core.testutil.PacketView;
import dev.siitdc.core.testutil.Pkt;
import dev.siitdc.core.testutil.XlatRun;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.stream.Stream;

import static dev.siitdc.core.testutil.PacketExpect.expect;
import static dev.siitdc.core.xlat.Net.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Issue 10 item 2 and issue 13 item 1: what the translator says about addresses it cannot translate.
 * An untranslatable IPv6 destination gets ICMPv6 1/1 (RFC 7915 s5.1; checklist 98); an IPv4 address
 * refused under the Well-Known Prefix gets ICMPv4 3/13 (RFC 6052 s3.1, RFC 7915 s4; checklist 56); an
 * illegal source is dropped silently (RFC 7915 s5.1), except inside the packet an ICMP error quotes
 * (RFC 7915 s4.1, checklist 55).
 */
class UntranslatableAddressTest {

    /** A Border Relay on the Well-Known Prefix with global addresses: an IPv4 client 8.8.4.4, a server 192.0.2.5. */
    static Translator wkp() {
        return translator(b -> b.pool6 = Ipv6Prefix.parse("64:ff9b::/96"));
    }

    @Test
    @DisplayName("RFC 7915 s5.1: an IPv6 destination neither in an EAM nor in pool6 -> ICMPv6 Destination Unreachable 1 (administratively prohibited) from own-ipv6-address")
    void ipv6DestinationUntranslatable() {
        byte[] in = Pkt.v6(SERVER_A6, "2001:db8:ffff::99").tcp(80, 40000).payload(10).build();
        XlatRun r = run(in);
        PacketView v = r.only();
        expect(v).version(6).route(OWN6, SERVER_A6).icmp(1, 1).quotes(in).l4Valid();
        assertThat(r.dropCounters()).containsOnlyKeys(Counter.DROP64_DST_UNTRANSLATABLE);
        assertThat(r.delta(Counter.ICMP6_ERRORS_SENT)).isEqualTo(1);
    }

    @Test
    @DisplayName("RFC 6052 s3.1: an IPv6 destination 64:ff9b::10.1.1.1 (non-global) -> ICMPv6 1/1")
    void ipv6DestinationWkpNonGlobal() {
        byte[] in = Pkt.v6(SERVER_A6, "64:ff9b::a01:101").udp(1, 2).payload(4).build();
        XlatRun r = run(wkp(), in);
        PacketView v = r.only();
        expect(v).icmp(1, 1);
        assertThat(r.dropCounters()).containsOnlyKeys(Counter.DROP64_WKP_NON_GLOBAL);
    }

    @Test
    @DisplayName("RFC 7915 s5.4: the 1/1 goes through the ICMP error rate limiter")
    void ipv6DestinationUntranslatableRateLimited() {
        Translator t = translator();
        t.setIcmpRateLimit(new IcmpRateLimiter(1, 1), () -> 0L);
        byte[] in = Pkt.v6(SERVER_A6, "2001:db8:ffff::99").udp(1, 2).payload(4).build();
        assertThat(run(t, in).packets).hasSize(1);
        XlatRun second = run(t, in);
        assertThat(second.packets).isEmpty();
        assertThat(second.delta(Counter.ICMP_ERRORS_RATE_LIMITED)).isEqualTo(1);
    }

    @Test
    @DisplayName("RFC 4443 s2.4: no 1/1 about an ICMPv6 error to an untranslatable destination")
    void noErrorAboutAnError() {
        byte[] quoted = Pkt.v6("2001:db8:ffff::99", SERVER_A6).udp(1, 2).payload(4).build();
        byte[] in = Pkt.v6(SERVER_A6, "2001:db8:ffff::99").icmpError(1, 4, quoted).build();
        XlatRun r = run(in);
        assertThat(r.packets).isEmpty();
    }

    @Test
    @DisplayName("RFC 6052 s3.1 + RFC 7915 s4: an IPv4 source 10.1.1.1 refused under 64:ff9b::/96 -> ICMPv4 3/13 from own-ipv4-address")
    void ipv4SourceWkpNonGlobal() {
        byte[] in = Pkt.v4("10.1.1.1", SERVER_A4).ttl(64).udp(1, 2).payload(4).build();
        XlatRun r = run(wkp(), in);
        PacketView v = r.only();
        expect(v).version(4).route(OWN4, "10.1.1.1").icmp(3, 13).quotes(in).l4Valid();
        assertThat(r.dropCounters()).containsOnlyKeys(Counter.DROP46_WKP_NON_GLOBAL);
        assertThat(r.delta(Counter.ICMP4_ERRORS_SENT)).isEqualTo(1);
    }

    @Test
    @DisplayName("RFC 6052 s3.1 + RFC 7915 s4: an IPv4 destination 10.1.1.1 (no EAM) refused under 64:ff9b::/96 -> ICMPv4 3/13")
    void ipv4DestinationWkpNonGlobal() {
        byte[] in = Pkt.v4("8.8.4.4", "10.1.1.1").ttl(64).tcp(1, 2).payload(4).build();
        XlatRun r = run(wkp(), in);
        PacketView v = r.only();
        expect(v).dst("8.8.4.4").icmp(3, 13);
        assertThat(r.dropCounters()).containsOnlyKeys(Counter.DROP46_WKP_NON_GLOBAL);
    }

    @Test
    @DisplayName("RFC 6052 s3.1: a global IPv4 client reaches its server under 64:ff9b::/96 (the 3/13 rule refuses only non-global addresses)")
    void ipv4GlobalUnderWkpIsTranslated() {
        byte[] in = Pkt.v4("8.8.4.4", SERVER_A4).ttl(64).tcp(1, 2).payload(4).build();
        PacketView v = run(wkp(), in).only();
        expect(v).version(6).src("64:ff9b::808:404");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"0.0.0.0", "0.1.2.3", "127.0.0.1", "224.0.0.1", "239.1.2.3", "255.255.255.255"})
    @DisplayName("RFC 7915 s5.1: an IPv6 source that maps through pool6 to an illegal IPv4 address is dropped silently, counted as drop-6to4-source-illegal")
    void ipv6IllegalSourceSilent(String v4) {
        String src = "2001:db8:64::" + hex(v4);
        XlatRun r = run(Pkt.v6(src, SERVER_A6).udp(1, 2).payload(4).build());
        r.assertDroppedBy(Counter.DROP64_SRC_ILLEGAL);   // no ICMPv6 1/5, nothing at all
    }

    @Test
    @DisplayName("RFC 7915 s5.1 (issue 13's example): 3fff:4646::7f00:1 under pool6 3fff:4646::/96 is dropped silently")
    void issueExample() {
        Translator t = translator(b -> {
            b.pool6 = Ipv6Prefix.parse("3fff:4646::/96");
            b.eamt = List.of(Eam.parse("192.0.2.0/24", "2001:db8:aaaa::/120"));
        });
        XlatRun r = run(t, Pkt.v6("3fff:4646::7f00:1", SERVER_A6).udp(1, 2).payload(4).build());
        r.assertDroppedBy(Counter.DROP64_SRC_ILLEGAL);
    }

    @Test
    @DisplayName("RFC 7915 s5.1: a source outside every prefix and every EAM still gets ICMPv6 1/5")
    void untranslatableSourceKeepsCode5() {
        XlatRun r = run(Pkt.v6("2001:db8:ffff::7", CLIENT6).udp(1, 2).payload(4).build());
        PacketView v = r.only();
        expect(v).icmp(1, 5);
        assertThat(r.dropCounters()).containsOnlyKeys(Counter.DROP64_SRC_UNTRANSLATABLE);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"0.0.0.0", "127.0.0.1", "224.0.0.1", "255.255.255.255"})
    @DisplayName("RFC 1812 s5.3.7: an illegal IPv4 source is dropped silently too (4->6), counted as drop-4to6-source-illegal")
    void ipv4IllegalSourceSilent(String v4) {
        XlatRun r = run(Pkt.v4(v4, SERVER_A4).ttl(64).udp(1, 2).payload(4).build());
        r.assertDroppedBy(Counter.DROP46_SRC_ILLEGAL);
    }

    static Stream<Arguments> illegalInnerAddresses() {
        // the IPv4 client's packet, as the IPv6 side saw it, went to pool6::127.0.0.1; server A reports it
        byte[] quoted6 = Pkt.v6(CLIENT6, "2001:db8:64::7f00:1").hopLimit(10).udp(1, 2).payload(4).build();
        byte[] quoted4 = Pkt.v4(SERVER_A4, "127.0.0.1").ttl(10).udp(1, 2).payload(4).build();
        return Stream.of(
                arguments("an illegal address inside the packet an ICMPv6 error quotes is still translated (6->4)",
                        Pkt.v6(SERVER_A6, CLIENT6).icmpError(1, 4, quoted6).build(), 4, CLIENT4, CLIENT4, "127.0.0.1"),
                arguments("an illegal address inside the packet an ICMPv4 error quotes is still translated (4->6)",
                        Pkt.v4(ROUTER4, SERVER_A4).ttl(64).icmpError(3, 1, quoted4).build(), 6, SERVER_A6, SERVER_A6,
                        "2001:db8:64::7f00:1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("illegalInnerAddresses")
    @DisplayName("RFC 7915 s4.1 (troubleshooting): an illegal address inside the packet an ICMP error quotes is still translated")
    void illegalInnerAddressTranslated(String name, byte[] in, int version, String dst, String innerSrc, String innerDst) {
        XlatRun r = run(in);
        PacketView v = r.only();
        expect(v).version(version).dst(dst);
        assertThat(v.inner().src).isEqualTo(innerSrc);
        assertThat(v.inner().dst).isEqualTo(innerDst);
        assertThat(r.drops()).isZero();
    }

    private static String hex(String v4) {
        byte[] a = Pkt.addr4(v4);
        return Integer.toHexString(((a[0] & 0xff) << 8) | (a[1] & 0xff)) + ":" + Integer.toHexString(((a[2] & 0xff) << 8) | (a[3] & 0xff));
    }
}
