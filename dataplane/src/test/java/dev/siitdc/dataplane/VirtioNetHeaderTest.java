package dev.siitdc.dataplane;

import static dev.siitdc.dataplane.VirtioNetHeader.F_NEEDS_CSUM;
import static dev.siitdc.dataplane.VirtioNetHeader.GSO_ECN;
import static dev.siitdc.dataplane.VirtioNetHeader.GSO_NONE;
import static dev.siitdc.dataplane.VirtioNetHeader.GSO_TCPV4;
import static dev.siitdc.dataplane.VirtioNetHeader.GSO_TCPV6;
import static dev.siitdc.dataplane.VirtioNetHeader.GSO_UDP_L4;
import static dev.siitdc.dataplane.VirtioNetHeader.LEN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.siitdc.core.addr.Ipv4Prefix;
import dev.siitdc.core.addr.Ipv6Prefix;
import dev.siitdc.core.config.TranslatorConfig;
import dev.siitdc.core.eam.Eam;
import dev.siitdc.core.packet.Bytes;
import dev.siitdc.core.packet.Checksum;
import dev.siitdc.core.xlat.PacketSink;
import dev.siitdc.core.xlat.Translator;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The virtio_net_hdr codec and the relay's rule for the header of each emitted packet. */
class VirtioNetHeaderTest {
    static final int OFF = Translator.HEADROOM;
    static final int MTU = 1500;
    static final String CLIENT4 = "192.0.2.100", SERVICE4 = "198.51.100.10", SERVICE6 = "2001:db8:a::";
    static final TranslatorConfig BR = RelayFilterTest.config("2001:db8:46::/96", Eam.parse(SERVICE4, SERVICE6));

    // ------------------------------------------------------------------ the codec

    @Test
    void writeThenReadEveryField() {
        byte[] b = new byte[20];
        VirtioNetHeader.write(b, 3, F_NEEDS_CSUM, GSO_TCPV6 | GSO_ECN, 72, 1428, 40, 16);
        assertThat(VirtioNetHeader.flags(b, 3)).isEqualTo(1);
        assertThat(VirtioNetHeader.gsoType(b, 3)).isEqualTo(0x84);
        assertThat(VirtioNetHeader.hdrLen(b, 3)).isEqualTo(72);
        assertThat(VirtioNetHeader.gsoSize(b, 3)).isEqualTo(1428);
        assertThat(VirtioNetHeader.csumStart(b, 3)).isEqualTo(40);
        assertThat(VirtioNetHeader.csumOffset(b, 3)).isEqualTo(16);
        assertThat(b[2]).isZero();
        assertThat(b[13]).isZero();
        VirtioNetHeader.write(b, 3, 0xff, 0xff, 0xffff, 0xffff, 0xffff, 0xffff);
        assertThat(VirtioNetHeader.gsoSize(b, 3)).isEqualTo(0xffff);
        VirtioNetHeader.clear(b, 3);
        assertThat(b).containsOnly(0);
    }

    @Test
    void hostByteOrderLayoutOfStructVirtioNetHdr() {
        byte[] b = new byte[LEN];
        VirtioNetHeader.write(b, 0, 1, 4, 0x0102, 0x0304, 0x0506, 0x0708);
        byte[] le = {1, 4, 2, 1, 4, 3, 6, 5, 8, 7};
        byte[] be = {1, 4, 1, 2, 3, 4, 5, 6, 7, 8};
        assertThat(b).isEqualTo(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? le : be);
        // as the kernel writes it on x86 (little-endian): NEEDS_CSUM, TCPV4, hdr_len 66, gso_size 1448,
        // csum_start 20, csum_offset 16
        byte[] kernel = {1, 1, 66, 0, (byte) 0xa8, 5, 20, 0, 16, 0};
        if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
            assertThat(VirtioNetHeader.hdrLen(kernel, 0)).isEqualTo(66);
            assertThat(VirtioNetHeader.gsoSize(kernel, 0)).isEqualTo(1448);
            assertThat(VirtioNetHeader.csumStart(kernel, 0)).isEqualTo(20);
            assertThat(VirtioNetHeader.csumOffset(kernel, 0)).isEqualTo(16);
        }
    }

    @Test
    void offloadFlagsForTheTranslator() {
        assertThat(VirtioNetHeader.offloadFlags(0, GSO_NONE)).isZero();
        assertThat(VirtioNetHeader.offloadFlags(VirtioNetHeader.F_DATA_VALID, GSO_NONE)).isZero();
        assertThat(VirtioNetHeader.offloadFlags(F_NEEDS_CSUM, GSO_NONE)).isEqualTo(Translator.OFFLOAD_CSUM_PARTIAL);
        assertThat(VirtioNetHeader.offloadFlags(F_NEEDS_CSUM, GSO_TCPV4))
                .isEqualTo(Translator.OFFLOAD_CSUM_PARTIAL | Translator.OFFLOAD_GSO);
        assertThat(VirtioNetHeader.offloadFlags(0, GSO_UDP_L4)).isEqualTo(Translator.OFFLOAD_GSO);
    }

    // ------------------------------------------------------------------ the header of an emitted packet

    @Test
    void tcpv4InputBecomesTcpv6WithTheIpv6Offsets() {
        byte[] b = tcp6(1000, 32);
        junk(b);
        int gso = VirtioNetHeader.writeFor(b, OFF, len(b), F_NEEDS_CSUM, GSO_TCPV4, 1448, MTU, MTU);
        assertThat(gso).isEqualTo(GSO_TCPV6);
        // 1448 + 32 + 40 = 1520 > 1500: each segment shrinks to 1500 - 40 - 32
        assertHeader(b, F_NEEDS_CSUM, GSO_TCPV6, 40 + 32, 1428, 40, 16);
    }

    @Test
    void tcpv6InputBecomesTcpv4AndKeepsAGsoSizeThatFits() {
        byte[] b = tcp4(1000, 20);
        int gso = VirtioNetHeader.writeFor(b, OFF, len(b), F_NEEDS_CSUM, GSO_TCPV6, 1440, MTU, MTU);
        assertThat(gso).isEqualTo(GSO_TCPV4);
        assertHeader(b, F_NEEDS_CSUM, GSO_TCPV4, 40, 1440, 20, 16);
        // a smaller ipv4-mtu shrinks it
        VirtioNetHeader.writeFor(b, OFF, len(b), F_NEEDS_CSUM, GSO_TCPV6, 1440, 1400, MTU);
        assertHeader(b, F_NEEDS_CSUM, GSO_TCPV4, 40, 1360, 20, 16);
    }

    @Test
    void ecnBitStays() {
        byte[] b = tcp6(1000, 20);
        assertThat(VirtioNetHeader.writeFor(b, OFF, len(b), F_NEEDS_CSUM, GSO_TCPV4 | GSO_ECN, 1000, MTU, MTU))
                .isEqualTo(GSO_TCPV6 | GSO_ECN);
        byte[] c = tcp4(1000, 20);
        assertThat(VirtioNetHeader.writeFor(c, OFF, len(c), F_NEEDS_CSUM, GSO_TCPV6 | GSO_ECN, 1000, MTU, MTU))
                .isEqualTo(GSO_TCPV4 | GSO_ECN);
    }

    @Test
    void hairpinnedIpv6StaysTcpv6() {
        byte[] b = tcp6(1000, 20);
        assertThat(VirtioNetHeader.writeFor(b, OFF, len(b), F_NEEDS_CSUM, GSO_TCPV6, 1440, MTU, 1280))
                .isEqualTo(GSO_TCPV6);
        assertHeader(b, F_NEEDS_CSUM, GSO_TCPV6, 60, 1280 - 60, 40, 16);
    }

    @Test
    void udpL4KeepsItsGsoSizeBecauseItSeparatesDatagrams() {
        byte[] b = udp6(4000);
        assertThat(VirtioNetHeader.writeFor(b, OFF, len(b), F_NEEDS_CSUM, GSO_UDP_L4, 1472, MTU, MTU))
                .isEqualTo(GSO_UDP_L4);
        assertHeader(b, F_NEEDS_CSUM, GSO_UDP_L4, 48, 1472, 40, 6);
        byte[] c = udp4(4000);
        VirtioNetHeader.writeFor(c, OFF, len(c), F_NEEDS_CSUM, GSO_UDP_L4, 1452, MTU, MTU);
        assertHeader(c, F_NEEDS_CSUM, GSO_UDP_L4, 28, 1452, 20, 6);
    }

    @Test
    void partialChecksumWithoutGso() {
        byte[] b = udp4(100);
        assertThat(VirtioNetHeader.writeFor(b, OFF, len(b), F_NEEDS_CSUM, GSO_NONE, 0, MTU, MTU)).isEqualTo(GSO_NONE);
        assertHeader(b, F_NEEDS_CSUM, GSO_NONE, 28, 0, 20, 6);
    }

    @Test
    void gsoWithoutPartialChecksumLeavesTheChecksumOffsetsZero() {
        byte[] b = tcp6(5000, 20);
        assertThat(VirtioNetHeader.writeFor(b, OFF, len(b), 0, GSO_TCPV4, 1460, MTU, MTU)).isEqualTo(GSO_TCPV6);
        assertHeader(b, 0, GSO_TCPV6, 60, 1440, 0, 0);
    }

    @Test
    void withoutInputOffloadsEverythingGetsAZeroHeader() {
        byte[] b = tcp6(1000, 20);
        junk(b);
        assertThat(VirtioNetHeader.writeFor(b, OFF, len(b), 0, GSO_NONE, 0, MTU, MTU)).isEqualTo(GSO_NONE);
        assertZeroHeader(b);
        junk(b);
        VirtioNetHeader.writeFor(b, OFF, len(b), VirtioNetHeader.F_DATA_VALID, GSO_NONE, 0, MTU, MTU);
        assertZeroHeader(b);
    }

    @Test
    void icmpErrorsGetAZeroHeader() {
        byte[] e4 = ip4(1, 56);
        junk(e4);
        assertThat(VirtioNetHeader.writeFor(e4, OFF, len(e4), F_NEEDS_CSUM, GSO_TCPV6, 1440, MTU, MTU)).isZero();
        assertZeroHeader(e4);
        byte[] e6 = ip6(58, 0, 1280 - 40);
        junk(e6);
        assertThat(VirtioNetHeader.writeFor(e6, OFF, len(e6), F_NEEDS_CSUM, GSO_TCPV4, 1440, MTU, MTU)).isZero();
        assertZeroHeader(e6);
    }

    @Test
    void fragmentsGetAZeroHeader() {
        byte[] first = tcp4(1000, 20);
        Bytes.put16(first, OFF + 6, 0x2000);           // MF
        junk(first);
        assertThat(VirtioNetHeader.writeFor(first, OFF, len(first), F_NEEDS_CSUM, GSO_NONE, 0, MTU, MTU)).isZero();
        assertZeroHeader(first);
        byte[] later = tcp4(1000, 20);
        Bytes.put16(later, OFF + 6, 185);               // offset 1480
        junk(later);
        VirtioNetHeader.writeFor(later, OFF, len(later), F_NEEDS_CSUM, GSO_NONE, 0, MTU, MTU);
        assertZeroHeader(later);
        byte[] frag6 = ip6(44, 8, 1000);                 // Fragment header, M = 1
        frag6[OFF + 40] = 6;
        Bytes.put16(frag6, OFF + 42, 1);
        junk(frag6);
        VirtioNetHeader.writeFor(frag6, OFF, len(frag6), F_NEEDS_CSUM, GSO_NONE, 0, MTU, MTU);
        assertZeroHeader(frag6);
    }

    @Test
    void ipv4WithOptionsGetsAZeroHeader() {
        byte[] b = tcp4(1000, 20);
        b[OFF] = 0x46;
        junk(b);
        VirtioNetHeader.writeFor(b, OFF, len(b), F_NEEDS_CSUM, GSO_NONE, 0, MTU, MTU);
        assertZeroHeader(b);
    }

    @Test
    void atomicFragmentKeepsItsPartialChecksumPastTheFragmentHeaderButNotGso() {
        byte[] b = ip6(44, 8, 20 + 3000);
        b[OFF + 40] = 6;                                  // Fragment header: next header TCP, offset 0, M 0
        b[OFF + 48 + 12] = 0x50;
        assertThat(VirtioNetHeader.writeFor(b, OFF, len(b), F_NEEDS_CSUM, GSO_TCPV4, 1000, MTU, MTU)).isZero();
        assertHeader(b, F_NEEDS_CSUM, GSO_NONE, 68, 0, 48, 16);
    }

    @Test
    void aGsoSizeNeverDropsBelowTheMinimum() {
        byte[] b = tcp4(1000, 60);
        VirtioNetHeader.writeFor(b, OFF, len(b), F_NEEDS_CSUM, GSO_TCPV6, 1000, 68, MTU);
        assertThat(VirtioNetHeader.gsoSize(b, OFF - LEN)).isEqualTo(VirtioNetHeader.MIN_GSO_SIZE);
    }

    // ------------------------------------------------------------------ inputs

    @Test
    void partialChecksumCarriedOnlyForTcpAndUdpRightAfterTheIpHeaders() {
        byte[] t4 = tcp4(100, 20);
        assertThat(carried(t4, OFF, len(t4), 20, 16)).isTrue();
        assertThat(carried(t4, OFF, len(t4), 20, 6)).isFalse();
        assertThat(carried(t4, OFF, len(t4), 24, 16)).isFalse();
        byte[] u6 = udp6(100);
        assertThat(carried(u6, OFF, len(u6), 40, 6)).isTrue();
        assertThat(carried(u6, OFF, len(u6), 40, 16)).isFalse();
        // IPv6 behind a Destination Options header (8 bytes)
        byte[] d6 = ip6(60, 8, 8 + 100);
        d6[OFF + 40] = 17;
        assertThat(carried(d6, OFF, len(d6), 48, 6)).isTrue();
        assertThat(carried(d6, OFF, len(d6), 40, 6)).isFalse();
        // ICMP, a fragment
        byte[] icmp = ip4(1, 100);
        assertThat(carried(icmp, OFF, len(icmp), 20, 2)).isFalse();
        byte[] frag = tcp4(100, 20);
        Bytes.put16(frag, OFF + 6, 0x2000);
        assertThat(carried(frag, OFF, len(frag), 20, 16)).isFalse();
    }

    @Test
    void finishChecksumAsTheKernelWould() {
        byte[] b = udp4(333);
        for (int i = 0; i < 333; i++) b[OFF + 28 + i] = (byte) (i * 7);
        Bytes.put16(b, OFF + 26, partial4(b, OFF));
        assertThat(VirtioNetHeader.finishChecksum(b, OFF, len(b), 20, 6)).isTrue();
        assertThat(fullChecksumValid4(b, OFF)).isTrue();
        assertThat(VirtioNetHeader.finishChecksum(b, OFF, len(b), len(b) - 1, 0)).isFalse();
        assertThat(VirtioNetHeader.finishChecksum(b, OFF, len(b), 20, len(b))).isFalse();
    }

    // ------------------------------------------------------------------ with the translator

    /**
     * A TSO super-packet from the IPv4 client (NEEDS_CSUM, TCPV4, gso_size 1448, TCP timestamps) through the
     * real translator and the sink's rule: one IPv6 super-packet whose header makes the kernel cut 1428-byte
     * segments that fit 1500, and whose partial checksum, finished as the kernel finishes it, is right.
     */
    @Test
    void superPacketThroughTheTranslator46() {
        byte[] in = tcp4(20 * 1448, 32);
        fill(in, OFF + 52, 20 * 1448);
        setAddresses4(in, CLIENT4, SERVICE4);
        Bytes.put16(in, OFF + 36, partial4(in, OFF));
        List<byte[]> out = new ArrayList<>();
        List<Integer> gso = new ArrayList<>();
        PacketSink sink = (b, off, len) -> {
            gso.add(VirtioNetHeader.writeFor(b, off, len, F_NEEDS_CSUM, GSO_TCPV4, 1448, MTU, MTU));
            out.add(Arrays.copyOfRange(b, off - LEN, off + len));
        };
        new Translator(BR).translate4(in, OFF, len(in), sink, Translator.OFFLOAD_GSO | Translator.OFFLOAD_CSUM_PARTIAL);
        assertThat(out).hasSize(1);
        assertThat(gso).containsExactly(GSO_TCPV6);
        byte[] p = out.getFirst();
        assertHeader(p, LEN, F_NEEDS_CSUM, GSO_TCPV6, 72, 1428, 40, 16);
        assertThat(p.length - LEN).isEqualTo(40 + 32 + 20 * 1448);
        // the kernel: the sum from csum_start to the end, complemented, into csum_start + csum_offset
        int start = LEN + VirtioNetHeader.csumStart(p, 0);
        int at = start + VirtioNetHeader.csumOffset(p, 0);
        Bytes.put16(p, at, Checksum.finish(Checksum.add(0, p, start, p.length - start)));
        assertThat(fullChecksumValid6(p, LEN)).as("finished TCP checksum over the IPv6 pseudo-header").isTrue();
    }

    @Test
    void superPacketThroughTheTranslator64() {
        byte[] in = tcp6(10 * 1440, 20);
        fill(in, OFF + 60, 10 * 1440);
        setAddresses6(in, SERVICE6, "2001:db8:46::c000:264");   // 192.0.2.100 in pool6
        Bytes.put16(in, OFF + 56, partial6(in, OFF));
        List<byte[]> out = new ArrayList<>();
        PacketSink sink = (b, off, len) -> {
            VirtioNetHeader.writeFor(b, off, len, F_NEEDS_CSUM, GSO_TCPV6, 1440, MTU, MTU);
            out.add(Arrays.copyOfRange(b, off - LEN, off + len));
        };
        new Translator(BR).translate6(in, OFF, len(in), sink, Translator.OFFLOAD_GSO | Translator.OFFLOAD_CSUM_PARTIAL);
        assertThat(out).hasSize(1);
        byte[] p = out.getFirst();
        assertHeader(p, LEN, F_NEEDS_CSUM, GSO_TCPV4, 40, 1440, 20, 16);
        assertThat(Bytes.u16(p, LEN + 2)).isEqualTo(20 + 20 + 10 * 1440);
        assertThat(Checksum.verify(Checksum.add(0, p, LEN, 20))).as("IPv4 header checksum").isTrue();
        int start = LEN + 20;
        Bytes.put16(p, start + 16, Checksum.finish(Checksum.add(0, p, start, p.length - start)));
        assertThat(fullChecksumValid4(p, LEN)).isTrue();
    }

    /** A packet the translator answers with an ICMP error (TTL 1): the error gets an all-zero header. */
    @Test
    void anIcmpErrorAboutAnOffloadedPacketGetsAZeroHeader() {
        byte[] in = tcp4(3000, 20);
        in[OFF + 8] = 1;
        setAddresses4(in, CLIENT4, SERVICE4);
        Bytes.put16(in, OFF + 36, partial4(in, OFF));
        List<byte[]> out = new ArrayList<>();
        PacketSink sink = (b, off, len) -> {
            junk(b, off);
            VirtioNetHeader.writeFor(b, off, len, F_NEEDS_CSUM, GSO_TCPV4, 1448, MTU, MTU);
            out.add(Arrays.copyOfRange(b, off - LEN, off + len));
        };
        new Translator(BR).translate4(in, OFF, len(in), sink, Translator.OFFLOAD_GSO | Translator.OFFLOAD_CSUM_PARTIAL);
        assertThat(out).hasSize(1);
        assertThat(out.getFirst()[LEN + 9]).as("ICMP").isEqualTo((byte) 1);
        assertThat(Arrays.copyOfRange(out.getFirst(), 0, LEN)).containsOnly(0);
    }

    // ------------------------------------------------------------------ packets

    static int len(byte[] b) {
        return b.length - OFF;
    }

    static byte[] ip4(int proto, int payload) {
        byte[] b = new byte[OFF + 20 + payload];
        b[OFF] = 0x45;
        Bytes.put16(b, OFF + 2, 20 + payload);
        Bytes.put16(b, OFF + 6, 0x4000);
        b[OFF + 8] = 64;
        b[OFF + 9] = (byte) proto;
        Ipv4Prefix.write(Ipv4Prefix.parseAddress("192.0.2.1"), b, OFF + 12);
        Ipv4Prefix.write(Ipv4Prefix.parseAddress("192.0.2.2"), b, OFF + 16);
        Bytes.put16(b, OFF + 10, Checksum.ipv4Header(b, OFF, 20));
        return b;
    }

    static byte[] ip6(int nextHeader, int extLen, int payload) {
        byte[] b = new byte[OFF + 40 + payload];
        b[OFF] = 0x60;
        Bytes.put16(b, OFF + 4, payload);
        b[OFF + 6] = (byte) nextHeader;
        b[OFF + 7] = 64;
        b[OFF + 8] = 0x20;
        b[OFF + 24] = 0x20;
        b[OFF + 39] = 1;
        return b;
    }

    static byte[] tcp4(int payload, int tcpHeader) {
        byte[] b = ip4(6, tcpHeader + payload);
        b[OFF + 20 + 12] = (byte) ((tcpHeader / 4) << 4);
        return b;
    }

    static byte[] tcp6(int payload, int tcpHeader) {
        byte[] b = ip6(6, 0, tcpHeader + payload);
        b[OFF + 40 + 12] = (byte) ((tcpHeader / 4) << 4);
        return b;
    }

    static byte[] udp4(int payload) {
        byte[] b = ip4(17, 8 + payload);
        Bytes.put16(b, OFF + 24, 8 + payload);
        return b;
    }

    static byte[] udp6(int payload) {
        byte[] b = ip6(17, 0, 8 + payload);
        Bytes.put16(b, OFF + 44, 8 + payload);
        return b;
    }

    static void setAddresses4(byte[] b, String src, String dst) {
        Ipv4Prefix.write(Ipv4Prefix.parseAddress(src), b, OFF + 12);
        Ipv4Prefix.write(Ipv4Prefix.parseAddress(dst), b, OFF + 16);
        Bytes.put16(b, OFF + 10, 0);
        Bytes.put16(b, OFF + 10, Checksum.ipv4Header(b, OFF, 20));
    }

    static void setAddresses6(byte[] b, String src, String dst) {
        Ipv6Prefix s = Ipv6Prefix.parseAddress(src), d = Ipv6Prefix.parseAddress(dst);
        Ipv6Prefix.write(s.hi(), s.lo(), b, OFF + 8);
        Ipv6Prefix.write(d.hi(), d.lo(), b, OFF + 24);
    }

    static void fill(byte[] b, int from, int n) {
        for (int i = 0; i < n; i++) b[from + i] = (byte) (i * 31 + (i >>> 8));
    }

    /** Folded pseudo-header sum, as Linux leaves it in a CHECKSUM_PARTIAL header. */
    static int partial4(byte[] p, int off) {
        int len = Bytes.u16(p, off + 2) - 20;
        return Checksum.fold(Checksum.add(0, p, off + 12, 8) + len + (p[off + 9] & 0xff));
    }

    static int partial6(byte[] p, int off) {
        int len = Bytes.u16(p, off + 4);
        return Checksum.fold(Checksum.add(0, p, off + 8, 32) + len + (p[off + 6] & 0xff));
    }

    static boolean fullChecksumValid4(byte[] p, int off) {
        int len = Bytes.u16(p, off + 2) - 20;
        int pseudo = Checksum.add(0, p, off + 12, 8) + len + (p[off + 9] & 0xff);
        return Checksum.verify(Checksum.add(pseudo, p, off + 20, len));
    }

    static boolean fullChecksumValid6(byte[] p, int off) {
        int len = Bytes.u16(p, off + 4);
        int pseudo = Checksum.add(0, p, off + 8, 32) + len + (p[off + 6] & 0xff);
        return Checksum.verify(Checksum.add(pseudo, p, off + 40, len));
    }

    static void junk(byte[] b) {
        junk(b, OFF);
    }

    static void junk(byte[] b, int off) {
        for (int i = off - LEN; i < off; i++) b[i] = (byte) 0xa5;
    }

    static void assertHeader(byte[] b, int flags, int gsoType, int hdrLen, int gsoSize, int csumStart, int csumOffset) {
        assertHeader(b, OFF, flags, gsoType, hdrLen, gsoSize, csumStart, csumOffset);
    }

    static void assertHeader(byte[] b, int off, int flags, int gsoType, int hdrLen, int gsoSize, int csumStart,
            int csumOffset) {
        int h = off - LEN;
        assertThat(new int[] {VirtioNetHeader.flags(b, h), VirtioNetHeader.gsoType(b, h), VirtioNetHeader.hdrLen(b, h),
                VirtioNetHeader.gsoSize(b, h), VirtioNetHeader.csumStart(b, h), VirtioNetHeader.csumOffset(b, h)})
                .as("flags, gso_type, hdr_len, gso_size, csum_start, csum_offset")
                .containsExactly(flags, gsoType, hdrLen, gsoSize, csumStart, csumOffset);
    }

    static void assertZeroHeader(byte[] b) {
        assertThat(Arrays.copyOfRange(b, OFF - LEN, OFF)).containsOnly(0);
    }

    static boolean carried(byte[] b, int off, int len, int csumStart, int csumOffset) {
        return VirtioNetHeader.partialChecksumCarried(b, off, len, csumStart, csumOffset,
                new dev.siitdc.core.packet.Ipv6HeaderChain());
    }
}
