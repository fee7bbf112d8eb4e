package dev.siitdc.core.testutil;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fluent builder of raw IPv4 and IPv6 test packets. Checksums (IPv4 header, TCP, UDP, ICMP,
 * RFC 4884 extension structure) are correct unless a test asks for a wrong one; lengths are
 * computed unless overridden. Independent of the translator's own packet code.
 *
 * <pre>
 * byte[] p = Pkt.v4("203.0.113.7", "192.0.2.5").ttl(64).df().tcp(40000, 80).payload(12).build();
 * byte[] e = Pkt.v6(a, b).icmp(1, 4).payload(p).build();              // an ICMPv6 error quoting p
 * byte[] x = Pkt.v6(a, b).routing(2).udp(1, 2).checksumOffBy(1).build();
 * </pre>
 */
public final class Pkt {
    public static final int HOP_BY_HOP = 0, ICMP = 1, TCP = 6, UDP = 17, ROUTING = 43, FRAGMENT = 44,
            ICMP6 = 58, NO_NEXT = 59, DEST_OPTIONS = 60;

    private final int version;
    private final byte[] src, dst;
    // IPv4
    private int tos, id, fragOffset;
    private boolean df, mf;
    private byte[] options = new byte[0];
    private Integer ihl, totalLength, headerChecksum, protocolOverride;
    // IPv6
    private int trafficClass, flowLabel;
    private Integer payloadLength;
    private final List<Integer> extTypes = new ArrayList<>();
    private final List<byte[]> extBodies = new ArrayList<>();
    // both
    private int ttl = 64;
    // transport
    private int proto = NO_NEXT;
    private byte[] l4 = new byte[0];
    private int checksumAt = -1;
    private boolean pseudoHeader;
    private byte[] body = new byte[0];
    private Integer checksumValue;
    private int checksumDelta;
    private long rest;
    private boolean icmp;
    private byte[] extension;
    private int extensionDatagramLength = -1;
    private byte[] trailer = new byte[0];

    private Pkt(int version, byte[] src, byte[] dst) {
        this.version = version;
        this.src = src;
        this.dst = dst;
        if (version == 4) proto = 255;
    }

    public static Pkt v4(String src, String dst) { return new Pkt(4, addr4(src), addr4(dst)); }

    public static Pkt v6(String src, String dst) { return new Pkt(6, addr6(src), addr6(dst)); }

    // ------------------------------------------------------------------ IP header fields

    public Pkt ttl(int v) { ttl = v; return this; }

    public Pkt hopLimit(int v) { return ttl(v); }

    /** IPv4 TOS, or IPv6 Traffic Class. */
    public Pkt tos(int v) { tos = v; trafficClass = v; return this; }

    public Pkt trafficClass(int v) { return tos(v); }

    public Pkt flowLabel(int v) { v6(); flowLabel = v; return this; }

    public Pkt id(int v) { v4(); id = v; return this; }

    public Pkt df() { v4(); df = true; return this; }

    public Pkt mf() { v4(); mf = true; return this; }

    /** IPv4 Fragment Offset in bytes (a multiple of 8). */
    public Pkt fragOffset(int bytes) { v4(); fragOffset = bytes; return this; }

    /** IPv4 options, zero-padded (End of Option List) to a multiple of 4 bytes. */
    public Pkt options(byte[] opts) {
        v4();
        options = Arrays.copyOf(opts, (opts.length + 3) & ~3);
        return this;
    }

    /** Overrides the IPv4 IHL (in 32-bit words). */
    public Pkt ihl(int words) { v4(); ihl = words; return this; }

    public Pkt totalLength(int v) { v4(); totalLength = v; return this; }

    public Pkt protocol(int v) { v4(); protocolOverride = v; return this; }

    /** Forces the IPv4 header checksum field. */
    public Pkt headerChecksum(int v) { v4(); headerChecksum = v; return this; }

    public Pkt payloadLength(int v) { v6(); payloadLength = v; return this; }

    /** Bytes after the IP datagram (after Total Length / Payload Length), e.g. Ethernet padding. */
    public Pkt trailer(int n) { trailer = new byte[n]; Arrays.fill(trailer, (byte) 0xee); return this; }

    // ------------------------------------------------------------------ IPv6 extension headers

    /** Hop-by-Hop Options, 8 bytes (one PadN option). */
    public Pkt hopByHop() { return ext(HOP_BY_HOP, new byte[] {0, 0, 1, 4, 0, 0, 0, 0}); }

    /** Destination Options, 8 bytes (one PadN option). */
    public Pkt destOptions() { return ext(DEST_OPTIONS, new byte[] {0, 0, 1, 4, 0, 0, 0, 0}); }

    /** Routing header type 0 with {@code max(1, segmentsLeft)} addresses. */
    public Pkt routing(int segmentsLeft) {
        int n = Math.max(1, segmentsLeft);
        byte[] h = new byte[8 + 16 * n];
        h[1] = (byte) (2 * n);
        h[2] = 0;
        h[3] = (byte) segmentsLeft;
        for (int i = 0; i < n; i++) { h[8 + 16 * i] = 0x20; h[8 + 16 * i + 1] = 0x01; h[8 + 16 * i + 15] = (byte) (i + 1); }
        return ext(ROUTING, h);
    }

    /** Fragment header: offset in bytes (a multiple of 8), M flag, 32-bit Identification. */
    public Pkt fragment(long identification, int offsetBytes, boolean m) {
        byte[] h = new byte[8];
        put16(h, 2, (offsetBytes & 0xfff8) | (m ? 1 : 0));
        put32(h, 4, (int) identification);
        return ext(FRAGMENT, h);
    }

    /** Any extension header; byte 0 (Next Header) is filled in by {@link #build()}. */
    public Pkt ext(int type, byte[] header) {
        v6();
        extTypes.add(type);
        extBodies.add(header.clone());
        return this;
    }

    // ------------------------------------------------------------------ transport

    /** TCP header (20 bytes, seq 0x01020304, PSH+ACK, window 65535); checksum computed. */
    public Pkt tcp(int sport, int dport) {
        byte[] h = new byte[20];
        put16(h, 0, sport);
        put16(h, 2, dport);
        put32(h, 4, 0x01020304);
        h[12] = 0x50;
        h[13] = 0x18;
        put16(h, 14, 0xffff);
        return transport(TCP, h, 16, true);
    }

    /** Overrides the TCP Data Offset (in 32-bit words). */
    public Pkt tcpDataOffset(int words) { l4[12] = (byte) (words << 4); return this; }

    /** UDP header (Length filled in); checksum computed (0 becomes 0xffff). */
    public Pkt udp(int sport, int dport) {
        byte[] h = new byte[8];
        put16(h, 0, sport);
        put16(h, 2, dport);
        return transport(UDP, h, 6, true);
    }

    /** ICMPv4 (in an IPv4 packet) or ICMPv6 (in an IPv6 packet) header; the body is {@link #payload}. */
    public Pkt icmp(int type, int code) {
        byte[] h = new byte[8];
        h[0] = (byte) type;
        h[1] = (byte) code;
        icmp = true;
        return transport(version == 4 ? ICMP : ICMP6, h, 2, version == 6);
    }

    /** Echo Request (8 / 128) with identifier and sequence number. */
    public Pkt echoRequest(int identifier, int sequence) {
        return icmp(version == 4 ? 8 : 128, 0).rest(((long) identifier << 16) | (sequence & 0xffff));
    }

    /** Echo Reply (0 / 129). */
    public Pkt echoReply(int identifier, int sequence) {
        return icmp(version == 4 ? 0 : 129, 0).rest(((long) identifier << 16) | (sequence & 0xffff));
    }

    /** An ICMP error of this family quoting {@code quoted} (whole: cut it with {@link #cut} first). */
    public Pkt icmpError(int type, int code, byte[] quoted) { return icmp(type, code).payload(quoted); }

    /** The 32-bit "rest of header" word of an ICMP message (bytes 4-7). */
    public Pkt rest(long v) { rest = v & 0xffffffffL; return this; }

    /** Next-hop MTU: ICMPv4 3/4 (bytes 6-7) or ICMPv6 Packet Too Big (bytes 4-7). */
    public Pkt mtu(long v) { return rest(version == 4 ? (rest & 0xffff0000L) | (v & 0xffff) : v); }

    /** Parameter Problem pointer: ICMPv4 byte 4, or the 32-bit ICMPv6 pointer. */
    public Pkt pointer(long v) { return rest(version == 4 ? (rest & 0x00ffffffL) | ((v & 0xff) << 24) : v); }

    /** A transport this builder does not know: no checksum. */
    public Pkt raw(int protocol) { return transport(protocol, new byte[0], -1, false); }

    private Pkt transport(int p, byte[] header, int csumAt, boolean pseudo) {
        proto = p;
        l4 = header;
        checksumAt = csumAt;
        pseudoHeader = pseudo;
        return this;
    }

    public Pkt payload(byte[] data) { body = data.clone(); return this; }

    /** {@code n} bytes of a deterministic non-zero pattern. */
    public Pkt payload(int n) { return payload(pattern(n)); }

    /** Forces the transport checksum field. */
    public Pkt checksum(int value) { checksumValue = value; return this; }

    /** Makes the transport checksum wrong: the correct value plus {@code delta} (one's complement). */
    public Pkt checksumOffBy(int delta) { checksumDelta = delta; return this; }

    // ------------------------------------------------------------------ RFC 4884

    /**
     * Appends an RFC 4884 extension structure after the original datagram (the {@link #payload}),
     * zero-padded to a whole number of 32-bit (ICMPv4) / 64-bit (ICMPv6) words and at least 128
     * bytes, and sets the length attribute (ICMPv4 byte 5, ICMPv6 byte 4).
     */
    public Pkt extension(byte[] structure) { return extension(structure, -1); }

    /** As {@link #extension(byte[])} with an explicit original-datagram length (cut or zero-padded). */
    public Pkt extension(byte[] structure, int datagramLength) {
        extension = structure.clone();
        extensionDatagramLength = datagramLength;
        return this;
    }

    /** An RFC 4884 s7 extension structure: version 2 header with its checksum, then the objects. */
    public static byte[] extensionStructure(byte[]... objects) {
        byte[] s = concat(new byte[4], concat(objects));
        s[0] = 0x20;
        put16(s, 2, RefChecksum.checksumOf(RefChecksum.sum(s, 0, s.length)));
        return s;
    }

    /** An RFC 4884 s7.1 object: Length, Class-Num, C-Type, data. */
    public static byte[] extensionObject(int classNum, int cType, byte[] data) {
        byte[] o = new byte[4 + data.length];
        put16(o, 0, o.length);
        o[2] = (byte) classNum;
        o[3] = (byte) cType;
        System.arraycopy(data, 0, o, 4, data.length);
        return o;
    }

    // ------------------------------------------------------------------ build

    public byte[] build() {
        byte[] data = body;
        long restWord = rest;
        if (extension != null) {
            int unit = version == 4 ? 4 : 8;
            int n = extensionDatagramLength >= 0 ? extensionDatagramLength
                    : Math.max(128, (body.length + unit - 1) / unit * unit);
            if (n % unit != 0 || n / unit > 255)
                throw new IllegalArgumentException("original datagram of " + n + " bytes: no length attribute for it");
            data = concat(Arrays.copyOf(body, n), extension);
            restWord = version == 4 ? (restWord & 0xff00ffffL) | ((long) (n / 4) << 16)
                    : (restWord & 0x00ffffffL) | ((long) (n / 8) << 24);
        }
        byte[] t = concat(l4, data);
        if (icmp) put32(t, 4, (int) restWord);
        if (proto == UDP) put16(t, 4, t.length);
        byte[] ip = version == 4 ? header4(t.length) : header6(t.length);
        if (checksumAt >= 0) {
            put16(t, checksumAt, 0);
            long s = RefChecksum.sum(t, 0, t.length);
            if (pseudoHeader) s += version == 4 ? RefChecksum.pseudo4(src, dst, proto, t.length)
                    : RefChecksum.pseudo6(src, dst, proto, t.length);
            int c = RefChecksum.checksumOf(s);
            if (proto == UDP && c == 0) c = 0xffff;
            if (checksumDelta != 0) c = RefChecksum.onesAdd(c, checksumDelta);
            if (checksumValue != null) c = checksumValue;
            put16(t, checksumAt, c);
        }
        return concat(ip, t, trailer);
    }

    private byte[] header4(int l4len) {
        byte[] h = new byte[20 + options.length];
        h[0] = (byte) (0x40 | (ihl != null ? ihl : h.length / 4));
        h[1] = (byte) tos;
        put16(h, 2, totalLength != null ? totalLength : h.length + l4len);
        put16(h, 4, id);
        put16(h, 6, (df ? 0x4000 : 0) | (mf ? 0x2000 : 0) | (fragOffset >>> 3));
        h[8] = (byte) ttl;
        h[9] = (byte) (protocolOverride != null ? protocolOverride : proto);
        System.arraycopy(src, 0, h, 12, 4);
        System.arraycopy(dst, 0, h, 16, 4);
        System.arraycopy(options, 0, h, 20, options.length);
        put16(h, 10, headerChecksum != null ? headerChecksum : RefChecksum.checksumOf(RefChecksum.sum(h, 0, h.length)));
        return h;
    }

    private byte[] header6(int l4len) {
        byte[] exts = new byte[0];
        int first = proto;
        for (int i = extBodies.size() - 1; i >= 0; i--) {
            byte[] e = extBodies.get(i).clone();
            e[0] = (byte) first;
            first = extTypes.get(i);
            exts = concat(e, exts);
        }
        byte[] h = new byte[40];
        put32(h, 0, 0x60000000 | (trafficClass & 0xff) << 20 | (flowLabel & 0xfffff));
        put16(h, 4, payloadLength != null ? payloadLength : exts.length + l4len);
        h[6] = (byte) first;
        h[7] = (byte) ttl;
        System.arraycopy(src, 0, h, 8, 16);
        System.arraycopy(dst, 0, h, 24, 16);
        return concat(h, exts);
    }

    private void v4() { if (version != 4) throw new IllegalStateException("IPv4 only"); }

    private void v6() { if (version != 6) throw new IllegalStateException("IPv6 only"); }

    // ------------------------------------------------------------------ fragmentation helpers

    /**
     * Splits an unfragmented IPv4 packet (no options) into fragments carrying {@code chunk} bytes of
     * payload each (a multiple of 8), the last one the rest. The header checksums are recomputed.
     */
    public static List<byte[]> fragment4(byte[] packet, int chunk) {
        int ihl = (packet[0] & 0xf) * 4;
        int tot = u16(packet, 2);
        List<byte[]> out = new ArrayList<>();
        for (int pos = 0; pos < tot - ihl; pos += chunk) {
            int n = Math.min(chunk, tot - ihl - pos);
            byte[] f = concat(Arrays.copyOf(packet, ihl), Arrays.copyOfRange(packet, ihl + pos, ihl + pos + n));
            put16(f, 2, f.length);
            boolean last = pos + n >= tot - ihl;
            put16(f, 6, (u16(packet, 6) & 0x4000) | (last ? 0 : 0x2000) | (pos >>> 3));
            put16(f, 10, 0);
            put16(f, 10, RefChecksum.checksumOf(RefChecksum.sum(f, 0, ihl)));
            out.add(f);
        }
        return out;
    }

    /**
     * Splits an IPv6 packet without extension headers into fragments with a Fragment header
     * carrying {@code chunk} bytes (a multiple of 8) of the upper-layer data each.
     */
    public static List<byte[]> fragment6(byte[] packet, int chunk, long identification) {
        int nh = packet[6] & 0xff;
        int plen = u16(packet, 4);
        List<byte[]> out = new ArrayList<>();
        for (int pos = 0; pos < plen; pos += chunk) {
            int n = Math.min(chunk, plen - pos);
            boolean last = pos + n >= plen;
            byte[] fh = new byte[8];
            fh[0] = (byte) nh;
            put16(fh, 2, pos | (last ? 0 : 1));
            put32(fh, 4, (int) identification);
            byte[] f = concat(Arrays.copyOf(packet, 40), fh, Arrays.copyOfRange(packet, 40 + pos, 40 + pos + n));
            f[6] = FRAGMENT;
            put16(f, 4, f.length - 40);
            out.add(f);
        }
        return out;
    }

    /**
     * Reassembles the fragments of one datagram (IPv4, or IPv6 with only a Fragment header) into an
     * unfragmented packet of the same family, so that its checksums can be verified.
     */
    public static byte[] reassemble(List<byte[]> fragments) {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        byte[] first = null;
        int expected = 0;
        List<byte[]> sorted = new ArrayList<>(fragments);
        sorted.sort((a, b) -> Integer.compare(PacketView.of(a).fragOffset, PacketView.of(b).fragOffset));
        for (byte[] f : sorted) {
            PacketView v = PacketView.of(f);
            if (v.fragOffset != expected) throw new AssertionError("hole or overlap at " + expected + ", got " + v.fragOffset);
            if (first == null) first = f;
            data.write(f, v.l4Offset, v.l4Length);
            expected += v.l4Length;
        }
        byte[] d = data.toByteArray();
        PacketView v = PacketView.of(first);
        if (v.version == 4) {
            byte[] h = Arrays.copyOf(first, v.ihl * 4);
            put16(h, 2, h.length + d.length);
            put16(h, 6, 0);
            put16(h, 10, 0);
            put16(h, 10, RefChecksum.checksumOf(RefChecksum.sum(h, 0, h.length)));
            return concat(h, d);
        }
        byte[] h = Arrays.copyOf(first, 40);
        h[6] = (byte) v.protocol;
        put16(h, 4, d.length);
        return concat(h, d);
    }

    // ------------------------------------------------------------------ small helpers

    public static byte[] addr4(String s) { return addr(s, 4); }

    public static byte[] addr6(String s) { return addr(s, 16); }

    private static byte[] addr(String s, int len) {
        if (s.chars().anyMatch(Character::isLetter) && !s.contains(":"))
            throw new IllegalArgumentException("not an address literal: " + s);
        try {
            byte[] a = InetAddress.getByName(s).getAddress();
            if (a.length != len) throw new IllegalArgumentException(s + " is not a " + len + "-byte address");
            return a;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(s, e);
        }
    }

    /** The first {@code n} bytes of {@code b} (a truncated copy, as an ICMP error quotes it). */
    public static byte[] cut(byte[] b, int n) { return Arrays.copyOf(b, Math.min(n, b.length)); }

    public static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (0x41 + (i * 7) % 53);
        return b;
    }

    public static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        byte[] r = new byte[n];
        int i = 0;
        for (byte[] p : parts) { System.arraycopy(p, 0, r, i, p.length); i += p.length; }
        return r;
    }

    public static int u16(byte[] b, int i) { return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff); }

    public static long u32(byte[] b, int i) { return ((long) u16(b, i) << 16) | u16(b, i + 2); }

    public static void put16(byte[] b, int i, int v) { b[i] = (byte) (v >>> 8); b[i + 1] = (byte) v; }

    public static void put32(byte[] b, int i, int v) { put16(b, i, v >>> 16); put16(b, i + 2, v); }
}
