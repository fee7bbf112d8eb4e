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
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.siitdc.core.testutil.PacketExpect.expect;
import static dev.siitdc.core.xlat.Net.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Transport checksums (RFC 7915 s4.5, s5.5; RFC 1624; checklist 9, 59-62, 101, 103): incremental
 * updates that keep a wrong checksum equivalently wrong, and UDP checksum zero both ways.
 */
class ChecksumTest {

    static Stream<Arguments> cases() {
        List<Arguments> a = new ArrayList<>();
        for (String dir : List.of("46", "64"))
            for (String proto : List.of("TCP", "UDP", "ICMP echo"))
                for (int delta : new int[] {0, 1, 0x100, 0x1234, 0xfffe})
                    for (int payload : new int[] {0, 33})
                        a.add(arguments(dir, proto, delta, payload));
        return a.stream();
    }

    static byte[] packet(String dir, String proto, int delta, int payload) {
        Pkt p = dir.equals("46") ? Pkt.v4(CLIENT4, SERVER_A4) : Pkt.v6(SERVER_A6, CLIENT6);
        switch (proto) {
            case "TCP" -> p.tcp(1000, 2000);
            case "UDP" -> p.udp(1000, 2000);
            default -> p.echoRequest(0x1111, 0x2222);
        }
        return p.payload(payload).checksumOffBy(delta).build();
    }

    @ParameterizedTest(name = "{0} {1}, checksum off by {2}, payload {3}")
    @MethodSource("cases")
    @DisplayName("RFC 7915 s4.5 / s5.5 + RFC 1624: a correct checksum stays correct and a wrong one stays equivalently wrong")
    void incrementalUpdate(String dir, String proto, int delta, int payload) {
        byte[] in = packet(dir, proto, delta, payload);
        int before = RefChecksum.l4Residual(in);
        assertThat(before).isEqualTo(delta == 0 ? 0xffff : delta);
        XlatRun r = run(in);
        byte[] out = r.onlyBytes();
        assertThat(RefChecksum.l4Residual(out))
                .as("residual (checksum error) preserved: %s -> %s", XlatRun.hex(in), XlatRun.hex(out))
                .isEqualTo(before);
    }

    // ------------------------------------------------------------------ UDP checksum zero, 4 -> 6

    @Test
    @DisplayName("RFC 7915 s4.5: IPv4 UDP checksum 0, unfragmented, amend-udp-checksum-zero off -> drop + ICMPv4 3/13 (Jool ea)")
    void udpZero46AmendOff() {
        byte[] in = Pkt.v4(CLIENT4, SERVER_A4).udp(1000, 53).payload(20).checksum(0).build();
        XlatRun r = run(in);
        PacketView v = r.only();
        expect(v).version(4).route(OWN4, CLIENT4).ttl(64).icmp(3, 13).quotes(in).l4Valid();
        assertThat(r.dropCounters()).isEqualTo(Map.of(Counter.DROP46_UDP_ZERO_CHECKSUM, 1L));
    }

    @ParameterizedTest(name = "payload {0}")
    @ValueSource(ints = {0, 1, 20, 1001, 3001})
    @DisplayName("RFC 7915 s4.5: IPv4 UDP checksum 0, unfragmented, amend-udp-checksum-zero on -> checksum computed (Jool eb)")
    void udpZero46AmendOn(int payload) {
        Translator t = translator(b -> b.amendUdpChecksumZero = true);
        byte[] in = Pkt.v4(CLIENT4, SERVER_A4).udp(1000, 53).payload(payload).checksum(0).build();
        XlatRun r = run(t, in);
        assertThat(r.views).allMatch(v -> v.version == 6);
        assertThat(r.views.get(0).l4Checksum).isNotZero();
        assertThat(RefChecksum.l4Valid(Pkt.reassemble(r.packets))).as("also when the translator fragments it").isTrue();
        assertThat(r.drops()).isZero();
    }

    /** A UDP payload of {@code n} bytes whose IPv6 checksum (CLIENT6 -> SERVER_A6, ports 1000 -> 53) computes to 0x0000. */
    static byte[] payloadWithZeroSum6(int n) {
        byte[] data = Pkt.pattern(n);
        data[n - 2] = 0;
        data[n - 1] = 0;
        byte[] probe = Pkt.v6(CLIENT6, SERVER_A6).udp(1000, 53).payload(data).checksum(0).build();
        PacketView v = PacketView.of(probe);
        long s = RefChecksum.sum(probe, v.l4Offset, v.l4Length) + RefChecksum.sum(probe, 8, 32) + Pkt.UDP + v.l4Length;
        int fill = 0xffff - RefChecksum.fold(s);          // makes the folded sum 0xffff, i.e. checksum 0x0000
        Pkt.put16(data, n - 2, fill);
        return data;
    }

    @Test
    @DisplayName("RFC 768 / RFC 7915 s4.5: a computed UDP checksum of 0x0000 is sent as 0xffff")
    void computedZeroBecomesFfff() {
        Translator t = translator(b -> b.amendUdpChecksumZero = true);
        byte[] in = Pkt.v4(CLIENT4, SERVER_A4).udp(1000, 53).payload(payloadWithZeroSum6(40)).checksum(0).build();
        XlatRun r = run(t, in);
        assertThat(r.only().l4Checksum).isEqualTo(0xffff);
        assertThat(RefChecksum.l4Valid(r.onlyBytes())).isTrue();
    }

    @Test
    @DisplayName("RFC 768 / RFC 7915 s4.5: an incrementally updated UDP checksum of 0x0000 is sent as 0xffff")
    void updatedZeroBecomesFfff() {
        byte[] data = payloadWithZeroSum6(40);
        byte[] in = Pkt.v4(CLIENT4, SERVER_A4).udp(1000, 53).payload(data).build();
        XlatRun r = run(in);
        assertThat(r.only().l4Checksum).isEqualTo(0xffff);
        assertThat(RefChecksum.l4Valid(r.onlyBytes())).isTrue();
    }

    @ParameterizedTest(name = "amend {0}")
    @ValueSource(booleans = {false, true})
    @DisplayName("RFC 7915 s4.5: fragmented IPv4 UDP with checksum 0 -> drop + ICMPv4 3/13, whatever amend-udp-checksum-zero says (Jool ec)")
    void udpZeroFragmented(boolean amend) {
        Translator t = translator(b -> b.amendUdpChecksumZero = amend);
        byte[] whole = Pkt.v4(CLIENT4, SERVER_A4).udp(1000, 53).payload(200).checksum(0).build();
        byte[] first = Pkt.fragment4(whole, 104).get(0);
        XlatRun r = run(t, first);
        PacketView v = r.only();
        expect(v).version(4).icmp(3, 13);
        assertThat(r.dropCounters()).isEqualTo(Map.of(Counter.DROP46_UDP_ZERO_CHECKSUM, 1L));
    }

    @Test
    @DisplayName("RFC 6935/6936 (forward-udp-checksum-zero): IPv4 UDP checksum 0 stays 0 in IPv6 (Jool issue446)")
    void udpZero46Forwarded() {
        Translator t = translator(b -> b.forwardUdpChecksumZero = true);
        byte[] in = Pkt.v4(CLIENT4, SERVER_A4).udp(1000, 53).payload(20).checksum(0).build();
        PacketView v = run(t, in).only();
        assertThat(v.version).isEqualTo(6);
        assertThat(v.l4Checksum).isZero();
        assertThat(v.l4Payload()).isEqualTo(Pkt.pattern(20));
    }

    // ------------------------------------------------------------------ UDP checksum zero, 6 -> 4

    @Test
    @DisplayName("RFC 7915 s5.5 / RFC 8200 s8.1: IPv6 UDP with checksum 0 -> dropped silently and counted")
    void udpZero64Dropped() {
        byte[] in = Pkt.v6(SERVER_A6, CLIENT6).udp(53, 1000).payload(20).checksum(0).build();
        XlatRun r = run(in);
        r.assertDropped(Counter.DROP64_UDP_ZERO_CHECKSUM);
    }

    @Test
    @DisplayName("RFC 6935/6936 (forward-udp-checksum-zero): IPv6 UDP checksum 0 stays 0 in IPv4 (Jool issue446)")
    void udpZero64Forwarded() {
        Translator t = translator(b -> b.forwardUdpChecksumZero = true);
        byte[] in = Pkt.v6(SERVER_A6, CLIENT6).udp(53, 1000).payload(20).checksum(0).build();
        XlatRun r = run(t, in);
        PacketView v = r.only();
        assertThat(v.version).isEqualTo(4);
        assertThat(v.l4Checksum).isZero();
        assertThat(r.drops()).isZero();
    }
}
