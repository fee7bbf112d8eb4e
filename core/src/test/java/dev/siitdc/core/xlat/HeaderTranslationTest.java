package dev.siitdc.core.xlat;

import dev.siitdc.core.testutil.PacketView;
import dev.siitdc.core.testutil.Pkt;
import dev.siitdc.core.testutil.RefChecksum;
import dev.siitdc.core.testutil.XlatRun;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static dev.siitdc.core.testutil.PacketExpect.expect;
import static dev.siitdc.core.xlat.Net.*;
import static org.assertj.core.api.Assertions.assertThat;

/** IP header fields both ways (RFC 7915 s4.1, s5.1; checklist 1, 2, 10-19, 65-76, 153-154). */
class HeaderTranslationTest {

    // ------------------------------------------------------------------ 4 -> 6

    @Test
    @DisplayName("RFC 7915 s4.1: IPv4 header -> IPv6 header (TC = TOS, flow label 0, Payload Length, Next Header, Hop Limit - 1)")
    void header46() {
        byte[] in = Pkt.v4(CLIENT4, SERVER_A4).tos(0xb8).ttl(64).df().id(0x1234).tcp(40000, 80).payload(100).build();
        XlatRun r = run(in);
        PacketView v = r.only();
        expect(v).version(6).trafficClass(0xb8);
        assertThat(v.flowLabel).isZero();
        assertThat(v.payloadLength).isEqualTo(120);
        assertThat(v.nextHeader).isEqualTo(Pkt.TCP);
        assertThat(v.extHeaders).as("no Fragment header for an unfragmented packet").isEmpty();
        expect(v).hopLimit(63).route(CLIENT6, SERVER_A6).ports(40000, 80);
        assertThat(v.l4Payload()).as("data unchanged").isEqualTo(Pkt.pattern(100));
        assertThat(RefChecksum.l4Valid(r.onlyBytes())).isTrue();
        assertThat(r.delta(Counter.TRANSLATED46)).isEqualTo(1);
        assertThat(r.delta(Counter.BYTES46)).isEqualTo(160);
        assertThat(r.drops()).isZero();
    }

    @Test
    @DisplayName("RFC 7915 s4.1: zeroize-traffic-class sets Traffic Class 0")
    void zeroizeTrafficClass() {
        Translator t = translator(b -> b.zeroizeTrafficClass = true);
        byte[] in = Pkt.v4(CLIENT4, SERVER_A4).tos(0xb8).tcp(1, 2).build();
        assertThat(run(t, in).only().trafficClass).isZero();
    }

    @Test
    @DisplayName("RFC 7915 s4.1: DF=0 small packet: no Fragment header (RFC 8021, no atomic fragments)")
    void noAtomicFragments46() {
        byte[] in = Pkt.v4(CLIENT4, SERVER_A4).id(0x4444).udp(1, 2).payload(50).build();
        PacketView v = run(in).only();
        assertThat(v.extHeaders).isEmpty();
        assertThat(v.nextHeader).isEqualTo(Pkt.UDP);
    }

    @ParameterizedTest(name = "TTL {0}")
    @ValueSource(ints = {0, 1})
    @DisplayName("RFC 7915 s4.1 / RFC 1812 s5.3.1: TTL expiring in the translator -> ICMPv4 11/0 from own-ipv4-address, TTL 64")
    void ttlExpired(int ttl) {
        byte[] in = Pkt.v4(CLIENT4, SERVER_A4).tos(0x20).ttl(ttl).tcp(40000, 80).payload(20).build();
        XlatRun r = run(in);
        PacketView v = r.only();
        expect(v).version(4).route(OWN4, CLIENT4).ttl(64);
        assertThat(v.tos).isZero();
        expect(v).icmp(11, 0);
        assertThat(v.icmpBody()).as("quotes the packet as received").isEqualTo(in);
        assertThat(RefChecksum.l4Valid(r.onlyBytes())).isTrue();
        assertThat(r.dropCounters()).isEqualTo(Map.of(Counter.DROP46_TTL_EXPIRED, 1L));
        assertThat(r.delta(Counter.ICMP4_ERRORS_SENT)).isEqualTo(1);
    }

    @Test
    @DisplayName("RFC 1812 s4.3.2.7: no ICMPv4 error about a non-first fragment (TTL 1: dropped silently)")
    void noErrorAboutNonFirstFragment() {
        byte[] in = Pkt.v4(CLIENT4, SERVER_A4).ttl(1).fragOffset(1480).raw(Pkt.UDP).payload(40).build();
        XlatRun r = run(in);
        r.assertDropped(Counter.DROP46_TTL_EXPIRED);
        assertThat(r.delta(Counter.ICMP_ERRORS_SUPPRESSED)).isEqualTo(1);
    }

    @Test
    @DisplayName("RFC 7915 s5.4: without own-ipv6-address the translator cannot originate ICMPv6 errors (Hop Limit 1: dropped, counted)")
    void noOwnIpv6Address() {
        Translator t = translator(b -> b.ownIpv6Address = null);
        XlatRun r = run(t, Pkt.v6(SERVER_A6, CLIENT6).hopLimit(1).tcp(1, 2).build());
        r.assertDropped(Counter.DROP64_HOP_LIMIT_EXPIRED);
        assertThat(r.delta(Counter.ICMP_ERRORS_SUPPRESSED)).isEqualTo(1);
    }

    @Test
    @DisplayName("RFC 7915 s4.1: TTL 2 -> Hop Limit 1 (translated)")
    void ttlTwo() {
        assertThat(run(Pkt.v4(CLIENT4, SERVER_A4).ttl(2).tcp(1, 2).build()).only().hopLimit).isEqualTo(1);
    }

    @Test
    @DisplayName("RFC 7915 s1.2 / s4.1: IPv4 options are ignored, never translated")
    void optionsDropped() {
        byte[] rr = {7, 11, 4, 0, 0, 0, 0, 0, 0, 0, 0};                  // Record Route, 2 slots
        byte[] opts = Pkt.concat(new byte[] {1, 1}, rr, new byte[] {(byte) 148, 4, 0, 0}); // NOPs, RR, Router Alert
        byte[] in = Pkt.v4(CLIENT4, SERVER_A4).options(opts).tcp(40000, 80).payload(30).build();
        assertThat(PacketView.of(in).ihl).isGreaterThan(5);
        PacketView v = run(in).only();
        assertThat(v.extHeaders).isEmpty();
        assertThat(v.nextHeader).isEqualTo(Pkt.TCP);
        assertThat(v.payloadLength).isEqualTo(50);
        assertThat(v.l4Payload()).isEqualTo(Pkt.pattern(30));
        expect(v).l4Valid();
    }

    static byte[] sourceRoute(int type, int pointer, int addresses) {
        byte[] o = new byte[3 + 4 * addresses];
        o[0] = (byte) type;
        o[1] = (byte) o.length;
        o[2] = (byte) pointer;
        for (int i = 0; i < addresses; i++) { o[3 + 4 * i] = (byte) 198; o[4 + 4 * i] = 51; o[5 + 4 * i] = 100; o[6 + 4 * i] = (byte) (10 + i); }
        return o;
    }

    @ParameterizedTest(name = "option {0} pointer {1}, {2} addresses, unexpired {3}")
    @CsvSource({
            "131, 4, 1, true", "131, 8, 2, true", "131, 8, 1, false", "131, 12, 2, false",
            "137, 4, 1, true", "137, 12, 3, true", "137, 8, 1, false", "137, 255, 3, false",
    })
    @DisplayName("RFC 7915 s4.1: an unexpired LSRR/SSRR -> drop + ICMPv4 3/5 (source route failed); an expired one is translated")
    void sourceRouteOption(int type, int pointer, int addresses, boolean unexpired) {
        byte[] opt = Pkt.concat(new byte[] {1}, sourceRoute(type, pointer, addresses));
        byte[] in = Pkt.v4(CLIENT4, SERVER_A4).options(opt).tcp(40000, 80).payload(10).build();
        assertThat(unexpired).isEqualTo(pointer <= 3 + 4 * addresses);
        XlatRun r = run(in);
        PacketView v = r.only();
        if (unexpired) {
            expect(v).version(4).route(OWN4, CLIENT4).icmp(3, 5).quotes(in);
            assertThat(r.dropCounters()).isEqualTo(Map.of(Counter.DROP46_SOURCE_ROUTE, 1L));
        } else {
            assertThat(v.version).isEqualTo(6);
            assertThat(v.extHeaders).isEmpty();
            assertThat(RefChecksum.l4Valid(r.onlyBytes())).isTrue();
            assertThat(r.drops()).isZero();
        }
    }

    @Test
    @DisplayName("RFC 7915 s4.2 / s1.2: IGMP is not translated (dropped, counted)")
    void igmpDropped() {
        byte[] in = Pkt.v4(CLIENT4, SERVER_A4).raw(2).payload(8).build();
        XlatRun r = run(in);
        r.assertDropped(Counter.DROP46_IGMP);
    }

    @ParameterizedTest(name = "protocol {0}")
    @ValueSource(ints = {33, 59, 132, 253})
    @DisplayName("RFC 7915 s4.5 / s5.5: unknown transports are forwarded, only the IP header translated (Jool fa)")
    void unknownTransportBothWays(int proto) {
        byte[] in4 = Pkt.v4(CLIENT4, SERVER_A4).raw(proto).payload(37).build();
        PacketView v6 = run(in4).only();
        assertThat(v6.nextHeader).isEqualTo(proto);
        assertThat(v6.l4()).isEqualTo(Pkt.pattern(37));
        byte[] in6 = Pkt.v6(SERVER_A6, CLIENT6).raw(proto).payload(37).build();
        PacketView v4 = run(in6).only();
        assertThat(v4.protocol).isEqualTo(proto);
        assertThat(v4.l4()).isEqualTo(Pkt.pattern(37));
    }

    @ParameterizedTest(name = "source {0}")
    @ValueSource(strings = {"0.0.0.0", "127.0.0.1", "224.0.0.5", "240.0.0.1", "255.255.255.255"})
    @DisplayName("RFC 7915 s4.1 / RFC 1812 s5.3.7: illegal IPv4 source is silently dropped")
    void illegalSource(String src) {
        byte[] in = Pkt.v4(src, SERVER_A4).tcp(1, 2).build();
        XlatRun r = run(in);
        r.assertDropped(Counter.DROP46_SRC_ILLEGAL);
    }

    // ------------------------------------------------------------------ 6 -> 4

    @Test
    @DisplayName("RFC 7915 s5.1: IPv6 header -> IPv4 header (IHL 5, TOS = TC, Total Length, MF 0, offset 0, TTL - 1, Protocol)")
    void header64() {
        byte[] in = Pkt.v6(SERVER_A6, CLIENT6).trafficClass(0xb8).flowLabel(0x12345).hopLimit(64)
                .tcp(80, 40000).payload(100).build();
        XlatRun r = run(in);
        PacketView v = r.only();
        assertThat(v.version).isEqualTo(4);
        assertThat(v.ihl).isEqualTo(5);
        assertThat(v.tos).isEqualTo(0xb8);
        assertThat(v.totalLength).isEqualTo(140);
        assertThat(v.df).as("<= 1260 bytes: DF clear").isFalse();
        assertThat(v.mf).isFalse();
        assertThat(v.fragOffset).isZero();
        expect(v).ttl(63).protocol(Pkt.TCP).route(SERVER_A4, CLIENT4);
        assertThat(v.l4Payload()).isEqualTo(Pkt.pattern(100));
        assertThat(RefChecksum.ipv4HeaderValid(r.onlyBytes())).isTrue();
        assertThat(RefChecksum.l4Valid(r.onlyBytes())).isTrue();
        assertThat(r.delta(Counter.TRANSLATED64)).isEqualTo(1);
        assertThat(r.delta(Counter.BYTES64)).isEqualTo(140);
    }

    @Test
    @DisplayName("RFC 7915 s5.1: override-tos sets the configured TOS instead of the Traffic Class")
    void overrideTos() {
        Translator t = translator(b -> { b.overrideTos = true; b.tos = 0x28; });
        byte[] in = Pkt.v6(SERVER_A6, CLIENT6).trafficClass(0xb8).tcp(1, 2).build();
        assertThat(run(t, in).only().tos).isEqualTo(0x28);
    }

    @ParameterizedTest(name = "Hop Limit {0}")
    @ValueSource(ints = {0, 1})
    @DisplayName("RFC 7915 s5.1 / RFC 4443 s3.3: Hop Limit expiring -> ICMPv6 3/0 from own-ipv6-address, hop limit 64, TC 0, flow label 0")
    void hopLimitExpired(int hl) {
        byte[] in = Pkt.v6(SERVER_A6, CLIENT6).trafficClass(0x20).flowLabel(7).hopLimit(hl).tcp(80, 40000).payload(20).build();
        XlatRun r = run(in);
        PacketView v = r.only();
        expect(v).version(6).route(OWN6, SERVER_A6).hopLimit(64);
        assertThat(v.trafficClass).isZero();
        assertThat(v.flowLabel).isZero();
        expect(v).icmp(3, 0).quotes(in).l4Valid();
        assertThat(r.dropCounters()).isEqualTo(Map.of(Counter.DROP64_HOP_LIMIT_EXPIRED, 1L));
        assertThat(r.delta(Counter.ICMP6_ERRORS_SENT)).isEqualTo(1);
    }

    @ParameterizedTest(name = "IPv6 {0} bytes -> IPv4 {1} bytes, DF {2}")
    @CsvSource({"1280, 1260, false", "1281, 1261, true", "100, 80, false", "1500, 1480, true"})
    @DisplayName("RFC 7915 s5.1: DF is set iff the IPv4 packet is larger than 1260 bytes (checklist 69, 108)")
    void dfRule(int size6, int size4, boolean df) {
        byte[] in = Pkt.v6(SERVER_A6, CLIENT6).udp(80, 40000).payload(size6 - 48).build();
        PacketView v = run(in).only();
        assertThat(v.totalLength).isEqualTo(size4);
        assertThat(v.df).isEqualTo(df);
        assertThat(v.mf).isFalse();
        expect(v).l4Valid();
    }

    @Test
    @DisplayName("RFC 7915 s5.1: Hop-by-Hop, Destination Options and Routing (Segments Left 0) are skipped")
    void extensionHeadersSkipped() {
        byte[] in = Pkt.v6(SERVER_A6, CLIENT6).hopByHop().destOptions().routing(0).destOptions()
                .udp(80, 40000).payload(40).build();
        PacketView v = run(in).only();
        assertThat(v.protocol).isEqualTo(Pkt.UDP);
        assertThat(v.totalLength).isEqualTo(20 + 48);
        assertThat(v.l4Payload()).isEqualTo(Pkt.pattern(40));
        expect(v).l4Valid();
    }

    @ParameterizedTest(name = "HBH first {0}, Segments Left {1} -> pointer {2}")
    @CsvSource({"false, 1, 43", "false, 2, 43", "true, 1, 51", "true, 100, 51"})
    @DisplayName("RFC 7915 s5.1: Routing header with Segments Left != 0 -> ICMPv6 4/0, pointer = offset of Segments Left")
    void segmentsLeft(boolean hopByHop, int segmentsLeft, int pointer) {
        Pkt p = Pkt.v6(SERVER_A6, CLIENT6);
        if (hopByHop) p.hopByHop();
        byte[] in = p.routing(segmentsLeft).tcp(80, 40000).payload(10).build();
        assertThat(in[pointer] & 0xff).as("the pointer names the Segments Left octet").isEqualTo(segmentsLeft);
        XlatRun r = run(in);
        PacketView v = r.only();
        expect(v).version(6).route(OWN6, SERVER_A6).icmp(4, 0).pointer(pointer);
        assertThat(v.icmpBody()).as("quotes the packet as received, up to 1280 bytes").isEqualTo(Pkt.cut(in, 1232));
        assertThat(RefChecksum.l4Valid(r.onlyBytes())).isTrue();
        assertThat(r.dropCounters()).isEqualTo(Map.of(Counter.DROP64_SEGMENTS_LEFT, 1L));
    }

    @Test
    @DisplayName("RFC 7915 s5.1: an ICMPv6 error with a Routing header (Segments Left != 0) is not translated, and not answered")
    void segmentsLeftOnIcmpError() {
        byte[] in = Pkt.v6(SERVER_A6, CLIENT6).routing(1).icmpError(1, 4, tcpToA6(10).build()).build();
        XlatRun r = run(in);
        assertThat(r.views).as("neither translated nor answered with an error about an error").isEmpty();
        assertThat(r.drops()).isEqualTo(1);
    }

    @Test
    @DisplayName("RFC 7915 s4.1: an ICMPv4 error with an unexpired source route is not translated, and not answered")
    void sourceRouteOnIcmpError() {
        byte[] in = Pkt.v4(ROUTER4, SERVER_A4).options(sourceRoute(131, 4, 1))
                .icmpError(3, 3, tcpFromA4(10).build()).build();
        XlatRun r = run(in);
        assertThat(r.views).isEmpty();
        assertThat(r.drops()).isEqualTo(1);
    }
}
