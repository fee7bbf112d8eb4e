package dev.siitdc.core.xlat;

import dev.siitdc.core.addr.SpecialAddresses;
import dev.siitdc.core.config.HairpinMode;
import dev.siitdc.core.packet.Bytes;
import dev.siitdc.core.packet.Checksum;
import dev.siitdc.core.packet.IcmpHeader;
import dev.siitdc.core.packet.IpProtocol;
import dev.siitdc.core.packet.Ipv4Header;
import dev.siitdc.core.packet.Ipv6FragmentHeader;
import dev.siitdc.core.packet.Ipv6Header;
import dev.siitdc.core.packet.UdpHeader;

import static dev.siitdc.core.xlat.AddressMapper.MAP_WKP_REFUSED;
import static dev.siitdc.core.xlat.AddressMapper.isDenied4;
import static dev.siitdc.core.xlat.AddressMapper.map46;

/**
 * IPv4 to IPv6 (RFC 7915 section 4), one function per step. The packet quoted in an ICMPv4 error
 * goes through the same header and transport steps, in the {@link #inner} context.
 */
final class Ipv4To6Steps {
    private static final int HEADER_GROWTH_FRAGMENT = Ipv6Header.LENGTH + Ipv6FragmentHeader.LENGTH;

    private final Counters counters;
    private final PacketOutput out;
    private final IcmpErrorOrigin errors;
    private final XlatContext inner;
    /** The context of the second pass of a hairpinned packet (RFC 7757 s4.2). */
    private final XlatContext hairpinPass;
    private final Rfc4884 rfc4884 = new Rfc4884();

    Ipv4To6Steps(Counters counters, PacketOutput out, IcmpErrorOrigin errors) {
        this.counters = counters;
        this.out = out;
        this.errors = errors;
        this.inner = new XlatContext(counters, true);
        this.hairpinPass = new XlatContext(counters, false);
    }

    /**
     * RFC 7757 s4.2: the 4->6 pass of a packet the 6->4 pass produced: the TTL was already
     * decremented and the source avoids the EAMT.
     */
    void hairpin(Settings s, int offload, byte[] b, int off, int len) {
        counters.inc(Counter.HAIRPINNED);
        hairpinPass.begin(s, offload, b, off, len, true);
        translate(hairpinPass);
    }

    /** RFC 7915 s4: translates the IPv4 packet of {@code ctx} and emits it; false if it was dropped. */
    boolean translate(XlatContext ctx) {
        if (!validateIpv4Header(ctx) || !validateTransport(ctx)) return false;
        if (ctx.carriesError) return translateIcmpError(ctx);
        if (!mapAddresses(ctx) || !hopLimit(ctx) || !sourceRoute(ctx) || !udpZeroChecksum(ctx) || !fitMtu(ctx))
            return false;
        ctx.out = ctx.b;                // in place, over the IPv4 header
        ctx.outL4 = ctx.l4;
        translateIpv4Header(ctx);
        translateTransport(ctx);
        return send(ctx);
    }

    // ------------------------------------------------------------------ validation

    /** RFC 791; RFC 1812 s5.2.2. */
    private static boolean validateIpv4Header(XlatContext ctx) {
        byte[] b = ctx.b;
        int off = ctx.off;
        if (ctx.len < Ipv4Header.MIN_LENGTH) return ctx.drop(Counter.DROP46_TRUNCATED);
        int ihl = Ipv4Header.headerLength(b, off);
        if (Ipv4Header.version(b, off) != Ipv4Header.VERSION || ihl < Ipv4Header.MIN_LENGTH) return ctx.drop(Counter.DROP46_BAD_HEADER);
        if (ihl > ctx.len) return ctx.drop(Counter.DROP46_TRUNCATED);
        int tot = Ipv4Header.totalLength(b, off);
        if (tot < ihl) return ctx.drop(Counter.DROP46_BAD_HEADER);
        if (tot > ctx.len) return ctx.drop(Counter.DROP46_TRUNCATED);
        if (!ctx.hairpin && !Checksum.ipv4HeaderValid(b, off, ihl)) return ctx.drop(Counter.DROP46_BAD_HEADER);
        readIpv4Header(ctx, ihl, tot);
        ctx.len = tot;
        ctx.l4avail = ctx.l4len;
        // A router does not reassemble: an MF fragment that is not a multiple of 8 is the receiver's to refuse.
        if (ctx.fragOffset + ctx.l4len > Ipv6Header.MAX_PAYLOAD_LENGTH) return ctx.drop(Counter.DROP46_BAD_FRAGMENT);
        return true;
    }

    /** The header fields the translation reads, before it overwrites them. */
    private static void readIpv4Header(XlatContext ctx, int ihl, int tot) {
        byte[] b = ctx.b;
        int off = ctx.off;
        int flags = Ipv4Header.flagsFragmentOffset(b, off);
        ctx.df = (flags & Ipv4Header.FLAG_DF) != 0;
        ctx.mf = (flags & Ipv4Header.FLAG_MF) != 0;
        ctx.fragOffset = (flags & Ipv4Header.FRAGMENT_OFFSET_MASK) << 3;
        ctx.l4 = off + ihl;
        ctx.l4len = Math.max(0, tot - ihl);
        ctx.proto = Ipv4Header.protocol(b, off);
        ctx.trafficClass = Ipv4Header.tos(b, off);
        ctx.ttl = Ipv4Header.ttl(b, off);
        ctx.id = Ipv4Header.identification(b, off);
        ctx.src4 = Ipv4Header.source(b, off);
        ctx.dst4 = Ipv4Header.destination(b, off);
    }

    /** The transport header is there; an ICMPv4 error goes to {@link #translateIcmpError} (s4.2). */
    private static boolean validateTransport(XlatContext ctx) {
        byte[] b = ctx.b;
        int l4 = ctx.l4;
        switch (ctx.proto) {
            case IpProtocol.ICMP -> {
                if (!ctx.wholeIcmp(Counter.DROP46_FRAGMENTED_ICMP, Counter.DROP46_TRUNCATED)) return false;
                if (IcmpMaps.isIcmp4Error(IcmpHeader.type(b, l4))) {
                    ctx.carriesError = true;
                    return true;
                }
                return ctx.icmpInformational(icmp4to6(b, l4), Counter.DROP46_ICMP_TYPE);
            }
            case IpProtocol.IGMP -> {
                return ctx.drop(Counter.DROP46_IGMP);   // RFC 7915 s4.2: single-hop, no IPv6 meaning
            }
            default -> {
                return !ctx.transportTruncated() || ctx.drop(Counter.DROP46_TRUNCATED);
            }
        }
    }

    private static int icmp4to6(byte[] b, int icmp) {
        return IcmpMaps.icmp4to6(IcmpHeader.type(b, icmp), IcmpHeader.code(b, icmp));
    }

    // ------------------------------------------------------------------ addresses (RFC 7915 s4.1, RFC 7757)

    private boolean mapAddresses(XlatContext ctx) {
        int src = ctx.src4;
        int dst = ctx.dst4;
        if (isDenied4(src) || src == 0xffffffff) return ctx.drop(Counter.DROP46_SRC_ILLEGAL);
        if (isDenied4(dst)) return ctx.drop(Counter.DROP46_DST_UNTRANSLATABLE);
        int sr = map46(ctx.s, src, !hairpinning(ctx), ctx.addr6, 0);
        if (sr <= 0) return untranslatable(ctx, sr, Counter.DROP46_SRC_UNTRANSLATABLE);
        int dr = map46(ctx.s, dst, true, ctx.addr6, Ipv6Header.ADDRESS_LENGTH);
        if (dr <= 0) return untranslatable(ctx, dr, Counter.DROP46_DST_UNTRANSLATABLE);
        return !ctx.hairpin || !isHairpinLoop(ctx);
    }

    /** RFC 7757 s4.2: the source of a hairpinned packet avoids the EAMT. */
    private static boolean hairpinning(XlatContext ctx) {
        return ctx.hairpin || ctx.s.hairpinMode == HairpinMode.SIMPLE;
    }

    /**
     * An address pool6 and the EAMT cannot translate (RFC 7915 s4.1). Under the Well-Known Prefix a
     * non-global address is refused (RFC 6052 s3.1) and answered with Destination Unreachable 13,
     * communication administratively prohibited (RFC 7915 s4: the translator SHOULD say why), unless
     * the packet came from the IPv6 side (the hairpin pass).
     */
    private boolean untranslatable(XlatContext ctx, int result, Counter none) {
        if (result != MAP_WKP_REFUSED) return ctx.drop(none);
        if (ctx.hairpin) return ctx.drop(Counter.DROP46_WKP_NON_GLOBAL);
        return dropAnswering(ctx, Counter.DROP46_WKP_NON_GLOBAL, IcmpHeader.ADMIN_PROHIBITED4, 0);
    }

    /**
     * RFC 7757 s4.2: the hairpinned packet's new destination lies in pool6 (an EAM whose IPv6 side is
     * inside pool6), so it would come straight back to the translator, forever.
     */
    private static boolean isHairpinLoop(XlatContext ctx) {
        Settings s = ctx.s;
        if (s.pool6 == null || !s.pool6.matches(ctx.addr6, Ipv6Header.ADDRESS_LENGTH)) return false;
        return !ctx.drop(Counter.DROP_HAIRPIN_LOOP);
    }

    // ------------------------------------------------------------------ RFC 7915 s4.1 rules

    /** Hop Limit = TTL - 1; an expired packet is answered with Time Exceeded, unless it is an error. */
    private boolean hopLimit(XlatContext ctx) {
        if (ctx.hairpin) {
            ctx.hopLimit = ctx.ttl;
            return true;
        }
        if (ctx.ttl <= 1) {
            if (ctx.carriesError) return ctx.drop(Counter.DROP46_TTL_EXPIRED);
            ctx.drop(Counter.DROP46_TTL_EXPIRED);
            errors.icmp4(ctx, IcmpHeader.TIME_EXCEEDED4, 0, 0);
            return false;
        }
        ctx.hopLimit = ctx.ttl - 1;
        return true;
    }

    /** An unexpired source route: Destination Unreachable 5 (source route failed), unless it is an error. */
    private boolean sourceRoute(XlatContext ctx) {
        if (ctx.hairpin || !hasUnexpiredSourceRoute(ctx.b, ctx.off, ctx.l4 - ctx.off)) return true;
        if (ctx.carriesError) return ctx.drop(Counter.DROP46_SOURCE_ROUTE);
        return dropAnswering(ctx, Counter.DROP46_SOURCE_ROUTE, IcmpHeader.SOURCE_ROUTE_FAILED4, 0);
    }

    /** RFC 7915 s4.1: an unexpired LSRR (131) or SSRR (137) option. */
    static boolean hasUnexpiredSourceRoute(byte[] b, int off, int ihl) {
        int p = off + Ipv4Header.OPTIONS;
        int end = off + ihl;
        while (p < end) {
            int type = b[p] & 0xff;
            if (type == Ipv4Header.OPTION_END) return false;
            if (type == Ipv4Header.OPTION_NOP) { p++; continue; }
            if (p + Ipv4Header.OPTION_LENGTH >= end) return false;
            int len = b[p + Ipv4Header.OPTION_LENGTH] & 0xff;
            if (len < Ipv4Header.OPTION_MIN_LENGTH || p + len > end) return false;   // malformed: options are dropped anyway
            if (type == Ipv4Header.OPTION_LSRR || type == Ipv4Header.OPTION_SSRR) {
                if (len < Ipv4Header.ROUTE_OPTION_MIN_LENGTH) return false;
                int pointer = b[p + Ipv4Header.OPTION_POINTER] & 0xff;
                return pointer <= len;
            }
            p += len;
        }
        return false;
    }

    /** RFC 7915 s4.5: a zero UDP checksum is computed (amend-udp-checksum-zero), forwarded, or refused. */
    private boolean udpZeroChecksum(XlatContext ctx) {
        Settings s = ctx.s;
        if (!ctx.first() || ctx.proto != IpProtocol.UDP || s.forwardUdpChecksumZero
                || Bytes.u16(ctx.b, ctx.l4 + UdpHeader.CHECKSUM) != 0) return true;
        if (ctx.mf || !s.amendUdpChecksumZero)
            return dropAnswering(ctx, Counter.DROP46_UDP_ZERO_CHECKSUM, IcmpHeader.ADMIN_PROHIBITED4, 0);
        ctx.computeUdp = true;
        return true;
    }

    /**
     * MTU (RFC 7915 s4, s4.1; RFC 7756 s4.3 atomic fragments): a DF packet too big for the IPv6 side
     * is answered with Fragmentation Needed, a DF=0 one is split into fragments after translation.
     */
    private boolean fitMtu(XlatContext ctx) {
        Settings s = ctx.s;
        ctx.fragmentHeader = ctx.fragmented() || (s.atomicFragments && !ctx.df);
        int limit = ctx.df ? s.ipv6Mtu : Math.min(s.lowestIpv6Mtu, s.ipv6Mtu);
        boolean gso = (ctx.offload & Translator.OFFLOAD_GSO) != 0;
        if (gso || headerLength(ctx) + ctx.l4len <= limit) return true;
        if (ctx.df) {
            if (ctx.hairpin) return ctx.drop(Counter.DROP_HAIRPIN_TOO_BIG);
            return dropAnswering(ctx, Counter.DROP46_FRAG_NEEDED, IcmpHeader.FRAGMENTATION_NEEDED4,
                    Mtu.ownFragmentationNeededMtu(s.ipv6Mtu));
        }
        ctx.split = true;
        ctx.fragmentHeader = true;
        ctx.mtu = limit;
        return true;
    }

    /** Counts the drop and answers with Destination Unreachable {@code code} (RFC 7915 s4.4). */
    private boolean dropAnswering(XlatContext ctx, Counter why, int code, int rest) {
        ctx.drop(why);
        errors.icmp4(ctx, IcmpHeader.DEST_UNREACHABLE4, code, rest);
        return false;
    }

    // ------------------------------------------------------------------ the IPv6 header (RFC 7915 s4.1)

    private static int headerLength(XlatContext ctx) {
        return ctx.fragmentHeader ? HEADER_GROWTH_FRAGMENT : Ipv6Header.LENGTH;
    }

    /**
     * Writes the IPv6 header (and Fragment header) in front of ctx.outL4 in ctx.out, from the fields
     * read before: it may overwrite the IPv4 header.
     */
    private static void translateIpv4Header(XlatContext ctx) {
        byte[] o = ctx.out;
        int hdr = headerLength(ctx);
        int p = ctx.outL4 - hdr;
        ctx.outOff = p;
        Ipv6Header.versionClassFlow(o, p, trafficClass(ctx));
        Ipv6Header.payloadLength(o, p, payloadLength(ctx));
        Ipv6Header.nextHeader(o, p, ctx.fragmentHeader ? IpProtocol.FRAGMENT : nextHeader(ctx));
        Ipv6Header.hopLimit(o, p, ctx.hopLimit);
        Ipv6Header.addresses(o, p, ctx.addr6, 0);
        if (ctx.fragmentHeader) fragmentHeader(ctx, o, p + Ipv6Header.LENGTH);
    }

    /** Traffic Class: the TOS, unless zeroize-traffic-class; Flow Label 0. */
    private static int trafficClass(XlatContext ctx) {
        return ctx.s.zeroizeTrafficClass ? 0 : ctx.trafficClass;
    }

    /** Payload Length: Total Length - IHL, plus the Fragment header. */
    private static int payloadLength(XlatContext ctx) {
        return headerLength(ctx) - Ipv6Header.LENGTH + ctx.l4len;
    }

    /** Next Header: the Protocol, 58 for ICMP. */
    private static int nextHeader(XlatContext ctx) {
        return ctx.proto == IpProtocol.ICMP ? IpProtocol.ICMPV6 : ctx.proto;
    }

    /** Fragment Header: offset and M copied, Identification = the IPv4 one. */
    private static void fragmentHeader(XlatContext ctx, byte[] o, int frag) {
        Ipv6FragmentHeader.write(o, frag, nextHeader(ctx), ctx.fragOffset, ctx.mf, ctx.id);
    }

    // ------------------------------------------------------------------ transport (RFC 7915 s4.5)

    /**
     * TCP, UDP and ICMP informational checksums of the first fragment, updated incrementally (RFC 1624)
     * where the bytes are present (a quoted packet may be cut).
     */
    private static void translateTransport(XlatContext ctx) {
        if (!ctx.first()) return;
        int removed = Checksum.sum4(ctx.src4) + Checksum.sum4(ctx.dst4);
        int added = Checksum.addIpv6Addresses(ctx.addr6, 0);
        if (TransportChecksum.updatePartial(ctx, removed, added)) return;
        byte[] o = ctx.out;
        int l4 = ctx.outL4;
        int proto = ctx.proto;
        switch (proto) {
            case IpProtocol.TCP -> TransportChecksum.update(o, l4, ctx.l4avail, proto, removed, added);
            case IpProtocol.UDP -> {
                if (ctx.computeUdp) amendUdpChecksum(ctx, o, l4);
                else TransportChecksum.update(o, l4, ctx.l4avail, proto, removed, added);
            }
            case IpProtocol.ICMP -> icmpInformational(ctx, o, l4);
            default -> { }
        }
    }

    /** amend-udp-checksum-zero (RFC 7915 s4.5): the whole checksum, over the IPv6 pseudo-header. */
    private static void amendUdpChecksum(XlatContext ctx, byte[] o, int l4) {
        Bytes.put16(o, l4 + UdpHeader.CHECKSUM, 0);
        int sum = TransportChecksum.pseudo6(ctx.addr6, 0, ctx.l4len, IpProtocol.UDP);
        int csum = Checksum.finish(Checksum.add(sum, o, l4, ctx.l4len));
        Bytes.put16(o, l4 + UdpHeader.CHECKSUM, csum == 0 ? 0xffff : csum);
    }

    /** RFC 7915 s4.2 Echo Request/Reply: the new type, and the checksum now over the IPv6 pseudo-header. */
    private static void icmpInformational(XlatContext ctx, byte[] o, int l4) {
        if (ctx.l4avail < IcmpHeader.CHECKSUM) return;
        int oldWord = IcmpHeader.typeCode(o, l4);
        IcmpHeader.typeCode(o, l4, ctx.icmpTypeCode);
        if (ctx.l4avail < IcmpHeader.REST) return;
        int pseudo = TransportChecksum.pseudo6(ctx.addr6, 0, ctx.l4len, IpProtocol.ICMPV6);
        IcmpHeader.checksum(o, l4, Checksum.update(IcmpHeader.checksum(o, l4), oldWord, ctx.icmpTypeCode + pseudo));
    }

    // ------------------------------------------------------------------ fragment or send (RFC 7915 s4)

    private boolean send(XlatContext ctx) {
        int outLen = headerLength(ctx) + ctx.l4len;
        // the IPv4 packet was not a fragment already: the split one's Fragment header is ours
        if (ctx.split && ctx.first() && !ctx.fragmented())
            TransportChecksum.completePartial(ctx.offload, ctx.out, ctx.outL4, ctx.l4len, ctx.proto);
        counters.inc(Counter.TRANSLATED46);
        if (!ctx.split) {
            out.emit(ctx.out, ctx.outOff, outLen, Counter.BYTES46);
            return true;
        }
        // RFC 7915 s4: a DF=0 packet larger than min(lowest-ipv6-mtu, ipv6-mtu) goes in IPv6 fragments
        counters.inc(Counter.FRAGMENTED46);
        out.fragment(ctx.out, ctx.outOff, outLen, ctx.mtu, true, Counter.BYTES46);
        return true;
    }

    // ------------------------------------------------------------------ ICMPv4 errors (RFC 7915 s4.2, s4.3)

    private boolean translateIcmpError(XlatContext ctx) {
        byte[] b = ctx.b;
        int l4 = ctx.l4;
        // never toward a non-unicast destination (RFC 1812 s4.3.2.7): the blocks of an illegal source
        if (SpecialAddresses.isIllegalSource(ctx.dst4)) return ctx.drop(Counter.DROP46_ICMP_ERROR_NON_UNICAST);
        // The checksum is recomputed below, so a corrupt message must not come out valid.
        if (!Checksum.verify(Checksum.add(0, b, l4, ctx.l4len))) return ctx.drop(Counter.DROP46_ICMP_CHECKSUM);
        int m = icmp4to6(b, l4);
        if (m == IcmpMaps.DROP) return ctx.drop(Counter.DROP46_ICMP_TYPE);
        int type = IcmpHeader.type(b, l4);

        // --- the packet in error, RFC 4884 s4.1 Length in 32-bit words ---
        XlatContext in = inner;
        rfc4884.parse(ctx, in, IcmpMaps.icmp4CarriesExtension(type) ? (b[l4 + IcmpHeader.LENGTH4] & 0xff) << 2 : 0);
        if (!validateQuotedIpv4(in)) return false;

        // --- hop limit and source route (RFC 7915 s4.1): never answer an error with an error ---
        if (!hopLimit(ctx) || !sourceRoute(ctx)) return false;
        return mapErrorAddresses(ctx, in) && buildIcmp6Error(ctx, in, type, m);
    }

    /**
     * The ICMPv6 error, built in a scratch buffer: the quoted packet through the same steps. (A method
     * of its own, so the JIT compiles it with its own inlining budget.)
     */
    private boolean buildIcmp6Error(XlatContext ctx, XlatContext in, int type, int typeCode6) {
        Settings s = ctx.s;
        byte[] b = ctx.b;
        int l4 = ctx.l4;
        int quoted = in.off;
        int type6 = typeCode6 >>> 8;
        byte[] o = out.scratchFor(b);
        int p = Translator.HEADROOM;
        int icmp = p + Ipv6Header.LENGTH;
        in.fragmentHeader = in.fragmented();
        in.quoteInto(o, icmp + IcmpHeader.LENGTH + headerLength(in));
        translateIpv4Header(in);
        translateTransport(in);
        int translated = headerLength(in) + in.l4avail;
        // RFC 4884: ICMPv6 Packet Too Big and Parameter Problem cannot carry extensions.
        int room = IcmpErrorOrigin.ICMP6_ERROR_MAX - IcmpErrorOrigin.ICMP6_ERROR_HEADERS;
        int total = IcmpErrorOrigin.ICMP6_ERROR_HEADERS
                + rfc4884.build(b, o, icmp + IcmpHeader.LENGTH, translated, room, 8, IcmpMaps.icmp6CarriesExtension(type6));

        // --- ICMPv6 header ---
        int rest = 0;
        if (type6 == IcmpHeader.PACKET_TOO_BIG6) {
            rest = Mtu.packetTooBigMtu(Bytes.u16(b, l4 + IcmpHeader.MTU4), Ipv4Header.totalLength(b, quoted),
                    s.ipv4Mtu, s.ipv6Mtu, s.plateaus);
        } else if (type6 == IcmpHeader.PARAMETER_PROBLEM6) {
            if (type == IcmpHeader.DEST_UNREACHABLE4) {
                rest = IcmpMaps.PROTOCOL_UNREACHABLE_POINTER;
            } else {
                rest = IcmpMaps.pointer4to6(b[l4 + IcmpHeader.POINTER4] & 0xff);
                if (rest == IcmpMaps.DROP) return ctx.drop(Counter.DROP46_ICMP_TYPE);
            }
        } else if (rfc4884.datagram > 0) {
            rest = (rfc4884.datagram >>> 3) << 24;     // RFC 4884 s4.2: Length in 64-bit words
        }
        IcmpHeader.write(o, icmp, type6, typeCode6 & 0xff, rest);

        // --- outer IPv6 header and checksum ---
        ctx.out = o;
        ctx.outL4 = icmp;
        ctx.l4len = total - Ipv6Header.LENGTH;
        translateIpv4Header(ctx);
        int sum = TransportChecksum.pseudo6(ctx.addr6, 0, ctx.l4len, IpProtocol.ICMPV6);
        IcmpHeader.checksum(o, icmp, Checksum.finish(Checksum.add(sum, o, icmp, ctx.l4len)));

        counters.inc(Counter.TRANSLATED46);
        out.emit(o, p, total, Counter.BYTES46);
        return true;
    }

    /** The packet quoted in an ICMPv4 error: its IPv4 header must be whole, the rest may be cut (s4.3). */
    private static boolean validateQuotedIpv4(XlatContext in) {
        byte[] b = in.b;
        if (in.len < Ipv4Header.MIN_LENGTH) return in.drop(Counter.DROP46_INNER_INVALID);
        int ihl = Ipv4Header.headerLength(b, in.off);
        if (Ipv4Header.version(b, in.off) != Ipv4Header.VERSION || ihl < Ipv4Header.MIN_LENGTH || ihl > in.len)
            return in.drop(Counter.DROP46_INNER_INVALID);
        readIpv4Header(in, ihl, Ipv4Header.totalLength(b, in.off));
        in.l4avail = in.len - ihl;
        if (in.proto != IpProtocol.ICMP || !in.first() || in.l4avail < IcmpHeader.CHECKSUM) return true;
        if (IcmpMaps.isIcmp4Error(IcmpHeader.type(b, in.l4))) return in.drop(Counter.DROP46_ICMP_IN_ICMP);
        return in.icmpInformational(icmp4to6(b, in.l4), Counter.DROP46_INNER_INVALID);
    }

    /** Addresses of an error: RFC 7915 s4.1 (no denylist for errors), RFC 6791, RFC 7757 s4.2. */
    private static boolean mapErrorAddresses(XlatContext ctx, XlatContext in) {
        Settings s = ctx.s;
        boolean hairpinning = hairpinning(ctx);
        if (map46(s, ctx.src4, !(hairpinning && ctx.src4 == in.dst4), ctx.addr6, 0) <= 0 && !rfc6791Source(ctx))
            return ctx.drop(Counter.DROP46_SRC_UNTRANSLATABLE);
        int r = map46(s, ctx.dst4, true, ctx.addr6, Ipv6Header.ADDRESS_LENGTH);
        if (r <= 0) return ctx.drop(r == MAP_WKP_REFUSED ? Counter.DROP46_WKP_NON_GLOBAL : Counter.DROP46_DST_UNTRANSLATABLE);
        if (ctx.hairpin && isHairpinLoop(ctx)) return false;
        if (map46(s, in.src4, true, in.addr6, 0) <= 0
                || map46(s, in.dst4, !hairpinning, in.addr6, Ipv6Header.ADDRESS_LENGTH) <= 0)
            return ctx.drop(Counter.DROP46_INNER_INVALID);
        return true;
    }

    /** RFC 6791: an ICMPv4 error source with no mapping takes an address from rfc6791v6-prefix or own-ipv6-address. */
    private static boolean rfc6791Source(XlatContext ctx) {
        Settings s = ctx.s;
        if (s.rfc6791v6 != null) {
            s.rfc6791v6.pick(ctx.ttl, ctx.addr6, 0);
            return true;
        }
        if (s.ownIpv6 != null) {
            System.arraycopy(s.ownIpv6, 0, ctx.addr6, 0, Ipv6Header.ADDRESS_LENGTH);
            return true;
        }
        return false;
    }
}
