package dev.siitdc.core.xlat;

import dev.siitdc.core.config.HairpinMode;
import dev.siitdc.core.packet.Bytes;
import dev.siitdc.core.packet.Checksum;
import dev.siitdc.core.packet.Ipv6HeaderChain;

import static dev.siitdc.core.xlat.Translator.*;

/** IPv6 to IPv4 (RFC 7915 section 5), one function per step. */
final class Xlat64 {
    private final Translator t;
    private final Ipv6HeaderChain chain;

    Xlat64(Translator t) {
        this.t = t;
        this.chain = t.chain;
    }

    void translate(byte[] b, int off, int len) {
        Counters c = t.counters;
        Settings s = t.s;
        // --- validation (RFC 8200) ---
        if (len < 40) { c.inc(Counter.DROP64_TRUNCATED); return; }
        if (((b[off] & 0xff) >>> 4) != 6) { c.inc(Counter.DROP64_BAD_HEADER); return; }
        int payloadLength = Bytes.u16(b, off + 4);
        if (40 + payloadLength > len) { c.inc(Counter.DROP64_TRUNCATED); return; }
        int tot6 = 40 + payloadLength;
        int end = off + tot6;
        switch (chain.walk(b, off, end)) {
            case Ipv6HeaderChain.TRUNCATED -> { c.inc(Counter.DROP64_TRUNCATED); return; }
            case Ipv6HeaderChain.BAD -> { c.inc(Counter.DROP64_BAD_HEADER); return; }
            case Ipv6HeaderChain.TOO_LONG -> { c.inc(Counter.DROP64_TOO_MANY_EXTENSION_HEADERS); return; }
            case Ipv6HeaderChain.HEADER_AFTER_FRAGMENT -> {
                // RFC 7915 s5.1.1: SHOULD drop; answered like Jool with Destination Unreachable 1/1.
                c.inc(Counter.DROP64_EXT_AFTER_FRAGMENT);
                t.icmp6Error(b, off, tot6, 1, 1, 0, false);
                return;
            }
            default -> { }
        }
        int proto = chain.upperProtocol();
        int l4 = chain.upperOffset();
        int l4len = end - l4;
        int frag = chain.fragmentHeader();
        int segmentsLeftPointer = chain.segmentsLeftPointer();
        int fragField = frag >= 0 ? Bytes.u16(b, frag + 2) : 0;
        int fragOffset = fragField & 0xfff8;
        boolean mf = (fragField & 1) != 0;
        boolean fragmented = fragOffset != 0 || mf;
        boolean first = fragOffset == 0;
        // A router does not reassemble: an M fragment that is not a multiple of 8 is the receiver's to refuse.
        if (fragOffset + l4len > 65535) { c.inc(Counter.DROP64_BAD_FRAGMENT); return; }

        int icmp4Type = 0;
        if (proto == PROTO_ICMP6) {
            if (fragmented) { c.inc(Counter.DROP64_FRAGMENTED_ICMP); return; }   // RFC 7915 s1.2
            if (l4len < 8) { c.inc(Counter.DROP64_TRUNCATED); return; }
            int type = b[l4] & 0xff;
            if (IcmpMaps.isIcmp6Error(type)) {
                // RFC 7915 s5.1: MUST NOT translate; no error is sent about an error
                if (segmentsLeftPointer >= 0) { c.inc(Counter.DROP64_SEGMENTS_LEFT); return; }
                translateIcmpError(b, off, end, l4, frag);
                return;
            }
            int m = IcmpMaps.icmp6to4(type, b[l4 + 1] & 0xff);
            if (m == IcmpMaps.DROP) { c.inc(Counter.DROP64_ICMP_TYPE); return; }
            icmp4Type = m;
        } else if (first && proto == PROTO_TCP) {
            if (l4len < 20 || ((b[l4 + 12] & 0xf0) >>> 2) > l4len) { c.inc(Counter.DROP64_TRUNCATED); return; }
        } else if (first && proto == PROTO_UDP) {
            if (l4len < 8) { c.inc(Counter.DROP64_TRUNCATED); return; }
            // RFC 8200 s8.1: a zero UDP checksum is invalid in IPv6 (RFC 6935/6936 tunnels aside).
            if (Bytes.u16(b, l4 + 6) == 0 && !s.forwardUdpChecksumZero) {
                c.inc(Counter.DROP64_UDP_ZERO_CHECKSUM);
                return;
            }
        }

        // --- addresses (RFC 7915 s5.1, RFC 7757 s3.2) ---
        long sr = t.map64(b, off + 8);
        if (sr < 0) {
            // RFC 7915 s5.1: an IPv6 source that is not IPv4-translatable is dropped, answered with
            // Destination Unreachable "source address failed ingress/egress policy".
            c.inc(sr == MAP64_WKP_REFUSED ? Counter.DROP64_WKP_NON_GLOBAL : Counter.DROP64_SRC_UNTRANSLATABLE);
            t.icmp6Error(b, off, tot6, 1, 5, 0, false);
            return;
        }
        int src = (int) sr;
        // RFC 7915 s5.1: "If the translator gets an illegal source address ... SHOULD silently drop"
        if (isDenied4(src)) { c.inc(Counter.DROP64_SRC_ILLEGAL); return; }
        long dr = t.map64(b, off + 24);
        if (dr < 0) {
            // RFC 7915 s5.1, RFC 6052 s3.1: neither an EAM nor an RFC 6052 address: administratively prohibited
            c.inc(dr == MAP64_WKP_REFUSED ? Counter.DROP64_WKP_NON_GLOBAL : Counter.DROP64_DST_UNTRANSLATABLE);
            t.icmp6Error(b, off, tot6, 1, 1, 0, false);
            return;
        }
        int dst = (int) dr;
        if (isDenied4(dst)) { c.inc(Counter.DROP64_DST_UNTRANSLATABLE); return; }
        // RFC 7757 s4.2: the destination came from pool6 and lands in an EAM: translate it straight back.
        boolean hairpin = s.hairpinMode != HairpinMode.OFF && (dr & MAP64_POOL6_BIT) != 0 && s.eamt.covers4(dst);

        // --- Hop Limit, Routing header (RFC 7915 s5.1) ---
        int hopLimit = b[off + 7] & 0xff;
        if (hopLimit <= 1) {
            c.inc(Counter.DROP64_HOP_LIMIT_EXPIRED);
            t.icmp6Error(b, off, tot6, 3, 0, 0, false);
            return;
        }
        if (segmentsLeftPointer >= 0) {
            c.inc(Counter.DROP64_SEGMENTS_LEFT);
            t.icmp6Error(b, off, tot6, 4, 0, segmentsLeftPointer, false);
            return;
        }

        // --- MTU (RFC 7915 s5; s1.4: the translator is a router) ---
        int tot4 = 20 + l4len;
        if (tot4 > 0xffff) { c.inc(Counter.DROP64_TOO_BIG_FOR_IPV4); return; }   // hairpin or GSO: no ipv4-mtu check
        boolean split = false;
        boolean gso = (t.offload & OFFLOAD_GSO) != 0;
        if (hairpin && !gso && frag < 0 && tot4 > 1260 && 40 + l4len > s.ipv6Mtu) {
            // RFC 7757 s4.2 + RFC 7915 s4: the hairpinned packet gets DF and cannot fit ipv6-mtu; the
            // IPv6 sender learns the size that would fit, counted with its own headers.
            c.inc(Counter.DROP_HAIRPIN_TOO_BIG);
            t.icmp6Error(b, off, tot6, 2, 0, Mtu.hairpinPacketTooBigMtu(s.ipv6Mtu, l4 - off), false);
            return;
        }
        if (!hairpin && !gso && tot4 > s.ipv4Mtu) {
            // DF=1 (s5: over 1260 bytes, no Fragment header), or the sender can still go smaller:
            // Packet Too Big. Otherwise the result has DF=0 and is fragmented in IPv4 (s5.1.1; s1.4).
            int ptbMtu = Mtu.ownPacketTooBigMtu(s.ipv4Mtu);
            if ((frag < 0 && tot4 > 1260) || tot6 > ptbMtu) {
                c.inc(Counter.DROP64_PACKET_TOO_BIG);
                t.icmp6Error(b, off, tot6, 2, 0, ptbMtu, false);
                return;
            }
            split = true;
        }

        // --- IPv4 header, written in place in front of the transport header ---
        int start = l4 - 20;
        int trafficClass = ((b[off] & 0xf) << 4) | ((b[off + 1] & 0xff) >>> 4);
        int removed = Checksum.add(0, b, off + 8, 32);
        int icmpPseudo = proto == PROTO_ICMP6 ? pseudo6(b, off + 8, l4len, PROTO_ICMP6) : 0;
        int id = frag >= 0 ? Bytes.u16(b, frag + 6) : t.nextIpv4Id();
        int flags = frag >= 0 ? (mf ? 0x2000 : 0) | (fragOffset >>> 3) : (tot4 > 1260 ? 0x4000 : 0);
        writeHeader(b, start, s.overrideTos ? s.tos : trafficClass, tot4, id, flags, hopLimit - 1,
                proto == PROTO_ICMP6 ? PROTO_ICMP : proto, src, dst);

        // --- transport (RFC 7915 s5.5) ---
        if (first) {
            int added = Checksum.sum4(src) + Checksum.sum4(dst);
            if ((t.offload & OFFLOAD_CSUM_PARTIAL) != 0 && (proto == PROTO_TCP || proto == PROTO_UDP)) {
                int at = l4 + (proto == PROTO_TCP ? 16 : 6);
                Bytes.put16(b, at, Checksum.updatePartial(Bytes.u16(b, at), removed, added));
            } else {
                transport(b, l4, l4len, proto, removed, added, icmpPseudo, icmp4Type);
            }
        }

        if (split && first && frag < 0) t.completePartialChecksum(b, l4, l4len, proto);
        c.inc(Counter.TRANSLATED64);
        if (hairpin) {
            t.hairpin(b, start, tot4);
        } else if (split) {
            fragment(b, start, tot4, s.ipv4Mtu);
        } else {
            c.add(Counter.BYTES64, tot4);
            t.emit(b, start, tot4);
        }
    }

    /** Version 4, IHL 5, TOS, Total Length, Identification, flags, TTL, Protocol, checksum, addresses. */
    static void writeHeader(byte[] b, int p, int tos, int totalLength, int id, int flags, int ttl, int protocol,
                            int src, int dst) {
        b[p] = 0x45;
        b[p + 1] = (byte) tos;
        Bytes.put16(b, p + 2, totalLength);
        Bytes.put16(b, p + 4, id);
        Bytes.put16(b, p + 6, flags);
        b[p + 8] = (byte) ttl;
        b[p + 9] = (byte) protocol;
        Bytes.put32(b, p + 12, src);
        Bytes.put32(b, p + 16, dst);
        Bytes.put16(b, p + 10, Checksum.ipv4Header(b, p, 20));
    }

    /** TCP, UDP and ICMP informational checksums, updated incrementally (RFC 1624). */
    private static void transport(byte[] b, int l4, int l4len, int proto, int removed, int added, int icmpPseudo,
                                  int icmp4Type) {
        switch (proto) {
            case PROTO_TCP, PROTO_UDP -> updateTransportChecksum(b, l4, l4len, proto, removed, added);
            case PROTO_ICMP6 -> {
                int oldWord = Bytes.u16(b, l4);
                b[l4] = (byte) (icmp4Type >>> 8);
                b[l4 + 1] = (byte) icmp4Type;
                int csum = Checksum.update(Bytes.u16(b, l4 + 2), oldWord + icmpPseudo, Bytes.u16(b, l4));
                Bytes.put16(b, l4 + 2, Checksum.noPseudoHeader(csum, b, l4, l4len, 2));
            }
            default -> { }
        }
    }

    /** Splits a DF=0 IPv4 packet to fit the IPv4 next-hop MTU (RFC 791 s3.2). */
    private void fragment(byte[] b, int p, int len, int mtu) {
        byte[] o = t.scratchFor(b);
        int q = HEADROOM;
        int payload = len - 20;
        int chunkMax = (mtu - 20) & ~7;
        int flags = Bytes.u16(b, p + 6);
        int baseOffset = (flags & 0x1fff) << 3;
        boolean lastMf = (flags & 0x2000) != 0;
        for (int pos = 0; pos < payload; ) {
            int chunk = Math.min(chunkMax, payload - pos);
            boolean last = pos + chunk >= payload;
            System.arraycopy(b, p, o, q, 20);
            Bytes.put16(o, q + 2, 20 + chunk);
            Bytes.put16(o, q + 6, (((baseOffset + pos) >>> 3) | (last && !lastMf ? 0 : 0x2000)));
            Bytes.put16(o, q + 10, 0);
            Bytes.put16(o, q + 10, Checksum.ipv4Header(o, q, 20));
            System.arraycopy(b, p + 20 + pos, o, q + 20, chunk);
            t.counters.add(Counter.BYTES64, 20 + chunk);
            t.emit(o, q, 20 + chunk);
            pos += chunk;
        }
    }

    // ------------------------------------------------------------------ ICMPv6 errors (RFC 7915 s5.2, s5.3)

    /** @param frag offset of the outer Fragment header (an atomic fragment), or -1 */
    private void translateIcmpError(byte[] b, int off, int end, int l4, int frag) {
        Counters c = t.counters;
        Settings s = t.s;
        int l4len = end - l4;
        int type = b[l4] & 0xff;
        int code = b[l4 + 1] & 0xff;
        if (isNonUnicast6(b, off + 24)) { c.inc(Counter.DROP64_ICMP_ERROR_NON_UNICAST); return; }
        if (!Checksum.verify(Checksum.add(pseudo6(b, off + 8, l4len, PROTO_ICMP6), b, l4, l4len))) {
            c.inc(Counter.DROP64_ICMP_CHECKSUM);
            return;
        }
        int m = IcmpMaps.icmp6to4(type, code);
        if (m == IcmpMaps.DROP) { c.inc(Counter.DROP64_ICMP_TYPE); return; }
        int type4 = m >>> 8;
        int code4 = m & 0xff;
        int hopLimit = b[off + 7] & 0xff;

        // --- the packet in error, and RFC 4884 ---
        int in = l4 + 8;
        int avail = l4len - 8;
        int original = avail;
        int extLen = 0;
        if (IcmpMaps.icmp6CarriesExtension(type)) {
            int lengthAttr = (b[l4 + 4] & 0xff) << 3;
            if (lengthAttr != 0 && lengthAttr <= avail) {
                original = lengthAttr;
                extLen = avail - lengthAttr;
            }
        }
        if (original < 40 || ((b[in] & 0xff) >>> 4) != 6) { c.inc(Counter.DROP64_INNER_INVALID); return; }
        int iend = in + original;
        if (chain.walk(b, in, iend) != Ipv6HeaderChain.OK) { c.inc(Counter.DROP64_INNER_INVALID); return; }
        int iproto = chain.upperProtocol();
        int il4 = chain.upperOffset();
        int ifrag = chain.fragmentHeader();
        int ifragField = ifrag >= 0 ? Bytes.u16(b, ifrag + 2) : 0;
        int ifragOffset = ifragField & 0xfff8;
        int il4avail = iend - il4;
        int innerIcmp4 = 0;
        if (iproto == PROTO_ICMP6 && ifragOffset == 0 && il4avail >= 2) {
            int itype = b[il4] & 0xff;
            if (IcmpMaps.isIcmp6Error(itype)) { c.inc(Counter.DROP64_ICMP_IN_ICMP); return; }
            innerIcmp4 = IcmpMaps.icmp6to4(itype, b[il4 + 1] & 0xff);
            if (innerIcmp4 == IcmpMaps.DROP) { c.inc(Counter.DROP64_INNER_INVALID); return; }
        }
        if (hopLimit <= 1) { c.inc(Counter.DROP64_HOP_LIMIT_EXPIRED); return; }   // no error about an error

        // --- addresses: RFC 7915 s5.1, RFC 6791 for untranslatable routers ---
        long sr = t.map64(b, off + 8);
        int src;
        if (sr >= 0) src = (int) sr;
        else if (s.rfc6791v4 != null) src = s.rfc6791v4.pick(hopLimit);
        else src = s.ownIpv4;
        long dr = t.map64(b, off + 24);
        if (dr < 0) {
            c.inc(dr == MAP64_WKP_REFUSED ? Counter.DROP64_WKP_NON_GLOBAL : Counter.DROP64_DST_UNTRANSLATABLE);
            return;
        }
        if (isDenied4((int) dr)) { c.inc(Counter.DROP64_DST_UNTRANSLATABLE); return; }
        long isr = t.map64(b, in + 8);
        long idr = t.map64(b, in + 24);
        if (isr < 0 || idr < 0) { c.inc(Counter.DROP64_INNER_INVALID); return; }
        // RFC 7757 s4.2, the error case: the quoted packet's source came from pool6 and lands in an EAM.
        boolean hairpin = s.hairpinMode != HairpinMode.OFF && (isr & MAP64_POOL6_BIT) != 0
                && s.eamt.covers4((int) isr);

        // --- build the ICMPv4 error in a scratch buffer ---
        byte[] o = t.scratchFor(b);
        int p = HEADROOM;
        int icmp = p + 20;
        int inner = icmp + 8;
        int iplen = Bytes.u16(b, in + 4);
        int itot = Math.max(20, 20 + iplen - (il4 - in - 40));
        int iid, iflags;
        if (ifrag >= 0) {
            iid = Bytes.u16(b, ifrag + 6);
            iflags = ((ifragField & 1) != 0 ? 0x2000 : 0) | (ifragOffset >>> 3);
        } else {
            iid = t.nextIpv4Id();
            iflags = itot > 1260 ? 0x4000 : 0;
        }
        int itc = ((b[in] & 0xf) << 4) | ((b[in + 1] & 0xff) >>> 4);
        int iremoved = Checksum.add(0, b, in + 8, 32);
        int iicmpPseudo = pseudo6(b, in + 8, itot - 20, PROTO_ICMP6);
        writeHeader(o, inner, s.overrideTos ? s.tos : itc, itot, iid, iflags, b[in + 7] & 0xff,
                iproto == PROTO_ICMP6 ? PROTO_ICMP : iproto, (int) isr, (int) idr);
        System.arraycopy(b, il4, o, inner + 20, il4avail);
        if (ifragOffset == 0) {
            int iadded = Checksum.sum4((int) isr) + Checksum.sum4((int) idr);
            innerTransport(o, inner + 20, il4avail, iproto, iremoved, iadded, iicmpPseudo, innerIcmp4);
        }
        int translated = 20 + il4avail;

        // RFC 4884, in 32-bit words on the ICMPv4 side
        int ext = in + original;
        boolean keepExt = extLen > 0 && IcmpMaps.icmp4CarriesExtension(type4);
        int room = ICMP4_ERROR_MAX - 28;
        int datagram = 0;
        if (keepExt) {
            datagram = Math.max(128, translated & ~3);
            if (datagram + extLen > room) {
                if (128 + extLen <= room) datagram = (room - extLen) & ~3;
                else keepExt = false;
            }
        }
        int total;
        if (keepExt) {
            if (datagram > translated) java.util.Arrays.fill(o, inner + translated, inner + datagram, (byte) 0);
            System.arraycopy(b, ext, o, inner + datagram, extLen);
            total = 28 + datagram + extLen;
        } else {
            total = 28 + Math.min(translated, room);
        }

        // --- ICMPv4 header ---
        o[icmp] = (byte) type4;
        o[icmp + 1] = (byte) code4;
        Bytes.put16(o, icmp + 2, 0);
        int rest = 0;
        if (type4 == 3 && code4 == 4) {
            rest = Mtu.fragmentationNeededMtu(Bytes.u32(b, l4 + 4), s.ipv4Mtu, s.ipv6Mtu, ifrag >= 0);
        } else if (type4 == 12) {
            int ptr = IcmpMaps.pointer6to4(Bytes.u32(b, l4 + 4));
            if (ptr == IcmpMaps.DROP) { c.inc(Counter.DROP64_ICMP_TYPE); return; }
            rest = ptr << 24;
        }
        if (keepExt) rest |= (datagram >>> 2) << 16;
        Bytes.put32(o, icmp + 4, rest);
        Bytes.put16(o, icmp + 2, Checksum.finish(Checksum.add(0, o, icmp, total - 20)));

        // --- outer IPv4 header ---
        int tc = ((b[off] & 0xf) << 4) | ((b[off + 1] & 0xff) >>> 4);
        int dst = (int) dr;
        // RFC 7915 s5.1.1: an atomic fragment's Identification is carried over
        int id = frag >= 0 ? Bytes.u16(b, frag + 6) : t.nextIpv4Id();
        writeHeader(o, p, s.overrideTos ? s.tos : tc, total, id, total > 1260 ? 0x4000 : 0,
                hopLimit - 1, PROTO_ICMP, src, dst);

        c.inc(Counter.TRANSLATED64);
        if (hairpin) {
            t.hairpin(o, p, total);
        } else {
            c.add(Counter.BYTES64, total);
            t.emit(o, p, total);
        }
    }

    /** The transport header of the packet in error: checksums updated where the bytes are present. */
    private static void innerTransport(byte[] o, int l4, int avail, int proto, int removed, int added,
                                       int icmpPseudo, int icmp4Type) {
        switch (proto) {
            case PROTO_TCP, PROTO_UDP -> updateTransportChecksum(o, l4, avail, proto, removed, added);
            case PROTO_ICMP6 -> {
                if (avail < 2) return;
                int oldWord = Bytes.u16(o, l4);
                o[l4] = (byte) (icmp4Type >>> 8);
                o[l4 + 1] = (byte) icmp4Type;
                if (avail >= 4) {
                    int csum = Checksum.update(Bytes.u16(o, l4 + 2), oldWord + icmpPseudo, Bytes.u16(o, l4));
                    Bytes.put16(o, l4 + 2, Checksum.noPseudoHeader(csum, o, l4, avail, 2));
                }
            }
            default -> { }
        }
    }
}
