package dev.siitdc.core.eam;

import dev.siitdc.core.addr.Ipv4Prefix;
import dev.siitdc.core.addr.Ipv6Prefix;

import java.util.Objects;

/**
 * One Explicit Address Mapping (RFC 7757 s3.2): an IPv4 prefix paired with an IPv6 prefix whose
 * suffix can hold the IPv4 suffix. Both prefixes must be network addresses (no host bits set).
 */
public record Eam(Ipv4Prefix ipv4, Ipv6Prefix ipv6) {

    public Eam {
        Objects.requireNonNull(ipv4, "ipv4");
        Objects.requireNonNull(ipv6, "ipv6");
        if (!ipv4.isNetworkAddress())
            throw new IllegalArgumentException("IPv4 prefix " + ipv4 + " has host bits set after /" + ipv4.length());
        if (!ipv6.isNetworkAddress())
            throw new IllegalArgumentException("IPv6 prefix " + ipv6 + " has host bits set after /" + ipv6.length());
        int s4 = 32 - ipv4.length(), s6 = 128 - ipv6.length();
        if (s4 > s6)
            throw new IllegalArgumentException("IPv4 suffix of " + s4 + " bits does not fit the IPv6 suffix of "
                    + s6 + " bits (RFC 7757 s3.2)");
    }

    /** Parses both sides; a bare address is a /32 or a /128. */
    public static Eam parse(String v4, String v6) {
        return new Eam(Ipv4Prefix.parse(v4), Ipv6Prefix.parse(v6));
    }

    /** Writes the IPv6 address for {@code v4}, which {@link #ipv4()} must contain (RFC 7757 s3.3). */
    public void translate4to6(int v4, byte[] dst, int off) {
        write46(ipv6.hi(), ipv6.lo(), ipv6.length(), ipv4.length(), v4, dst, off);
    }

    /** The IPv4 address for an IPv6 address that {@link #ipv6()} must contain (RFC 7757 s3.3). */
    public int translate6to4(long hi, long lo) {
        return extract64(ipv4.address(), ipv4.length(), ipv6.length(), hi, lo);
    }

    /**
     * RFC 7757 s3.3, 4->6: the IPv6 prefix, then the (32 - p4) IPv4 suffix bits starting right after the
     * IPv6 prefix, then zeros.
     */
    static void write46(long p6hi, long p6lo, int p6, int p4, int v4, byte[] dst, int off) {
        int s = 32 - p4;
        long suffix = v4 & ((1L << s) - 1);
        int sh = 128 - p6 - s;              // where the suffix's least significant bit lands
        long hi = p6hi, lo = p6lo;
        if (sh >= 64) {
            hi |= suffix << (sh - 64);
        } else {
            lo |= suffix << sh;
            if (sh != 0) hi |= suffix >>> (64 - sh);
        }
        Ipv6Prefix.write(hi, lo, dst, off);
    }

    /**
     * RFC 7757 s3.3, 6->4: the IPv4 prefix, then the (32 - p4) bits right after the IPv6 prefix. Any bits
     * after those are ignored.
     */
    static int extract64(int p4addr, int p4, int p6, long hi, long lo) {
        int s = 32 - p4;
        int sh = 128 - p6 - s;
        long v;
        if (sh >= 64) {
            v = hi >>> (sh - 64);
        } else {
            v = lo >>> sh;
            if (sh != 0) v |= hi << (64 - sh);
        }
        return p4addr | (int) (v & ((1L << s) - 1));
    }

    @Override
    public String toString() {
        return ipv4 + " <-> " + ipv6;
    }
}
