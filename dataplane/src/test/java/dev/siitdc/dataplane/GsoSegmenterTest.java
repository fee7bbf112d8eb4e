package dev.siitdc.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.siitdc.core.addr.Ipv4Prefix;
import dev.siitdc.core.config.TranslatorConfig;
import dev.siitdc.core.eam.Eam;
import dev.siitdc.core.packet.Bytes;
import dev.siitdc.core.packet.Checksum;
import dev.siitdc.core.xlat.Translator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 10 item 5: DF=0 super-packets leave as if each segment had been translated alone (RFC 7915 s4). */
class GsoSegmenterTest {
    static final int OFF = Translator.HEADROOM;
    static final TranslatorConfig BR = RelayFilterTest.config("2001:db8:46::/96", Eam.parse("198.51.100.10", "2001:db8:a::"));

    /** An IPv4 super-packet 192.0.2.100 -> 198.51.100.10 of {@code payload} bytes, DF as given. */
    static byte[] superPacket(int proto, int payload, boolean df, int tcpFlags) {
        int thl = proto == 6 ? 20 : 8;
        int tot = 20 + thl + payload;
        byte[] b = new byte[OFF + tot + 64];
        b[OFF] = 0x45;
        Bytes.put16(b, OFF + 2, tot);
        Bytes.put16(b, OFF + 4, 0x1000);
        Bytes.put16(b, OFF + 6, df ? 0x4000 : 0);
        b[OFF + 8] = 64;
        b[OFF + 9] = (byte) proto;
        Bytes.put32(b, OFF + 12, Ipv4Prefix.parseAddress("192.0.2.100"));
        Bytes.put32(b, OFF + 16, Ipv4Prefix.parseAddress("198.51.100.10"));
        Bytes.put16(b, OFF + 10, Checksum.ipv4Header(b, OFF, 20));
        int l4 = OFF + 20;
        Bytes.put16(b, l4, 40000);
        Bytes.put16(b, l4 + 2, 7);
        if (proto == 6) {
            Bytes.put32(b, l4 + 4, 0xfffffff0);
            b[l4 + 12] = 0x50;
            b[l4 + 13] = (byte) tcpFlags;
        } else {
            Bytes.put16(b, l4 + 4, 8 + payload);
        }
        for (int i = 0; i < payload; i++) b[l4 + thl + i] = (byte) i;
        return b;
    }

    static List<byte[]> segments(byte[] b, int gsoSize) {
        List<byte[]> out = new ArrayList<>();
        int n = new GsoSegmenter().segment(b, OFF, Bytes.u16(b, OFF + 2), gsoSize,
                (s, off, len) -> out.add(Arrays.copyOfRange(s, off, off + len)));
        assertThat(n).isEqualTo(out.size());
        return out;
    }

    static boolean transportChecksumValid(byte[] p) {
        int tot = p.length;
        int sum = Checksum.add(0, p, 12, 8) + (p[9] & 0xff) + (tot - 20);
        return Checksum.verify(Checksum.add(sum, p, 20, tot - 20));
    }

    @Test
    void theLimitIsLowestIpv6MtuWithoutDf() {
        TranslatorConfig c = withMtus(1280, 1500, false);
        assertThat(GsoSegmenter.ipv6Limit(superPacket(17, 100, false, 0), OFF, 128, c)).isEqualTo(1280);
        assertThat(GsoSegmenter.ipv6Limit(superPacket(17, 100, true, 0), OFF, 128, c)).isEqualTo(1500);
    }

    @Test
    void onlyDfZeroUdpOverTheLimitOrAtomicFragmentsAreSegmentedHere() {
        TranslatorConfig c = withMtus(1280, 1500, false);
        byte[] udp = superPacket(17, 4000, false, 0);
        assertThat(GsoSegmenter.needed(udp, OFF, 4028, VirtioNetHeader.GSO_UDP_L4, 1400, c)).isTrue();
        assertThat(GsoSegmenter.needed(udp, OFF, 4028, VirtioNetHeader.GSO_UDP_L4, 1232, c)).as("1280 fits").isFalse();
        assertThat(GsoSegmenter.needed(superPacket(17, 4000, true, 0), OFF, 4028, VirtioNetHeader.GSO_UDP_L4, 1400, c))
                .as("DF=1: the sender does PMTUD").isFalse();
        assertThat(GsoSegmenter.needed(superPacket(6, 4000, false, 0), OFF, 4040, VirtioNetHeader.GSO_TCPV4, 1400, c))
                .as("TCP: gso_size shrinks instead").isFalse();
        assertThat(GsoSegmenter.needed(superPacket(6, 4000, false, 0), OFF, 4040, VirtioNetHeader.GSO_TCPV4, 1000,
                withMtus(1280, 1500, true))).as("atomic fragments").isTrue();
        assertThat(GsoSegmenter.needed(udp, OFF, 4028, VirtioNetHeader.GSO_NONE, 0, c)).isFalse();
    }

    @Test
    void udpSegmentsTranslatedAloneNeverExceedLowestIpv6Mtu() {
        List<byte[]> segs = segments(superPacket(17, 3 * 1400 + 100, false, 0), 1400);
        assertThat(segs).hasSize(4);
        for (int i = 0; i < segs.size(); i++) {
            byte[] s = segs.get(i);
            assertThat(Bytes.u16(s, 4)).as("Identification + 1 per segment").isEqualTo(0x1000 + i);
            assertThat(Bytes.u16(s, 24)).as("UDP length").isEqualTo(8 + (i < 3 ? 1400 : 100));
            assertThat(Checksum.verify(Checksum.add(0, s, 0, 20))).isTrue();
            assertThat(transportChecksumValid(s)).isTrue();
            assertThat(s[28] & 0xff).as("payload continues").isEqualTo((i * 1400) & 0xff);
        }
        Translator t = new Translator(withMtus(1280, 1500, false));
        List<Integer> sizes = new ArrayList<>();
        for (byte[] s : segs) {
            byte[] b = new byte[OFF + s.length + 64];
            System.arraycopy(s, 0, b, OFF, s.length);
            t.translate4(b, OFF, s.length, (o, off, len) -> sizes.add(len));
        }
        assertThat(sizes).hasSize(7).allMatch(n -> n <= 1280);
    }

    @Test
    void tcpSegmentsAdvanceTheSequenceAndKeepFinPshForTheLastAndCwrForTheFirst() {
        List<byte[]> segs = segments(superPacket(6, 2500, false, 0x80 | 0x10 | 0x08 | 0x01), 1000);
        assertThat(segs).hasSize(3);
        for (int i = 0; i < 3; i++) {
            byte[] s = segs.get(i);
            assertThat(Bytes.u32(s, 24)).isEqualTo((0xfffffff0L + i * 1000L) & 0xffffffffL);
            int f = s[33] & 0xff;
            assertThat((f & 0x80) != 0).as("CWR").isEqualTo(i == 0);
            assertThat((f & 0x09) != 0).as("FIN, PSH").isEqualTo(i == 2);
            assertThat(f & 0x10).as("ACK everywhere").isEqualTo(0x10);
            assertThat(transportChecksumValid(s)).isTrue();
            assertThat(s.length).isEqualTo(40 + (i < 2 ? 1000 : 500));
        }
    }

    @Test
    void malformedSuperPacketsAreRefused() {
        byte[] b = superPacket(17, 100, false, 0);
        assertThat(new GsoSegmenter().segment(b, OFF, 20, 50, (s, o, l) -> { })).isEqualTo(-1);
        assertThat(new GsoSegmenter().segment(b, OFF, 128, 0, (s, o, l) -> { })).isEqualTo(-1);
    }

    static TranslatorConfig withMtus(int lowest, int ipv6Mtu, boolean atomic) {
        TranslatorConfig.Builder b = BR.toBuilder();
        b.lowestIpv6Mtu = lowest;
        b.ipv6Mtu = ipv6Mtu;
        b.atomicFragments = atomic;
        try {
            return b.build();
        } catch (dev.siitdc.core.config.ConfigException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
