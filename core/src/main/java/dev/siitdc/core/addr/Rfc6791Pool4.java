package dev.siitdc.core.addr;

import java.util.concurrent.ThreadLocalRandom;

/**
 * RFC 6791 pool of IPv4 source addresses for ICMPv4 errors translated from ICMPv6 errors whose
 * source is not IPv4-translatable. Immutable; {@link #pick} is allocation-free and thread-safe.
 */
public final class Rfc6791Pool4 {
    private final Ipv4Prefix prefix;
    private final boolean randomize;
    private final int base, hostMask;

    public Rfc6791Pool4(Ipv4Prefix prefix, boolean randomize) {
        if (!prefix.isNetworkAddress())
            throw new IllegalArgumentException("host bits are set after /" + prefix.length() + " in " + prefix);
        this.prefix = prefix;
        this.randomize = randomize;
        this.base = prefix.address();
        this.hostMask = ~prefix.mask();
    }

    public Ipv4Prefix prefix() { return prefix; }

    public boolean randomize() { return randomize; }

    /**
     * An address of the pool: random if randomizing (RFC 6791 s5 recommends random selection so
     * traceroute shows no false loops), else base + (ttl mod size), deterministic from the TTL of the packet.
     * A /32 always yields its address.
     */
    public int pick(int ttl) {
        if (hostMask == 0) return base;
        int n = randomize ? ThreadLocalRandom.current().nextInt() : ttl;
        return base | (n & hostMask);
    }

    @Override
    public String toString() { return "rfc6791v4 " + prefix + (randomize ? " (random)" : ""); }
}
