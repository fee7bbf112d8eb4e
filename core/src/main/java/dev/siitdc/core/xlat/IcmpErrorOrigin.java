package dev.siitdc.core.xlat;

import dev.siitdc.core.packet.Checksum;
import dev.siitdc.core.packet.IcmpHeader;
import dev.siitdc.core.packet.IpProtocol;
import dev.siitdc.core.packet.Ipv4Header;
import dev.siitdc.core.packet.Ipv6FragmentHeader;
import dev.siitdc.core.packet.Ipv6Header;
import dev.siitdc.core.packet.Ipv6HeaderChain;

/**
 * The ICMP errors the translator originates about a packet it drops (RFC 7915 s4.4, s5.4; RFC 1812
 * s4.3.2; RFC 4443 s2.4), rate limited; built in a buffer of their own.
 */
final class IcmpErrorOrigin {
    /** RFC 1812 s4.3.2.3: an ICMPv4 error is at most 576 bytes. */
    static final int ICMP4_ERROR_MAX = 576;
    /** RFC 4443 s2.4 (c): an ICMPv6 error is at most 1280 bytes. */
    static final int ICMP6_ERROR_MAX = 1280;
    /** TTL / Hop Limit of the packets the translator builds. */
    static final int OWN_TTL = 64;
    static final int ICMP4_ERROR_HEADERS = Ipv4Header.MIN_LENGTH + IcmpHeader.LENGTH;
    static final int ICMP6_ERROR_HEADERS = Ipv6Header.LENGTH + IcmpHeader.LENGTH;

    private final Counters counters;
    private final PacketOutput out;
    private final Ipv4Identification ids;
    private final Ipv6HeaderChain chain;
    private final byte[] errBuf = new byte[Translator.HEADROOM + ICMP6_ERROR_MAX + PacketOutput.TAILROOM];
    private IcmpRateLimiter limiter = IcmpRateLimiter.UNLIMITED;
    private java.util.function.LongSupplier clock = System::nanoTime;

    IcmpErrorOrigin(Counters counters, PacketOutput out, Ipv4Identification ids, Ipv6HeaderChain chain) {
        this.counters = counters;
        this.out = out;
        this.ids = ids;
        this.chain = chain;
    }

    void setRateLimit(IcmpRateLimiter limiter, java.util.function.LongSupplier nanoClock) {
        this.limiter = limiter.copy();
        this.clock = nanoClock;
    }

    /** The ICMP error rate limit: true if one more error (or RST) may be sent now, else counted. */
    boolean permit() {
        if (limiter.tryAcquire(clock.getAsLong())) return true;
        counters.inc(Counter.ICMP_ERRORS_RATE_LIMITED);
        return false;
    }

    /** An error not {@code suppressed} (counted if it is) and within the rate limit. */
    private boolean mayOriginate(boolean suppressed) {
        if (!suppressed) return permit();
        counters.inc(Counter.ICMP_ERRORS_SUPPRESSED);
        return false;
    }

    /** {@link #icmp4} about the packet of {@code ctx}. */
    void icmp4(XlatContext ctx, int type, int code, int rest) {
        icmp4(ctx.s, ctx.b, ctx.off, ctx.len, type, code, rest);
    }

    /** {@link #icmp6} about the packet of {@code ctx}. */
    void icmp6(XlatContext ctx, int type, int code, int rest) {
        icmp6(ctx.s, ctx.b, ctx.off, ctx.len, type, code, rest);
    }

    /**
     * Originates an ICMPv4 error about the IPv4 packet b[off, off+len), as received (RFC 7915 s4.4,
     * RFC 1812 s4.3.2): source own-ipv4-address, TTL 64, TOS 0, at most 576 bytes.
     */
    void icmp4(Settings s, byte[] b, int off, int len, int type, int code, int rest) {
        int src = Ipv4Header.source(b, off);
        int dst = Ipv4Header.destination(b, off);
        int fragOffset = Ipv4Header.flagsFragmentOffset(b, off) & Ipv4Header.FRAGMENT_OFFSET_MASK;
        int ihl = Ipv4Header.headerLength(b, off);
        boolean aboutError = Ipv4Header.protocol(b, off) == IpProtocol.ICMP && fragOffset == 0 && len > ihl
                && IcmpMaps.isIcmp4Error(IcmpHeader.type(b, off + ihl));
        if (!mayOriginate(aboutError || fragOffset != 0 || AddressMapper.isDenied4(src) || src == 0xffffffff
                || AddressMapper.isDenied4(dst))) return;
        byte[] o = errBuf;
        int p = Translator.HEADROOM;
        int quote = Math.min(len, ICMP4_ERROR_MAX - ICMP4_ERROR_HEADERS);
        int total = ICMP4_ERROR_HEADERS + quote;
        Ipv4Header.write(o, p, 0, total, ids.next(), 0, OWN_TTL, IpProtocol.ICMP, s.ownIpv4, src);
        int icmp = p + Ipv4Header.MIN_LENGTH;
        IcmpHeader.write(o, icmp, type, code, rest);
        System.arraycopy(b, off, o, icmp + IcmpHeader.LENGTH, quote);
        IcmpHeader.checksum(o, icmp, Checksum.finish(Checksum.add(0, o, icmp, IcmpHeader.LENGTH + quote)));
        counters.inc(Counter.ICMP4_ERRORS_SENT);
        out.emitOriginated(o, p, total);
    }

    /**
     * Originates an ICMPv6 error about the IPv6 packet b[off, off+len), as received (RFC 7915 s5.4,
     * RFC 4443 s2.4): source own-ipv6-address, hop limit 64, traffic class and flow label 0,
     * at most 1280 bytes.
     */
    void icmp6(Settings s, byte[] b, int off, int len, int type, int code, int rest) {
        boolean aboutError = isIcmp6Error(b, off, len);
        byte[] own = s.ownIpv6;
        boolean srcUnusable = Ipv6Header.isMulticast(b, off + Ipv6Header.SOURCE)
                || Ipv6Header.isUnspecified(b, off + Ipv6Header.SOURCE);
        // RFC 4443 s2.4 e.3: only Packet Too Big and Parameter Problem 2 answer a multicast destination
        boolean dstMulticast = Ipv6Header.isMulticast(b, off + Ipv6Header.DESTINATION)
                && !(type == IcmpHeader.PACKET_TOO_BIG6 || (type == IcmpHeader.PARAMETER_PROBLEM6 && code == IcmpHeader.UNRECOGNIZED_OPTION6));
        if (!mayOriginate(own == null || aboutError || srcUnusable || dstMulticast)) return;
        byte[] o = errBuf;
        int p = Translator.HEADROOM;
        int quote = Math.min(len, ICMP6_ERROR_MAX - ICMP6_ERROR_HEADERS);
        int total = ICMP6_ERROR_HEADERS + quote;
        Ipv6Header.versionClassFlow(o, p, 0);
        Ipv6Header.payloadLength(o, p, IcmpHeader.LENGTH + quote);
        Ipv6Header.nextHeader(o, p, IpProtocol.ICMPV6);
        Ipv6Header.hopLimit(o, p, OWN_TTL);
        System.arraycopy(own, 0, o, p + Ipv6Header.SOURCE, Ipv6Header.ADDRESS_LENGTH);
        System.arraycopy(b, off + Ipv6Header.SOURCE, o, p + Ipv6Header.DESTINATION, Ipv6Header.ADDRESS_LENGTH);
        int icmp = p + Ipv6Header.LENGTH;
        IcmpHeader.write(o, icmp, type, code, rest);
        System.arraycopy(b, off, o, icmp + IcmpHeader.LENGTH, quote);
        int sum = TransportChecksum.pseudo6(o, p + Ipv6Header.SOURCE, IcmpHeader.LENGTH + quote, IpProtocol.ICMPV6);
        IcmpHeader.checksum(o, icmp, Checksum.finish(Checksum.add(sum, o, icmp, IcmpHeader.LENGTH + quote)));
        counters.inc(Counter.ICMP6_ERRORS_SENT);
        out.emitOriginated(o, p, total);
    }

    /**
     * True if the IPv6 packet carries an ICMPv6 error behind its extension headers (RFC 4443 s2.4 e.1),
     * or if its chain is too long to tell: then no error is sent about it either.
     */
    private boolean isIcmp6Error(byte[] b, int off, int len) {
        int r = chain.walk(b, off, off + len, true);
        if (r == Ipv6HeaderChain.TOO_LONG) return true;
        if (r != Ipv6HeaderChain.OK || chain.upperProtocol() != IpProtocol.ICMPV6) return false;
        int p = chain.upperOffset();
        return (chain.fragmentField(b) & Ipv6FragmentHeader.OFFSET_MASK) == 0 && p < off + len
                && IcmpMaps.isIcmp6Error(IcmpHeader.type(b, p));
    }
}
