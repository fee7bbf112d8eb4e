package dev.siitdc.core.addr;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * An IPv6 prefix: the address as two big-endian halves ({@code hi} = bits 0-63, {@code lo} = bits
 * 64-127) and {@code length} 0..128. Host bits after the length may be set; {@link #isNetworkAddress()}
 * tells. The static helpers are allocation-free and usable on the packet path.
 */
public record Ipv6Prefix(long hi, long lo, int length) {
    private static final VarHandle LONG_BE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    /** 64:ff9b::/96, RFC 6052 s2.1. */
    static final long WKP_HI = 0x0064_ff9b_0000_0000L;

    public Ipv6Prefix {
        if (length < 0 || length > 128)
            throw new IllegalArgumentException("prefix length " + length + " is out of range 0..128");
    }

    /** An address ("2001:db8::1", a /128) or "addr/len". RFC 4291 s2.2 text forms, strictly. */
    public static Ipv6Prefix parse(String s) {
        int slash = s.indexOf('/');
        if (slash < 0) return parseAddress(s);
        Ipv6Prefix a = parseAddress(s.substring(0, slash));
        return new Ipv6Prefix(a.hi, a.lo, Ipv4Prefix.parseLength(s.substring(slash + 1), 128));
    }

    /** An address, as a /128. No zone index, no brackets, no spaces (RFC 4291 s2.2). */
    public static Ipv6Prefix parseAddress(String s) {
        long[] out = new long[2];
        String why = parse(s, out);
        if (why != null) throw new IllegalArgumentException("'" + s + "' is not an IPv6 address: " + why);
        return new Ipv6Prefix(out[0], out[1], 128);
    }

    /** Fills out[0..1] with hi, lo and returns null, or returns why s is not an address. */
    private static String parse(String s, long[] out) {
        int n = s.length();
        if (n == 0) return "empty string";
        if (s.indexOf('%') >= 0) return "a zone index ('%...') is not allowed here";
        if (s.charAt(0) == '[') return "remove the brackets";
        if (s.indexOf(':') < 0)
            return s.indexOf('.') >= 0 ? "no ':' (is it an IPv4 address?)" : "no ':'";
        int dc = s.indexOf("::");
        if (dc >= 0 && s.indexOf("::", dc + 1) >= 0)
            return s.contains(":::") ? "':::' is not allowed" : "'::' may appear only once";

        int[] g = new int[8];
        int count = 0, gapAt = -1, i = 0;
        if (dc == 0) {
            gapAt = 0;
            i = 2;
        } else if (s.charAt(0) == ':') {
            return "starts with a single ':'";
        }
        while (i < n) {
            int j = i;
            while (j < n && s.charAt(j) != ':') j++;
            if (s.indexOf('.', i) >= 0 && s.indexOf('.', i) < j) {
                // RFC 4291 s2.2 form 3: dotted quad in the low-order 32 bits
                if (j != n) return "an embedded IPv4 address must come last";
                if (count > 6) return "too many groups before the embedded IPv4 address";
                String e = Ipv4Prefix.dottedQuadError(s, i, j);
                if (e != null) return "embedded IPv4 address '" + s.substring(i, j) + "': " + e;
                int v4 = Ipv4Prefix.parseValidDottedQuad(s, i, j);
                g[count++] = v4 >>> 16;
                g[count++] = v4 & 0xffff;
            } else {
                if (j - i > 4) return "group '" + s.substring(i, j) + "' has more than 4 hex digits";
                int v = 0;
                for (int k = i; k < j; k++) {
                    int d = hexDigit(s.charAt(k));
                    if (d < 0) return "unexpected character '" + s.charAt(k) + "'";
                    v = (v << 4) | d;
                }
                if (count == 8) return "more than 8 groups";
                g[count++] = v;
            }
            if (j == n) break;
            if (j + 1 < n && s.charAt(j + 1) == ':') {
                gapAt = count;
                i = j + 2;
            } else if (j + 1 == n) {
                return "ends with a single ':'";
            } else {
                i = j + 1;
            }
        }
        if (gapAt < 0) {
            if (count != 8) return count + " groups instead of 8, and no '::'";
        } else {
            // '::' stands for one or more zero groups (RFC 4291 s2.2 form 2)
            if (count > 7) return "too many groups for a '::'";
            int tail = count - gapAt;
            System.arraycopy(g, gapAt, g, 8 - tail, tail);
            for (int k = gapAt; k < 8 - tail; k++) g[k] = 0;
        }
        out[0] = ((long) g[0] << 48) | ((long) g[1] << 32) | ((long) g[2] << 16) | g[3];
        out[1] = ((long) g[4] << 48) | ((long) g[5] << 32) | ((long) g[6] << 16) | g[7];
        return null;
    }

    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }

    /**
     * RFC 5952 text: lower case, no leading zeros, "::" for the longest (first on a tie) run of two or
     * more zero groups (s4). Per s5, mixed notation ("::ffff:192.0.2.1") is used where a well-known prefix
     * says the low 32 bits are IPv4: IPv4-mapped ::ffff:0:0/96 (RFC 4291 s2.5.5.2), IPv4-translated
     * ::ffff:0:0:0/96 (RFC 2765 s2.1) and the RFC 6052 s2.1 Well-Known Prefix 64:ff9b::/96.
     */
    public static String format(long hi, long lo) {
        long top = lo >>> 32;
        boolean mixed = (hi == 0 && (top == 0xffffL || top == 0xffff_0000L)) || (hi == WKP_HI && top == 0);
        return format(hi, lo, mixed);
    }

    /** RFC 5952 s4 text with hex groups only (never mixed notation). */
    public static String formatHex(long hi, long lo) {
        return format(hi, lo, false);
    }

    private static String format(long hi, long lo, boolean mixed) {
        int groups = mixed ? 6 : 8;
        int bestAt = -1, bestLen = 1;
        for (int i = 0; i < groups; ) {
            if (group(hi, lo, i) != 0) { i++; continue; }
            int j = i;
            while (j < groups && group(hi, lo, j) == 0) j++;
            if (j - i > bestLen) { bestAt = i; bestLen = j - i; }
            i = j;
        }
        StringBuilder sb = new StringBuilder(mixed ? 45 : 39);
        for (int i = 0; i < groups; i++) {
            if (i == bestAt) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (i > 0 && i != bestAt + bestLen) sb.append(':');
            sb.append(Integer.toHexString(group(hi, lo, i)));
        }
        if (mixed) {
            if (sb.charAt(sb.length() - 1) != ':') sb.append(':');
            sb.append(Ipv4Prefix.format((int) lo));
        }
        return sb.toString();
    }

    private static int group(long hi, long lo, int i) {
        long half = i < 4 ? hi : lo;
        return (int) (half >>> (48 - 16 * (i & 3))) & 0xffff;
    }

    /** Network mask of bits 0-63 for a length 0..128. */
    public static long maskHi(int length) {
        return length == 0 ? 0 : length >= 64 ? -1L : -1L << (64 - length);
    }

    /** Network mask of bits 64-127 for a length 0..128. */
    public static long maskLo(int length) {
        return length <= 64 ? 0 : -1L << (128 - length);
    }

    /** Bits 0-63 of the big-endian address at b[off, off+16). */
    public static long readHi(byte[] b, int off) {
        return (long) LONG_BE.get(b, off);
    }

    /** Bits 64-127 of the big-endian address at b[off, off+16). */
    public static long readLo(byte[] b, int off) {
        return (long) LONG_BE.get(b, off + Long.BYTES);
    }

    /** Writes the address as 16 big-endian bytes to b[off, off+16). */
    public static void write(long hi, long lo, byte[] b, int off) {
        LONG_BE.set(b, off, hi);
        LONG_BE.set(b, off + Long.BYTES, lo);
    }

    public boolean contains(long hi, long lo) {
        return ((hi ^ this.hi) & maskHi(length)) == 0 && ((lo ^ this.lo) & maskLo(length)) == 0;
    }

    /** Whether the address at b[off, off+16) is inside this prefix. */
    public boolean contains(byte[] b, int off) {
        return contains(readHi(b, off), readLo(b, off));
    }

    /** True if no bit after the prefix length is set. */
    public boolean isNetworkAddress() {
        return (hi & ~maskHi(length)) == 0 && (lo & ~maskLo(length)) == 0;
    }

    /** "addr/len"; the address part of a prefix of length 96 or less is written in hex only. */
    @Override
    public String toString() {
        return (length > 96 ? format(hi, lo) : formatHex(hi, lo)) + "/" + length;
    }
}
