package dev.siitdc.core.testutil;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Self-checks of the test packet builder, view and reference checksum. */
class PktTest {

    @Test
    @DisplayName("RFC 4443 s2.3: ICMPv6 checksum of a known Echo Reply vector")
    void knownIcmpv6Vector() {
        // Same bytes as an independently computed vector (ICMPv6 Echo Reply, checksum 0x364b).
        byte[] p = Pkt.v6("2001:db8:64::c000:201", "2001:db8:64::c633:6402").hopLimit(0x40).echoReply(0, 0).build();
        assertThat(HexFormat.of().formatHex(p)).isEqualTo("6000000000083a40"
                + "20010db80064000000000000c0000201" + "20010db80064000000000000c6336402" + "8100364b00000000");
        assertThat(RefChecksum.l4Valid(p)).isTrue();
    }

    @Test
    @DisplayName("RFC 1071: builder checksums verify, and a wrong one has the requested residual")
    void checksums() {
        byte[] tcp4 = Pkt.v4("203.0.113.7", "192.0.2.5").options(new byte[] {1, 1, 1}).tcp(1, 2).payload(33).build();
        byte[] udp6 = Pkt.v6("2001:db8::1", "2001:db8::2").hopByHop().udp(1, 2).payload(7).build();
        byte[] icmp4 = Pkt.v4("203.0.113.7", "192.0.2.5").echoRequest(7, 9).payload(5).build();
        byte[] bad = Pkt.v4("203.0.113.7", "192.0.2.5").tcp(1, 2).payload(10).checksumOffBy(0x100).build();
        for (byte[] p : List.of(tcp4, udp6, icmp4)) assertThat(RefChecksum.l4Valid(p)).isTrue();
        assertThat(RefChecksum.ipv4HeaderValid(tcp4)).isTrue();
        assertThat(RefChecksum.l4Residual(bad)).isEqualTo(0x100);
        assertThat(PacketView.of(tcp4).ihl).isEqualTo(6);
        assertThat(PacketView.of(udp6).extHeaders).containsExactly(Pkt.HOP_BY_HOP);
        assertThat(PacketView.of(udp6).protocol).isEqualTo(Pkt.UDP);
        assertThat(PacketView.of(udp6).udpLength).isEqualTo(15);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "2001:0db8:0064:0000:0000:0000:cb00:7107, 2001:db8:64::cb00:7107",
            "2001:db8:0:1:0:0:0:1, 2001:db8:0:1::1",
            "::, ::",
            "2001:db8::, 2001:db8::",
            "1:0:0:2:0:0:0:3, 1:0:0:2::3"})
    @DisplayName("RFC 5952: canonical IPv6 text")
    void canonicalText(String text, String canonical) {
        assertThat(PacketView.canonical(text)).isEqualTo(canonical);
    }

    @Test
    @DisplayName("RFC 4884 s4/s7: extension padding, length attribute and structure checksum")
    void extension() {
        byte[] ext = Pkt.extensionStructure(Pkt.extensionObject(2, 1, new byte[] {1, 2, 3, 4}));
        assertThat(RefChecksum.extensionValid(ext)).isTrue();
        byte[] q = Pkt.v4("192.0.2.5", "203.0.113.7").udp(1, 2).payload(50).build();
        byte[] e4 = Pkt.v4("203.0.113.254", "192.0.2.5").icmpError(3, 1, q).extension(ext).build();
        PacketView v = PacketView.of(e4);
        assertThat(v.lengthAttribute()).isEqualTo(32);
        assertThat(v.extension()).isEqualTo(ext);
        assertThat(v.inner().sport).isEqualTo(1);
        assertThat(RefChecksum.l4Valid(e4)).isTrue();
        byte[] e6 = Pkt.v6("2001:db8::1", "2001:db8::2").icmpError(1, 4, new byte[130]).extension(ext).build();
        assertThat(PacketView.of(e6).lengthAttribute()).isEqualTo(17);
        assertThat(RefChecksum.l4Valid(e6)).isTrue();
    }

    @Test
    @DisplayName("RFC 791 s2.3 / RFC 8200 s4.5: fragment helpers split and reassemble")
    void fragments() {
        byte[] u4 = Pkt.v4("203.0.113.7", "192.0.2.5").udp(1, 2).payload(100).build();
        List<byte[]> f4 = Pkt.fragment4(u4, 48);
        assertThat(f4).hasSize(3);
        assertThat(PacketView.of(f4.get(1)).fragOffset).isEqualTo(48);
        assertThat(Pkt.reassemble(f4)).isEqualTo(u4);
        byte[] u6 = Pkt.v6("2001:db8::1", "2001:db8::2").udp(1, 2).payload(100).build();
        List<byte[]> f6 = Pkt.fragment6(u6, 48, 77);
        assertThat(PacketView.of(f6.get(0)).fragId).isEqualTo(77);
        assertThat(Pkt.reassemble(f6)).isEqualTo(u6);
    }
}
