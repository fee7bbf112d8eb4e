package dev.siitdc.core.prop;

import dev.siitdc.core.testutil.RefChecksum;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * Test-only packet toolkit: builders for IPv4/IPv6 TCP, UDP and ICMP packets, a from-scratch RFC 1071
 * reference checksum (deliberately independent of {@code dev.siitdc.core.packet.Checksum}), a
 * well-formedness checker for emitted packets, and fragment reassembly. Shared by the property tests
 * and the fuzz tests; allocation is fine here.
 */
public final class PacketKit {
    private PacketKit() {}

    public static final int TCP = 6, UDP = 17, ICMP = 1, ICMP6 = 58, FRAG = 44;

    // ------------------------------------------------------------------ reference checksum (RFC 1071)

    /** Plain sum of the big-endian 16-bit words of b[off, off+len), odd byte padded; unfolded (the one reference sum, {@link RefChecksum}). */
    public static long sum(byte[] b, int off, int len) { return RefChecksum.sum(b, off, len); }

    public static int fold(long s) { return RefChecksum.fold(s); }

    /** The checksum field value for data summing to {@code s} with the field zeroed. */
    public static int checksumOf(long s) { return RefChecksum.checksumOf(s); }

    /** True when data that includes its checksum field sums to one's complement -0. */
    public static boolean sumIsValid(long s) {
        return fold(s) == 0xffff;
    }

    public static long pseudo4(int src, int dst, int proto, int len) {
        return (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + proto + len;
    }

    public static long pseudo6(byte[] b, int addrOff, int nh, long len) {
        return sum(b, addrOff, 32) + (len >>> 16) + (len & 0xffff) + nh;
    }

    // ------------------------------------------------------------------ field access

    public static int u8(byte[] b, int i) { return b[i] & 0xff; }

    public static int u16(byte[] b, int i) { return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff); }

    public static int i32(byte[] b, int i) { return (u16(b, i) << 16) | u16(b, i + 2); }

    public static void put16(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 8);
        b[i + 1] = (byte) v;
    }

    public static void put32(byte[] b, int i, int v) {
        put16(b, i, v >>> 16);
        put16(b, i + 2, v);
    }

    public static String hex(byte[] b, int off, int len) {
        return HexFormat.of().formatHex(b, off, off + len);
    }

    public static String hex(byte[] b) { return hex(b, 0, b.length); }

    // ------------------------------------------------------------------ transport builders (checksum 0)

    /** TCP header with {@code optionWords} 32-bit words of option bytes taken from {@code opts}, then payload. */
    public static byte[] tcp(int sport, int dport, int seq, int ack, int flags, int window, int urgent,
                             byte[] opts, int optionWords, byte[] payload) {
        int hl = 20 + 4 * optionWords;
        byte[] t = new byte[hl + payload.length];
        put16(t, 0, sport);
        put16(t, 2, dport);
        put32(t, 4, seq);
        put32(t, 8, ack);
        t[12] = (byte) ((hl / 4) << 4);
        t[13] = (byte) flags;
        put16(t, 14, window);
        put16(t, 18, urgent);
        for (int i = 0; i < 4 * optionWords; i++) t[20 + i] = opts.length == 0 ? 1 : opts[i % opts.length];
        System.arraycopy(payload, 0, t, hl, payload.length);
        return t;
    }

    public static byte[] udp(int sport, int dport, byte[] payload) {
        byte[] u = new byte[8 + payload.length];
        put16(u, 0, sport);
        put16(u, 2, dport);
        put16(u, 4, u.length);
        System.arraycopy(payload, 0, u, 8, payload.length);
        return u;
    }

    /** ICMP (v4 or v6) message: type, code, 4 bytes of "rest", then body. Checksum 0. */
    public static byte[] icmp(int type, int code, int rest, byte[] body) {
        byte[] m = new byte[8 + body.length];
        m[0] = (byte) type;
        m[1] = (byte) code;
        put32(m, 4, rest);
        System.arraycopy(body, 0, m, 8, body.length);
        return m;
    }

    // ------------------------------------------------------------------ network builders

    /** An IPv4 packet (IHL 5) around {@code l4}, with a valid header checksum; the L4 checksum is filled in. */
    public static byte[] ipv4(int tos, int id, boolean df, int ttl, int proto, int src, int dst, byte[] l4) {
        byte[] p = new byte[20 + l4.length];
        p[0] = 0x45;
        p[1] = (byte) tos;
        put16(p, 2, p.length);
        put16(p, 4, id);
        put16(p, 6, df ? 0x4000 : 0);
        p[8] = (byte) ttl;
        p[9] = (byte) proto;
        put32(p, 12, src);
        put32(p, 16, dst);
        System.arraycopy(l4, 0, p, 20, l4.length);
        fillL4Checksum4(p);
        fillIpv4HeaderChecksum(p, 0);
        return p;
    }

    public static void fillIpv4HeaderChecksum(byte[] p, int off) {
        int ihl = (p[off] & 0xf) * 4;
        put16(p, off + 10, 0);
        put16(p, off + 10, checksumOf(sum(p, off, ihl)));
    }

    /** Computes the TCP/UDP/ICMP checksum of an unfragmented IPv4 packet at offset 0 (UDP 0 becomes 0xffff). */
    public static void fillL4Checksum4(byte[] p) {
        int ihl = (p[0] & 0xf) * 4;
        int tot = u16(p, 2);
        int l4len = tot - ihl;
        int proto = u8(p, 9);
        int at = checksumOffset(proto == ICMP ? ICMP : proto);
        if (at < 0 || l4len < at + 2) return;
        put16(p, ihl + at, 0);
        long s = sum(p, ihl, l4len);
        if (proto != ICMP) s += pseudo4(i32(p, 12), i32(p, 16), proto, l4len);
        int c = checksumOf(s);
        if (proto == UDP && c == 0) c = 0xffff;
        put16(p, ihl + at, c);
    }

    /** An IPv6 packet (no extension headers) around {@code l4}; the L4 checksum is filled in. */
    public static byte[] ipv6(int tc, int flow, int nh, int hop, byte[] src16, byte[] dst16, byte[] l4) {
        byte[] p = new byte[40 + l4.length];
        p[0] = (byte) (0x60 | (tc >>> 4));
        p[1] = (byte) (((tc & 0xf) << 4) | ((flow >>> 16) & 0xf));
        put16(p, 2, flow);
        put16(p, 4, l4.length);
        p[6] = (byte) nh;
        p[7] = (byte) hop;
        System.arraycopy(src16, 0, p, 8, 16);
        System.arraycopy(dst16, 0, p, 24, 16);
        System.arraycopy(l4, 0, p, 40, l4.length);
        int at = checksumOffset(nh);
        if (at >= 0 && l4.length >= at + 2) {
            put16(p, 40 + at, 0);
            int c = checksumOf(sum(p, 40, l4.length) + pseudo6(p, 8, nh, l4.length));
            if (nh == UDP && c == 0) c = 0xffff;
            put16(p, 40 + at, c);
        }
        return p;
    }

    /** Offset of the checksum field in the transport header, or -1. */
    public static int checksumOffset(int proto) {
        return switch (proto) {
            case TCP -> 16;
            case UDP -> 6;
            case ICMP, ICMP6 -> 2;
            default -> -1;
        };
    }

    // ------------------------------------------------------------------ checks of emitted packets

    /**
     * Why the packet b[off, off+len) is not well formed, or null: version 4 or 6; IPv4: IHL >= 5,
     * Total Length == len, valid header checksum; IPv6: Payload Length + 40 == len; len <= 65535 + 40.
     */
    public static String malformation(byte[] b, int off, int len) {
        if (b == null) return "null buffer";
        if (off < 0 || len < 0 || off + len > b.length) return "range off=" + off + " len=" + len + " outside buffer of " + b.length;
        if (len > 65535 + 40) return "longer than 65535 + 40: " + len;
        if (len < 1) return "empty packet";
        int v = u8(b, off) >>> 4;
        if (v == 4) {
            if (len < 20) return "IPv4 shorter than 20: " + len;
            int ihl = (b[off] & 0xf) * 4;
            if (ihl < 20) return "IPv4 IHL < 5: " + ihl / 4;
            if (ihl > len) return "IPv4 IHL beyond packet";
            int tot = u16(b, off + 2);
            if (tot != len) return "IPv4 Total Length " + tot + " != emitted length " + len;
            if (!sumIsValid(sum(b, off, ihl))) return "IPv4 header checksum invalid";
            return null;
        }
        if (v == 6) {
            if (len < 40) return "IPv6 shorter than 40: " + len;
            int pl = u16(b, off + 4);
            if (pl + 40 != len) return "IPv6 Payload Length " + pl + " + 40 != emitted length " + len;
            return null;
        }
        return "version nibble " + v;
    }

    /** Result of a transport checksum check. */
    public enum L4 { VALID, INVALID, NOT_APPLICABLE }

    /**
     * Checks the TCP/UDP/ICMP/ICMPv6 checksum of an unfragmented packet (IPv6: no extension header other
     * than an atomic Fragment header). NOT_APPLICABLE for fragments, other protocols, truncated headers
     * and IPv4 UDP with checksum 0.
     */
    public static L4 l4Checksum(byte[] b, int off, int len) {
        int v = u8(b, off) >>> 4;
        if (v == 4) {
            int ihl = (b[off] & 0xf) * 4;
            int flags = u16(b, off + 6);
            if ((flags & 0x3fff) != 0) return L4.NOT_APPLICABLE;          // MF or offset
            int proto = u8(b, off + 9);
            int l4len = len - ihl;
            int at = checksumOffset(proto);
            if (proto == ICMP6 || at < 0 || l4len < at + 2) return L4.NOT_APPLICABLE;
            if (proto == UDP && u16(b, off + ihl + 6) == 0) return L4.NOT_APPLICABLE;
            if (proto == TCP && l4len < 20) return L4.NOT_APPLICABLE;
            if ((proto == UDP || proto == ICMP) && l4len < 8) return L4.NOT_APPLICABLE;
            long s = sum(b, off + ihl, l4len);
            if (proto != ICMP) s += pseudo4(i32(b, off + 12), i32(b, off + 16), proto, l4len);
            return sumIsValid(s) ? L4.VALID : L4.INVALID;
        }
        if (v == 6) {
            int nh = u8(b, off + 6);
            int p = off + 40;
            if (nh == FRAG) {
                if (len < 48) return L4.NOT_APPLICABLE;
                if ((u16(b, p + 2) & 0xfff9) != 0) return L4.NOT_APPLICABLE;  // offset or M
                nh = u8(b, p);
                p += 8;
            }
            int at = checksumOffset(nh);
            int l4len = off + len - p;
            if (nh == ICMP || at < 0 || l4len < at + 2) return L4.NOT_APPLICABLE;
            if (nh == TCP && l4len < 20) return L4.NOT_APPLICABLE;
            if ((nh == UDP || nh == ICMP6) && l4len < 8) return L4.NOT_APPLICABLE;
            long s = sum(b, p, l4len) + pseudo6(b, off + 8, nh, l4len);
            return sumIsValid(s) ? L4.VALID : L4.INVALID;
        }
        return L4.NOT_APPLICABLE;
    }

    public static boolean isIpv4Fragment(byte[] p) {
        return (p[0] >>> 4 & 0xf) == 4 && (u16(p, 6) & 0x3fff) != 0;
    }

    public static boolean isIpv6Fragment(byte[] p) {
        return (p[0] >>> 4 & 0xf) == 6 && u8(p, 6) == FRAG && (u16(p, 42) & 0xfff9) != 0;
    }

    // ------------------------------------------------------------------ reassembly (one datagram's fragments)

    /**
     * Reassembles IPv4 fragments of one datagram (IHL 5) into an unfragmented packet with a recomputed
     * header checksum; throws AssertionError on gaps, overlaps or inconsistent headers.
     */
    public static byte[] reassemble4(List<byte[]> frags) {
        List<byte[]> fs = new ArrayList<>(frags);
        fs.sort(Comparator.comparingInt(f -> (u16(f, 6) & 0x1fff) * 8));
        int expect = 0;
        byte[] first = fs.get(0);
        java.io.ByteArrayOutputStream payload = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < fs.size(); i++) {
            byte[] f = fs.get(i);
            int ihl = (f[0] & 0xf) * 4;
            int fo = (u16(f, 6) & 0x1fff) * 8;
            boolean mf = (u16(f, 6) & 0x2000) != 0;
            if (fo != expect) throw new AssertionError("IPv4 fragment offset " + fo + ", expected " + expect);
            if (u16(f, 4) != u16(first, 4) || i32(f, 12) != i32(first, 12) || i32(f, 16) != i32(first, 16) || f[9] != first[9])
                throw new AssertionError("IPv4 fragments of different datagrams");
            if (mf != (i < fs.size() - 1)) throw new AssertionError("IPv4 MF flag wrong on fragment " + i);
            if (mf && ((f.length - ihl) & 7) != 0) throw new AssertionError("IPv4 non-last fragment not a multiple of 8");
            payload.write(f, ihl, f.length - ihl);
            expect += f.length - ihl;
        }
        byte[] pl = payload.toByteArray();
        byte[] p = new byte[20 + pl.length];
        System.arraycopy(first, 0, p, 0, 20);
        p[0] = 0x45;
        put16(p, 2, p.length);
        put16(p, 6, u16(first, 6) & 0x4000);
        System.arraycopy(pl, 0, p, 20, pl.length);
        fillIpv4HeaderChecksum(p, 0);
        return p;
    }

    /** Reassembles IPv6 fragments (Fragment header right after the IPv6 header) into an unfragmented packet. */
    public static byte[] reassemble6(List<byte[]> frags) {
        List<byte[]> fs = new ArrayList<>(frags);
        fs.sort(Comparator.comparingInt(f -> u16(f, 42) & 0xfff8));
        int expect = 0;
        byte[] first = fs.get(0);
        java.io.ByteArrayOutputStream payload = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < fs.size(); i++) {
            byte[] f = fs.get(i);
            if (u8(f, 6) != FRAG) throw new AssertionError("IPv6 fragment without a Fragment header");
            int fo = u16(f, 42) & 0xfff8;
            boolean m = (u16(f, 42) & 1) != 0;
            if (fo != expect) throw new AssertionError("IPv6 fragment offset " + fo + ", expected " + expect);
            if (i32(f, 44) != i32(first, 44) || f[40] != first[40]
                    || !java.util.Arrays.equals(f, 8, 40, first, 8, 40))
                throw new AssertionError("IPv6 fragments of different datagrams");
            if (m != (i < fs.size() - 1)) throw new AssertionError("IPv6 M flag wrong on fragment " + i);
            if (m && ((f.length - 48) & 7) != 0) throw new AssertionError("IPv6 non-last fragment not a multiple of 8");
            payload.write(f, 48, f.length - 48);
            expect += f.length - 48;
        }
        byte[] pl = payload.toByteArray();
        byte[] p = new byte[40 + pl.length];
        System.arraycopy(first, 0, p, 0, 40);
        put16(p, 4, pl.length);
        p[6] = first[40];
        System.arraycopy(pl, 0, p, 40, pl.length);
        return p;
    }
}
