package dev.siitdc.dataplane.fastpath;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Test packets: checksums (RFC 1071), random valid TCP, UDP and ICMP echo of both families, pcap reading. */
final class FastPathPackets {
    private FastPathPackets() {}

    static int sum(byte[] b, int off, int len) {
        long s = 0;
        for (int i = 0; i + 1 < len; i += 2) s += ((b[off + i] & 0xff) << 8) | (b[off + i + 1] & 0xff);
        if ((len & 1) != 0) s += (b[off + len - 1] & 0xff) << 8;
        while ((s >> 16) != 0) s = (s & 0xffff) + (s >> 16);
        return (int) s;
    }

    static boolean checksumOk(byte[] b, int off, int len) { return sum(b, off, len) == 0xffff; }

    static void put16(byte[] b, int at, int v) { b[at] = (byte) (v >> 8); b[at + 1] = (byte) v; }

    static void put32(byte[] b, int at, int v) { put16(b, at, v >>> 16); put16(b, at + 2, v); }

    /** An IPv4 packet with valid header and transport checksums. proto: 6, 17 or 1 (echo request/reply). */
    static byte[] ipv4(Random r, int src, int dst, int proto, int payload) {
        int l4len = (proto == 6 ? 20 : 8) + payload;
        byte[] p = new byte[20 + l4len];
        p[0] = 0x45;
        p[1] = (byte) r.nextInt(256);
        put16(p, 2, p.length);
        put16(p, 4, r.nextInt(65536));
        put16(p, 6, r.nextBoolean() ? 0x4000 : 0);
        p[8] = (byte) (2 + r.nextInt(254));
        p[9] = (byte) proto;
        put32(p, 12, src);
        put32(p, 16, dst);
        put16(p, 10, ~sum(p, 0, 20) & 0xffff);
        transport(r, p, 20, l4len, proto, sum(p, 12, 8));
        return p;
    }

    /** An IPv6 packet (no extension headers); proto 6, 17 or 58 (echo request/reply). */
    static byte[] ipv6(Random r, byte[] src, byte[] dst, int proto, int payload) {
        int l4len = (proto == 6 ? 20 : 8) + payload;
        byte[] p = new byte[40 + l4len];
        put32(p, 0, 6 << 28 | r.nextInt(256) << 20 | r.nextInt(1 << 20));
        put16(p, 4, l4len);
        p[6] = (byte) proto;
        p[7] = (byte) (2 + r.nextInt(254));
        System.arraycopy(src, 0, p, 8, 16);
        System.arraycopy(dst, 0, p, 24, 16);
        transport(r, p, 40, l4len, proto, sum(p, 8, 32));
        return p;
    }

    private static void transport(Random r, byte[] p, int l4, int l4len, int proto, int addrSum) {
        for (int i = l4; i < p.length; i++) p[i] = (byte) r.nextInt(256);
        int pseudo;
        int at;
        switch (proto) {
            case 6 -> {
                p[l4 + 12] = 0x50;    // data offset 5
                at = l4 + 16;
                pseudo = addrSum + 6 + l4len;
            }
            case 17 -> {
                put16(p, l4 + 4, l4len);
                at = l4 + 6;
                pseudo = addrSum + 17 + l4len;
            }
            case 1 -> {
                p[l4] = (byte) (r.nextBoolean() ? 8 : 0);
                p[l4 + 1] = 0;
                at = l4 + 2;
                pseudo = 0;
            }
            default -> {           // 58
                p[l4] = (byte) (r.nextBoolean() ? 128 : 129);
                p[l4 + 1] = 0;
                at = l4 + 2;
                pseudo = addrSum + 58 + l4len;
            }
        }
        put16(p, at, 0);
        long s = pseudo + sum(p, l4, l4len);
        while ((s >> 16) != 0) s = (s & 0xffff) + (s >> 16);
        int c = (int) (~s & 0xffff);
        if (proto == 17 && c == 0) c = 0xffff;
        put16(p, at, c);
    }

    /** The packets of a pcap file of raw IP (linktype 101, 228, 229) or Ethernet (1). */
    static List<byte[]> pcap(Path f) throws IOException {
        byte[] b = Files.readAllBytes(f);
        ByteBuffer bb = ByteBuffer.wrap(b);
        int magic = bb.getInt(0);
        bb.order(magic == 0xa1b2c3d4 || magic == 0xa1b23c4d ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        int link = bb.getInt(20);
        List<byte[]> out = new ArrayList<>();
        for (int p = 24; p + 16 <= b.length; ) {
            int caplen = bb.getInt(p + 8);
            int start = p + 16;
            if (start + caplen > b.length) break;
            int skip = link == 1 ? 14 : 0;
            out.add(Arrays.copyOfRange(b, start + skip, start + caplen));
            p = start + caplen;
        }
        return out;
    }
}
