package dev.siitdc.core.xlat;

import dev.siitdc.core.addr.SpecialAddresses;

/** The address mapping of RFC 7757 s3.2: the EAMT first, then pool6 (RFC 6052). */
final class AddressMapper {
    private AddressMapper() {}

    /** map46 results. */
    static final int MAP_NONE = 0;
    static final int MAP_WKP_REFUSED = -1;
    static final int MAP_EAM = 1;
    static final int MAP_POOL6 = 2;

    static final long MAP64_NONE = -1;
    static final long MAP64_WKP_REFUSED = -2;
    static final long MAP64_POOL6_BIT = 1L << 32;

    /** Maps an IPv4 address to IPv6 at dst[off..off+16): the EAMT first (when useEam), then pool6. */
    static int map46(Settings s, int v4, boolean useEam, byte[] dst, int off) {
        if (useEam && s.eamt.translate4to6(v4, dst, off)) return MAP_EAM;
        if (s.pool6 == null) return MAP_NONE;
        if (s.pool6.isWellKnown() && !SpecialAddresses.isGlobal(v4)) return MAP_WKP_REFUSED; // RFC 6052 s3.1
        s.pool6.embed(v4, dst, off);
        return MAP_POOL6;
    }

    /**
     * Maps the IPv6 address at src[off..off+16) to IPv4: EAMT first, then pool6. Returns the address
     * in the low 32 bits, with {@link #MAP64_POOL6_BIT} when pool6 matched, or a negative MAP64_ code.
     */
    static long map64(Settings s, byte[] src, int off) {
        long r = s.eamt.translate6to4(src, off);
        if (r >= 0) return r;
        if (s.pool6 == null || !s.pool6.matches(src, off)) return MAP64_NONE;
        int v4 = s.pool6.extract(src, off);
        if (s.pool6.isWellKnown() && !SpecialAddresses.isGlobal(v4)) return MAP64_WKP_REFUSED;
        return (v4 & 0xffffffffL) | MAP64_POOL6_BIT;
    }

    /** RFC 1812 s5.3.7 and Jool's implicit denylist: never translate these as source or destination. */
    static boolean isDenied4(int v4) {
        return SpecialAddresses.isIllegalSource(v4) || (v4 >>> 16) == 0xa9fe;     // and 169.254/16
    }
}
