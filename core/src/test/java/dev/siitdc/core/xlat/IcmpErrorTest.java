package dev.siitdc.core.xlat;

import dev.siitdc.core.addr.Ipv4Prefix;
import dev.siitdc.core.addr.Ipv6Prefix;
import dev.siitdc.core.eam.Eam;
import dev.siitdc.core.testutil.PacketView;
import dev.siitdc.core.testutil.Pkt;
import dev.siitdc.core.testutil.RefChecksum;
import dev.siitdc.core.testutil.XlatRun;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import java.util.stream.Stream;

import static dev.siitdc.core.testutil.PacketExpect.expect;
import static dev.siitdc.core.xlat.Net.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Translating ICMP errors (RFC 7915 s4.3, s5.3, RFC 6791; checklist 17, 50-55, 94-97, 126-128). */
class IcmpErrorTest {

    // ------------------------------------------------------------------ the packet in error

    /**
     * {@code q} carrying 12 bytes of {@code proto}: TCP between port 40000 and server port 80, UDP between 40000
     * and 53 (from the server when {@code fromServer}), or an ICMP echo request 3/4.
     */
    static byte[] quotedPacket(Pkt q, String proto, boolean fromServer) {
        int server = proto.equals("TCP") ? 80 : 53;
        int sport = fromServer ? server : 40000, dport = fromServer ? 40000 : server;
        switch (proto) {
            case "TCP" -> q.tcp(sport, dport);
            case "UDP" -> q.udp(sport, dport);
            default -> q.echoRequest(3, 4);
        }
        return q.payload(12).build();
    }

    @ParameterizedTest(name = "inner {0}")
    @ValueSource(strings = {"TCP", "UDP", "ICMP echo"})
    @DisplayName("RFC 7915 s4.3: ICMPv4 error -> inner packet translated (inner TTL kept), outer Hop Limit - 1, lengths updated")
    void inner46(String proto) {
        byte[] quoted = quotedPacket(Pkt.v4(SERVER_A4, CLIENT4).ttl(63).tos(0x10).df().id(0x4321), proto, true);
        byte[] in = Pkt.v4(ROUTER4, SERVER_A4).ttl(50).icmpError(3, 3, quoted).build();
        XlatRun r = run(in);
        PacketView v = r.only();
        expect(v).route(ROUTER4_6, SERVER_A6).hopLimit(49).icmp(1, 4);
        assertThat(v.payloadLength).as("outer length: 8 + 40 + inner transport").isEqualTo(8 + 40 + quoted.length - 20);
        assertThat(RefChecksum.l4Valid(r.onlyBytes())).as("ICMPv6 checksum").isTrue();
        PacketView inner = v.inner();
        expect(inner).version(6).route(SERVER_A6, CLIENT6);
        assertThat(inner.hopLimit).as("inner TTL not decremented").isEqualTo(63);
        assertThat(inner.trafficClass).isEqualTo(0x10);
        assertThat(inner.payloadLength).isEqualTo(quoted.length - 20);
        assertThat(inner.hasFragmentHeader).isFalse();
        assertThat(RefChecksum.l4Valid(inner.bytes)).as("inner transport checksum updated").isTrue();
        if (proto.equals("ICMP echo")) assertThat(inner.icmpType).isEqualTo(128);
        else assertThat(inner.protocol).isEqualTo(proto.equals("TCP") ? Pkt.TCP : Pkt.UDP);
    }

    @ParameterizedTest(name = "inner {0}")
    @ValueSource(strings = {"TCP", "UDP", "ICMP echo"})
    @DisplayName("RFC 7915 s5.3: ICMPv6 error -> inner packet translated (inner Hop Limit kept), outer TTL - 1, lengths updated")
    void inner64(String proto) {
        byte[] quoted = quotedPacket(Pkt.v6(CLIENT6, SERVER_A6).hopLimit(63).trafficClass(0x10), proto, false);
        byte[] in = Pkt.v6(SERVER_A6, CLIENT6).hopLimit(50).icmpError(1, 4, quoted).build();
        XlatRun r = run(in);
        PacketView v = r.only();
        expect(v).route(SERVER_A4, CLIENT4).ttl(49).icmp(3, 3);
        assertThat(v.totalLength).isEqualTo(20 + 8 + 20 + quoted.length - 40);
        assertThat(RefChecksum.l4Valid(r.onlyBytes())).as("ICMPv4 checksum").isTrue();
        PacketView inner = v.inner();
        expect(inner).version(4).route(CLIENT4, SERVER_A4).ttl(63);
        assertThat(inner.tos).isEqualTo(0x10);
        assertThat(inner.totalLength).isEqualTo(quoted.length - 20);
        assertThat(RefChecksum.ipv4HeaderValid(inner.bytes)).isTrue();
        assertThat(RefChecksum.l4Valid(inner.bytes)).as("inner transport checksum updated").isTrue();
        if (proto.equals("ICMP echo")) assertThat(inner.icmpType).isEqualTo(8);
    }

    static Stream<Arguments> truncatedQuotes() {
        ToIntFunction<PacketView> payloadLength = inner -> inner.payloadLength, totalLength = inner -> inner.totalLength;
        return Stream.of(
                arguments("RFC 7915 s4.3: inner length fields come from the original header, not the truncated quote (Jool bbe1)",
                        // Total Length 1500, 28 bytes quoted
                        Pkt.v4(ROUTER4, SERVER_A4).icmpError(3, 1, Pkt.cut(tcpFromA4(1460).build(), 28)).build(),
                        40 + 8 + 40 + 8, payloadLength),
                arguments("RFC 7915 s5.3: inner Total Length comes from the original Payload Length, not the truncated quote",
                        // Payload Length 1460, 48 bytes quoted
                        Pkt.v6(SERVER_A6, CLIENT6).icmpError(1, 0, Pkt.cut(tcpToA6(1440).build(), 48)).build(),
                        20 + 8 + 20 + 8, totalLength));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("truncatedQuotes")
    @DisplayName("RFC 7915 s4.3 / s5.3: the inner length field of a truncated quote, 4->6 and 6->4")
    void truncatedQuote(String name, byte[] error, int length, ToIntFunction<PacketView> innerLength) {
        PacketView v = run(error).only();
        assertThat(v.length).isEqualTo(length);
        assertThat(innerLength.applyAsInt(v.inner())).isEqualTo(1480);
        expect(v).l4Valid();
    }

    @Test
    @DisplayName("RFC 7915 s4.3 + s4.1: a quoted IPv4 fragment gets an inner Fragment header (ID zero-extended)")
    void innerFragment46() {
        byte[] quoted = Pkt.v4(SERVER_A4, CLIENT4).id(0x5566).mf().udp(53, 40000).payload(40).build();
        PacketView inner = run(Pkt.v4(ROUTER4, SERVER_A4).icmpError(11, 1, quoted).build()).only().inner();
        assertThat(inner.extHeaders).containsExactly(Pkt.FRAGMENT);
        assertThat(inner.fragId).isEqualTo(0x5566);
        assertThat(inner.mf).isTrue();
        assertThat(inner.protocol).isEqualTo(Pkt.UDP);
        assertThat(inner.payloadLength).isEqualTo(8 + 48);
    }

    @Test
    @DisplayName("RFC 7915 s4.3 + s1.2: the quoted IPv4 packet's options are dropped, its lengths adjusted")
    void innerOptions46() {
        byte[] quoted = Pkt.v4(SERVER_A4, CLIENT4).options(new byte[] {1, 1, 1, 1, 7, 7, 4, 0, 0, 0, 0})
                .udp(53, 40000).payload(20).build();
        XlatRun r = run(Pkt.v4(ROUTER4, SERVER_A4).icmpError(3, 3, quoted).build());
        PacketView inner = r.only().inner();
        assertThat(inner.extHeaders).isEmpty();
        assertThat(inner.payloadLength).isEqualTo(28);
        assertThat(inner.sport).isEqualTo(53);
        assertThat(inner.l4Payload()).isEqualTo(Pkt.pattern(20));
        assertThat(RefChecksum.l4Valid(inner.bytes)).isTrue();
        assertThat(r.only().length).isEqualTo(48 + 40 + 28);
    }

    @Test
    @DisplayName("RFC 7915 s5.3 + s5.1: the quoted IPv6 packet's extension headers are skipped, its Total Length adjusted")
    void innerExtensionHeaders64() {
        byte[] quoted = Pkt.v6(CLIENT6, SERVER_A6).hopByHop().destOptions().udp(40000, 53).payload(20).build();
        XlatRun r = run(Pkt.v6(SERVER_A6, CLIENT6).icmpError(1, 4, quoted).build());
        PacketView inner = r.only().inner();
        assertThat(inner.totalLength).isEqualTo(20 + 28);
        expect(inner).protocol(Pkt.UDP).dport(53);
        assertThat(RefChecksum.l4Valid(inner.bytes)).isTrue();
        assertThat(r.only().length).isEqualTo(28 + 20 + 28);
    }

    @Test
    @DisplayName("RFC 7915 s5.3 + s5.1.1: a quoted IPv6 fragment -> inner IPv4 ID = low 16 bits, MF and offset copied")
    void innerFragment64() {
        byte[] quoted = Pkt.v6(CLIENT6, SERVER_A6).fragment(0xaabbccddL, 0, true).udp(40000, 53).payload(40).build();
        PacketView inner = run(Pkt.v6(SERVER_A6, CLIENT6).icmpError(3, 1, quoted).build()).only().inner();
        assertThat(inner.id).isEqualTo(0xccdd);
        assertThat(inner.mf).isTrue();
        assertThat(inner.df).isFalse();
        assertThat(inner.totalLength).isEqualTo(20 + 48);
    }

    @ParameterizedTest(name = "lowest-ipv6-mtu {0}")
    @ValueSource(ints = {1280, 1500})
    @DisplayName("RFC 4443 s2.4(c) / RFC 7915 s4.3: a 1500-byte ICMPv4 error -> 1280-byte ICMPv6 error, whatever lowest-ipv6-mtu (Jool bb, ja)")
    void cap1280(int lowest) {
        Translator t = translator(b -> b.lowestIpv6Mtu = lowest);
        byte[] quoted = Pkt.cut(tcpFromA4(1460).build(), 1472);
        byte[] in = Pkt.v4(ROUTER4, SERVER_A4).icmpError(3, 3, quoted).build();
        assertThat(in).hasSize(1500);
        PacketView v = run(t, in).only();
        assertThat(v.length).isEqualTo(1280);
        assertThat(v.hasFragmentHeader).isFalse();
        assertThat(v.inner().payloadLength).isEqualTo(1480);
        byte[] innerL4 = v.inner().l4(), quotedL4 = PacketView.of(quoted).l4();
        assertThat(innerL4).hasSize(1280 - 88);
        assertThat(Arrays.copyOfRange(innerL4, 18, innerL4.length)).as("TCP data after the checksum unchanged")
                .isEqualTo(Arrays.copyOfRange(quotedL4, 18, innerL4.length));
        expect(v).l4Valid();
    }

    @Test
    @DisplayName("RFC 1812 s4.3.2.3 / RFC 7915 s5.3: a 700-byte ICMPv6 error -> 576-byte ICMPv4 error")
    void cap576() {
        byte[] quoted = Pkt.cut(tcpToA6(1400).build(), 652);
        byte[] in = Pkt.v6(SERVER_A6, CLIENT6).icmpError(1, 4, quoted).build();
        assertThat(in).hasSize(700);
        PacketView v = run(in).only();
        assertThat(v.length).isEqualTo(576);
        assertThat(v.df).isFalse();
        assertThat(v.inner().totalLength).isEqualTo(1440);
        expect(v).l4Valid();
    }

    // ------------------------------------------------------------------ errors that are dropped

    static Stream<Arguments> icmpInIcmp() {
        byte[] innerError4 = Pkt.v4(SERVER_A4, CLIENT4).icmpError(3, 1, tcpFromA4(0).build()).build();
        byte[] innerError6 = Pkt.v6(CLIENT6, SERVER_A6).icmpError(1, 4, tcpToA6(0).build()).build();
        return Stream.of(
                arguments("RFC 7915 s4.3: an ICMPv4 error quoting an ICMPv4 error is dropped silently",
                        Pkt.v4(ROUTER4, SERVER_A4).icmpError(3, 3, innerError4).build(),
                        Counter.DROP46_ICMP_IN_ICMP, Counter.ICMP4_ERRORS_SENT),
                arguments("RFC 7915 s5.3: an ICMPv6 error quoting an ICMPv6 error is dropped silently",
                        Pkt.v6(SERVER_A6, CLIENT6).icmpError(1, 4, innerError6).build(),
                        Counter.DROP64_ICMP_IN_ICMP, Counter.ICMP6_ERRORS_SENT));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("icmpInIcmp")
    @DisplayName("RFC 7915 s4.3 / s5.3: an ICMP error quoting an ICMP error is dropped silently, 4->6 and 6->4")
    void icmpInIcmp(String name, byte[] in, Counter drop, Counter errorsSent) {
        XlatRun r = run(in);
        r.assertDropped(drop);
        assertThat(r.delta(errorsSent)).isZero();
    }

    @Test
    @DisplayName("RFC 7915 s4.3 (Jool derived.icmp4err-badcsum): an ICMPv4 error with a bad checksum is dropped silently")
    void badChecksum46() {
        XlatRun r = run(Pkt.v4(ROUTER4, SERVER_A4).icmpError(3, 3, tcpFromA4(4).build()).checksumOffBy(1).build());
        r.assertDropped(Counter.DROP46_ICMP_CHECKSUM);
    }

    @Test
    @DisplayName("RFC 7915 s5.3 (Jool derived.icmp6err-badcsum): an ICMPv6 error with a bad checksum is dropped silently")
    void badChecksum64() {
        XlatRun r = run(Pkt.v6(SERVER_A6, CLIENT6).icmpError(1, 4, tcpToA6(4).build()).checksumOffBy(1).build());
        r.assertDropped(Counter.DROP64_ICMP_CHECKSUM);
    }

    @Test
    @DisplayName("RFC 7915 s4.4 / RFC 1812 s4.3.2.7: an ICMPv4 error whose TTL expires is dropped without an error about it")
    void errorTtlExpired46() {
        XlatRun r = run(Pkt.v4(ROUTER4, SERVER_A4).ttl(1).icmpError(3, 3, tcpFromA4(4).build()).build());
        r.assertDropped(Counter.DROP46_TTL_EXPIRED);
    }

    @Test
    @DisplayName("RFC 7915 s5.4 / RFC 4443 s2.4(e): an ICMPv6 error whose Hop Limit expires is dropped without an error about it")
    void errorHopLimitExpired64() {
        XlatRun r = run(Pkt.v6(SERVER_A6, CLIENT6).hopLimit(1).icmpError(1, 4, tcpToA6(4).build()).build());
        r.assertDropped(Counter.DROP64_HOP_LIMIT_EXPIRED);
    }

    // ------------------------------------------------------------------ sources (RFC 7915 s4.1, RFC 6791)

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"127.0.0.1, 2001:db8:64::7f00:1", "0.0.0.0, 2001:db8:64::"})
    @DisplayName("RFC 7915 s4.1: \"illegal\" sources of ICMPv4 errors are translated, for troubleshooting (Jool ha1, ha2)")
    void illegalErrorSource(String src, String src6) {
        XlatRun r = run(Pkt.v4(src, SERVER_A4).icmpError(3, 3, tcpFromA4(4).build()).build());
        assertThat(r.only().src).isEqualTo(src6);
        assertThat(RefChecksum.l4Valid(r.onlyBytes())).isTrue();
    }

    static byte[] errorFromIpv6Router() {
        return Pkt.v6(ROUTER6, CLIENT6).hopLimit(60).icmpError(3, 0, tcpToA6(8).build()).build();
    }

    @Test
    @DisplayName("RFC 6791 / RFC 7915 s5.1: ICMPv6 error from an untranslatable source -> source from rfc6791v4-prefix (Jool 6791v64)")
    void rfc6791v4Pool() {
        Translator t = translator(b -> b.rfc6791v4Prefix = Ipv4Prefix.parse("198.51.100.200/32"));
        PacketView v = run(t, errorFromIpv6Router()).only();
        expect(v).route("198.51.100.200", CLIENT4).icmpType(11);
        expect(v).l4Valid();
    }

    @ParameterizedTest(name = "randomize {0}")
    @ValueSource(booleans = {false, true})
    @DisplayName("RFC 6791 s4: the rfc6791v4 source is an address of the configured prefix")
    void rfc6791v4PoolPrefix(boolean randomize) {
        Translator t = translator(b -> {
            b.rfc6791v4Prefix = Ipv4Prefix.parse("100.64.0.0/29");
            b.randomizeRfc6791Addresses = randomize;
        });
        Ipv4Prefix pool = Ipv4Prefix.parse("100.64.0.0/29");
        for (int i = 0; i < 20; i++) {
            String src = run(t, errorFromIpv6Router()).only().src;
            assertThat(pool.contains(Ipv4Prefix.parseAddress(src))).as(src).isTrue();
        }
    }

    @Test
    @DisplayName("RFC 6791 s4 / RFC 7915 s5.1: without rfc6791v4-prefix the ICMPv4 source is own-ipv4-address (Jool 6791v64-empty)")
    void rfc6791v4Fallback() {
        assertThat(run(errorFromIpv6Router()).only().src).isEqualTo(OWN4);
    }

    @Test
    @DisplayName("RFC 7600 / RFC 6791: with neither rfc6791v4-prefix nor own-ipv4-address, the source is 192.0.0.8")
    void rfc6791v4DummyAddress() {
        Translator t = translator(b -> b.ownIpv4Address = null);
        assertThat(run(t, errorFromIpv6Router()).only().src).isEqualTo("192.0.0.8");
    }

    @Test
    @DisplayName("RFC 6791 s4: only errors get an RFC 6791 source; an echo from an untranslatable source is dropped")
    void rfc6791OnlyForErrors() {
        Translator t = translator(b -> b.rfc6791v4Prefix = Ipv4Prefix.parse("198.51.100.200/32"));
        XlatRun r = run(t, Pkt.v6(ROUTER6, CLIENT6).echoRequest(1, 2).build());
        assertThat(r.views).noneMatch(v -> v.version == 4);
        assertThat(r.dropCounters()).isEqualTo(Map.of(Counter.DROP64_SRC_UNTRANSLATABLE, 1L));
    }

    /** pool6 unset; the IPv4 Internet's relevant parts mapped by EAM. */
    static Translator eamOnly(String rfc6791v6) {
        return translator(b -> {
            b.pool6 = null;
            b.eamt = List.of(Eam.parse("192.0.2.0/24", "2001:db8:aaaa::/120"),
                    Eam.parse("203.0.113.0/24", "2001:db8:64::cb00:7100/120"));
            b.rfc6791v6Prefix = rfc6791v6 == null ? null : Ipv6Prefix.parse(rfc6791v6);
        });
    }

    static byte[] errorFromUnmappedIpv4Router() {
        return Pkt.v4("8.8.8.8", SERVER_A4).icmpError(3, 1, tcpFromA4(8).build()).build();
    }

    @Test
    @DisplayName("RFC 6791 (mirror) / RFC 7915 s4.1: ICMPv4 error from an unmapped source, pool6 unset -> source from rfc6791v6-prefix (Jool 6791v46)")
    void rfc6791v6Pool() {
        PacketView v = run(eamOnly("2001:db8:6791::/64"), errorFromUnmappedIpv4Router()).only();
        assertThat(Ipv6Prefix.parse("2001:db8:6791::/64").contains(Pkt.addr6(v.src), 0)).as(v.src).isTrue();
        assertThat(v.dst).isEqualTo(SERVER_A6);
        assertThat(v.inner().src).isEqualTo(SERVER_A6);
        assertThat(v.inner().dst).isEqualTo(CLIENT6);
        expect(v).l4Valid();
        assertThat(run(eamOnly("2::2"), errorFromUnmappedIpv4Router()).only().src).isEqualTo("2::2");
    }

    @Test
    @DisplayName("RFC 6791 (mirror): without rfc6791v6-prefix the ICMPv6 source is own-ipv6-address (Jool 6791v46-empty)")
    void rfc6791v6Fallback() {
        assertThat(run(eamOnly(null), errorFromUnmappedIpv4Router()).only().src).isEqualTo(OWN6);
    }

    @Test
    @DisplayName("RFC 7915 s4.1: a non-error IPv4 packet from an unmapped source is not translated (pool6 unset)")
    void unmappedSourceNonError() {
        XlatRun r = run(eamOnly("2001:db8:6791::/64"), Pkt.v4("8.8.8.8", SERVER_A4).tcp(1, 2).build());
        r.assertDropped(Counter.DROP46_SRC_UNTRANSLATABLE);
    }
}
