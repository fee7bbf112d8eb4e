package dev.siitdc.core.addr;

/**
 * An RFC 6052 IPv4-embedded IPv6 prefix ("pool6"). Immutable; embedding and extraction are
 * allocation-free.
 *
 * <p>RFC 6052 s2.2 layout: the prefix, then the IPv4 bits, skipping bits 64-71 (the "u" octet,
 * always zero), then a zero suffix. For /96 the IPv4 address is bits 96-127.
 */
public final class Pool6 {
    private final Ipv6Prefix prefix;
    private final long prefixHi, prefixLo;
    private final boolean is96;
    /** Number of IPv4 bits placed after the u octet (L - 32 for L < 96). */
    private final int lowBits;
    /** Mask of the IPv4 bits kept in hi / in lo (before shifting). */
    private final long hiMask, loMask;
    private final boolean wellKnown;

    public Pool6(Ipv6Prefix prefix) {
        int l = prefix.length();
        if (l != 32 && l != 40 && l != 48 && l != 56 && l != 64 && l != 96)
            throw new IllegalArgumentException("prefix length /" + l
                    + " is not one RFC 6052 section 2.2 allows (32, 40, 48, 56, 64 or 96)");
        if (l == 96 && ((prefix.lo() >>> 56) & 0xff) != 0)
            throw new IllegalArgumentException(
                    "bits 64 to 71 (the u octet) of " + prefix + " must be zero (RFC 6052 section 2.2)");
        if (!prefix.isNetworkAddress())
            throw new IllegalArgumentException("host bits are set after /" + l + " in " + prefix);
        this.prefix = prefix;
        this.prefixHi = prefix.hi();
        this.prefixLo = prefix.lo();
        this.is96 = l == 96;
        this.lowBits = is96 ? 0 : l - 32;
        this.hiMask = is96 ? 0 : (1L << (64 - l)) - 1;
        this.loMask = is96 ? 0 : (1L << lowBits) - 1;
        this.wellKnown = l == 96 && prefixHi == Ipv6Prefix.WKP_HI && prefixLo == 0;
    }

    public Ipv6Prefix prefix() { return prefix; }

    /**
     * True for the Well-Known Prefix 64:ff9b::/96 (RFC 6052 s2.1), whose use s3.1 restricts to global
     * IPv4 addresses. The local-use 64:ff9b:1::/48 (RFC 8215) is not the WKP.
     */
    public boolean isWellKnown() { return wellKnown; }

    /** Writes the IPv4-embedded IPv6 address of {@code v4} to dst[off, off+16) (RFC 6052 s2.2). */
    public void embed(int v4, byte[] dst, int off) {
        long u = v4 & 0xffff_ffffL;
        if (is96) {
            Ipv6Prefix.write(prefixHi, prefixLo | u, dst, off);
        } else {
            // high (32 - lowBits) IPv4 bits end at bit 63; the rest start at bit 72, after the u octet
            Ipv6Prefix.write(prefixHi | (u >>> lowBits), (u & loMask) << (56 - lowBits), dst, off);
        }
    }

    /** Whether the address at src[off, off+16) is inside the prefix. */
    public boolean matches(byte[] src, int off) {
        return prefix.contains(Ipv6Prefix.readHi(src, off), Ipv6Prefix.readLo(src, off));
    }

    /**
     * The IPv4 address embedded in src[off, off+16); the caller checked {@link #matches}.
     * Choice: the u octet and suffix, reserved by RFC 6052 s2.2, are ignored (not checked for zero):
     * the s2.3 extraction algorithm reads only the IPv4 bits, and ignoring them keeps future
     * extensions that use those bits translatable.
     */
    public int extract(byte[] src, int off) {
        if (is96) return (int) Ipv6Prefix.readLo(src, off);
        long hi = Ipv6Prefix.readHi(src, off), lo = Ipv6Prefix.readLo(src, off);
        return (int) (((hi & hiMask) << lowBits) | ((lo >>> (56 - lowBits)) & loMask));
    }

    /** {@link #extract} for an address already read as two halves. */
    public int extract(long hi, long lo) {
        if (is96) return (int) lo;
        return (int) (((hi & hiMask) << lowBits) | ((lo >>> (56 - lowBits)) & loMask));
    }

    /** {@link #matches} for an address already read as two halves. */
    public boolean matches(long hi, long lo) {
        return prefix.contains(hi, lo);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Pool6 p && p.prefix.equals(prefix);
    }

    @Override
    public int hashCode() { return prefix.hashCode(); }

    @Override
    public String toString() { return "pool6 " + prefix; }
}
