package dev.siitdc.core.xlat;

import dev.siitdc.core.testutil.PacketView;
import dev.siitdc.core.testutil.Pkt;
import dev.siitdc.core.testutil.RefChecksum;
import dev.siitdc.core.testutil.XlatRun;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.siitdc.core.testutil.PacketExpect.expect;
import static dev.siitdc.core.xlat.Net.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Fragments both ways (RFC 7915 s4, s4.1, s5, s5.1.1; RFC 8021; checklist 4, 20-27, 78-85, 134). */
class FragmentationTest {

    /** Translates every packet with one translator and returns everything emitted, in order. */
    static List<byte[]> translateAll(Translator t, List<byte[]> in) {
        List<byte[]> out = new ArrayList<>();
        for (byte[] p : in) out.addAll(run(t, p).packets);
        return out;
    }

    // ------------------------------------------------------------------ 4 -> 6

    @Test
    @DisplayName("RFC 7915 s4.1: IPv4 fragments -> IPv6 Fragment header (ID zero-extended, offset and M copied)")
    void ipv4FragmentsGetFragmentHeader() {
        byte[] whole = Pkt.v4(CLIENT4, SERVER_A4).id(0xabcd).udp(5000, 53).payload(200).build();
        List<byte[]> frags = Pkt.fragment4(whole, 96);
        Translator t = translator();
        List<byte[]> out = translateAll(t, frags);
        assertThat(out).hasSize(3);
        int[] offsets = {0, 96, 192};
        for (int i = 0; i < 3; i++) {
            PacketView v = PacketView.of(out.get(i));
            assertThat(v.nextHeader).isEqualTo(Pkt.FRAGMENT);
            assertThat(v.extHeaders).containsExactly(Pkt.FRAGMENT);
            assertThat(v.protocol).as("Fragment header Next Header").isEqualTo(Pkt.UDP);
            assertThat(v.fragId).isEqualTo(0xabcdL);
            assertThat(v.fragOffset).isEqualTo(offsets[i]);
            assertThat(v.mf).isEqualTo(i < 2);
            assertThat(v.payloadLength).isEqualTo(8 + PacketView.of(frags.get(i)).l4Length);
            assertThat(v.hopLimit).isEqualTo(63);
        }
        assertThat(PacketView.of(out.get(1)).l4()).as("non-first fragment payload untouched")
                .isEqualTo(PacketView.of(frags.get(1)).l4());
        byte[] re = Pkt.reassemble(out);
        assertThat(RefChecksum.l4Valid(re)).as("UDP checksum of the reassembled IPv6 datagram").isTrue();
        assertThat(PacketView.of(re).l4Payload()).isEqualTo(Pkt.pattern(200));
    }

    @Test
    @DisplayName("RFC 7915 s4: a small IPv4 fragment with DF set -> one IPv6 fragment, same ID (Jool ce)")
    void smallDfFragment() {
        byte[] in = Pkt.v4(CLIENT4, SERVER_A4).id(0x0102).df().mf().raw(Pkt.UDP).payload(64).build();
        PacketView v = run(in).only();
        assertThat(v.hasFragmentHeader).isTrue();
        assertThat(v.fragId).isEqualTo(0x0102);
        assertThat(v.mf).isTrue();
        assertThat(v.length).isEqualTo(40 + 8 + 64);
    }

    @ParameterizedTest(name = "lowest-ipv6-mtu {0}, ipv6-mtu {1}, IPv4 {2} bytes")
    @CsvSource({"1280, 1500, 1500", "1500, 1280, 1500", "1402, 1500, 1500", "1500, 1500, 1500",
            "1280, 1500, 3000", "1280, 1500, 1261", "9000, 9000, 20000"})
    @DisplayName("RFC 7915 s4.1: DF=0 packet larger than min(lowest-ipv6-mtu, ipv6-mtu) -> IPv6 fragments of at most that size")
    void translatorFragments(int lowest, int ipv6Mtu, int size) {
        Translator t = translator(b -> { b.lowestIpv6Mtu = lowest; b.ipv6Mtu = ipv6Mtu; });
        byte[] in = Pkt.v4(CLIENT4, SERVER_A4).id(0x7777).udp(5000, 53).payload(size - 28).build();
        XlatRun r = run(t, in);
        int limit = Math.min(lowest, ipv6Mtu);
        int chunk = (limit - 48) & ~7;
        int expectedCount = (size - 20 + chunk - 1) / chunk;
        assertThat(r.packets).hasSize(expectedCount);
        int pos = 0;
        for (int i = 0; i < r.views.size(); i++) {
            PacketView v = r.views.get(i);
            boolean last = i == r.views.size() - 1;
            assertThat(v.length).isLessThanOrEqualTo(limit);
            assertThat(v.fragId).as("Frag ID = IPv4 ID").isEqualTo(0x7777);
            assertThat(v.fragOffset).isEqualTo(pos);
            assertThat(v.mf).isEqualTo(!last);
            assertThat(v.protocol).isEqualTo(Pkt.UDP);
            if (!last) assertThat(v.l4Length % 8).as("payload a multiple of 8").isZero();
            if (i == 0) assertThat(v.length).as("first fragment as large as possible").isEqualTo(48 + chunk);
            pos += v.l4Length;
        }
        assertThat(pos).isEqualTo(size - 20);
        assertThat(RefChecksum.l4Valid(Pkt.reassemble(r.packets))).isTrue();
        assertThat(r.delta(Counter.FRAGMENTED46)).isEqualTo(1);
        assertThat(r.delta(Counter.TRANSLATED46)).isEqualTo(1);
    }

    @Test
    @DisplayName("RFC 7915 s4.1: a DF=0 ICMPv4 echo larger than lowest-ipv6-mtu -> ICMPv6 fragments whose reassembly has a valid checksum")
    void translatorFragmentsEcho() {
        byte[] in = Pkt.v4(CLIENT4, SERVER_A4).id(0x0909).echoRequest(1, 2).payload(2000).build();
        XlatRun r = run(in);
        assertThat(r.packets).hasSize(2);
        byte[] re = Pkt.reassemble(r.packets);
        assertThat(PacketView.of(re).icmpType).isEqualTo(128);
        assertThat(RefChecksum.l4Valid(re)).isTrue();
    }

    @ParameterizedTest(name = "DF {0}")
    @CsvSource({"false", "true"})
    @DisplayName("RFC 7756 s4.3 (atomic-fragments on): every DF=0 packet gets a Fragment header carrying the IPv4 ID; DF=1 none")
    void atomicFragmentsOption(boolean df) {
        Translator t = translator(b -> b.atomicFragments = true);
        Pkt p = Pkt.v4(CLIENT4, SERVER_A4).id(0x3141).udp(1, 2).payload(30);
        if (df) p.df();
        XlatRun r = run(t, p.build());
        PacketView v = r.only();
        assertThat(v.hasFragmentHeader).isEqualTo(!df);
        if (!df) {
            assertThat(v.fragId).isEqualTo(0x3141);
            assertThat(v.fragOffset).isZero();
            assertThat(v.mf).isFalse();
        }
        assertThat(RefChecksum.l4Valid(Pkt.reassemble(r.packets))).isTrue();
    }

    @Test
    @DisplayName("RFC 7915 s4.1: DF=0 packet of exactly lowest-ipv6-mtu - 20 is not fragmented")
    void exactlyFits() {
        byte[] in = Pkt.v4(CLIENT4, SERVER_A4).udp(1, 2).payload(1260 - 28).build();
        PacketView v = run(in).only();
        assertThat(v.length).isEqualTo(1280);
        assertThat(v.hasFragmentHeader).isFalse();
    }

    @Test
    @DisplayName("RFC 7915 s4.1: a too-big IPv4 fragment (DF=0) -> IPv6 fragments with offsets from the original, the last keeps MF (Jool cf)")
    void refragmentKeepsMf() {
        byte[] whole = Pkt.v4(CLIENT4, SERVER_A4).id(0x2468).udp(1, 2).payload(4000).build();
        List<byte[]> frags = Pkt.fragment4(whole, 1480);
        byte[] second = frags.get(1);                               // offset 1480, MF=1, 1500 bytes
        XlatRun r = run(second);
        assertThat(r.packets).hasSize(2);
        PacketView a = r.views.get(0), b = r.views.get(1);
        assertThat(a.fragOffset).isEqualTo(1480);
        assertThat(a.mf).isTrue();
        assertThat(a.length).isEqualTo(1280);
        assertThat(b.fragOffset).isEqualTo(1480 + 1232);
        assertThat(b.mf).as("last piece keeps the original MF").isTrue();
        assertThat(a.fragId).isEqualTo(0x2468);
        assertThat(b.fragId).isEqualTo(0x2468);
        assertThat(Pkt.concat(a.l4(), b.l4())).isEqualTo(PacketView.of(second).l4());
        // the whole datagram still reassembles, with a valid checksum
        Translator t = translator();
        byte[] re = Pkt.reassemble(translateAll(t, frags));
        assertThat(RefChecksum.l4Valid(re)).isTrue();
    }

    @Test
    @DisplayName("RFC 7915 s1.2 / s4.1: fragmented ICMPv4 is dropped (first and non-first fragments)")
    void fragmentedIcmp4Dropped() {
        byte[] whole = Pkt.v4(CLIENT4, SERVER_A4).echoRequest(1, 1).payload(100).build();
        for (byte[] f : Pkt.fragment4(whole, 64)) {
            XlatRun r = run(f);
            r.assertDropped(Counter.DROP46_FRAGMENTED_ICMP);
        }
    }

    // ------------------------------------------------------------------ 6 -> 4

    @Test
    @DisplayName("RFC 7915 s5.1.1: IPv6 fragments -> IPv4 (ID = low 16 bits, DF=0, MF = M, offset copied)")
    void ipv6FragmentsToIpv4() {
        byte[] whole = Pkt.v6(SERVER_A6, CLIENT6).udp(53, 5000).payload(3000).build();
        List<byte[]> frags = Pkt.fragment6(whole, 1232, 0x87654321L);
        List<byte[]> out = translateAll(translator(), frags);
        assertThat(out).hasSize(frags.size());
        for (int i = 0; i < out.size(); i++) {
            PacketView v = PacketView.of(out.get(i)), in = PacketView.of(frags.get(i));
            assertThat(v.id).isEqualTo(0x4321);
            assertThat(v.df).isFalse();
            assertThat(v.mf).isEqualTo(in.mf);
            assertThat(v.fragOffset).isEqualTo(in.fragOffset);
            assertThat(v.protocol).isEqualTo(Pkt.UDP);
            assertThat(v.totalLength).isEqualTo(20 + in.l4Length);
            assertThat(v.ttl).isEqualTo(63);
        }
        byte[] re = Pkt.reassemble(out);
        assertThat(RefChecksum.l4Valid(re)).isTrue();
        assertThat(PacketView.of(re).l4Payload()).isEqualTo(Pkt.pattern(3000));
    }

    @ParameterizedTest(name = "IPv6 {0} bytes")
    @CsvSource({"200", "1400"})
    @DisplayName("RFC 7915 s5.1.1 / RFC 8021: an IPv6 atomic fragment -> unfragmented IPv4, DF=0, ID = low 16 bits")
    void atomicFragment(int size) {
        byte[] in = Pkt.v6(SERVER_A6, CLIENT6).fragment(0x87654321L, 0, false).udp(53, 5000).payload(size - 56).build();
        PacketView v = run(in).only();
        assertThat(v.id).isEqualTo(0x4321);
        assertThat(v.df).as("DF=0 whatever the size").isFalse();
        assertThat(v.mf).isFalse();
        assertThat(v.fragOffset).isZero();
        assertThat(v.totalLength).isEqualTo(size - 28);
        expect(v).l4Valid();
    }

    @Test
    @DisplayName("RFC 7915 s5.1.1 / RFC 8021: an atomic-fragment ICMPv6 echo is translated (it is not fragmented)")
    void atomicFragmentIcmp() {
        byte[] in = Pkt.v6(SERVER_A6, CLIENT6).fragment(0x1234, 0, false).echoRequest(5, 6).payload(20).build();
        PacketView v = run(in).only();
        assertThat(v.icmpType).isEqualTo(8);
        assertThat(v.id).isEqualTo(0x1234);
        expect(v).l4Valid();
    }

    @Test
    @DisplayName("RFC 7915 s1.2 / s5.1.1: fragmented ICMPv6 is dropped (first and non-first fragments)")
    void fragmentedIcmp6Dropped() {
        byte[] whole = Pkt.v6(SERVER_A6, CLIENT6).echoRequest(1, 1).payload(100).build();
        for (byte[] f : Pkt.fragment6(whole, 64, 9)) {
            XlatRun r = run(f);
            r.assertDropped(Counter.DROP64_FRAGMENTED_ICMP);
        }
    }

    @ParameterizedTest(name = "header {0} after the Fragment header")
    @CsvSource({"0", "43", "60"})
    @DisplayName("RFC 7915 s5.1.1: an extension header after the Fragment header -> drop + ICMPv6 1/1 (Jool ac)")
    void headerAfterFragment(int type) {
        Pkt p = Pkt.v6(SERVER_A6, CLIENT6).fragment(5, 0, true);
        if (type == 0) p.hopByHop();
        else if (type == 43) p.routing(0);
        else p.destOptions();
        byte[] in = p.udp(1, 2).payload(16).build();
        XlatRun r = run(in);
        PacketView v = r.only();
        expect(v).version(6).route(OWN6, SERVER_A6).icmp(1, 1).quotes(in);
        assertThat(r.dropCounters()).isEqualTo(Map.of(Counter.DROP64_EXT_AFTER_FRAGMENT, 1L));
    }

    @Test
    @DisplayName("RFC 4443 s2.4(e.1) + RFC 7915 s5.1.1: an ICMPv6 error with a header after its Fragment header is dropped without an error about it")
    void headerAfterFragmentInIcmpError() {
        byte[] in = Pkt.v6(SERVER_A6, CLIENT6).fragment(5, 0, false).destOptions()
                .icmpError(1, 4, tcpToA6(8).build()).build();
        XlatRun r = run(in);
        assertThat(r.views).as("no ICMPv6 error about an ICMPv6 error").noneMatch(v -> v.isIcmp() && v.icmpType < 128);
        assertThat(r.drops()).isEqualTo(1);
    }

    @Test
    @DisplayName("RFC 7915 s5 / RFC 791 s2.3: a DF=0 6->4 result larger than ipv4-mtu is fragmented in IPv4")
    void ipv4Fragmentation() {
        Translator t = translator(b -> b.ipv4Mtu = 1000);
        byte[] in = Pkt.v6(SERVER_A6, CLIENT6).udp(53, 5000).payload(1280 - 48).build();   // -> IPv4 1260, DF=0
        XlatRun r = run(t, in);
        assertThat(r.packets).hasSize(2);
        int id = r.views.get(0).id;
        int pos = 0;
        for (int i = 0; i < 2; i++) {
            PacketView v = r.views.get(i);
            assertThat(v.length).isLessThanOrEqualTo(1000);
            assertThat(v.df).isFalse();
            assertThat(v.id).isEqualTo(id);
            assertThat(v.mf).isEqualTo(i == 0);
            assertThat(v.fragOffset).isEqualTo(pos);
            if (i == 0) assertThat(v.l4Length).isEqualTo(976);
            pos += v.l4Length;
        }
        assertThat(pos).isEqualTo(1240);
        assertThat(RefChecksum.l4Valid(Pkt.reassemble(r.packets))).isTrue();
        assertThat(r.drops()).isZero();
    }

    @Test
    @DisplayName("RFC 7915 s5.1.1 + s1.4: a first IPv6 fragment whose IPv4 translation exceeds ipv4-mtu (and 1260) -> Packet Too Big ipv4-mtu + 20 (Jool cg)")
    void firstFragmentTooBig() {
        Translator t = translator(b -> b.ipv4Mtu = 1400);
        byte[] whole = Pkt.v6(SERVER_A6, CLIENT6).udp(53, 5000).payload(3000).build();
        byte[] first = Pkt.fragment6(whole, 1448, 3).get(0);         // IPv4 result: 1468 bytes
        XlatRun r = run(t, first);
        PacketView v = r.only();
        expect(v).version(6).icmpType(2).mtu(1420);
        assertThat(r.dropCounters()).isEqualTo(Map.of(Counter.DROP64_PACKET_TOO_BIG, 1L));
    }

    /**
     * With an IPv4 next-hop MTU below 1260, an IPv6 sender that honours the resulting Packet Too Big
     * (MTU clamped to 1280) sends fragments of at most 1280 bytes; their IPv4 translations have DF=0
     * and must be fragmented by the translator, as any IPv4 router does (RFC 7915 s5: "IPv4 links with
     * MTU < 1260 ... the IPv4 router(s) ... will fragment the packets"). Answering them with another
     * Packet Too Big of 1280 (first fragment) or dropping them (non-first) black-holes the flow.
     */
    @ParameterizedTest(name = "fragment #{0}")
    @CsvSource({"0", "1"})
    @DisplayName("RFC 7915 s5.1.1 + s5: IPv6 fragments whose IPv4 translation exceeds an ipv4-mtu below 1260 are fragmented in IPv4")
    void fragmentsOverSmallIpv4Mtu(int index) {
        Translator t = translator(b -> b.ipv4Mtu = 1000);
        byte[] whole = Pkt.v6(SERVER_A6, CLIENT6).udp(53, 5000).payload(3000).build();
        byte[] frag = Pkt.fragment6(whole, 1232, 0x11112222L).get(index);   // 1280 bytes -> IPv4 1252
        XlatRun r = run(t, frag);
        assertThat(r.packets).as("IPv4 fragments, not a Packet Too Big").hasSizeGreaterThan(1);
        int base = PacketView.of(frag).fragOffset, pos = base;
        for (PacketView v : r.views) {
            assertThat(v.version).isEqualTo(4);
            assertThat(v.length).isLessThanOrEqualTo(1000);
            assertThat(v.id).isEqualTo(0x2222);
            assertThat(v.df).isFalse();
            assertThat(v.mf).as("MF: the original fragment has M=1").isTrue();
            assertThat(v.fragOffset).isEqualTo(pos);
            pos += v.l4Length;
        }
        assertThat(pos - base).isEqualTo(1232);
        assertThat(r.drops()).isZero();
    }
}
