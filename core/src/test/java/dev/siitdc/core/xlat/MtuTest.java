package dev.siitdc.core.xlat;

import dev.siitdc.core.config.TranslatorConfig;
import dev.siitdc.core.testutil.PacketView;
import dev.siitdc.core.testutil.Pkt;
import dev.siitdc.core.testutil.RefChecksum;
import dev.siitdc.core.testutil.XlatRun;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.siitdc.core.testutil.PacketExpect.expect;
import static dev.siitdc.core.xlat.Net.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Packet Too Big <-> Fragmentation Needed MTU arithmetic (RFC 7915 s4.2, s5.2; RFC 1191 plateaus;
 * docs/config-reference.md: PTB = max(1280, min(FN + 20, ipv6-mtu, ipv4-mtu + 20)), FN = min(PTB - 20, ipv4-mtu,
 * ipv6-mtu - 20)), and the MTUs the translator advertises itself (checklist 22, 35, 78, 89, 105-107).
 */
class MtuTest {

    /** An ICMPv4 3/4 about server A's TCP segment of Total Length {@code innerTotal} (quoted: 100 bytes). */
    static byte[] fragNeeded(int mtu, int innerTotal) {
        byte[] inner = tcpFromA4(innerTotal - 40).build();
        return Pkt.v4(ROUTER4, SERVER_A4).icmpError(3, 4, Pkt.cut(inner, 100)).mtu(mtu).build();
    }

    @ParameterizedTest(name = "FN {0}, inner Total Length {1}, ipv4-mtu {2}, ipv6-mtu {3} -> PTB {4}")
    @CsvSource({
            "1400, 1500, 1500, 1500, 1420",     // FN + 20
            "1000, 1500, 1500, 1500, 1280",     // clamped to the IPv6 minimum MTU
            "1260, 1500, 1500, 1500, 1280",
            "1261, 1500, 1500, 1500, 1281",     // Jool db1
            "1500, 1500, 1500, 1500, 1500",     // ipv6-mtu
            "1500, 1500, 1500, 9000, 1520",
            "1500, 1500, 1400, 9000, 1420",     // ipv4-mtu + 20
            "65535, 1500, 9000, 9000, 9000",
            // MTU 0 from a pre-RFC 1191 router: plateaus (checklist 107)
            "0, 1500, 1500, 9000, 1512",        // plateau 1492 + 20
            "0, 1500, 1500, 1500, 1500",        // then the IPv6 next hop
            "0, 1493, 1500, 9000, 1512",
            "0, 1492, 1500, 9000, 1280",        // strictly below: 1006 + 20, clamped
            "0, 2002, 9000, 9000, 1512",
            "0, 2003, 9000, 9000, 2022",
            "0, 4400, 9000, 9000, 4372",
            "0, 1000, 1500, 9000, 1280",        // 508 + 20, clamped
            "0, 60, 1500, 9000, 1280",          // no plateau below: clamped
    })
    @DisplayName("RFC 7915 s4.2: ICMPv4 Fragmentation Needed -> ICMPv6 Packet Too Big MTU")
    void fragNeededToPacketTooBig(int fn, int innerTotal, int ipv4Mtu, int ipv6Mtu, int expected) {
        Translator t = translator(b -> { b.ipv4Mtu = ipv4Mtu; b.ipv6Mtu = ipv6Mtu; });
        PacketView v = run(t, fragNeeded(fn, innerTotal)).only();
        expect(v).icmp(2, 0).mtu(expected);
        expect(v).l4Valid();
        assertThat(Mtu.packetTooBigMtu(fn, innerTotal, ipv4Mtu, ipv6Mtu, TranslatorConfig.DEFAULT_PLATEAUS))
                .as("Mtu.packetTooBigMtu").isEqualTo(expected);
    }

    @Test
    @DisplayName("RFC 1191 s7 / RFC 7915 s4.2: configured mtu-plateaus, in any order, are used when FN MTU is 0")
    void customPlateaus() {
        Translator t = translator(b -> { b.ipv4Mtu = 9000; b.ipv6Mtu = 9000; b.mtuPlateaus = new int[] {1400, 9000, 600}; });
        assertThat(run(t, fragNeeded(0, 1500)).only().mtu()).isEqualTo(1420);
        assertThat(run(t, fragNeeded(0, 9001)).only().mtu()).isEqualTo(9000);   // min(9020, ipv6-mtu 9000)
    }

    @ParameterizedTest(name = "PTB {0}, ipv4-mtu {1}, ipv6-mtu {2} -> FN {3}")
    @CsvSource({
            "1280, 1500, 1500, 1260",
            "1400, 1500, 1500, 1380",
            "1500, 1500, 1500, 1480",           // Jool da: min(PTB - 20, ...)
            "9000, 1500, 1500, 1480",           // ipv6-mtu - 20
            "9000, 1500, 9000, 1500",           // ipv4-mtu
            "9000, 4000, 9000, 4000",
            "70000, 65535, 65575, 65535",       // 16-bit field
            "4294967295, 65535, 65575, 65535",
    })
    @DisplayName("RFC 7915 s5.2: ICMPv6 Packet Too Big -> ICMPv4 Fragmentation Needed MTU")
    void packetTooBigToFragNeeded(long ptb, int ipv4Mtu, int ipv6Mtu, int expected) {
        Translator t = translator(b -> { b.ipv4Mtu = ipv4Mtu; b.ipv6Mtu = ipv6Mtu; });
        byte[] in = Pkt.v6(SERVER_A6, CLIENT6).icmpError(2, 0, tcpToA6(100).build()).mtu(ptb).build();
        PacketView v = run(t, in).only();
        expect(v).icmp(3, 4).mtu(expected);
        assertThat(v.icmpRest >>> 16).as("unused half of the word").isZero();
        expect(v).l4Valid();
        assertThat(Mtu.fragmentationNeededMtu(ptb, ipv4Mtu, ipv6Mtu)).isEqualTo(expected);
    }

    @Test
    @DisplayName("RFC 7915 s4 / s5: MTUs the translator advertises itself (FN = ipv6-mtu - 20 >= 576, PTB = ipv4-mtu + 20 >= 1280)")
    void ownMtus() {
        assertThat(Mtu.ownFragmentationNeededMtu(1280)).isEqualTo(1260);
        assertThat(Mtu.ownFragmentationNeededMtu(1500)).isEqualTo(1480);
        assertThat(Mtu.ownFragmentationNeededMtu(500)).isEqualTo(576);
        assertThat(Mtu.ownFragmentationNeededMtu(65575)).isEqualTo(65535);
        assertThat(Mtu.ownPacketTooBigMtu(1400)).isEqualTo(1420);
        assertThat(Mtu.ownPacketTooBigMtu(1000)).isEqualTo(1280);
        assertThat(Mtu.ownPacketTooBigMtu(1260)).isEqualTo(1280);
    }

    @ParameterizedTest(name = "ipv6-mtu {0}: IPv4 DF {1} bytes passes, {2} bytes gets FN {3}")
    @CsvSource({"1280, 1260, 1261, 1260", "1500, 1480, 1481, 1480", "9000, 8980, 8981, 8980"})
    @DisplayName("RFC 7915 s4.1 / RFC 7756 s4.1: DF=1 packet larger than ipv6-mtu - 20 -> ICMPv4 3/4 with MTU ipv6-mtu - 20")
    void dfTooBig(int ipv6Mtu, int fits, int tooBig, int advertised) {
        Translator t = translator(b -> { b.ipv6Mtu = ipv6Mtu; b.lowestIpv6Mtu = 1280; });
        PacketView ok = run(t, tcp46(fits - 40).build()).only();
        expect(ok).version(6).length(fits + 20);
        assertThat(ok.hasFragmentHeader).as("DF=1 ignores lowest-ipv6-mtu").isFalse();

        byte[] big = tcp46(tooBig - 40).build();
        XlatRun r = run(t, big);
        PacketView fn = r.only();
        expect(fn).version(4).route(OWN4, CLIENT4).ttl(64).icmp(3, 4).mtu(advertised);
        assertThat(fn.length).as("at most 576 bytes").isEqualTo(576);
        assertThat(fn.icmpBody()).as("quotes the packet as received").isEqualTo(Pkt.cut(big, 548));
        assertThat(RefChecksum.l4Valid(r.onlyBytes())).isTrue();
        assertThat(r.delta(Counter.DROP46_FRAG_NEEDED)).isEqualTo(1);
        assertThat(r.delta(Counter.ICMP4_ERRORS_SENT)).isEqualTo(1);
        assertThat(r.drops()).isEqualTo(1);
    }

    @ParameterizedTest(name = "ipv4-mtu {0}: IPv6 {1} bytes -> PTB {2}")
    @CsvSource({"1400, 1500, 1420", "1400, 1421, 1420", "1000, 1281, 1280", "1500, 1600, 1520"})
    @DisplayName("RFC 7915 s1.4 / s5: 6->4 result larger than ipv4-mtu -> ICMPv6 Packet Too Big with MTU ipv4-mtu + 20 (>= 1280)")
    void packetTooBig(int ipv4Mtu, int size, int advertised) {
        Translator t = translator(b -> { b.ipv4Mtu = ipv4Mtu; b.ipv6Mtu = 9000; });
        byte[] big = tcp64(size - 60).build();
        XlatRun r = run(t, big);
        PacketView v = r.only();
        expect(v).version(6).route(OWN6, SERVER_A6).hopLimit(64).icmpType(2).mtu(advertised)
                .length(Math.min(1280, 48 + size)).quotes(Pkt.cut(big, 1232));
        assertThat(RefChecksum.l4Valid(r.onlyBytes())).isTrue();
        assertThat(r.delta(Counter.DROP64_PACKET_TOO_BIG)).isEqualTo(1);
        assertThat(r.drops()).isEqualTo(1);
    }

    @ParameterizedTest(name = "PTB {0}, ipv4-mtu {1}, ipv6-mtu {2} -> FN {3} (quoted packet with a Fragment header)")
    @CsvSource({"1300, 1500, 1500, 1272", "1500, 1400, 1500, 1400", "1500, 1500, 1400, 1372", "1280, 1500, 1500, 1252"})
    @DisplayName("RFC 7915 s5.2: PTB -> FN counts the 8 bytes of the quoted packet's Fragment header: min(PTB - 28, ipv4-mtu, ipv6-mtu - 28)")
    void packetTooBigAboutAFragment(long ptb, int ipv4Mtu, int ipv6Mtu, int expected) {
        Translator t = translator(b -> { b.ipv4Mtu = ipv4Mtu; b.ipv6Mtu = ipv6Mtu; });
        byte[] quoted = Pkt.v6(CLIENT6, SERVER_A6).hopLimit(63).fragment(0x1234, 0, true).tcp(40000, 80).payload(100).build();
        byte[] in = Pkt.v6(SERVER_A6, CLIENT6).icmpError(2, 0, quoted).mtu(ptb).build();
        PacketView v = run(t, in).only();
        expect(v).icmp(3, 4).mtu(expected);
        expect(v).l4Valid();
        assertThat(Mtu.fragmentationNeededMtu(ptb, ipv4Mtu, ipv6Mtu, true)).isEqualTo(expected);
        // the same PTB about an unfragmented packet: 20 bytes of difference
        byte[] plain = Pkt.v6(SERVER_A6, CLIENT6).icmpError(2, 0, tcpToA6(100).build()).mtu(ptb).build();
        assertThat(run(t, plain).only().mtu()).isEqualTo(Mtu.fragmentationNeededMtu(ptb, ipv4Mtu, ipv6Mtu, false));
    }
}
