package dev.siitdc.core.xlat;

import dev.siitdc.core.testutil.PacketView;
import dev.siitdc.core.testutil.Pkt;
import dev.siitdc.core.testutil.XlatRun;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.stream.LongStream;
import java.util.stream.Stream;

import static dev.siitdc.core.testutil.PacketExpect.expect;
import static dev.siitdc.core.xlat.Net.*;
import static org.assertj.core.api.Assertions.assertThat;

/** RFC 7915 s4.2 Figure 3 and s5.2 Figure 6: Parameter Problem pointers (checklist 46, 47, 91, 92). */
class ParameterProblemPointerTest {
    static final int DROP = -1;

    /** Figure 3: IPv4 pointer -> IPv6 pointer (n/a -> drop). */
    static int figure3(int p4) {
        return switch (p4) {
            case 0 -> 0;                    // Version/IHL -> Version/Traffic Class
            case 1 -> 1;                    // Type of Service -> Traffic Class/Flow Label
            case 2, 3 -> 4;                 // Total Length -> Payload Length
            case 8 -> 7;                    // Time to Live -> Hop Limit
            case 9 -> 6;                    // Protocol -> Next Header
            case 12, 13, 14, 15 -> 8;       // Source Address
            case 16, 17, 18, 19 -> 24;      // Destination Address
            default -> DROP;                // Identification, Flags/Fragment Offset, Header Checksum, beyond
        };
    }

    /** Figure 6: IPv6 pointer -> IPv4 pointer (n/a -> drop). */
    static int figure6(long p6) {
        if (p6 == 0) return 0;
        if (p6 == 1) return 1;
        if (p6 == 4 || p6 == 5) return 2;
        if (p6 == 6) return 9;
        if (p6 == 7) return 8;
        if (p6 >= 8 && p6 <= 23) return 12;
        if (p6 >= 24 && p6 <= 39) return 16;
        return DROP;                        // Flow Label (2, 3) and beyond the header
    }

    static Stream<Integer> pointers4() { return Stream.concat(Stream.iterate(0, i -> i + 1).limit(20), Stream.of(20, 21, 255)); }

    static LongStream pointers6() { return LongStream.concat(LongStream.range(0, 40), LongStream.of(40, 41, 255, 0x10000, 0xffffffffL)); }

    @ParameterizedTest(name = "ICMPv4 12/0 pointer {0}")
    @MethodSource("pointers4")
    @DisplayName("RFC 7915 s4.2 Figure 3: ICMPv4 Parameter Problem pointer -> ICMPv6 pointer")
    void figure3ThroughTranslator(int pointer) {
        check46(0, pointer);
    }

    @ParameterizedTest(name = "ICMPv4 12/2 pointer {0}")
    @ValueSource(ints = {0, 2, 3, 4, 9, 19, 20})
    @DisplayName("RFC 7915 s4.2: ICMPv4 12/2 (bad length) -> ICMPv6 4/0 with the pointer mapped like code 0")
    void badLengthUsesFigure3(int pointer) {
        check46(2, pointer);
    }

    private void check46(int code, int pointer) {
        byte[] in = Pkt.v4(ROUTER4, SERVER_A4).icmpError(12, code, tcpFromA4(8).build()).pointer(pointer).build();
        checkPointer(in, figure3(pointer), Counter.DROP46_ICMP_TYPE, 4);
    }

    /**
     * {@code in} is dropped (counted as {@code drop}) when {@code expected} is DROP; else it becomes a Parameter
     * Problem of {@code type}/0 with the {@code expected} pointer and a valid checksum, returned (null when dropped).
     */
    private static PacketView checkPointer(byte[] in, int expected, Counter drop, int type) {
        XlatRun r = run(in);
        if (expected == DROP) {
            r.assertDropped(drop);
            return null;
        }
        PacketView v = r.only();
        expect(v).icmp(type, 0).pointer(expected).l4Valid();
        return v;
    }

    @ParameterizedTest(name = "ICMPv6 4/0 pointer {0}")
    @MethodSource("pointers6")
    @DisplayName("RFC 7915 s5.2 Figure 6: ICMPv6 Parameter Problem pointer -> ICMPv4 pointer")
    void figure6ThroughTranslator(long pointer) {
        byte[] in = Pkt.v6(SERVER_A6, CLIENT6).icmpError(4, 0, tcpToA6(8).build()).pointer(pointer).build();
        PacketView v = checkPointer(in, figure6(pointer), Counter.DROP64_ICMP_TYPE, 12);
        if (v != null) assertThat(v.icmpRest & 0x00ffffff).as("rest of the word after the pointer").isZero();
    }

    @Test
    @DisplayName("RFC 7915 s4.2 Figure 3: IcmpMaps.pointer4to6 for every octet value")
    void figure3Direct() {
        for (int p = 0; p < 256; p++)
            assertThat(IcmpMaps.pointer4to6(p)).as("IPv4 pointer %d", p).isEqualTo(figure3(p) == DROP ? IcmpMaps.DROP : figure3(p));
    }

    @Test
    @DisplayName("RFC 7915 s5.2 Figure 6: IcmpMaps.pointer6to4 for 0..300 and large values")
    void figure6Direct() {
        LongStream.concat(LongStream.range(0, 301), LongStream.of(0x10000, 0x7fffffffL, 0xffffffffL, -1)).forEach(p ->
                assertThat(IcmpMaps.pointer6to4(p)).as("IPv6 pointer %d", p).isEqualTo(figure6(p) == DROP ? IcmpMaps.DROP : figure6(p)));
    }
}
