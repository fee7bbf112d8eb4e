package dev.siitdc.daemon.explain;

import dev.siitdc.core.addr.Ipv4Prefix;
import dev.siitdc.core.addr.Ipv6Prefix;
import dev.siitdc.core.addr.Pool6;

import java.util.List;

/**
 * Address text for {@code explain}: parsing the command line's addresses, RFC 5952 text with the IPv4
 * part written as a dotted quad where a /96 pool6 of the path embeds it (the way RFC 7756 prints
 * {@code 2001:db8:46::192.0.2.2}), and the name of the special-purpose block an IPv4 address is in.
 */
public final class Addr {
    private Addr() {}

    /** A command-line address: 4 or 16 bytes. */
    public record Parsed(byte[] bytes) {
        public int version() { return bytes.length == 4 ? 4 : 6; }
    }

    /**
     * Parses one address of the command line; IllegalArgumentException with the reason (the caller adds
     * the parameter's name).
     */
    public static Parsed parse(String s) {
        if (s.indexOf('/') >= 0) throw new IllegalArgumentException("\"" + s + "\" is a prefix; give one address");
        if (s.indexOf(':') >= 0) {
            Ipv6Prefix p = Ipv6Prefix.parseAddress(s);
            byte[] b = new byte[16];
            Ipv6Prefix.write(p.hi(), p.lo(), b, 0);
            return new Parsed(b);
        }
        int v4 = Ipv4Prefix.parseAddress(s);
        byte[] b = new byte[4];
        Ipv4Prefix.write(v4, b, 0);
        return new Parsed(b);
    }

    static String v4(int a) {
        return Ipv4Prefix.format(a);
    }

    /**
     * RFC 5952 text of an IPv6 address. An address inside one of {@code pools} that is a /96 is written in
     * the mixed notation of RFC 5952 s5 / RFC 6052 s2.4 (the first six groups, then the dotted quad), as
     * the RFC 7756 figures print them; {@link Ipv6Prefix#format} already does so for 64:ff9b::/96.
     */
    static String v6(long hi, long lo, List<Pool6> pools) {
        for (Pool6 p : pools) {
            if (p.prefix().length() == 96 && p.matches(hi, lo)) return mixed(hi, lo);
        }
        return Ipv6Prefix.format(hi, lo);
    }

    static String v6(byte[] b, int off, List<Pool6> pools) {
        return v6(Ipv6Prefix.readHi(b, off), Ipv6Prefix.readLo(b, off), pools);
    }

    /** RFC 5952 s4 rules on the first six groups, then ':' and the low 32 bits as a dotted quad. */
    static String mixed(long hi, long lo) {
        int[] g = new int[6];
        for (int i = 0; i < 6; i++) g[i] = (int) ((i < 4 ? hi >>> (48 - 16 * i) : lo >>> (48 - 16 * (i - 4))) & 0xffff);
        int bestAt = -1, bestLen = 1;
        for (int i = 0; i < 6; ) {
            if (g[i] != 0) { i++; continue; }
            int j = i;
            while (j < 6 && g[j] == 0) j++;
            if (j - i > bestLen) { bestAt = i; bestLen = j - i; }
            i = j;
        }
        StringBuilder sb = new StringBuilder(45);
        for (int i = 0; i < 6; i++) {
            if (i == bestAt) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (i > 0 && i != bestAt + bestLen) sb.append(':');
            sb.append(Integer.toHexString(g[i]));
        }
        if (sb.charAt(sb.length() - 1) != ':') sb.append(':');
        return sb.append(Ipv4Prefix.format((int) lo)).toString();
    }

    /** The core's denylist (RFC 1812 s5.3.7 and Jool's implicit denylist), to word a drop the core reported. */
    static boolean denied(int v4) {
        return dev.siitdc.core.xlat.Translator.isDenied4(v4);
    }

    private record Block(int address, int length, String name) {}

    /** IANA IPv4 Special-Purpose Address Registry blocks, most specific first, for wording only. */
    private static final List<Block> BLOCKS = List.of(
            block("255.255.255.255/32", "the limited broadcast address"),
            block("192.0.0.9/32", "PCP anycast (RFC 7723, global)"),
            block("192.0.0.10/32", "TURN anycast (RFC 8155, global)"),
            block("0.0.0.0/8", "\"this network\" (RFC 791)"),
            block("10.0.0.0/8", "private-use (RFC 1918)"),
            block("100.64.0.0/10", "shared address space (RFC 6598)"),
            block("127.0.0.0/8", "loopback (RFC 1122)"),
            block("169.254.0.0/16", "link-local (RFC 3927)"),
            block("172.16.0.0/12", "private-use (RFC 1918)"),
            block("192.0.0.0/24", "IETF protocol assignments (RFC 6890)"),
            block("192.0.2.0/24", "documentation, TEST-NET-1 (RFC 5737)"),
            block("192.88.99.0/24", "6to4 relay anycast (RFC 7526)"),
            block("192.168.0.0/16", "private-use (RFC 1918)"),
            block("198.18.0.0/15", "benchmarking (RFC 2544)"),
            block("198.51.100.0/24", "documentation, TEST-NET-2 (RFC 5737)"),
            block("203.0.113.0/24", "documentation, TEST-NET-3 (RFC 5737)"),
            block("224.0.0.0/4", "multicast (RFC 5771)"),
            block("240.0.0.0/4", "reserved (RFC 1112)"));

    private static Block block(String prefix, String name) {
        Ipv4Prefix p = Ipv4Prefix.parse(prefix);
        return new Block(p.address(), p.length(), name);
    }

    /** "192.0.2.0/24, documentation, TEST-NET-1 (RFC 5737)", or null for an ordinary address. */
    static String specialBlock(int v4) {
        for (Block b : BLOCKS) {
            if (((v4 ^ b.address) & Ipv4Prefix.maskOf(b.length)) == 0)
                return Ipv4Prefix.format(b.address) + "/" + b.length + ", " + b.name;
        }
        return null;
    }
}
