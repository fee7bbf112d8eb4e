package dev.siitdc.core.addr;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The IPv6 counterpart of {@link Rfc6791Pool4} (RFC 6791 s5 applied to 4->6 ICMP errors whose source
 * is not translatable). Immutable; {@link #pick} is allocation-free and thread-safe.
 */
public final class Rfc6791Pool6 {
    private final Ipv6Prefix prefix;
    private final boolean randomize;
    private final long baseHi, baseLo, hostHi, hostLo;

    public Rfc6791Pool6(Ipv6Prefix prefix, boolean randomize) {
        this.prefix = prefix;
        this.randomize = randomize;
        this.baseHi = prefix.hi();
        this.baseLo = prefix.lo();
        this.hostHi = ~Ipv6Prefix.maskHi(prefix.length());
        this.hostLo = ~Ipv6Prefix.maskLo(prefix.length());
        if (!prefix.isNetworkAddress())
            throw new IllegalArgumentException("host bits are set after /" + prefix.length() + " in " + prefix);
    }

    public Ipv6Prefix prefix() { return prefix; }

    public boolean randomize() { return randomize; }

    /**
     * Writes an address of the pool to dst[off, off+16): random if randomizing, else
     * base + (hopLimit mod size). A /128 always yields its address.
     */
    public void pick(int hopLimit, byte[] dst, int off) {
        long hi = baseHi, lo = baseLo;
        if (randomize) {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            if (hostHi != 0) hi |= r.nextLong() & hostHi;
            lo |= r.nextLong() & hostLo;
        } else {
            lo |= (hopLimit & 0xffff_ffffL) & hostLo;
        }
        Ipv6Prefix.write(hi, lo, dst, off);
    }

    @Override
    public String toString() { return "rfc6791v6 " + prefix + (randomize ? " (random)" : ""); }
}
