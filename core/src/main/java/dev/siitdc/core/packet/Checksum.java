package dev.siitdc.core.packet;

/**
 * Internet checksum arithmetic (RFC 1071) and incremental updates (RFC 1624).
 * Partial sums are plain ints holding an unfolded one's complement sum.
 */
public final class Checksum {
    private Checksum() {}

    /** Adds the 16-bit big-endian words of b[off, off+len) to sum; an odd last byte is padded with zero. */
    public static int add(int sum, byte[] b, int off, int len) {
        long s = sum & 0xffffffffL;
        int end = off + len;
        int i = off;
        // long payloads: four longs a round, out of line so that short sums (headers) stay small to inline
        if (len >= ROUNDS_FROM) {
            int rounds = len & ~(ROUND - 1);
            s += addRounds(b, off, off + rounds);
            i += rounds;
        }
        // 64 bits at a time as two 32-bit words: 2^16 = 1 (mod 0xffff), so the folded sum is the same
        for (; i + 7 < end; i += 8) {
            long v = (long) LONG.get(b, i);
            s += (v >>> 32) + (v & 0xffffffffL);
        }
        for (; i + 1 < end; i += 2) s += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
        if (i < end) s += (b[i] & 0xff) << 8;
        return foldToInt(s);
    }

    /** The partial sum of an IPv6 source and destination address pair, b[off, off+32), straight line. */
    public static int addIpv6Addresses(byte[] b, int off) {
        return foldToInt(addRounds(b, off, off + ROUND));
    }

    /** Whether the IPv4 header b[off, off+ihlBytes) has a valid checksum (RFC 791 s3.1). */
    public static boolean ipv4HeaderValid(byte[] b, int off, int ihlBytes) {
        if (ihlBytes != Ipv4Header.MIN_LENGTH) return verify(add(0, b, off, ihlBytes));
        long v0 = (long) LONG.get(b, off), v1 = (long) LONG.get(b, off + 8);
        long s = (v0 >>> 32) + (v0 & 0xffffffffL) + (v1 >>> 32) + (v1 & 0xffffffffL)
                + (Bytes.i32(b, off + Ipv4Header.DESTINATION) & 0xffffffffL);
        return foldToInt(s) == 0xffff;
    }

    private static final int ROUND = 32;
    private static final int ROUNDS_FROM = 64;

    /** The sum of b[i, end), end - i a multiple of 32, as 32-bit terms: each < 2^32, so 64 KiB stays < 2^46. */
    private static long addRounds(byte[] b, int i, int end) {
        long s = 0;
        for (; i < end; i += ROUND) {
            long v0 = (long) LONG.get(b, i), v1 = (long) LONG.get(b, i + 8);
            long v2 = (long) LONG.get(b, i + 16), v3 = (long) LONG.get(b, i + 24);
            s += (v0 >>> 32) + (v0 & 0xffffffffL) + (v1 >>> 32) + (v1 & 0xffffffffL)
                    + (v2 >>> 32) + (v2 & 0xffffffffL) + (v3 >>> 32) + (v3 & 0xffffffffL);
        }
        return s;
    }

    private static final java.lang.invoke.VarHandle LONG =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.BIG_ENDIAN);

    private static int foldToInt(long s) {
        s = (s & 0xffffffffL) + (s >>> 32);
        s = (s & 0xffffffffL) + (s >>> 32);
        while ((s >>> 16) != 0) s = (s & 0xffff) + (s >>> 16);
        return (int) s;
    }

    /** Folds a partial sum to 16 bits (not complemented). */
    public static int fold(int sum) {
        return foldToInt(sum & 0xffffffffL);
    }

    /** The checksum field value for a partial sum: complement of the folded sum. */
    public static int finish(int sum) {
        return ~fold(sum) & 0xffff;
    }

    /** Sum of an IPv4 address as two words. */
    public static int sum4(int addr) {
        return (addr >>> 16) + (addr & 0xffff);
    }

    /**
     * RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'), where removed/added are partial sums of the old and
     * new data. A wrong checksum stays equivalently wrong.
     */
    public static int update(int oldChecksum, int removed, int added) {
        int s = (~oldChecksum & 0xffff) + (~fold(removed) & 0xffff) + fold(added);
        return ~fold(s) & 0xffff;
    }

    /**
     * The checksum of a message without a pseudo-header (ICMPv4) after {@link #update}: 0x0000 and
     * 0xffff are both one's complement zero, and eqn. 3 yields 0x0000, which is right unless every other
     * byte of the message is zero: then only 0xffff verifies (RFC 1624 s3).
     */
    public static int noPseudoHeader(int checksum, byte[] b, int off, int len, int checksumOffset) {
        if (checksum != 0) return checksum;
        for (int i = off; i < off + len; i++) {
            if (b[i] != 0 && i != off + checksumOffset && i != off + checksumOffset + 1) return 0;
        }
        return 0xffff;
    }

    /**
     * Updates a partial checksum (Linux CHECKSUM_PARTIAL, virtio-net NEEDS_CSUM): the field holds the
     * folded pseudo-header sum, not complemented, and the device finishes it over the data.
     */
    public static int updatePartial(int partial, int removed, int added) {
        return fold((partial & 0xffff) + (~fold(removed) & 0xffff) + fold(added));
    }

    /** Verifies a checksum over data that includes its checksum field: the folded sum must be 0xffff. */
    public static boolean verify(int sum) {
        return fold(sum) == 0xffff;
    }

    /** IPv4 header checksum of b[off, off+ihlBytes), with the checksum field treated as zero. */
    public static int ipv4Header(byte[] b, int off, int ihlBytes) {
        if (ihlBytes == Ipv4Header.MIN_LENGTH) {
            // straight line: bytes 0-7, TTL and Protocol, then the two addresses
            long v0 = (long) LONG.get(b, off), v1 = (long) LONG.get(b, off + Ipv4Header.SOURCE);
            long s = (v0 >>> 32) + (v0 & 0xffffffffL) + (((b[off + Ipv4Header.TTL] & 0xff) << 8)
                    | (b[off + Ipv4Header.PROTOCOL] & 0xff)) + (v1 >>> 32) + (v1 & 0xffffffffL);
            return ~foldToInt(s) & 0xffff;
        }
        int s = add(0, b, off, Ipv4Header.CHECKSUM);
        s = add(s, b, off + Ipv4Header.SOURCE, ihlBytes - Ipv4Header.SOURCE);
        return finish(s);
    }
}
