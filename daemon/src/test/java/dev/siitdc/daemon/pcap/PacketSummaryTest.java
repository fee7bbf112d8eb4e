package dev.siitdc.daemon.pcap;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static dev.siitdc.daemon.pcap.SamplePackets.addr;
import static dev.siitdc.daemon.pcap.SamplePackets.bytes;
import static dev.siitdc.daemon.pcap.SamplePackets.icmp4Echo;
import static dev.siitdc.daemon.pcap.SamplePackets.icmp6EchoReply;
import static dev.siitdc.daemon.pcap.SamplePackets.ipv6;
import static dev.siitdc.daemon.pcap.SamplePackets.udp4;
import static org.assertj.core.api.Assertions.assertThat;

class PacketSummaryTest {
    private static String describe(byte[] p) {
        return PacketSummary.describe(p, 0, p.length);
    }

    @Test
    void ipv6AddressesInRfc5952Form() {
        assertThat(PacketSummary.ipv6Address(addr("2001:db8:0:0:1:0:0:1"), 0)).isEqualTo("2001:db8::1:0:0:1");
        assertThat(PacketSummary.ipv6Address(addr("2001:db8:46::c633:6407"), 0)).isEqualTo("2001:db8:46::c633:6407");
        assertThat(PacketSummary.ipv6Address(addr("::"), 0)).isEqualTo("::");
        assertThat(PacketSummary.ipv6Address(addr("::1"), 0)).isEqualTo("::1");
        assertThat(PacketSummary.ipv6Address(addr("fe80::"), 0)).isEqualTo("fe80::");
        assertThat(PacketSummary.ipv6Address(addr("2001:db8:0:1:1:1:1:1"), 0)).isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(PacketSummary.ipv6Address(addr("2001:0:0:1:0:0:0:1"), 0)).isEqualTo("2001:0:0:1::1");
    }

    @Test
    void describesCommonPackets() {
        assertThat(describe(icmp4Echo("198.51.100.7", "192.0.2.1", 7, 3, new byte[4])))
                .isEqualTo("IP 198.51.100.7 > 192.0.2.1: ICMP echo request id 7 seq 3 (32 bytes)");
        assertThat(describe(icmp6EchoReply("2001:db8::1", "2001:db8:46::c633:6407", 7, 3, new byte[4])))
                .isEqualTo("IP6 2001:db8::1 > 2001:db8:46::c633:6407: ICMP6 echo reply id 7 seq 3 (52 bytes)");
        assertThat(describe(udp4("198.51.100.7", "192.0.2.130", 53000, 53, new byte[10])))
                .isEqualTo("IP 198.51.100.7.53000 > 192.0.2.130.53: UDP (38 bytes)");
        byte[] syn = bytes(0x9c, 0x40, 0x01, 0xbb, 0, 0, 0x10, 0, 0, 0, 0, 0, 0x50, 0x12, 0xfa, 0xf0, 0, 0, 0, 0);
        assertThat(describe(ipv6("2001:db8::1", "2001:db8::2", 6, syn)))
                .isEqualTo("IP6 2001:db8::1.40000 > 2001:db8::2.443: TCP [S.] (60 bytes)");
    }

    @Test
    void describesFragments() {
        byte[] frag = bytes(17, 0, 0x00, 0x11, 0, 0, 0, 42);  // offset 2 (16 bytes), M=1, id 42
        assertThat(describe(ipv6("2001:db8::1", "2001:db8::2", 44, concat(frag, new byte[16]))))
                .isEqualTo("IP6 2001:db8::1 > 2001:db8::2: UDP, frag id 42 offset 16+ (64 bytes)");
        byte[] v4 = udp4("198.51.100.7", "192.0.2.1", 1, 2, new byte[0]);
        v4[6] = 0x20;  // MF, offset 0: the first fragment still has ports
        assertThat(describe(v4)).isEqualTo("IP 198.51.100.7.1 > 192.0.2.1.2: UDP, frag id 4660 offset 0+ (28 bytes)");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        return dev.siitdc.daemon.pcap.SamplePackets.concat(a, b);
    }

    @Test
    void neverThrowsOnGarbage() {
        Random rnd = new Random(1);
        for (int i = 0; i < 20_000; i++) {
            byte[] p = new byte[rnd.nextInt(80)];
            rnd.nextBytes(p);
            if (p.length > 0) p[0] = (byte) ((rnd.nextBoolean() ? 0x40 : 0x60) | (p[0] & 0x0f));
            if (p.length > 6 && rnd.nextBoolean()) p[6] = (byte) new int[] {0, 43, 44, 51, 60, 6, 17, 58}[rnd.nextInt(8)];
            assertThat(describe(p)).isNotEmpty();
        }
        assertThat(describe(new byte[0])).isEqualTo("empty packet");
        assertThat(describe(bytes(0x45, 0, 0))).isEqualTo("IP truncated header (3 bytes)");
    }
}
