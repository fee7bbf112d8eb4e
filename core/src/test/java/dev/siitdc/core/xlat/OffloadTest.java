package dev.siitdc.core.xlat;

import dev.siitdc.core.packet.Bytes;
import dev.siitdc.core.packet.Checksum;
import dev.siitdc.core.testutil.Pkt;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** TSO/GSO super-packets and partial checksums (virtio-net header offloads) carried through translation. */
class OffloadTest {

    private static List<byte[]> translate(Translator t, byte[] in, int flags) {
        byte[] buf = new byte[Translator.HEADROOM + in.length + 64];
        System.arraycopy(in, 0, buf, Translator.HEADROOM, in.length);
        List<byte[]> out = new ArrayList<>();
        PacketSink sink = (b, off, len) -> out.add(Arrays.copyOfRange(b, off, off + len));
        if ((in[0] >>> 4 & 0xf) == 4) t.translate4(buf, Translator.HEADROOM, in.length, sink, flags);
        else t.translate6(buf, Translator.HEADROOM, in.length, sink, flags);
        return out;
    }

    /** Folded pseudo-header sum, as Linux leaves it in a CHECKSUM_PARTIAL TCP header. */
    private static int partial4(byte[] p) {
        int len = Bytes.u16(p, 2) - 20;
        return Checksum.fold(Checksum.add(0, p, 12, 8) + len + (p[9] & 0xff));
    }

    private static int partial6(byte[] p) {
        int len = Bytes.u16(p, 4);
        return Checksum.fold(Checksum.add(0, p, 8, 32) + len + (p[6] & 0xff));
    }

    @Test
    @DisplayName("GSO: a 9000-byte DF super-packet is translated whole, without Fragmentation Needed (RFC 7915 s4 MTU rules apply per segment)")
    void gsoSkipsMtuRules46() {
        Translator t = Net.translator();
        byte[] in = Pkt.v4(Net.CLIENT4, Net.SERVER_A4).df().tcp(40000, 80).payload(9000 - 40).build();
        assertThat(translate(t, in, 0)).as("without GSO: Fragmentation Needed").hasSize(1)
                .allSatisfy(p -> assertThat(p[0] >>> 4).isEqualTo(4));
        assertOneGsoPacket(t, in, 9020, 6);
    }

    /** With OFFLOAD_GSO, {@code in} becomes exactly one packet of {@code length} bytes and IP version {@code version}. */
    private static void assertOneGsoPacket(Translator t, byte[] in, int length, int version) {
        List<byte[]> out = translate(t, in, Translator.OFFLOAD_GSO);
        assertThat(out).hasSize(1);
        assertThat(out.get(0)).hasSize(length);
        assertThat(out.get(0)[0] >>> 4 & 0xf).isEqualTo(version);
    }

    @Test
    @DisplayName("GSO: a 9000-byte IPv6 super-packet becomes one IPv4 packet, without Packet Too Big")
    void gsoSkipsMtuRules64() {
        Translator t = Net.translator();
        byte[] in = Pkt.v6(Net.SERVER_A6, Net.CLIENT6).tcp(80, 40000).payload(9000 - 60).build();
        assertOneGsoPacket(t, in, 8980, 4);
    }

    @Test
    @DisplayName("NEEDS_CSUM: a partial TCP checksum (pseudo-header only) stays the partial sum of the new pseudo-header, 4->6 and 6->4")
    void partialChecksum() {
        Translator t = Net.translator();
        byte[] in = Pkt.v4(Net.CLIENT4, Net.SERVER_A4).df().tcp(40000, 80).payload(1000).build();
        Bytes.put16(in, 20 + 16, partial4(in));
        byte[] v6 = translate(t, in, Translator.OFFLOAD_CSUM_PARTIAL).get(0);
        assertThat(Bytes.u16(v6, 40 + 16)).isEqualTo(partial6(v6));

        byte[] back = Pkt.v6(Net.SERVER_A6, Net.CLIENT6).tcp(80, 40000).payload(1000).build();
        Bytes.put16(back, 40 + 16, partial6(back));
        byte[] v4 = translate(t, back, Translator.OFFLOAD_CSUM_PARTIAL).get(0);
        assertThat(Bytes.u16(v4, 20 + 16)).isEqualTo(partial4(v4));
    }

    @Test
    @DisplayName("NEEDS_CSUM: a partial checksum is completed when the translator itself fragments the packet (RFC 7915 s4)")
    void partialChecksumCompletedBeforeFragmenting() {
        Translator t = Net.translator();   // lowest-ipv6-mtu 1280
        byte[] in = Pkt.v4(Net.CLIENT4, Net.SERVER_A4).udp(5000, 53).payload(2000).build();
        int valid = Bytes.u16(in, 20 + 6);
        Bytes.put16(in, 20 + 6, partial4(in));
        List<byte[]> frags = translate(t, in, Translator.OFFLOAD_CSUM_PARTIAL);
        assertThat(frags).hasSizeGreaterThan(1);
        byte[] first = frags.get(0);
        // the UDP checksum of the whole datagram, over the IPv6 pseudo-header: verify after reassembly
        int sum = Checksum.add(0, first, 8, 32) + (2008 >>> 16) + (2008 & 0xffff) + 17;
        int off = 0;
        for (byte[] f : frags) {
            int data = f.length - 48;
            sum = Checksum.add(sum, f, 48, data);
            if ((data & 1) != 0) throw new AssertionError("odd fragment");
            off += data;
        }
        assertThat(off).isEqualTo(2008);
        assertThat(Checksum.verify(sum)).as("reassembled UDP checksum valid (input checksum was %04x)", valid).isTrue();
    }
}
