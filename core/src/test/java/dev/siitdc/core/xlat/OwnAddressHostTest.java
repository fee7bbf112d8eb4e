package dev.siitdc.core.xlat;

import dev.siitdc.core.testutil.PacketView;
import dev.siitdc.core.testutil.Pkt;
import dev.siitdc.core.testutil.RefChecksum;
import dev.siitdc.core.testutil.XlatRun;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static dev.siitdc.core.testutil.PacketExpect.expect;
import static dev.siitdc.core.xlat.Net.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13 item 2: own-ipv4-address and own-ipv6-address behave as a host with no open port
 * (RFC 9293 s3.10.7.1, RFC 1122 s3.2.2.1, RFC 8200 s4), through the ICMP error rate limiter.
 */
class OwnAddressHostTest {
    static final int SYN = 0x02, ACK = 0x10, RST = 0x04, FIN = 0x01;

    /** A TCP segment with the given flags, sequence and acknowledgment numbers. */
    static byte[] tcp(Pkt p, int flags, int seq, int ack, int payload) {
        byte[] b = p.tcp(40000, 22).payload(payload).build();
        int l4 = (b[0] >>> 4) == 4 ? 20 : 40;
        Pkt.put32(b, l4 + 4, seq);
        Pkt.put32(b, l4 + 8, ack);
        b[l4 + 13] = (byte) flags;
        Pkt.put16(b, l4 + 16, 0);
        Pkt.put16(b, l4 + 16, RefChecksum.correctL4Checksum(b));
        return b;
    }

    @Test
    @DisplayName("RFC 9293 s3.10.7.1: a SYN to own-ipv4-address gets <SEQ=0><ACK=SEG.SEQ+1><CTL=RST,ACK> from it")
    void syn4GetsReset() {
        byte[] in = tcp(Pkt.v4(CLIENT4, OWN4).ttl(50), SYN, 1000, 0, 0);
        XlatRun r = run(in);
        PacketView v = r.only();
        expect(v).version(4).route(OWN4, CLIENT4).protocol(6).length(40).ports(22, 40000);
        byte[] o = r.onlyBytes();
        assertThat(Pkt.u32(o, 24)).as("SEQ").isZero();
        assertThat(Pkt.u32(o, 28)).as("ACK = SEG.SEQ + 1 (the SYN)").isEqualTo(1001);
        assertThat(o[33] & 0xff).isEqualTo(RST | ACK);
        assertThat(RefChecksum.l4Valid(o)).isTrue();
        assertThat(r.delta(Counter.TCP_RESETS_SENT)).isEqualTo(1);
        assertThat(r.delta(Counter.DROP46_TO_OWN_ADDRESS)).isEqualTo(1);
    }

    @Test
    @DisplayName("RFC 9293 s3.10.7.1: a segment with ACK gets <SEQ=SEG.ACK><CTL=RST>")
    void ack4GetsResetAtItsAck() {
        byte[] o = run(tcp(Pkt.v4(CLIENT4, OWN4).ttl(50), ACK | FIN, 5, 0x12345678, 10)).onlyBytes();
        assertThat(Pkt.u32(o, 24)).isEqualTo(0x12345678L);
        assertThat(o[33] & 0xff).isEqualTo(RST);
        assertThat(RefChecksum.l4Valid(o)).isTrue();
    }

    @Test
    @DisplayName("RFC 9293 s3.10.7.1: a RST is never answered; a bad TCP checksum is not answered either")
    void resetAndCorruptSegmentsAreNotAnswered() {
        assertThat(run(tcp(Pkt.v4(CLIENT4, OWN4), RST, 1, 0, 0)).packets).isEmpty();
        byte[] bad = tcp(Pkt.v4(CLIENT4, OWN4), SYN, 1, 0, 0);
        bad[36] ^= 0x55;
        assertThat(run(bad).packets).isEmpty();
    }

    @Test
    @DisplayName("RFC 9293 s3.10.7.1: a SYN with data to own-ipv6-address gets RST,ACK with ACK = SEQ + 1 + data")
    void syn6GetsReset() {
        byte[] in = tcp(Pkt.v6(SERVER_A6, OWN6), SYN, -2, 0, 5);
        XlatRun r = run(in);
        PacketView v = r.only();
        expect(v).version(6).route(OWN6, SERVER_A6).length(60);
        byte[] o = r.onlyBytes();
        assertThat(Pkt.u32(o, 48)).as("ACK wraps: -2 + 1 + 5").isEqualTo(4);
        assertThat(o[53] & 0xff).isEqualTo(RST | ACK);
        assertThat(RefChecksum.l4Valid(o)).isTrue();
        assertThat(r.delta(Counter.TCP_RESETS_SENT)).isEqualTo(1);
    }

    @Test
    @DisplayName("RFC 8200 s4: an unknown Next Header to own-ipv6-address gets Parameter Problem code 1 pointing at the Next Header field (6)")
    void unknownNextHeader6() {
        byte[] in = Pkt.v6(SERVER_A6, OWN6).raw(253).payload(12).build();
        XlatRun r = run(in);
        PacketView v = r.only();
        expect(v).src(OWN6).icmp(4, 1).pointer(6).quotes(in).l4Valid();
        assertThat(r.delta(Counter.ICMP6_ERRORS_SENT)).isEqualTo(1);
    }

    @Test
    @DisplayName("RFC 8200 s4: behind a Destination Options header the pointer names that header's Next Header field (40)")
    void unknownNextHeaderBehindAnExtensionHeader() {
        byte[] in = Pkt.v6(SERVER_A6, OWN6).destOptions().raw(132).payload(12).build();
        PacketView v = run(in).only();
        expect(v).icmp(4, 1).pointer(40);
    }

    @Test
    @DisplayName("RFC 8200 s4.7: No Next Header (59) is consumed silently")
    void noNextHeaderIsSilent() {
        assertThat(run(Pkt.v6(SERVER_A6, OWN6).raw(59).build()).packets).isEmpty();
    }

    @Test
    @DisplayName("RFC 1122 s3.2.2.1: an unknown IPv4 protocol to own-ipv4-address gets Destination Unreachable code 2 (protocol unreachable)")
    void unknownProtocol4() {
        byte[] in = Pkt.v4(CLIENT4, OWN4).ttl(50).raw(132).payload(12).build();
        XlatRun r = run(in);
        PacketView v = r.only();
        expect(v).route(OWN4, CLIENT4).icmp(3, 2).quotes(in);
        assertThat(r.delta(Counter.ICMP4_ERRORS_SENT)).isEqualTo(1);
    }

    @Test
    @DisplayName("All answers go through the ICMP error rate limiter: with a burst of 1 the second SYN, protocol and Next Header get nothing")
    void rateLimited() {
        Translator t = translator();
        t.setIcmpRateLimit(new IcmpRateLimiter(1, 1), () -> 0L);
        assertThat(run(t, tcp(Pkt.v4(CLIENT4, OWN4), SYN, 1, 0, 0)).packets).hasSize(1);
        XlatRun rst = run(t, tcp(Pkt.v4(CLIENT4, OWN4), SYN, 1, 0, 0));
        XlatRun proto = run(t, Pkt.v4(CLIENT4, OWN4).raw(132).build());
        XlatRun nh = run(t, Pkt.v6(SERVER_A6, OWN6).raw(253).build());
        XlatRun rst6 = run(t, tcp(Pkt.v6(SERVER_A6, OWN6), SYN, 1, 0, 0));
        for (XlatRun r : new XlatRun[] {rst, proto, nh, rst6}) {
            assertThat(r.packets).isEmpty();
            assertThat(r.delta(Counter.ICMP_ERRORS_RATE_LIMITED)).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("RFC 1122 s3.2.2: nothing is answered to a fragment or to a multicast source")
    void fragmentsAndMulticastSourcesAreNotAnswered() {
        assertThat(run(Pkt.v4(CLIENT4, OWN4).mf().raw(132).payload(16).build()).packets).isEmpty();
        assertThat(run(Pkt.v6("ff02::1", OWN6).raw(253).build()).packets).isEmpty();
        assertThat(run(Pkt.v6(SERVER_A6, OWN6).fragment(3, 0, true).raw(253).payload(16).build()).packets).isEmpty();
    }
}
