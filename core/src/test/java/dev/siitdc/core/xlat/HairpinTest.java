package dev.siitdc.core.xlat;

import dev.siitdc.core.config.HairpinMode;
import dev.siitdc.core.testutil.PacketView;
import dev.siitdc.core.testutil.Pkt;
import dev.siitdc.core.testutil.RefChecksum;
import dev.siitdc.core.testutil.XlatRun;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static dev.siitdc.core.testutil.PacketExpect.expect;
import static dev.siitdc.core.xlat.Net.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 7757 s4.2 hairpinning (checklist 124, 125, 140; CONFIG.md 5.7): IPv6 node A (EAM 192.0.2.5 =
 * 2001:db8:aaaa::5) reaches IPv6 node B through B's EAM IPv4 address in pool6 form
 * (2001:db8:64::c000:209).
 */
class HairpinTest {

    static Translator mode(HairpinMode m) { return translator(b -> b.eamHairpinMode = m); }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = HairpinMode.class, names = {"SIMPLE", "INTRINSIC"})
    @DisplayName("RFC 7757 s4.2 (Jool ga): A -> pool6::B4 comes back as one IPv6 packet pool6::A4 -> B, hop limit decremented once")
    void hairpin(HairpinMode m) {
        byte[] in = Pkt.v6(SERVER_A6, SERVER_B_POOL6).hopLimit(64).trafficClass(0x28).tcp(40000, 80).payload(50).build();
        XlatRun r = run(mode(m), in);
        PacketView v = r.only();
        assertThat(v.version).isEqualTo(6);
        assertThat(v.src).as("source expressed with pool6, not A's EAM address").isEqualTo(SERVER_A_POOL6);
        expect(v).dst(SERVER_B6).hopLimit(63).trafficClass(0x28);
        assertThat(v.extHeaders).isEmpty();
        assertThat(v.l4Payload()).isEqualTo(Pkt.pattern(50));
        assertThat(RefChecksum.l4Valid(r.onlyBytes())).isTrue();
        assertThat(r.delta(Counter.HAIRPINNED)).isEqualTo(1);
        assertThat(r.drops()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = HairpinMode.class, names = {"SIMPLE", "INTRINSIC"})
    @DisplayName("RFC 7757 s4.2: a hairpinned packet never touches the IPv4 link (ipv4-mtu does not apply)")
    void hairpinIgnoresIpv4Mtu(HairpinMode m) {
        Translator t = translator(b -> { b.eamHairpinMode = m; b.ipv4Mtu = 1000; });
        byte[] in = Pkt.v6(SERVER_A6, SERVER_B_POOL6).udp(1, 2).payload(1500 - 48).build();
        PacketView v = run(t, in).only();
        expect(v).version(6).length(1500);
        assertThat(v.hasFragmentHeader).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = HairpinMode.class, names = {"SIMPLE", "INTRINSIC"})
    @DisplayName("RFC 7757 s4.2 (Condition B): B's ICMPv6 error about a hairpinned packet goes back to A with the addresses A used")
    void hairpinIcmpError(HairpinMode m) {
        // what B received from the hairpin: pool6::A4 -> B
        byte[] quoted = Pkt.v6(SERVER_A_POOL6, SERVER_B6).hopLimit(63).tcp(40000, 80).payload(12).build();
        byte[] in = Pkt.v6(SERVER_B6, SERVER_A_POOL6).hopLimit(50).icmpError(1, 4, quoted).build();
        XlatRun r = run(mode(m), in);
        PacketView v = r.only();
        assertThat(v.version).isEqualTo(6);
        assertThat(v.src).as("outer source = inner destination: pool6").isEqualTo(SERVER_B_POOL6);
        expect(v).dst(SERVER_A6).hopLimit(49).icmp(1, 4);
        PacketView inner = v.inner();
        assertThat(inner.src).as("what A sent").isEqualTo(SERVER_A6);
        expect(inner).dst(SERVER_B_POOL6).hopLimit(63);
        assertThat(RefChecksum.l4Valid(inner.bytes)).as("inner TCP checksum").isTrue();
        assertThat(RefChecksum.l4Valid(r.onlyBytes())).as("ICMPv6 checksum").isTrue();
        assertThat(r.delta(Counter.HAIRPINNED)).isEqualTo(1);
    }

    @Test
    @DisplayName("RFC 7757 s4.2 + RFC 6791 (Jool 6791v66): an IPv6 router's error about a hairpinned packet reaches A from pool6::rfc6791v4")
    void hairpinRfc6791() {
        Translator t = translator(b -> b.rfc6791v4Prefix = dev.siitdc.core.addr.Ipv4Prefix.parse("203.0.113.8/32"));
        byte[] quoted = Pkt.v6(SERVER_A_POOL6, SERVER_B6).hopLimit(40).udp(1, 2).payload(8).build();
        byte[] in = Pkt.v6(ROUTER6, SERVER_A_POOL6).hopLimit(60).icmpError(3, 0, quoted).build();
        PacketView v = run(t, in).only();
        expect(v).route("2001:db8:64::cb00:7108", SERVER_A6).hopLimit(59).icmpType(3);
        assertThat(v.inner().src).isEqualTo(SERVER_A6);
        assertThat(v.inner().dst).isEqualTo(SERVER_B_POOL6);
        assertThat(RefChecksum.l4Valid(v.inner().bytes)).isTrue();
        expect(v).l4Valid();
    }

    @Test
    @DisplayName("RFC 7757 s4.2: an ICMPv6 echo hairpins too (intrinsic)")
    void hairpinEcho() {
        byte[] in = Pkt.v6(SERVER_A6, SERVER_B_POOL6).echoRequest(9, 10).payload(30).build();
        PacketView v = run(in).only();
        expect(v).icmpType(128).route(SERVER_A_POOL6, SERVER_B6);
        expect(v).l4Valid();
    }

    @Test
    @DisplayName("RFC 7757 s4.2: with eam-hairpin-mode off the packet leaves as IPv4 (A4 -> B4)")
    void hairpinOff() {
        byte[] in = Pkt.v6(SERVER_A6, SERVER_B_POOL6).hopLimit(64).tcp(40000, 80).payload(10).build();
        XlatRun r = run(mode(HairpinMode.OFF), in);
        PacketView v = r.only();
        expect(v).version(4).route(SERVER_A4, SERVER_B4).ttl(63).l4Valid();
        assertThat(r.delta(Counter.HAIRPINNED)).isZero();
    }

    @Test
    @DisplayName("RFC 7757 s4.2.2: a pool6 destination outside every EAM is translated to IPv4, not hairpinned")
    void noHairpinForPool6Destination() {
        byte[] in = Pkt.v6(SERVER_A6, CLIENT6).tcp(1, 2).build();
        XlatRun r = run(in);
        assertThat(r.only().version).isEqualTo(4);
        assertThat(r.delta(Counter.HAIRPINNED)).isZero();
    }

    @Test
    @DisplayName("RFC 7757 s4.2 + RFC 7915 s5.1: a hairpinned packet with Hop Limit 1 -> ICMPv6 Time Exceeded to A")
    void hairpinHopLimitExpired() {
        byte[] in = Pkt.v6(SERVER_A6, SERVER_B_POOL6).hopLimit(1).tcp(1, 2).build();
        PacketView v = run(in).only();
        expect(v).version(6).icmpType(3).dst(SERVER_A6);
    }
}
