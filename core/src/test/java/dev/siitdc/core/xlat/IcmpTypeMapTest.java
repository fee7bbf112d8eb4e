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

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static dev.siitdc.core.testutil.PacketExpect.expect;
import static dev.siitdc.core.xlat.Net.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * RFC 7915 s4.2 and s5.2: the ICMP type/code tables (checklist 29-48 and 86-92), row by row through
 * the translator with real packets, and exhaustively against {@link IcmpMaps}.
 */
class IcmpTypeMapTest {
    static final int DROP = -1;
    static final Set<Integer> ICMP4_ERRORS = Set.of(3, 4, 5, 11, 12);

    /** RFC 7915 s4.2, (ICMPv4 type, code) -> (ICMPv6 type, code), or DROP. */
    static Stream<Arguments> table46() {
        return Stream.of(
                // queries (checklist 29, 30)
                arguments("Echo Reply", 0, 0, 129, 0),
                arguments("Echo Request", 8, 0, 128, 0),
                arguments("Router Advertisement", 9, 0, DROP, 0),
                arguments("Router Solicitation", 10, 0, DROP, 0),
                arguments("Timestamp", 13, 0, DROP, 0),
                arguments("Timestamp Reply", 14, 0, DROP, 0),
                arguments("Information Request", 15, 0, DROP, 0),
                arguments("Information Reply", 16, 0, DROP, 0),
                arguments("Address Mask Request", 17, 0, DROP, 0),
                arguments("Address Mask Reply", 18, 0, DROP, 0),
                arguments("unassigned type 1", 1, 0, DROP, 0),
                arguments("Alternative Host Address", 6, 0, DROP, 0),
                arguments("Extended Echo Request (unknown to RFC 7915)", 42, 0, DROP, 0),
                arguments("unknown type 255", 255, 0, DROP, 0),
                // Destination Unreachable (checklist 32-43)
                arguments("net unreachable", 3, 0, 1, 0),
                arguments("host unreachable", 3, 1, 1, 0),
                arguments("protocol unreachable", 3, 2, 4, 1),
                arguments("port unreachable", 3, 3, 1, 4),
                arguments("fragmentation needed", 3, 4, 2, 0),
                arguments("source route failed", 3, 5, 1, 0),
                arguments("dest network unknown", 3, 6, 1, 0),
                arguments("dest host unknown", 3, 7, 1, 0),
                arguments("source host isolated", 3, 8, 1, 0),
                arguments("net admin prohibited", 3, 9, 1, 1),
                arguments("host admin prohibited", 3, 10, 1, 1),
                arguments("net unreachable for TOS", 3, 11, 1, 0),
                arguments("host unreachable for TOS", 3, 12, 1, 0),
                arguments("communication admin prohibited", 3, 13, 1, 1),
                arguments("host precedence violation", 3, 14, DROP, 0),
                arguments("precedence cutoff", 3, 15, 1, 1),
                arguments("unknown code 16", 3, 16, DROP, 0),
                arguments("unknown code 255", 3, 255, DROP, 0),
                // other errors (checklist 44-48)
                arguments("Source Quench", 4, 0, DROP, 0),
                arguments("Redirect net", 5, 0, DROP, 0),
                arguments("Redirect host", 5, 1, DROP, 0),
                arguments("Time Exceeded in transit", 11, 0, 3, 0),
                arguments("Time Exceeded reassembly", 11, 1, 3, 1),
                arguments("Parameter Problem pointer", 12, 0, 4, 0),
                arguments("Parameter Problem missing option", 12, 1, DROP, 0),
                arguments("Parameter Problem bad length", 12, 2, 4, 0),
                arguments("Parameter Problem unknown code", 12, 3, DROP, 0));
    }

    /** RFC 7915 s5.2, (ICMPv6 type, code) -> (ICMPv4 type, code), or DROP. */
    static Stream<Arguments> table64() {
        return Stream.of(
                // queries (checklist 86, 87)
                arguments("Echo Request", 128, 0, 8, 0),
                arguments("Echo Reply", 129, 0, 0, 0),
                arguments("MLD Query", 130, 0, DROP, 0),
                arguments("MLD Report", 131, 0, DROP, 0),
                arguments("MLD Done", 132, 0, DROP, 0),
                arguments("Router Solicitation", 133, 0, DROP, 0),
                arguments("Router Advertisement", 134, 0, DROP, 0),
                arguments("Neighbor Solicitation", 135, 0, DROP, 0),
                arguments("Neighbor Advertisement", 136, 0, DROP, 0),
                arguments("Redirect", 137, 0, DROP, 0),
                arguments("Node Information Query", 139, 0, DROP, 0),
                arguments("MLDv2 Report", 143, 0, DROP, 0),
                arguments("private experimentation 200", 200, 0, DROP, 0),
                arguments("unknown informational 255", 255, 0, DROP, 0),
                // Destination Unreachable (checklist 88)
                arguments("no route", 1, 0, 3, 1),
                arguments("admin prohibited", 1, 1, 3, 10),
                arguments("beyond scope", 1, 2, 3, 1),
                arguments("address unreachable", 1, 3, 3, 1),
                arguments("port unreachable", 1, 4, 3, 3),
                arguments("source address failed policy", 1, 5, DROP, 0),
                arguments("reject route", 1, 6, DROP, 0),
                arguments("unknown code 200", 1, 200, DROP, 0),
                // Packet Too Big, Time Exceeded, Parameter Problem (checklist 89-91)
                arguments("Packet Too Big", 2, 0, 3, 4),
                arguments("hop limit exceeded", 3, 0, 11, 0),
                arguments("reassembly time exceeded", 3, 1, 11, 1),
                arguments("erroneous header field", 4, 0, 12, 0),
                arguments("unrecognized Next Header", 4, 1, 3, 2),
                arguments("unrecognized IPv6 option", 4, 2, DROP, 0),
                arguments("unknown Parameter Problem code", 4, 3, DROP, 0),
                // unknown error types
                arguments("reserved error type 0", 0, 0, DROP, 0),
                arguments("unassigned error type 5", 5, 0, DROP, 0),
                arguments("private experimentation error 100", 100, 0, DROP, 0),
                arguments("reserved error type 127", 127, 0, DROP, 0));
    }

    @ParameterizedTest(name = "ICMPv4 {1}/{2} {0} -> {3}/{4}")
    @MethodSource("table46")
    @DisplayName("RFC 7915 s4.2: ICMPv4 type/code -> ICMPv6 type/code through the translator")
    void translate46(String name, int type, int code, int type6, int code6) {
        byte[] in;
        if (ICMP4_ERRORS.contains(type)) {
            Pkt p = Pkt.v4(ROUTER4, SERVER_A4).ttl(50).icmpError(type, code, tcpFromA4(12).build());
            if (type == 3 && code == 4) p.mtu(1400);
            in = p.build();
        } else {
            in = Pkt.v4(CLIENT4, SERVER_A4).ttl(50).icmp(type, code).rest(0x00070009).payload(16).build();
        }
        XlatRun r = run(in);
        if (type6 == DROP) {
            r.assertDropped(Counter.DROP46_ICMP_TYPE);   // silently dropped
            return;
        }
        PacketView v = r.only();
        expect(v).version(6).protocol(Pkt.ICMP6).icmp(type6, code6).hopLimit(49);
        assertThat(RefChecksum.l4Valid(r.onlyBytes())).as("ICMPv6 checksum").isTrue();
        if (ICMP4_ERRORS.contains(type)) {
            expect(v).route(ROUTER4_6, SERVER_A6);
            PacketView inner = v.inner();
            expect(inner).version(6).route(SERVER_A6, CLIENT6);
            if (type == 3 && code == 2) assertThat(v.pointer()).as("pointer to Next Header").isEqualTo(6);
            if (type == 3 && code == 4) assertThat(v.mtu()).isEqualTo(1420);
        } else {
            expect(v).route(CLIENT6, SERVER_A6);
            assertThat(v.icmpRest).as("identifier and sequence unchanged").isEqualTo(0x00070009);
            assertThat(v.l4Payload()).isEqualTo(Pkt.pattern(16));
        }
    }

    @ParameterizedTest(name = "ICMPv6 {1}/{2} {0} -> {3}/{4}")
    @MethodSource("table64")
    @DisplayName("RFC 7915 s5.2: ICMPv6 type/code -> ICMPv4 type/code through the translator")
    void translate64(String name, int type, int code, int type4, int code4) {
        byte[] in;
        if (type < 128) {
            Pkt p = Pkt.v6(SERVER_A6, CLIENT6).hopLimit(50).icmpError(type, code, tcpToA6(12).build());
            if (type == 2) p.mtu(1400);
            if (type == 4) p.pointer(8);
            in = p.build();
        } else {
            in = Pkt.v6(SERVER_A6, CLIENT6).hopLimit(50).icmp(type, code).rest(0x00070009).payload(16).build();
        }
        XlatRun r = run(in);
        if (type4 == DROP) {
            r.assertDropped(Counter.DROP64_ICMP_TYPE);   // silently dropped
            return;
        }
        PacketView v = r.only();
        expect(v).version(4).protocol(Pkt.ICMP).icmp(type4, code4).ttl(49).route(SERVER_A4, CLIENT4);
        assertThat(RefChecksum.l4Valid(r.onlyBytes())).as("ICMPv4 checksum").isTrue();
        if (type < 128) {
            PacketView inner = v.inner();
            expect(inner).version(4).route(CLIENT4, SERVER_A4);
            if (type == 2) assertThat(v.mtu()).isEqualTo(1380);
            if (type == 4 && code == 0) assertThat(v.pointer()).isEqualTo(12);
            if (type == 4 && code == 1) assertThat(v.icmpRest).as("no pointer in protocol unreachable").isZero();
        } else {
            assertThat(v.icmpRest).isEqualTo(0x00070009);
            assertThat(v.l4Payload()).isEqualTo(Pkt.pattern(16));
        }
    }

    // ------------------------------------------------------------------ IcmpMaps, exhaustively

    private static Map<Integer, Integer> asMap(Stream<Arguments> rows) {
        Map<Integer, Integer> m = new HashMap<>();
        rows.forEach(a -> {
            Object[] x = a.get();
            int t = (int) x[1], c = (int) x[2], t2 = (int) x[3], c2 = (int) x[4];
            m.put(t << 8 | c, t2 == DROP ? IcmpMaps.DROP : t2 << 8 | c2);
        });
        return m;
    }

    @Test
    @DisplayName("RFC 7915 s4.2: IcmpMaps.icmp4to6 for every type and code (unlisted -> drop)")
    void icmp4to6Exhaustive() {
        Map<Integer, Integer> table = asMap(table46());
        for (int type = 0; type < 256; type++) {
            for (int code = 0; code < 256; code++) {
                if ((type == 0 || type == 8) && code != 0) continue;   // echo codes are undefined
                int expected = table.getOrDefault(type << 8 | code, IcmpMaps.DROP);
                assertThat(IcmpMaps.icmp4to6(type, code)).as("ICMPv4 %d/%d", type, code).isEqualTo(expected);
            }
        }
    }

    @Test
    @DisplayName("RFC 7915 s5.2: IcmpMaps.icmp6to4 for every type and code (unlisted -> drop)")
    void icmp6to4Exhaustive() {
        Map<Integer, Integer> table = asMap(table64());
        for (int type = 0; type < 256; type++) {
            for (int code = 0; code < 256; code++) {
                if ((type == 128 || type == 129 || type == 2) && code != 0) continue;   // undefined codes
                int expected = table.getOrDefault(type << 8 | code, IcmpMaps.DROP);
                assertThat(IcmpMaps.icmp6to4(type, code)).as("ICMPv6 %d/%d", type, code).isEqualTo(expected);
            }
        }
    }

    @Test
    @DisplayName("RFC 1122 s3.2.2 / RFC 4443 s2.1: which ICMP types are errors")
    void errorClassification() {
        for (int type = 0; type < 256; type++) {
            assertThat(IcmpMaps.isIcmp4Error(type)).as("ICMPv4 type %d", type).isEqualTo(ICMP4_ERRORS.contains(type));
            assertThat(IcmpMaps.isIcmp6Error(type)).as("ICMPv6 type %d", type).isEqualTo(type < 128);
        }
        assertThat(IcmpMaps.icmp4CarriesExtension(3)).isTrue();
        assertThat(IcmpMaps.icmp4CarriesExtension(11)).isTrue();
        assertThat(IcmpMaps.icmp4CarriesExtension(12)).isTrue();
        assertThat(IcmpMaps.icmp4CarriesExtension(5)).isFalse();
        assertThat(IcmpMaps.icmp6CarriesExtension(1)).isTrue();
        assertThat(IcmpMaps.icmp6CarriesExtension(3)).isTrue();
        assertThat(IcmpMaps.icmp6CarriesExtension(2)).as("Packet Too Big").isFalse();
        assertThat(IcmpMaps.icmp6CarriesExtension(4)).as("Parameter Problem").isFalse();
    }
}
