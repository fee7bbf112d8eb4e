package dev.siitdc.linux;

import java.util.Arrays;

/** Builds and inspects the IPv4/IPv6 packets the kernel tests exchange through a TUN. */
final class Packets {
    static final int ICMP = 1;
    static final int UDP = 17;

    private Packets() {
    }

    static int version(byte[] p) {
        return (p[0] & 0xff) >> 4;
    }

    /** The transport protocol (IPv4 protocol or IPv6 next header, no extension headers). */
    static int protocol(byte[] p) {
        return version(p) == 4 ? p[9] & 0xff : p[6] & 0xff;
    }

    static int headerLength(byte[] p) {
        return version(p) == 4 ? (p[0] & 0x0f) * 4 : 40;
    }

    static byte[] source(byte[] p) {
        return version(p) == 4 ? Arrays.copyOfRange(p, 12, 16) : Arrays.copyOfRange(p, 8, 24);
    }

    static byte[] destination(byte[] p) {
        return version(p) == 4 ? Arrays.copyOfRange(p, 16, 20) : Arrays.copyOfRange(p, 24, 40);
    }

    static int u16(byte[] p, int off) {
        return ((p[off] & 0xff) << 8) | (p[off + 1] & 0xff);
    }

    static void put16(byte[] p, int off, int v) {
        p[off] = (byte) (v >> 8);
        p[off + 1] = (byte) v;
    }

    /** One's-complement sum of {@code len} bytes, not folded. */
    static long sum(byte[] p, int off, int len) {
        long s = 0;
        for (int i = 0; i + 1 < len; i += 2) {
            s += u16(p, off + i);
        }
        if ((len & 1) != 0) {
            s += (p[off + len - 1] & 0xff) << 8;
        }
        return s;
    }

    static int fold(long s) {
        while ((s >> 16) != 0) {
            s = (s & 0xffff) + (s >> 16);
        }
        return (int) (~s & 0xffff);
    }

    /** Whether an ICMP echo request (IPv4) to {@code dst}. */
    static boolean isEchoRequestTo(byte[] p, byte[] dst) {
        return p.length >= 28 && version(p) == 4 && protocol(p) == ICMP && Arrays.equals(destination(p), dst)
                && (p[headerLength(p)] & 0xff) == 8;
    }

    /** The echo reply to an IPv4 echo request: addresses swapped, type 0, checksums recomputed. */
    static byte[] echoReply(byte[] request) {
        byte[] r = request.clone();
        int ihl = headerLength(r);
        System.arraycopy(request, 16, r, 12, 4);
        System.arraycopy(request, 12, r, 16, 4);
        r[8] = 64; // TTL
        put16(r, 10, 0);
        put16(r, 10, fold(sum(r, 0, ihl)));
        r[ihl] = 0; // echo reply
        put16(r, ihl + 2, 0);
        int icmpLen = u16(r, 2) - ihl;
        put16(r, ihl + 2, fold(sum(r, ihl, icmpLen)));
        return r;
    }

    /** Whether a UDP datagram to {@code dst} port {@code port}. */
    static boolean isUdpTo(byte[] p, byte[] dst, int port) {
        if (p.length < 20 || (version(p) != 4 && version(p) != 6) || protocol(p) != UDP
                || !Arrays.equals(destination(p), dst)) {
            return false;
        }
        return u16(p, headerLength(p) + 2) == port;
    }

    static int udpSourcePort(byte[] p) {
        return u16(p, headerLength(p));
    }

    static byte[] udpPayload(byte[] p) {
        int h = headerLength(p);
        return Arrays.copyOfRange(p, h + 8, h + u16(p, h + 4));
    }

    /** An IPv4 or IPv6 (by address length) UDP datagram with correct checksums. */
    static byte[] udp(byte[] src, byte[] dst, int sport, int dport, byte[] payload) {
        boolean v6 = src.length == 16;
        int h = v6 ? 40 : 20;
        int udpLen = 8 + payload.length;
        byte[] p = new byte[h + udpLen];
        if (v6) {
            p[0] = 0x60;
            put16(p, 4, udpLen);
            p[6] = UDP;
            p[7] = 64;
            System.arraycopy(src, 0, p, 8, 16);
            System.arraycopy(dst, 0, p, 24, 16);
        } else {
            p[0] = 0x45;
            put16(p, 2, p.length);
            p[8] = 64;
            p[9] = UDP;
            System.arraycopy(src, 0, p, 12, 4);
            System.arraycopy(dst, 0, p, 16, 4);
            put16(p, 10, fold(sum(p, 0, 20)));
        }
        put16(p, h, sport);
        put16(p, h + 2, dport);
        put16(p, h + 4, udpLen);
        System.arraycopy(payload, 0, p, h + 8, payload.length);
        long pseudo = sum(src, 0, src.length) + sum(dst, 0, dst.length) + UDP + udpLen;
        int c = fold(pseudo + sum(p, h, udpLen));
        put16(p, h + 6, c == 0 ? 0xffff : c);
        return p;
    }
}
