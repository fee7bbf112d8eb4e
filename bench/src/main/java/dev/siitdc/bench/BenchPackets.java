package dev.siitdc.bench;

import dev.siitdc.core.addr.Ipv4Prefix;
import dev.siitdc.core.addr.Ipv6Prefix;
import dev.siitdc.core.config.ConfigException;
import dev.siitdc.core.config.TranslatorConfig;
import dev.siitdc.core.eam.Eam;

import java.net.Inet6Address;
import java.util.Arrays;
import java.util.List;

/**
 * Template packets and the Border Relay configuration of the benchmarks. Built once per trial with a
 * small self-contained RFC 1071 implementation, so every template carries valid checksums and the
 * translator takes its normal (translating) path.
 */
final class BenchPackets {
    private BenchPackets() {}

    /**
     * An SIIT-DC Border Relay like examples/translate/siitdc-br.toml: a /96 Network-Specific Prefix
     * (so the checksum updates are not neutral, unlike with 64:ff9b::/96), a few EAMs, intrinsic
     * hairpinning, lowest-ipv6-mtu 1500, ipv6-mtu 1520 (so a 1500-byte DF IPv4 packet becomes a
     * 1520-byte IPv6 one rather than a Fragmentation Needed), ipv4-mtu 1500.
     */
    static TranslatorConfig brConfig() {
        TranslatorConfig.Builder b = TranslatorConfig.builder();
        b.pool6 = Ipv6Prefix.parse("2001:db8:46::/96");
        b.eamt = List.of(
                Eam.parse("192.0.2.1", "2001:db8:12:34::1"),
                Eam.parse("192.0.2.128/25", "2001:db8:12:80::/121"),
                Eam.parse("198.51.100.0/24", "2001:db8:1::/120"),
                Eam.parse("203.0.113.0/24", "2001:db8:3::/104"));
        b.rfc6791v4Prefix = Ipv4Prefix.parse("192.0.0.8/32");
        b.ownIpv4Address = Ipv4Prefix.parseAddress("203.0.113.1");
        b.ownIpv6Address = Ipv6Prefix.parse("2001:db8:ffff::1");
        b.lowestIpv6Mtu = 1500;
        b.ipv4Mtu = 1500;
        b.ipv6Mtu = 1520;
        try {
            return b.build();
        } catch (ConfigException e) {
            throw new IllegalStateException(e);
        }
    }

    // IPv4 client on the Internet (pool6) and an EAM'd server in the IPv6 data centre.
    static final int CLIENT4 = Ipv4Prefix.parseAddress("8.8.8.8");
    static final int SERVER4 = Ipv4Prefix.parseAddress("198.51.100.10");
    static final int ROUTER4 = Ipv4Prefix.parseAddress("8.8.4.4");
    static final byte[] CLIENT6 = v6("2001:db8:46::808:808");     // pool6 + 8.8.8.8
    static final byte[] SERVER6 = v6("2001:db8:1::a");             // EAM: 198.51.100.10
    static final byte[] ROUTER6 = v6("2001:db8:1::fe");            // EAM: 198.51.100.254

    /** An IPv6 address literal's 16 bytes (no name lookup: Inet6Address.ofLiteral parses only). */
    static byte[] v6(String s) {
        return Inet6Address.ofLiteral(s).getAddress();
    }

    /** IPv4 TCP of {@code total} bytes (DF set), client -> server. */
    static byte[] tcp4(int total) {
        return ipv4(true, 6, CLIENT4, SERVER4, tcpSegment(total - 20));
    }

    /** IPv6 TCP of {@code total} bytes, server -> client. */
    static byte[] tcp6(int total) {
        return ipv6(6, SERVER6, CLIENT6, tcpSegment(total - 40));
    }

    static byte[] udp4(int total) {
        return ipv4(false, 17, CLIENT4, SERVER4, udpDatagram(total - 20));
    }

    static byte[] udp6(int total) {
        return ipv6(17, SERVER6, CLIENT6, udpDatagram(total - 40));
    }

    /**
     * ICMPv4 Time Exceeded from an Internet router to the server, quoting the server's 1500-byte TCP
     * packet as Linux does (as much as fits in 576 bytes, RFC 1812 s4.3.2.3): 576 bytes in all.
     */
    static byte[] icmp4TimeExceeded() {
        byte[] inner = ipv4(true, 6, SERVER4, CLIENT4, tcpSegment(1480));
        inner[8] = 1;
        fixIpv4Header(inner);
        return ipv4(false, 1, ROUTER4, SERVER4, icmp(11, 0, Arrays.copyOf(inner, 576 - 28)));
    }

    /**
     * ICMPv6 Time Exceeded from a data-centre router to the client's pool6 address, quoting the
     * client's 1520-byte TCP packet as far as 1280 bytes allow (RFC 4443 s2.4): 1280 bytes in all.
     */
    static byte[] icmp6TimeExceeded() {
        byte[] inner = ipv6(6, CLIENT6, SERVER6, tcpSegment(1480));
        inner[7] = 1;
        return ipv6(58, ROUTER6, CLIENT6, icmp(3, 0, Arrays.copyOf(inner, 1280 - 48)));
    }

    // ------------------------------------------------------------------ builders

    static byte[] tcpSegment(int len) {
        byte[] t = filler(len);
        put16(t, 0, 443);
        put16(t, 2, 50123);
        put32(t, 4, 0x1234_5678);
        put32(t, 8, 0x9abc_def0);
        t[12] = 0x50;
        t[13] = 0x10;                 // ACK
        put16(t, 14, 502);
        put16(t, 16, 0);
        put16(t, 18, 0);
        return t;
    }

    static byte[] udpDatagram(int len) {
        byte[] u = filler(len);
        put16(u, 0, 53);
        put16(u, 2, 40000);
        put16(u, 4, len);
        put16(u, 6, 0);
        return u;
    }

    static byte[] icmp(int type, int code, byte[] body) {
        byte[] m = new byte[8 + body.length];
        m[0] = (byte) type;
        m[1] = (byte) code;
        System.arraycopy(body, 0, m, 8, body.length);
        return m;
    }

    static byte[] filler(int len) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) b[i] = (byte) (i * 31 + 7);
        return b;
    }

    static byte[] ipv4(boolean df, int proto, int src, int dst, byte[] l4) {
        byte[] p = new byte[20 + l4.length];
        p[0] = 0x45;
        put16(p, 2, p.length);
        put16(p, 4, 0x4242);
        put16(p, 6, df ? 0x4000 : 0);
        p[8] = 64;
        p[9] = (byte) proto;
        put32(p, 12, src);
        put32(p, 16, dst);
        System.arraycopy(l4, 0, p, 20, l4.length);
        int cs = checksumOffset(proto);
        long sum = sum(p, 20, l4.length);
        if (proto != 1) sum += (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + proto + l4.length;
        put16(p, 20 + cs, finish(sum, proto));
        fixIpv4Header(p);
        return p;
    }

    static void fixIpv4Header(byte[] p) {
        put16(p, 10, 0);
        put16(p, 10, ~fold(sum(p, 0, 20)) & 0xffff);
    }

    static byte[] ipv6(int nh, byte[] src, byte[] dst, byte[] l4) {
        byte[] p = new byte[40 + l4.length];
        p[0] = 0x60;
        put16(p, 4, l4.length);
        p[6] = (byte) nh;
        p[7] = 64;
        System.arraycopy(src, 0, p, 8, 16);
        System.arraycopy(dst, 0, p, 24, 16);
        System.arraycopy(l4, 0, p, 40, l4.length);
        long sum = sum(p, 8, 32) + sum(p, 40, l4.length) + l4.length + nh;
        put16(p, 40 + checksumOffset(nh), finish(sum, nh));
        return p;
    }

    static int checksumOffset(int proto) {
        return proto == 6 ? 16 : proto == 17 ? 6 : 2;
    }

    static int finish(long sum, int proto) {
        int c = ~fold(sum) & 0xffff;
        return proto == 17 && c == 0 ? 0xffff : c;
    }

    static long sum(byte[] b, int off, int len) {
        long s = 0;
        int i = off, end = off + len;
        for (; i + 1 < end; i += 2) s += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
        if (i < end) s += (b[i] & 0xff) << 8;
        return s;
    }

    static int fold(long s) {
        while ((s >>> 16) != 0) s = (s & 0xffff) + (s >>> 16);
        return (int) s;
    }

    static void put16(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 8);
        b[i + 1] = (byte) v;
    }

    static void put32(byte[] b, int i, int v) {
        put16(b, i, v >>> 16);
        put16(b, i + 2, v);
    }
}
