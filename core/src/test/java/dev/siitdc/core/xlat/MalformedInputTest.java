package dev.siitdc.core.xlat;

import dev.siitdc.core.testutil.PacketView;
import dev.siitdc.core.testutil.Pkt;
import dev.siitdc.core.testutil.RefChecksum;
import dev.siitdc.core.testutil.XlatRun;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static dev.siitdc.core.testutil.PacketExpect.expect;
import static dev.siitdc.core.xlat.Net.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Malformed input (checklist 153; RFC 791, RFC 8200, RFC 1812 s5.2.2): dropped with its named
 * counter, nothing emitted, no exception; and drop accounting: every dropped packet increments exactly
 * one DROP counter.
 */
class MalformedInputTest {

    static byte[] v4(byte[] p, int off, int v) { byte[] c = p.clone(); c[off] = (byte) v; return c; }

    static Stream<Arguments> malformed() {
        byte[] tcp4 = tcp46(20).build();
        byte[] tcp6 = tcp64(20).build();
        return Stream.of(
                arguments("empty", new byte[0], Counter.DROP_UNKNOWN_VERSION),
                arguments("version 5", v4(tcp4, 0, 0x55), Counter.DROP_UNKNOWN_VERSION),
                arguments("version 0", new byte[40], Counter.DROP_UNKNOWN_VERSION),
                // IPv4
                arguments("IPv4 shorter than 20 bytes", Pkt.cut(tcp4, 19), Counter.DROP46_TRUNCATED),
                arguments("IPv4 IHL 4", Pkt.v4(CLIENT4, SERVER_A4).ihl(4).tcp(1, 2).build(), Counter.DROP46_BAD_HEADER),
                arguments("IPv4 IHL 0", Pkt.v4(CLIENT4, SERVER_A4).ihl(0).tcp(1, 2).build(), Counter.DROP46_BAD_HEADER),
                arguments("IPv4 IHL past the end", Pkt.cut(Pkt.v4(CLIENT4, SERVER_A4).ihl(15).raw(99).payload(40).build(), 40),
                        Counter.DROP46_TRUNCATED),
                arguments("IPv4 Total Length > bytes received", Pkt.v4(CLIENT4, SERVER_A4).totalLength(200).tcp(1, 2).payload(20).build(),
                        Counter.DROP46_TRUNCATED),
                arguments("IPv4 truncated in transit", Pkt.cut(tcp4, tcp4.length - 1), Counter.DROP46_TRUNCATED),
                arguments("IPv4 Total Length < IHL", Pkt.v4(CLIENT4, SERVER_A4).totalLength(19).tcp(1, 2).build(), Counter.DROP46_BAD_HEADER),
                arguments("IPv4 header checksum wrong", Pkt.v4(CLIENT4, SERVER_A4).headerChecksum(0x1234).tcp(1, 2).build(),
                        Counter.DROP46_BAD_HEADER),
                arguments("IPv4 TCP data offset beyond the packet", Pkt.v4(CLIENT4, SERVER_A4).tcp(1, 2).tcpDataOffset(15).payload(10).build(),
                        Counter.DROP46_TRUNCATED),
                arguments("IPv4 TCP shorter than 20 bytes", Pkt.v4(CLIENT4, SERVER_A4).raw(Pkt.TCP).payload(19).build(), Counter.DROP46_TRUNCATED),
                arguments("IPv4 UDP shorter than 8 bytes", Pkt.v4(CLIENT4, SERVER_A4).raw(Pkt.UDP).payload(7).build(), Counter.DROP46_TRUNCATED),
                arguments("IPv4 fragment ending past 65535", Pkt.v4(CLIENT4, SERVER_A4).fragOffset(65528).raw(Pkt.UDP).payload(16).build(),
                        Counter.DROP46_BAD_FRAGMENT),
                arguments("ICMPv4 shorter than 8 bytes", Pkt.v4(CLIENT4, SERVER_A4).raw(Pkt.ICMP).payload(7).build(), Counter.DROP46_TRUNCATED),
                arguments("ICMPv4 error quoting 19 bytes", Pkt.v4(ROUTER4, SERVER_A4).icmpError(3, 3, Pkt.cut(tcpFromA4(0).build(), 19)).build(),
                        Counter.DROP46_INNER_INVALID),
                arguments("ICMPv4 error quoting nothing", Pkt.v4(ROUTER4, SERVER_A4).icmpError(3, 3, new byte[0]).build(),
                        Counter.DROP46_INNER_INVALID),
                arguments("ICMPv4 error quoting IHL 4", Pkt.v4(ROUTER4, SERVER_A4).icmpError(3, 3, v4(tcpFromA4(0).build(), 0, 0x44)).build(),
                        Counter.DROP46_INNER_INVALID),
                arguments("ICMPv4 error quoting an IPv6 packet", Pkt.v4(ROUTER4, SERVER_A4).icmpError(3, 3, tcp6).build(),
                        Counter.DROP46_INNER_INVALID),
                // IPv6
                arguments("IPv6 shorter than 40 bytes", Pkt.cut(tcp6, 39), Counter.DROP64_TRUNCATED),
                arguments("IPv6 Payload Length > bytes received", Pkt.v6(SERVER_A6, CLIENT6).payloadLength(300).tcp(1, 2).build(),
                        Counter.DROP64_TRUNCATED),
                arguments("IPv6 truncated in transit", Pkt.cut(tcp6, tcp6.length - 1), Counter.DROP64_TRUNCATED),
                arguments("IPv6 extension header past the end",
                        Pkt.v6(SERVER_A6, CLIENT6).ext(Pkt.HOP_BY_HOP, new byte[] {0, 5, 1, 4, 0, 0, 0, 0}).raw(Pkt.UDP).payload(8).build(),
                        Counter.DROP64_TRUNCATED),
                arguments("IPv6 extension header cut by Payload Length", Pkt.v6(SERVER_A6, CLIENT6).hopByHop().payloadLength(4).build(),
                        Counter.DROP64_TRUNCATED),
                arguments("IPv6 Hop-by-Hop not first", Pkt.v6(SERVER_A6, CLIENT6).destOptions().hopByHop().udp(1, 2).build(),
                        Counter.DROP64_BAD_HEADER),
                arguments("IPv6 two Fragment headers", Pkt.v6(SERVER_A6, CLIENT6).fragment(1, 0, true).fragment(1, 0, true).udp(1, 2).build(),
                        Counter.DROP64_BAD_HEADER),
                arguments("IPv6 TCP data offset beyond the packet", Pkt.v6(SERVER_A6, CLIENT6).tcp(1, 2).tcpDataOffset(15).payload(10).build(),
                        Counter.DROP64_TRUNCATED),
                arguments("IPv6 TCP shorter than 20 bytes", Pkt.v6(SERVER_A6, CLIENT6).raw(Pkt.TCP).payload(19).build(), Counter.DROP64_TRUNCATED),
                arguments("IPv6 UDP shorter than 8 bytes", Pkt.v6(SERVER_A6, CLIENT6).raw(Pkt.UDP).payload(7).build(), Counter.DROP64_TRUNCATED),
                arguments("IPv6 fragment ending past 65535", Pkt.v6(SERVER_A6, CLIENT6).fragment(1, 65528, false).raw(Pkt.UDP).payload(16).build(),
                        Counter.DROP64_BAD_FRAGMENT),
                arguments("ICMPv6 shorter than 8 bytes", Pkt.v6(SERVER_A6, CLIENT6).raw(Pkt.ICMP6).payload(7).build(), Counter.DROP64_TRUNCATED),
                arguments("ICMPv6 error quoting 39 bytes", Pkt.v6(SERVER_A6, CLIENT6).icmpError(1, 4, Pkt.cut(tcpToA6(0).build(), 39)).build(),
                        Counter.DROP64_INNER_INVALID),
                arguments("ICMPv6 error quoting an IPv4 packet", Pkt.v6(SERVER_A6, CLIENT6).icmpError(1, 4, Pkt.concat(tcp4, new byte[40])).build(),
                        Counter.DROP64_INNER_INVALID),
                arguments("ICMPv6 error quoting a truncated extension header",
                        Pkt.v6(SERVER_A6, CLIENT6).icmpError(1, 4, Pkt.cut(Pkt.v6(CLIENT6, SERVER_A6).routing(0).tcp(1, 2).build(), 50)).build(),
                        Counter.DROP64_INNER_INVALID));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    @DisplayName("Checklist 153 (RFC 791 / RFC 8200 / RFC 1812 s5.2.2): malformed input is dropped with its counter, nothing emitted, no exception")
    void malformedDropped(String name, byte[] in, Counter counter) {
        XlatRun r = run(in);
        assertThat(r.packets).as(name).isEmpty();
        assertThat(r.dropCounters()).as(name).isEqualTo(Map.of(counter, 1L));
    }

    static Stream<Arguments> wellFormed() {
        return Stream.of(
                arguments("IPv4 TCP", tcp46(20).build()),
                arguments("IPv4 ICMP error", Pkt.v4(ROUTER4, SERVER_A4).icmpError(3, 3, tcpFromA4(20).build()).build()),
                arguments("IPv6 TCP with extension headers", Pkt.v6(SERVER_A6, CLIENT6).hopByHop().routing(0).tcp(1, 2).payload(20).build()),
                arguments("IPv6 ICMP error", Pkt.v6(SERVER_A6, CLIENT6).icmpError(1, 4, tcpToA6(20).build()).build()),
                arguments("IPv6 fragment", Pkt.fragment6(tcp64(300).build(), 160, 7).get(0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wellFormed")
    @DisplayName("Checklist 153: every strict prefix of a valid packet is dropped with exactly one counter, without exception")
    void everyTruncation(String name, byte[] whole) {
        Translator t = translator();
        for (int n = 0; n < whole.length; n++) {
            XlatRun r = run(t, Arrays.copyOf(whole, n));
            assertThat(r.packets).as("%s cut to %d bytes", name, n).isEmpty();
            assertThat(r.drops()).as("%s cut to %d bytes: %s", name, n, r.delta).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("RFC 791 / RFC 894: bytes after IPv4 Total Length (Ethernet padding) are ignored")
    void ethernetPadding4() {
        assertThat(trailerIgnored(Pkt.v4(CLIENT4, SERVER_A4).tcp(1, 2).payload(4).trailer(18), 40 + 20 + 4).l4Payload())
                .isEqualTo(Pkt.pattern(4));
    }

    /** {@code p} (with trailing bytes after its length field) translates to one packet of {@code length} bytes, valid checksum. */
    private static PacketView trailerIgnored(Pkt p, int length) {
        PacketView v = run(p.build()).only();
        expect(v).length(length).l4Valid();
        return v;
    }

    @Test
    @DisplayName("RFC 8200 s3: bytes after IPv6 Payload Length are ignored")
    void ethernetPadding6() {
        trailerIgnored(Pkt.v6(SERVER_A6, CLIENT6).udp(1, 2).payload(4).trailer(10), 20 + 8 + 4);
    }

    @Test
    @DisplayName("RFC 7915 s4.3: ICMPv4 error padding after the quoted packet's Total Length is kept as opaque data")
    void icmpErrorTrailerKept() {
        byte[] in = Pkt.v4(ROUTER4, SERVER_A4).icmpError(3, 3, Pkt.concat(tcpFromA4(4).build(), new byte[6])).build();
        XlatRun r = run(in);
        assertThat(r.only().inner().payloadLength).isEqualTo(24);
        assertThat(RefChecksum.l4Valid(r.onlyBytes())).isTrue();
    }

    @Test
    @DisplayName("RFC 791 s3.1 / RFC 7915 s4.1: malformed IPv4 option lengths neither hang nor crash the option scan")
    void malformedOptionLengths() {
        for (byte[] opts : List.of(new byte[] {7, 0}, new byte[] {7, 1}, new byte[] {(byte) 131}, new byte[] {1, (byte) 137, 2},
                new byte[] {(byte) 131, (byte) 200, 4}, new byte[] {68, 40, 5, 0})) {
            XlatRun r = run(Pkt.v4(CLIENT4, SERVER_A4).options(opts).udp(1, 2).payload(8).build());
            String what = Arrays.toString(opts) + ": " + r;
            if (r.drops() == 0) assertThat(r.views).as(what).singleElement().matches(v -> v.version == 6);
            else assertThat(r.drops()).as(what).isEqualTo(1);
        }
    }

    // ------------------------------------------------------------------ drop accounting

    static Stream<Arguments> drops() {
        return Stream.of(
                arguments("TTL 1", Pkt.v4(CLIENT4, SERVER_A4).ttl(1).tcp(1, 2).build()),
                arguments("Hop Limit 1", Pkt.v6(SERVER_A6, CLIENT6).hopLimit(1).tcp(1, 2).build()),
                arguments("DF too big", tcp46(1500).build()),
                arguments("PTB", tcp64(1480).build()),
                arguments("UDP zero 4->6", Pkt.v4(CLIENT4, SERVER_A4).udp(1, 2).checksum(0).build()),
                arguments("UDP zero 6->4", Pkt.v6(SERVER_A6, CLIENT6).udp(1, 2).checksum(0).build()),
                arguments("segments left", Pkt.v6(SERVER_A6, CLIENT6).routing(1).udp(1, 2).build()),
                arguments("header after fragment", Pkt.v6(SERVER_A6, CLIENT6).fragment(1, 0, true).destOptions().udp(1, 2).build()),
                arguments("untranslatable IPv6 source", Pkt.v6(ROUTER6, CLIENT6).udp(1, 2).build()),
                arguments("untranslatable IPv6 destination", Pkt.v6(SERVER_A6, ROUTER6).udp(1, 2).build()),
                arguments("illegal IPv4 source", Pkt.v4("127.0.0.1", SERVER_A4).udp(1, 2).build()),
                arguments("multicast IPv4 destination", Pkt.v4(CLIENT4, "224.0.0.1").udp(1, 2).build()),
                arguments("IGMP", Pkt.v4(CLIENT4, SERVER_A4).raw(2).payload(8).build()),
                arguments("ICMPv4 timestamp", Pkt.v4(CLIENT4, SERVER_A4).icmp(13, 0).payload(12).build()),
                arguments("ICMPv6 neighbor solicitation", Pkt.v6(SERVER_A6, CLIENT6).icmp(135, 0).payload(16).build()),
                arguments("ICMPv4 error in error", Pkt.v4(ROUTER4, SERVER_A4).icmpError(3, 3,
                        Pkt.v4(SERVER_A4, CLIENT4).icmpError(11, 0, tcpFromA4(0).build()).build()).build()),
                arguments("ICMPv6 error bad checksum", Pkt.v6(SERVER_A6, CLIENT6).icmpError(1, 0, tcpToA6(0).build()).checksumOffBy(5).build()),
                arguments("fragmented ICMPv4", Pkt.v4(CLIENT4, SERVER_A4).mf().echoRequest(1, 1).payload(16).build()),
                arguments("source route", Pkt.v4(CLIENT4, SERVER_A4).options(new byte[] {(byte) 131, 7, 4, 1, 2, 3, 4}).udp(1, 2).build()),
                arguments("malformed IPv4", Pkt.v4(CLIENT4, SERVER_A4).headerChecksum(1).udp(1, 2).build()),
                arguments("malformed IPv6", Pkt.v6(SERVER_A6, CLIENT6).payloadLength(100).udp(1, 2).build()));
    }

    static final Set<Counter> NOT_DROPS = EnumSet.of(Counter.ICMP4_ERRORS_SENT, Counter.ICMP6_ERRORS_SENT,
            Counter.ICMP_ERRORS_SUPPRESSED, Counter.RECEIVED4, Counter.RECEIVED6);

    @ParameterizedTest(name = "{0}")
    @MethodSource("drops")
    @DisplayName("Counters: every dropped packet increments exactly one DROP counter (and nothing is counted as translated)")
    void exactlyOneDropCounter(String name, byte[] in) {
        XlatRun r = run(in);
        assertThat(r.drops()).as("%s: %s", name, r.delta).isEqualTo(1);
        assertThat(r.delta.keySet()).as(name).allMatch(c -> c.name().startsWith("DROP") || NOT_DROPS.contains(c));
        assertThat(r.views).as("%s: only ICMP errors the translator originates", name)
                .allMatch(v -> v.src.equals(OWN4) || v.src.equals(OWN6));
    }

    @Test
    @DisplayName("Counters: translated packets increment no DROP counter")
    void translatedCountsNoDrop() {
        for (byte[] in : List.of(tcp46(10).build(), tcp64(10).build(),
                Pkt.v4(ROUTER4, SERVER_A4).icmpError(3, 3, tcpFromA4(0).build()).build())) {
            XlatRun r = run(in);
            assertThat(r.packets).hasSize(1);
            assertThat(r.drops()).isZero();
        }
    }
}
