package dev.siitdc.core.fuzz;

import dev.siitdc.core.addr.Ipv4Prefix;
import dev.siitdc.core.addr.Ipv6Prefix;
import dev.siitdc.core.addr.Pool6;
import dev.siitdc.core.prop.PacketKit;
import dev.siitdc.core.testutil.Pkt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The committed seed corpus of {@link TranslatorFuzzTest}: valid TCP, UDP, ICMP and ICMP-error
 * packets of each family (plus fragments, options, extension headers and expiring TTLs), each
 * prefixed with the config selector byte (see {@link FuzzConfigs}).
 *
 * <p>Regenerate after changing this class:
 * <pre>
 * ./mvnw -q -pl core test-compile &amp;&amp; java -cp core/target/test-classes:core/target/classes \
 *     dev.siitdc.core.fuzz.SeedCorpus core/src/test/resources/dev/siitdc/core/fuzz/TranslatorFuzzTestInputs
 * </pre>
 * {@link SeedCorpusTest} fails when the committed files and this class disagree.
 */
public final class SeedCorpus {
    private SeedCorpus() {}

    // config selectors (FuzzConfigs): pool6 index | hairpin 0x08 | MTU set << 4 | own 0x40 | options 0x80
    static final int WKP = 0, NSP96 = 1, P32 = 2, P40 = 3, P48 = 4, P56 = 5, P64 = 6, EAM_ONLY = 7;
    static final int HAIRPIN = 0x08, OWN = 0x40, OPTS = 0x80;

    static int v4(String a) { return Ipv4Prefix.parseAddress(a); }

    /** pool6-embedded (RFC 6052) IPv6 address of an IPv4 address, for the pool6 of selector sel. */
    static byte[] pool6(int sel, String a) {
        byte[] b = new byte[16];
        new Pool6(Ipv6Prefix.parse(FuzzConfigs.POOL6[sel & 7])).embed(v4(a), b, 0);
        return b;
    }

    static byte[] v6(String a) { return Pkt.addr6(a); }

    static byte[] payload(int n) {
        byte[] p = new byte[n];
        for (int i = 0; i < n; i++) p[i] = (byte) (i * 7 + 3);
        return p;
    }

    static byte[] tcp(int n) {
        return PacketKit.tcp(49152, 443, 0x01020304, 0x0a0b0c0d, 0x18, 65535, 0, new byte[]{2, 4, 5, (byte) 0xb4}, 1, payload(n));
    }

    static byte[] udp(int n) { return PacketKit.udp(5353, 53, payload(n)); }

    static byte[] seed(int sel, byte[] packet) {
        byte[] s = new byte[1 + packet.length];
        s[0] = (byte) sel;
        System.arraycopy(packet, 0, s, 1, packet.length);
        return s;
    }

    /** Seeds of fuzz4to6: IPv4 packets. */
    public static Map<String, byte[]> seeds4() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        int a = v4("198.51.100.7"), b = v4("203.0.113.9");          // both in the EAMT: every config translates them
        int g1 = v4("8.8.8.8"), g2 = v4("1.1.1.1");                  // global: pool6 (WKP too)
        m.put("tcp-eam", seed(EAM_ONLY, PacketKit.ipv4(0x10, 1, true, 64, 6, a, b, tcp(100))));
        m.put("tcp-wkp-1400-df0", seed(WKP, PacketKit.ipv4(0, 2, false, 64, 6, g1, g2, tcp(1400))));
        m.put("tcp-p40-1400-df1-small-mtu", seed(P40 | OWN, PacketKit.ipv4(0, 3, true, 64, 6, g1, g2, tcp(1400))));
        m.put("udp-nsp96", seed(NSP96, PacketKit.ipv4(0, 4, false, 64, 17, g1, a, udp(64))));
        byte[] udp0 = PacketKit.ipv4(0, 5, false, 64, 17, g1, g2, udp(32));
        PacketKit.put16(udp0, 26, 0);                                  // UDP checksum 0
        m.put("udp-checksum-zero-amend", seed(P48 | OPTS, udp0));
        m.put("udp-checksum-zero-drop", seed(P48 | OWN, udp0));
        m.put("icmp-echo-p32", seed(P32, PacketKit.ipv4(0, 6, false, 64, 1, g1, g2, PacketKit.icmp(8, 0, 0x12340001, payload(56)))));
        m.put("icmp-echo-reply-p64", seed(P64 | HAIRPIN, PacketKit.ipv4(0, 7, false, 64, 1, g2, a, PacketKit.icmp(0, 0, 0x12340001, payload(56)))));
        byte[] inner = PacketKit.ipv4(0, 8, true, 1, 6, g1, g2, tcp(200));
        m.put("icmp-time-exceeded-tcp", seed(NSP96, PacketKit.ipv4(0, 9, false, 64, 1, b, g1,
                PacketKit.icmp(11, 0, 0, Arrays.copyOf(inner, 28 + 20)))));
        byte[] innerUdp = PacketKit.ipv4(0, 10, true, 60, 17, g1, g2, udp(1400));
        m.put("icmp-frag-needed-udp", seed(P56 | OWN, PacketKit.ipv4(0, 11, false, 64, 1, a, g1,
                PacketKit.icmp(3, 4, 1400, Arrays.copyOf(innerUdp, 548)))));
        m.put("icmp-port-unreachable-echo-rfc4884", seed(WKP | OWN, PacketKit.ipv4(0, 12, false, 64, 1, g2, g1,
                PacketKit.icmp(3, 3, 32 << 16, concat(Arrays.copyOf(PacketKit.ipv4(0, 13, false, 3, 1, g1, g2,
                        PacketKit.icmp(8, 0, 1, payload(120))), 128), new byte[]{0x20, 0, 0, 0, 0, 8, 1, 1, 0, 0, 0, 0})))));
        m.put("ttl-1", seed(NSP96 | OWN, PacketKit.ipv4(0, 14, false, 1, 17, g1, g2, udp(10))));
        byte[] frag = PacketKit.ipv4(0, 15, false, 64, 17, g1, g2, udp(64));
        PacketKit.put16(frag, 6, 0x2000);                              // MF, offset 0
        PacketKit.fillIpv4HeaderChecksum(frag, 0);
        m.put("udp-first-fragment", seed(P32 | OPTS, frag));
        byte[] later = PacketKit.ipv4(0, 15, false, 64, 17, g1, g2, payload(40));
        PacketKit.put16(later, 6, 9);                                  // offset 72, last
        PacketKit.fillIpv4HeaderChecksum(later, 0);
        m.put("udp-later-fragment", seed(P32, later));
        m.put("lsrr-option", seed(NSP96 | OWN, withOptions(PacketKit.ipv4(0, 16, false, 64, 6, g1, g2, tcp(0)),
                new byte[]{(byte) 131, 7, 4, 1, 2, 3, 4, 0})));
        m.put("hairpin-eam-to-eam", seed(NSP96 | HAIRPIN, PacketKit.ipv4(0, 17, false, 64, 6, a, b, tcp(10))));
        return m;
    }

    /** Seeds of fuzz6to4: IPv6 packets. */
    public static Map<String, byte[]> seeds6() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        byte[] e1 = v6("2001:db8:1::7"), e2 = v6("2001:db8:3::71:9");  // EAM: 198.51.100.7, 203.0.113.9
        int sel = NSP96;
        byte[] g1 = pool6(sel, "8.8.8.8"), g2 = pool6(sel, "1.1.1.1");
        m.put("tcp-eam", seed(EAM_ONLY, PacketKit.ipv6(0x10, 0x12345, 6, 64, e1, e2, tcp(100))));
        m.put("tcp-nsp96-1400", seed(sel, PacketKit.ipv6(0, 0, 6, 64, g1, g2, tcp(1400))));
        m.put("tcp-nsp96-1400-small-ipv4-mtu", seed(sel | 0x10 | OWN, PacketKit.ipv6(0, 0, 6, 64, g1, g2, tcp(1400))));
        m.put("udp-p40", seed(P40, PacketKit.ipv6(0, 0, 17, 64, pool6(P40, "8.8.8.8"), pool6(P40, "9.9.9.9"), udp(64))));
        m.put("udp-small-ipv4-mtu-split", seed(sel | 0x10, PacketKit.ipv6(0, 0, 17, 64, g1, g2, udp(900))));
        m.put("icmp6-echo-wkp", seed(WKP, PacketKit.ipv6(0, 0, 58, 64, pool6(WKP, "8.8.8.8"), pool6(WKP, "1.1.1.1"),
                PacketKit.icmp(128, 0, 0x12340001, payload(56)))));
        m.put("icmp6-echo-reply-p64", seed(P64, PacketKit.ipv6(0, 0, 58, 64, pool6(P64, "8.8.4.4"), e1,
                PacketKit.icmp(129, 0, 0x12340001, payload(56)))));
        byte[] inner = PacketKit.ipv6(0, 0, 6, 1, g2, e1, tcp(200));
        m.put("icmp6-time-exceeded-tcp", seed(sel, PacketKit.ipv6(0, 0, 58, 64, g1, g2,
                PacketKit.icmp(3, 0, 0, Arrays.copyOf(inner, 40 + 20)))));
        byte[] innerUdp = PacketKit.ipv6(0, 0, 17, 60, g2, g1, udp(1400));
        m.put("icmp6-packet-too-big-udp", seed(sel | OWN, PacketKit.ipv6(0, 0, 58, 64, g1, g2,
                PacketKit.icmp(2, 0, 1280, Arrays.copyOf(innerUdp, 1232)))));
        m.put("icmp6-param-problem", seed(sel, PacketKit.ipv6(0, 0, 58, 64, v6("2001:db8:dead::1"), g2,
                PacketKit.icmp(4, 0, 7, Arrays.copyOf(PacketKit.ipv6(0, 0, 17, 3, g2, g1, udp(30)), 78)))));
        m.put("hop-limit-1", seed(sel | OWN, PacketKit.ipv6(0, 0, 17, 1, g1, g2, udp(10))));
        m.put("fragment-header", seed(P32, withFragmentHeader(PacketKit.ipv6(0, 0, 17, 64, pool6(P32, "8.8.8.8"),
                pool6(P32, "1.1.1.1"), udp(64)), 0, true, 0xabcd)));
        m.put("routing-header-segments-left", seed(sel | OWN, withExtHeader(PacketKit.ipv6(0, 0, 6, 64, g1, g2, tcp(8)),
                43, new byte[]{0, 0, 0, 1, 0, 0, 0, 0})));
        m.put("hop-by-hop-and-dest-opts", seed(sel, withExtHeader(withExtHeader(PacketKit.ipv6(0, 0, 17, 64, g1, g2, udp(8)),
                60, new byte[]{0, 0, 1, 4, 0, 0, 0, 0}), 0, new byte[]{0, 0, 1, 4, 0, 0, 0, 0})));
        // pool6 destination whose IPv4 address is in the EAMT: hairpinned back to IPv6 (RFC 7757 s4.2)
        m.put("hairpin", seed(sel | HAIRPIN, PacketKit.ipv6(0, 0, 6, 64, e1, pool6(sel, "203.0.113.9"), tcp(10))));
        return m;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** Inserts IPv4 options (a multiple of 4 bytes) after the 20-byte header; fixes IHL, lengths and checksum. */
    static byte[] withOptions(byte[] p, byte[] opts) {
        byte[] q = new byte[p.length + opts.length];
        System.arraycopy(p, 0, q, 0, 20);
        System.arraycopy(opts, 0, q, 20, opts.length);
        System.arraycopy(p, 20, q, 20 + opts.length, p.length - 20);
        q[0] = (byte) (0x40 | ((20 + opts.length) / 4));
        PacketKit.put16(q, 2, q.length);
        PacketKit.fillIpv4HeaderChecksum(q, 0);
        return q;
    }

    /** Inserts an extension header (8n bytes, first byte overwritten with the old Next Header) after the IPv6 header. */
    static byte[] withExtHeader(byte[] p, int type, byte[] ext) {
        byte[] q = new byte[p.length + ext.length];
        System.arraycopy(p, 0, q, 0, 40);
        System.arraycopy(ext, 0, q, 40, ext.length);
        System.arraycopy(p, 40, q, 40 + ext.length, p.length - 40);
        q[40] = p[6];
        q[41] = (byte) (ext.length / 8 - 1);
        q[6] = (byte) type;
        PacketKit.put16(q, 4, q.length - 40);
        return q;
    }

    static byte[] withFragmentHeader(byte[] p, int offset, boolean more, int id) {
        byte[] f = new byte[8];
        PacketKit.put16(f, 2, offset | (more ? 1 : 0));
        PacketKit.put32(f, 4, id);
        return withExtHeader(p, 44, f);
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0]
                : "core/src/test/resources/dev/siitdc/core/fuzz/TranslatorFuzzTestInputs");
        write(root.resolve("fuzz4to6"), seeds4());
        write(root.resolve("fuzz6to4"), seeds6());
    }

    static void write(Path dir, Map<String, byte[]> seeds) throws IOException {
        Files.createDirectories(dir);
        for (var e : seeds.entrySet()) Files.write(dir.resolve(e.getKey()), e.getValue());
        System.out.println(dir + ": " + seeds.size() + " seeds");
    }
}
