package dev.siitdc.core.xlat;

import dev.siitdc.core.config.HairpinMode;
import dev.siitdc.core.packet.Bytes;
import dev.siitdc.core.packet.Checksum;
import dev.siitdc.core.packet.IcmpHeader;
import dev.siitdc.core.packet.IpProtocol;
import dev.siitdc.core.packet.Ipv4Header;
import dev.siitdc.core.packet.Ipv6FragmentHeader;
import dev.siitdc.core.packet.Ipv6Header;
import dev.siitdc.core.packet.Ipv6HeaderChain;
import dev.siitdc.core.packet.UdpHeader;

import static dev.siitdc.core.xlat.AddressMapper.MAP64_POOL6_BIT;
import static dev.siitdc.core.xlat.AddressMapper.MAP64_WKP_REFUSED;
import static dev.siitdc.core.xlat.AddressMapper.isDenied4;
import static dev.siitdc.core.xlat.AddressMapper.map64;

/**
 * IPv6 to IPv4 (RFC 7915 section 5), one function per step. The packet quoted in an ICMPv6 error
 * goes through the same header and transport steps, in the {@link #inner} context.
 */
final class Ipv6To4Steps {
    /** RFC 7915 s5.1: a packet larger than this without a Fragment header gets DF (s1.4, RFC 1191). */
    private static final int DF_THRESHOLD = 1260;

    private final Counters counters;
    private final PacketOutput out;
    private final IcmpErrorOrigin errors;
    private final Ipv4Identification ids;
    private final Ipv6HeaderChain chain;
    /** RFC 7757 s4.2: the 4->6 pass of a hairpinned packet. */
    private final Ipv4To6Steps hairpin;
    private final XlatContext inner;
    private final Rfc4884 rfc4884 = new Rfc4884();

    Ipv6To4Steps(Counters counters, PacketOutput out, IcmpErrorOrigin errors, Ipv4Identification ids,
                 Ipv6HeaderChain chain, Ipv4To6Steps hairpin) {
        this.counters = counters;
        this.out = out;
        this.errors = errors;
        this.ids = ids;
        this.chain = chain;
        this.hairpin = hairpin;
        this.inner = new XlatContext(counters, true);
    }

    /** RFC 7915 s5: translates the IPv6 packet of {@code ctx} and emits it; false if it was dropped. */
    boolean translate(XlatContext ctx) {
        if (!validateIpv6Header(ctx) || !validateTransport(ctx)) return false;
        if (ctx.carriesError) return translateIcmpError(ctx);
        if (!mapAddresses(ctx) || !hopLimit(ctx) || !segmentsLeft(ctx) || !fitMtu(ctx)) return false;
        addressSums(ctx);
        ctx.out = ctx.b;                // in place, in front of the transport header
        ctx.outL4 = ctx.l4;
        translateIpv6Header(ctx);
        translateTransport(ctx);
        return send(ctx);
    }

    // ------------------------------------------------------------------ validation (RFC 8200)

    private boolean validateIpv6Header(XlatContext ctx) {
        byte[] b = ctx.b;
        int off = ctx.off;
        if (ctx.len < Ipv6Header.LENGTH) return ctx.drop(Counter.DROP64_TRUNCATED);
        if (Ipv6Header.version(b, off) != Ipv6Header.VERSION) return ctx.drop(Counter.DROP64_BAD_HEADER);
        int tot6 = Ipv6Header.LENGTH + Ipv6Header.payloadLength(b, off);
        if (tot6 > ctx.len) return ctx.drop(Counter.DROP64_TRUNCATED);
        ctx.len = tot6;
        int end = off + tot6;
        switch (chain.walk(b, off, end)) {
            case Ipv6HeaderChain.TRUNCATED -> { return ctx.drop(Counter.DROP64_TRUNCATED); }
            case Ipv6HeaderChain.BAD -> { return ctx.drop(Counter.DROP64_BAD_HEADER); }
            case Ipv6HeaderChain.TOO_LONG -> { return ctx.drop(Counter.DROP64_TOO_MANY_EXTENSION_HEADERS); }
            case Ipv6HeaderChain.HEADER_AFTER_FRAGMENT -> {
                // RFC 7915 s5.1.1: SHOULD drop; answered like Jool with Destination Unreachable 1/1.
                return dropAnswering(ctx, Counter.DROP64_EXT_AFTER_FRAGMENT, IcmpHeader.DEST_UNREACHABLE6,
                        IcmpHeader.ADMIN_PROHIBITED6, 0);
            }
            default -> { }
        }
        readIpv6Header(ctx, end);
        // A router does not reassemble: an M fragment that is not a multiple of 8 is the receiver's to refuse.
        if (ctx.fragOffset + ctx.l4len > Ipv4Header.MAX_TOTAL_LENGTH) return ctx.drop(Counter.DROP64_BAD_FRAGMENT);
        return true;
    }

    /** After a walk of the chain: the header fields the translation reads, before it overwrites them. */
    private void readIpv6Header(XlatContext ctx, int end) {
        byte[] b = ctx.b;
        int off = ctx.off;
        ctx.proto = chain.upperProtocol();
        ctx.l4 = chain.upperOffset();
        ctx.l4avail = end - ctx.l4;
        ctx.l4len = Math.max(0, Ipv6Header.payloadLength(b, off) - (ctx.l4 - off - Ipv6Header.LENGTH));
        ctx.trafficClass = Ipv6Header.trafficClass(b, off);
        ctx.ttl = Ipv6Header.hopLimit(b, off);
        int frag = chain.fragmentHeader();
        ctx.fragHeader = frag;
        ctx.segmentsLeftPointer = chain.segmentsLeftPointer();
        int field = frag >= 0 ? Ipv6FragmentHeader.offsetFlags(b, frag) : 0;
        ctx.fragOffset = field & Ipv6FragmentHeader.OFFSET_MASK;
        ctx.mf = (field & Ipv6FragmentHeader.FLAG_M) != 0;
        ctx.id = frag >= 0 ? Ipv6FragmentHeader.identification16(b, frag) : 0;
    }

    /** The transport header is there; an ICMPv6 error goes to {@link #translateIcmpError} (s5.2). */
    private static boolean validateTransport(XlatContext ctx) {
        switch (ctx.proto) {
            case IpProtocol.ICMPV6 -> {
                if (!ctx.wholeIcmp(Counter.DROP64_FRAGMENTED_ICMP, Counter.DROP64_TRUNCATED)) return false;
                if (IcmpMaps.isIcmp6Error(IcmpHeader.type(ctx.b, ctx.l4))) {
                    // RFC 7915 s5.1: MUST NOT translate; no error is sent about an error
                    if (ctx.segmentsLeftPointer >= 0) return ctx.drop(Counter.DROP64_SEGMENTS_LEFT);
                    ctx.carriesError = true;
                    return true;
                }
                return ctx.icmpInformational(icmp6to4(ctx.b, ctx.l4), Counter.DROP64_ICMP_TYPE);
            }
            default -> {
                if (ctx.transportTruncated()) return ctx.drop(Counter.DROP64_TRUNCATED);
                // RFC 8200 s8.1: a zero UDP checksum is invalid in IPv6 (RFC 6935/6936 tunnels aside).
                boolean udpZero = ctx.first() && ctx.proto == IpProtocol.UDP && !ctx.s.forwardUdpChecksumZero
                        && Bytes.u16(ctx.b, ctx.l4 + UdpHeader.CHECKSUM) == 0;
                return !udpZero || ctx.drop(Counter.DROP64_UDP_ZERO_CHECKSUM);
            }
        }
    }

    private static int icmp6to4(byte[] b, int icmp) {
        return IcmpMaps.icmp6to4(IcmpHeader.type(b, icmp), IcmpHeader.code(b, icmp));
    }

    // ------------------------------------------------------------------ addresses (RFC 7915 s5.1, RFC 7757 s3.2)

    private boolean mapAddresses(XlatContext ctx) {
        Settings s = ctx.s;
        long sr = map64(s, ctx.b, ctx.off + Ipv6Header.SOURCE);
        // RFC 7915 s5.1: an IPv6 source that is not IPv4-translatable is dropped, answered with
        // Destination Unreachable "source address failed ingress/egress policy".
        if (sr < 0) return untranslatable(ctx, sr, Counter.DROP64_SRC_UNTRANSLATABLE, IcmpHeader.SOURCE_POLICY_FAILED6);
        ctx.src4 = (int) sr;
        // RFC 7915 s5.1: "If the translator gets an illegal source address ... SHOULD silently drop"
        if (isDenied4(ctx.src4)) return ctx.drop(Counter.DROP64_SRC_ILLEGAL);
        long dr = map64(s, ctx.b, ctx.off + Ipv6Header.DESTINATION);
        // RFC 7915 s5.1, RFC 6052 s3.1: neither an EAM nor an RFC 6052 address: administratively prohibited
        if (dr < 0) return untranslatable(ctx, dr, Counter.DROP64_DST_UNTRANSLATABLE, IcmpHeader.ADMIN_PROHIBITED6);
        ctx.dst4 = (int) dr;
        if (isDenied4(ctx.dst4)) return ctx.drop(Counter.DROP64_DST_UNTRANSLATABLE);
        // RFC 7757 s4.2: the destination came from pool6 and lands in an EAM: translate it straight back.
        ctx.hairpin = hairpins(s, dr);
        return true;
    }

    /** An address neither the EAMT nor pool6 maps, or refused under the Well-Known Prefix (RFC 6052 s3.1). */
    private boolean untranslatable(XlatContext ctx, long result, Counter none, int code) {
        Counter why = result == MAP64_WKP_REFUSED ? Counter.DROP64_WKP_NON_GLOBAL : none;
        return dropAnswering(ctx, why, IcmpHeader.DEST_UNREACHABLE6, code, 0);
    }

    /** RFC 7757 s4.2: an address from pool6 that lands in an EAM. */
    private static boolean hairpins(Settings s, long mapped) {
        return s.hairpinMode != HairpinMode.OFF && (mapped & MAP64_POOL6_BIT) != 0 && s.eamt.covers4((int) mapped);
    }

    // ------------------------------------------------------------------ RFC 7915 s5.1 rules

    /** TTL = Hop Limit - 1; an expired packet is answered with Time Exceeded, unless it is an error. */
    private boolean hopLimit(XlatContext ctx) {
        if (ctx.ttl <= 1) {
            if (ctx.carriesError) return ctx.drop(Counter.DROP64_HOP_LIMIT_EXPIRED);
            return dropAnswering(ctx, Counter.DROP64_HOP_LIMIT_EXPIRED, IcmpHeader.TIME_EXCEEDED6, 0, 0);
        }
        ctx.hopLimit = ctx.ttl - 1;
        return true;
    }

    /** A Routing header with Segments Left: Parameter Problem pointing at it. */
    private boolean segmentsLeft(XlatContext ctx) {
        if (ctx.segmentsLeftPointer < 0) return true;
        return dropAnswering(ctx, Counter.DROP64_SEGMENTS_LEFT, IcmpHeader.PARAMETER_PROBLEM6,
                IcmpHeader.ERRONEOUS_HEADER6, ctx.segmentsLeftPointer);
    }

    /** MTU (RFC 7915 s5; s1.4: the translator is a router): Packet Too Big, or fragments in IPv4. */
    private boolean fitMtu(XlatContext ctx) {
        Settings s = ctx.s;
        int tot4 = Ipv4Header.MIN_LENGTH + ctx.l4len;
        // hairpin or GSO: no ipv4-mtu check
        if (tot4 > Ipv4Header.MAX_TOTAL_LENGTH) return ctx.drop(Counter.DROP64_TOO_BIG_FOR_IPV4);
        if ((ctx.offload & Translator.OFFLOAD_GSO) != 0) return true;
        boolean atomic = ctx.fragHeader >= 0;
        if (ctx.hairpin) {
            if (atomic || tot4 <= DF_THRESHOLD || Ipv6Header.LENGTH + ctx.l4len <= s.ipv6Mtu) return true;
            // RFC 7757 s4.2 + RFC 7915 s4: the hairpinned packet gets DF and cannot fit ipv6-mtu; the
            // IPv6 sender learns the size that would fit, counted with its own headers.
            return dropAnswering(ctx, Counter.DROP_HAIRPIN_TOO_BIG, IcmpHeader.PACKET_TOO_BIG6, 0,
                    Mtu.hairpinPacketTooBigMtu(s.ipv6Mtu, ctx.l4 - ctx.off));
        }
        if (tot4 <= s.ipv4Mtu) return true;
        // DF=1 (s5: over 1260 bytes, no Fragment header), or the sender can still go smaller:
        // Packet Too Big. Otherwise the result has DF=0 and is fragmented in IPv4 (s5.1.1; s1.4).
        int ptbMtu = Mtu.ownPacketTooBigMtu(s.ipv4Mtu);
        if ((!atomic && tot4 > DF_THRESHOLD) || ctx.len > ptbMtu)
            return dropAnswering(ctx, Counter.DROP64_PACKET_TOO_BIG, IcmpHeader.PACKET_TOO_BIG6, 0, ptbMtu);
        ctx.split = true;
        ctx.mtu = s.ipv4Mtu;
        return true;
    }

    /** Counts the drop and answers with an ICMPv6 error (RFC 7915 s5.4). */
    private boolean dropAnswering(XlatContext ctx, Counter why, int type, int code, int rest) {
        ctx.drop(why);
        errors.icmp6(ctx, type, code, rest);
        return false;
    }

    // ------------------------------------------------------------------ the IPv4 header (RFC 7915 s5.1)

    /** RFC 1624 "m": the sums of what the translation replaces, read before the header is overwritten. */
    private static void addressSums(XlatContext ctx) {
        int addrs = ctx.off + Ipv6Header.SOURCE;
        ctx.removedSum = Checksum.addIpv6Addresses(ctx.b, addrs);
        ctx.icmpPseudoSum = ctx.proto == IpProtocol.ICMPV6
                ? TransportChecksum.pseudo6(ctx.b, addrs, ctx.l4len, IpProtocol.ICMPV6) : 0;
    }

    /** Writes the IPv4 header in front of ctx.outL4 in ctx.out: it may overwrite the IPv6 header. */
    private void translateIpv6Header(XlatContext ctx) {
        int p = ctx.outL4 - Ipv4Header.MIN_LENGTH;
        ctx.outOff = p;
        int totalLength = totalLength(ctx);
        int id;
        int flags;
        if (ctx.fragHeader >= 0) {
            // RFC 7915 s5.1.1: Identification, MF and the offset from the Fragment header
            id = ctx.id;
            flags = (ctx.mf ? Ipv4Header.FLAG_MF : 0) | (ctx.fragOffset >>> 3);
        } else {
            id = ids.next();
            flags = totalLength > DF_THRESHOLD ? Ipv4Header.FLAG_DF : 0;
        }
        Ipv4Header.write(ctx.out, p, tos(ctx), totalLength, id, flags, ctx.hopLimit, protocol(ctx), ctx.src4, ctx.dst4);
    }

    /** Type of Service: the Traffic Class, or tos when override-tos. */
    private static int tos(XlatContext ctx) {
        return ctx.s.overrideTos ? ctx.s.tos : ctx.trafficClass;
    }

    /** Total Length: Payload Length - extension headers + 20. */
    private static int totalLength(XlatContext ctx) {
        return Ipv4Header.MIN_LENGTH + ctx.l4len;
    }

    /** Protocol: the upper-layer Next Header, 1 for ICMPv6. */
    private static int protocol(XlatContext ctx) {
        return ctx.proto == IpProtocol.ICMPV6 ? IpProtocol.ICMP : ctx.proto;
    }

    // ------------------------------------------------------------------ transport (RFC 7915 s5.5)

    /**
     * TCP, UDP and ICMP informational checksums of the first fragment, updated incrementally (RFC 1624)
     * where the bytes are present (a quoted packet may be cut).
     */
    private static void translateTransport(XlatContext ctx) {
        if (!ctx.first()) return;
        int added = Checksum.sum4(ctx.src4) + Checksum.sum4(ctx.dst4);
        if (TransportChecksum.updatePartial(ctx, ctx.removedSum, added)) return;
        switch (ctx.proto) {
            case IpProtocol.TCP, IpProtocol.UDP ->
                    TransportChecksum.update(ctx.out, ctx.outL4, ctx.l4avail, ctx.proto, ctx.removedSum, added);
            case IpProtocol.ICMPV6 -> icmpInformational(ctx, ctx.out, ctx.outL4);
            default -> { }
        }
    }

    /** RFC 7915 s5.2 Echo Request/Reply: the new type, and the checksum without the pseudo-header. */
    private static void icmpInformational(XlatContext ctx, byte[] o, int l4) {
        if (ctx.l4avail < IcmpHeader.CHECKSUM) return;
        int oldWord = IcmpHeader.typeCode(o, l4);
        IcmpHeader.typeCode(o, l4, ctx.icmpTypeCode);
        if (ctx.l4avail < IcmpHeader.REST) return;
        int csum = Checksum.update(IcmpHeader.checksum(o, l4), oldWord + ctx.icmpPseudoSum, ctx.icmpTypeCode);
        IcmpHeader.checksum(o, l4, Checksum.noPseudoHeader(csum, o, l4, ctx.l4avail, IcmpHeader.CHECKSUM));
    }

    // ------------------------------------------------------------------ fragment, hairpin or send

    private boolean send(XlatContext ctx) {
        int tot4 = totalLength(ctx);
        if (ctx.split && ctx.first() && ctx.fragHeader < 0)
            TransportChecksum.completePartial(ctx.offload, ctx.out, ctx.outL4, ctx.l4len, ctx.proto);
        counters.inc(Counter.TRANSLATED64);
        if (ctx.hairpin) {
            hairpin.hairpin(ctx.s, ctx.offload, ctx.out, ctx.outOff, tot4);
        } else if (ctx.split) {
            out.fragment(ctx.out, ctx.outOff, tot4, ctx.mtu, false, Counter.BYTES64);   // RFC 791 s3.2
        } else {
            out.emit(ctx.out, ctx.outOff, tot4, Counter.BYTES64);
        }
        return true;
    }

    // ------------------------------------------------------------------ ICMPv6 errors (RFC 7915 s5.2, s5.3)

    private boolean translateIcmpError(XlatContext ctx) {
        byte[] b = ctx.b;
        int l4 = ctx.l4;
        int type = IcmpHeader.type(b, l4);
        int code = IcmpHeader.code(b, l4);
        if (Ipv6Header.isNonUnicast(b, ctx.off + Ipv6Header.DESTINATION))
            return ctx.drop(Counter.DROP64_ICMP_ERROR_NON_UNICAST);
        int pseudo = TransportChecksum.pseudo6(b, ctx.off + Ipv6Header.SOURCE, ctx.l4len, IpProtocol.ICMPV6);
        if (!Checksum.verify(Checksum.add(pseudo, b, l4, ctx.l4len))) return ctx.drop(Counter.DROP64_ICMP_CHECKSUM);
        int m = IcmpMaps.icmp6to4(type, code);
        if (m == IcmpMaps.DROP) return ctx.drop(Counter.DROP64_ICMP_TYPE);

        // --- the packet in error, RFC 4884 s4.2 Length in 64-bit words ---
        int lengthAttribute = IcmpMaps.icmp6CarriesExtension(type) ? (b[l4 + IcmpHeader.LENGTH6] & 0xff) << 3 : 0;
        XlatContext in = inner;
        rfc4884.parse(ctx, in, lengthAttribute);
        if (!validateQuotedIpv6(in)) return false;
        if (!hopLimit(ctx)) return false;   // no error about an error
        return mapErrorAddresses(ctx, in) && buildIcmp4Error(ctx, in, m);
    }

    /**
     * The ICMPv4 error, built in a scratch buffer: the quoted packet through the same steps. (A method
     * of its own, so the JIT compiles it with its own inlining budget.)
     */
    private boolean buildIcmp4Error(XlatContext ctx, XlatContext in, int typeCode4) {
        Settings s = ctx.s;
        byte[] b = ctx.b;
        int l4 = ctx.l4;
        int type4 = typeCode4 >>> 8;
        int code4 = typeCode4 & 0xff;
        byte[] o = out.scratchFor(b);
        int p = Translator.HEADROOM;
        int icmp = p + Ipv4Header.MIN_LENGTH;
        addressSums(in);
        in.quoteInto(o, icmp + IcmpHeader.LENGTH + Ipv4Header.MIN_LENGTH);
        translateIpv6Header(in);
        translateTransport(in);
        int translated = Ipv4Header.MIN_LENGTH + in.l4avail;
        int room = IcmpErrorOrigin.ICMP4_ERROR_MAX - IcmpErrorOrigin.ICMP4_ERROR_HEADERS;
        int total = IcmpErrorOrigin.ICMP4_ERROR_HEADERS
                + rfc4884.build(b, o, icmp + IcmpHeader.LENGTH, translated, room, 4, IcmpMaps.icmp4CarriesExtension(type4));

        // --- ICMPv4 header ---
        int rest = 0;
        if (type4 == IcmpHeader.DEST_UNREACHABLE4 && code4 == IcmpHeader.FRAGMENTATION_NEEDED4) {
            rest = Mtu.fragmentationNeededMtu(Bytes.u32(b, l4 + IcmpHeader.REST), s.ipv4Mtu, s.ipv6Mtu, in.fragHeader >= 0);
        } else if (type4 == IcmpHeader.PARAMETER_PROBLEM4) {
            int ptr = IcmpMaps.pointer6to4(Bytes.u32(b, l4 + IcmpHeader.REST));
            if (ptr == IcmpMaps.DROP) return ctx.drop(Counter.DROP64_ICMP_TYPE);
            rest = ptr << 24;
        }
        rest |= (rfc4884.datagram >>> 2) << 16;       // RFC 4884 s4.1: Length in 32-bit words
        IcmpHeader.write(o, icmp, type4, code4, rest);
        IcmpHeader.checksum(o, icmp, Checksum.finish(Checksum.add(0, o, icmp, total - Ipv4Header.MIN_LENGTH)));

        // --- outer IPv4 header ---
        ctx.out = o;
        ctx.outL4 = icmp;
        ctx.l4len = total - Ipv4Header.MIN_LENGTH;
        translateIpv6Header(ctx);

        counters.inc(Counter.TRANSLATED64);
        if (ctx.hairpin) {
            hairpin.hairpin(s, ctx.offload, o, p, total);
        } else {
            out.emit(o, p, total, Counter.BYTES64);
        }
        return true;
    }

    /** The packet quoted in an ICMPv6 error: its IPv6 header and chain must be whole, the rest may be cut (s5.3). */
    private boolean validateQuotedIpv6(XlatContext in) {
        byte[] b = in.b;
        if (in.len < Ipv6Header.LENGTH || Ipv6Header.version(b, in.off) != Ipv6Header.VERSION)
            return in.drop(Counter.DROP64_INNER_INVALID);
        int end = in.off + in.len;
        if (chain.walk(b, in.off, end) != Ipv6HeaderChain.OK) return in.drop(Counter.DROP64_INNER_INVALID);
        readIpv6Header(in, end);
        if (in.proto != IpProtocol.ICMPV6 || !in.first() || in.l4avail < IcmpHeader.CHECKSUM) return true;
        if (IcmpMaps.isIcmp6Error(IcmpHeader.type(b, in.l4))) return in.drop(Counter.DROP64_ICMP_IN_ICMP);
        return in.icmpInformational(icmp6to4(b, in.l4), Counter.DROP64_INNER_INVALID);
    }

    /** Addresses of an error: RFC 7915 s5.1, RFC 6791 for untranslatable routers, RFC 7757 s4.2. */
    private static boolean mapErrorAddresses(XlatContext ctx, XlatContext in) {
        Settings s = ctx.s;
        long sr = map64(s, ctx.b, ctx.off + Ipv6Header.SOURCE);
        if (sr >= 0) ctx.src4 = (int) sr;
        else if (s.rfc6791v4 != null) ctx.src4 = s.rfc6791v4.pick(ctx.ttl);
        else ctx.src4 = s.ownIpv4;
        long dr = map64(s, ctx.b, ctx.off + Ipv6Header.DESTINATION);
        if (dr < 0) return ctx.drop(dr == MAP64_WKP_REFUSED ? Counter.DROP64_WKP_NON_GLOBAL : Counter.DROP64_DST_UNTRANSLATABLE);
        if (isDenied4((int) dr)) return ctx.drop(Counter.DROP64_DST_UNTRANSLATABLE);
        ctx.dst4 = (int) dr;
        long isr = map64(s, in.b, in.off + Ipv6Header.SOURCE);
        long idr = map64(s, in.b, in.off + Ipv6Header.DESTINATION);
        if (isr < 0 || idr < 0) return ctx.drop(Counter.DROP64_INNER_INVALID);
        in.src4 = (int) isr;
        in.dst4 = (int) idr;
        // RFC 7757 s4.2, the error case: the quoted packet's source came from pool6 and lands in an EAM.
        ctx.hairpin = hairpins(s, isr);
        return true;
    }
}
