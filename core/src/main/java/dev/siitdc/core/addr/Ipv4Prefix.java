package dev.siitdc.core.addr;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * An IPv4 prefix: {@code address} (big-endian bit order, as an int) and {@code length} 0..32.
 * Host bits after the length may be set; {@link #isNetworkAddress()} tells.
 * The static helpers are allocation-free and usable on the packet path.
 */
public record Ipv4Prefix(int address, int length) {
    private static final VarHandle INT_BE =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    public Ipv4Prefix {
        if (length < 0 || length > 32)
            throw new IllegalArgumentException("prefix length " + length + " is out of range 0..32");
    }

    /** "a.b.c.d" (a /32) or "a.b.c.d/n". Strict: no DNS, no octal/hex, no leading zeros, no spaces. */
    public static Ipv4Prefix parse(String s) {
        int slash = s.indexOf('/');
        if (slash < 0) return new Ipv4Prefix(parseAddress(s), 32);
        int addr = parseAddress(s.substring(0, slash));
        return new Ipv4Prefix(addr, parseLength(s.substring(slash + 1), 32));
    }

    /** Parses a dotted quad "a.b.c.d" (RFC 791 decimal octets); see {@link #parse(String)}. */
    public static int parseAddress(String s) {
        String why = dottedQuadError(s);
        if (why != null) throw new IllegalArgumentException("'" + s + "' is not an IPv4 address: " + why);
        return parseValidDottedQuad(s, 0, s.length());
    }

    /** Returns null if s[from, to) is a strict dotted quad, else the reason. */
    static String dottedQuadError(String s, int from, int to) {
        int octets = 0, start = from;
        for (int i = from; i <= to; i++) {
            char c = i < to ? s.charAt(i) : '.';
            if (c == '.') {
                octets++;
                int n = i - start;
                if (n == 0) return "empty octet";
                if (octets > 4) break;
                if (n > 3 || Integer.parseInt(s, start, i, 10) > 255)
                    return "octet " + s.substring(start, i) + " is greater than 255";
                if (n > 1 && s.charAt(start) == '0')
                    return "octet '" + s.substring(start, i) + "' has a leading zero";
                start = i + 1;
            } else if (c < '0' || c > '9') {
                if (c == ':') return "contains ':' (is it an IPv6 address?)";
                if (c == '/') return "unexpected '/'";
                return "unexpected character '" + c + "'";
            }
        }
        if (octets != 4) return "expected 4 dot-separated decimal octets, found " + countDots(s, from, to);
        return null;
    }

    private static String dottedQuadError(String s) {
        if (s.isEmpty()) return "empty string";
        return dottedQuadError(s, 0, s.length());
    }

    private static int countDots(String s, int from, int to) {
        int n = 1;
        for (int i = from; i < to; i++) if (s.charAt(i) == '.') n++;
        return n;
    }

    /** s[from, to) must have passed {@link #dottedQuadError(String, int, int)}. */
    static int parseValidDottedQuad(String s, int from, int to) {
        int v = 0, octet = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '.') {
                v = (v << 8) | octet;
                octet = 0;
            } else {
                octet = octet * 10 + (c - '0');
            }
        }
        return (v << 8) | octet;
    }

    /** Parses the decimal prefix length after a '/'. */
    static int parseLength(String s, int max) {
        if (s.isEmpty()) throw new IllegalArgumentException("prefix length is missing after '/'");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9')
                throw new IllegalArgumentException("prefix length '" + s + "' is not a decimal number");
        }
        if (s.length() > 3)
            throw new IllegalArgumentException("prefix length " + s + " is out of range 0.." + max);
        int n = Integer.parseInt(s);
        if (n > max) throw new IllegalArgumentException("prefix length " + n + " is out of range 0.." + max);
        return n;
    }

    /** Dotted-quad text of an address. */
    public static String format(int addr) {
        return (addr >>> 24) + "." + ((addr >>> 16) & 0xff) + "." + ((addr >>> 8) & 0xff) + "." + (addr & 0xff);
    }

    /** The network mask of a length 0..32 (0 for /0). */
    public static int maskOf(int length) {
        return length == 0 ? 0 : -1 << (32 - length);
    }

    /** Reads a big-endian IPv4 address at b[off, off+4). */
    public static int read(byte[] b, int off) {
        return (int) INT_BE.get(b, off);
    }

    /** Writes a big-endian IPv4 address to b[off, off+4). */
    public static void write(int addr, byte[] b, int off) {
        INT_BE.set(b, off, addr);
    }

    public int mask() {
        return maskOf(length);
    }

    public boolean contains(int addr) {
        return ((addr ^ address) & maskOf(length)) == 0;
    }

    /** True if no bit after the prefix length is set. */
    public boolean isNetworkAddress() {
        return (address & ~maskOf(length)) == 0;
    }

    /** Number of addresses, 1..2^32. */
    public long size() {
        return 1L << (32 - length);
    }

    @Override
    public String toString() {
        return format(address) + "/" + length;
    }
}
