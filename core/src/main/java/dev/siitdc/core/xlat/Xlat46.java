package dev.siitdc.core.xlat;

import dev.siitdc.core.addr.SpecialAddresses;
import dev.siitdc.core.config.HairpinMode;
import dev.siitdc.core.packet.Bytes;
import dev.siitdc.core.packet.Checksum;

import static dev.siitdc.core.xlat.Translator.*;

/** IPv4 to IPv6 (RFC 7915 section 4), one function per step. */
final class Xlat46 {
    private final Translator t;

    Xlat46(Translator t) { this.t = t; }

    /**
     * @param hairpin this is the second pass of a hairpinned packet (RFC 7757 s4.2): the TTL was
     *                already decremented on the 6->4 pass and the source avoids the EAMT
     */
    void translate(byte[] b, int off, int len, boolean hairpin) {
        Counters c = t.counters;
        Settings s = t.s;
        // --- validation (RFC 791; RFC 1812 s5.2.2) ---
        if (len < 20) { c.inc(Counter.DROP46_TRUNCATED); return; }
        int vihl = b[off] & 0xff;
        int ihl = (vihl & 0xf) << 2;
        if ((vihl >>> 4) != 4 || ihl < 20) { c.inc(Counter.DROP46_BAD_HEADER); return; }
        if (ihl > len) { c.inc(Counter.DROP46_TRUNCATED); return; }
        int tot = Bytes.u16(b, off + 2);
        if (tot < ihl) { c.inc(Counter.DROP46_BAD_HEADER); return; }
        if (tot > len) { c.inc(Counter.DROP46_TRUNCATED); return; }
        if (!hairpin && !Checksum.verify(Checksum.add(0, b, off, ihl))) { c.inc(Counter.DROP46_BAD_HEADER); return; }
        int flags = Bytes.u16(b, off + 6);
        boolean df = (flags & 0x4000) != 0;
        boolean mf = (flags & 0x2000) != 0;
        int fragOffset = (flags & 0x1fff) << 3;
        boolean fragmented = mf || fragOffset != 0;
        boolean first = fragOffset == 0;
        int l4 = off + ihl;
        int l4len = tot - ihl;
        // A router does not reassemble: an MF fragment that is not a multiple of 8 is the receiver's to refuse.
        if (fragOffset + l4len > 65535) { c.inc(Counter.DROP46_BAD_FRAGMENT); return; }
        int proto = b[off + 9] & 0xff;

        int icmp6Type = 0;
        if (proto == PROTO_ICMP) {
            // RFC 7915 s1.2: the ICMPv6 checksum of a fragment cannot be computed statelessly
            if (fragmented) { c.inc(Counter.DROP46_FRAGMENTED_ICMP); return; }
            if (l4len < 8) { c.inc(Counter.DROP46_TRUNCATED); return; }
            int type = b[l4] & 0xff;
            if (IcmpMaps.isIcmp4Error(type)) {
                translateIcmpError(b, off, ihl, tot, hairpin);
                return;
            }
            int m = IcmpMaps.icmp4to6(type, b[l4 + 1] & 0xff);
            if (m == IcmpMaps.DROP) { c.inc(Counter.DROP46_ICMP_TYPE); return; }
            icmp6Type = m;
        } else if (first && proto == PROTO_TCP) {
            if (l4len < 20 || ((b[l4 + 12] & 0xf0) >>> 2) > l4len) { c.inc(Counter.DROP46_TRUNCATED); return; }
        } else if (first && proto == PROTO_UDP) {
            if (l4len < 8) { c.inc(Counter.DROP46_TRUNCATED); return; }
        } else if (proto == PROTO_IGMP) {
            c.inc(Counter.DROP46_IGMP);   // RFC 7915 s4.2: single-hop, no IPv6 meaning
            return;
        }

        // --- addresses (RFC 7915 s4.1, RFC 7757 s3.2 and s4.2) ---
        int src = Bytes.i32(b, off + 12);
        int dst = Bytes.i32(b, off + 16);
        if (isDenied4(src) || src == 0xffffffff) { c.inc(Counter.DROP46_SRC_ILLEGAL); return; }
        if (isDenied4(dst)) { c.inc(Counter.DROP46_DST_UNTRANSLATABLE); return; }
        boolean hairpinning = hairpin || s.hairpinMode == HairpinMode.SIMPLE;
        byte[] a = t.addrs;
        int sr = t.map46(src, !hairpinning, a, 0);
        if (sr <= 0) { untranslatable(b, off, tot, sr, hairpin, Counter.DROP46_SRC_UNTRANSLATABLE); return; }
        int dr = t.map46(dst, true, a, 16);
        if (dr <= 0) { untranslatable(b, off, tot, dr, hairpin, Counter.DROP46_DST_UNTRANSLATABLE); return; }
        if (hairpin && isHairpinLoop(a)) return;

        // --- Hop Limit (RFC 7915 s4.1) ---
        int ttl = b[off + 8] & 0xff;
        int hopLimit;
        if (hairpin) {
            hopLimit = ttl;
        } else {
            if (ttl <= 1) {
                c.inc(Counter.DROP46_TTL_EXPIRED);
                t.icmp4Error(b, off, tot, 11, 0, 0);
                return;
            }
            hopLimit = ttl - 1;
        }
        if (!hairpin && hasUnexpiredSourceRoute(b, off, ihl)) {
            c.inc(Counter.DROP46_SOURCE_ROUTE);
            t.icmp4Error(b, off, tot, 3, 5, 0);
            return;
        }

        // --- UDP checksum zero (RFC 7915 s4.5) ---
        boolean computeUdp = false;
        if (first && proto == PROTO_UDP && Bytes.u16(b, l4 + 6) == 0 && !s.forwardUdpChecksumZero) {
            if (mf || !s.amendUdpChecksumZero) {
                c.inc(Counter.DROP46_UDP_ZERO_CHECKSUM);
                t.icmp4Error(b, off, tot, 3, 13, 0);
                return;
            }
            computeUdp = true;
        }

        // --- MTU (RFC 7915 s4, s4.1; RFC 7756 s4.3 atomic fragments) ---
        boolean fragmentHeader = fragmented || (s.atomicFragments && !df);
        int limit = df ? s.ipv6Mtu : Math.min(s.lowestIpv6Mtu, s.ipv6Mtu);
        boolean split = false;
        boolean gso = (t.offload & OFFLOAD_GSO) != 0;
        if (!gso && 40 + (fragmentHeader ? 8 : 0) + l4len > limit) {
            if (df) {
                if (hairpin) { c.inc(Counter.DROP_HAIRPIN_TOO_BIG); return; }
                c.inc(Counter.DROP46_FRAG_NEEDED);
                t.icmp4Error(b, off, tot, 3, 4, Mtu.ownFragmentationNeededMtu(s.ipv6Mtu));
                return;
            }
            split = true;
            fragmentHeader = true;
        }

        // --- IPv6 header, written in place over the IPv4 header ---
        int hdrLen = fragmentHeader ? 48 : 40;
        int start = l4 - hdrLen;
        int nextHeader = proto == PROTO_ICMP ? PROTO_ICMP6 : proto;
        int trafficClass = s.zeroizeTrafficClass ? 0 : b[off + 1] & 0xff;
        int id = Bytes.u16(b, off + 4);
        int outLen = hdrLen + l4len;
        writeHeader(b, start, trafficClass, outLen - 40, fragmentHeader ? NH_FRAGMENT : nextHeader, hopLimit, a, 0);
        if (fragmentHeader) fragmentHeader(b, start + 40, nextHeader, fragOffset, mf, id);

        // --- transport (RFC 7915 s4.5) ---
        if (first) transport(b, l4, l4len, proto, src, dst, a, computeUdp, icmp6Type);
        if (split && first && !fragmented) t.completePartialChecksum(b, l4, l4len, proto);

        c.inc(Counter.TRANSLATED46);
        if (split) {
            c.inc(Counter.FRAGMENTED46);
            fragment(b, start, outLen, limit);
        } else {
            c.add(Counter.BYTES46, outLen);
            t.emit(b, start, outLen);
        }
    }

    /**
     * An address pool6 and the EAMT cannot translate (RFC 7915 s4.1). Under the Well-Known Prefix a
     * non-global address is refused (RFC 6052 s3.1) and answered with Destination Unreachable 13,
     * communication administratively prohibited (RFC 7915 s4: the translator SHOULD say why), unless
     * the packet came from the IPv6 side (the hairpin pass).
     */
    private void untranslatable(byte[] b, int off, int tot, int result, boolean hairpin, Counter none) {
        if (result != MAP_WKP_REFUSED) {
            t.counters.inc(none);
            return;
        }
        t.counters.inc(Counter.DROP46_WKP_NON_GLOBAL);
        if (!hairpin) t.icmp4Error(b, off, tot, 3, 13, 0);
    }

    /**
     * RFC 7757 s4.2: the hairpinned packet's new destination lies in pool6 (an EAM whose IPv6 side is
     * inside pool6), so it would come straight back to the translator, forever.
     */
    private boolean isHairpinLoop(byte[] a) {
        Settings s = t.s;
        if (s.pool6 == null || !s.pool6.matches(a, 16)) return false;
        t.counters.inc(Counter.DROP_HAIRPIN_LOOP);
        return true;
    }

    /** RFC 7915 s4.1 Destination Address. */
    private boolean destination(int dst, byte[] a) {
        int r = t.map46(dst, true, a, 16);
        if (r > 0) return true;
        t.counters.inc(r == MAP_WKP_REFUSED ? Counter.DROP46_WKP_NON_GLOBAL : Counter.DROP46_DST_UNTRANSLATABLE);
        return false;
    }

    /** Version, Traffic Class, Flow Label 0, Payload Length, Next Header, Hop Limit, addresses. */
    static void writeHeader(byte[] b, int p, int trafficClass, int payloadLength, int nextHeader, int hopLimit,
                            byte[] addrs, int addrOff) {
        b[p] = (byte) (0x60 | (trafficClass >>> 4));
        b[p + 1] = (byte) ((trafficClass & 0xf) << 4);
        b[p + 2] = 0;
        b[p + 3] = 0;
        Bytes.put16(b, p + 4, payloadLength);
        b[p + 6] = (byte) nextHeader;
        b[p + 7] = (byte) hopLimit;
        System.arraycopy(addrs, addrOff, b, p + 8, 32);
    }

    /** RFC 7915 s4.1 Fragment Header: offset and M copied, Identification = the IPv4 one. */
    static void fragmentHeader(byte[] b, int p, int nextHeader, int fragOffset, boolean mf, int id) {
        b[p] = (byte) nextHeader;
        b[p + 1] = 0;
        Bytes.put16(b, p + 2, fragOffset | (mf ? 1 : 0));
        Bytes.put32(b, p + 4, id);
    }

    /** RFC 7915 s4.1: an unexpired LSRR (131) or SSRR (137) option. */
    static boolean hasUnexpiredSourceRoute(byte[] b, int off, int ihl) {
        int p = off + 20;
        int end = off + ihl;
        while (p < end) {
            int type = b[p] & 0xff;
            if (type == 0) return false;            // End of Option List
            if (type == 1) { p++; continue; }        // No Operation
            if (p + 1 >= end) return false;
            int len = b[p + 1] & 0xff;
            if (len < 2 || p + len > end) return false;   // malformed: options are dropped anyway
            if (type == 131 || type == 137) {
                if (len < 3) return false;
                int pointer = b[p + 2] & 0xff;
                return pointer <= len;
            }
            p += len;
        }
        return false;
    }

    /** TCP, UDP and ICMP informational checksums, updated incrementally (RFC 1624). */
    private void transport(byte[] b, int l4, int l4len, int proto, int src, int dst, byte[] a,
                           boolean computeUdp, int icmp6Type) {
        int removed = Checksum.sum4(src) + Checksum.sum4(dst);
        int added = Checksum.add(0, a, 0, 32);
        if ((t.offload & OFFLOAD_CSUM_PARTIAL) != 0 && (proto == PROTO_TCP || proto == PROTO_UDP)) {
            int at = l4 + (proto == PROTO_TCP ? 16 : 6);
            Bytes.put16(b, at, Checksum.updatePartial(Bytes.u16(b, at), removed, added));
            return;
        }
        switch (proto) {
            case PROTO_TCP -> updateTransportChecksum(b, l4, l4len, proto, removed, added);
            case PROTO_UDP -> {
                if (computeUdp) {   // amend-udp-checksum-zero (RFC 7915 s4.5)
                    Bytes.put16(b, l4 + 6, 0);
                    int csum = Checksum.finish(Checksum.add(pseudo6(a, 0, l4len, PROTO_UDP), b, l4, l4len));
                    Bytes.put16(b, l4 + 6, csum == 0 ? 0xffff : csum);
                } else {
                    updateTransportChecksum(b, l4, l4len, proto, removed, added);
                }
            }
            case PROTO_ICMP -> {
                int oldWord = Bytes.u16(b, l4);
                b[l4] = (byte) (icmp6Type >>> 8);
                b[l4 + 1] = (byte) icmp6Type;
                int newWord = Bytes.u16(b, l4);
                int csum = Checksum.update(Bytes.u16(b, l4 + 2), oldWord,
                        newWord + pseudo6(a, 0, l4len, PROTO_ICMP6));
                Bytes.put16(b, l4 + 2, csum);
            }
            default -> { }
        }
    }

    /**
     * RFC 7915 s4: a DF=0 packet larger than min(lowest-ipv6-mtu, ipv6-mtu) is split into IPv6
     * fragments of at most {@code limit} bytes, each with the Fragment Header already at p+40.
     */
    private void fragment(byte[] b, int p, int len, int limit) {
        byte[] o = t.scratchFor(b);
        int q = HEADROOM;
        int payload = len - 48;
        int chunkMax = (limit - 48) & ~7;
        int field = Bytes.u16(b, p + 42);
        int baseOffset = field & 0xfff8;
        boolean lastMf = (field & 1) != 0;
        for (int pos = 0; pos < payload; ) {
            int chunk = Math.min(chunkMax, payload - pos);
            boolean last = pos + chunk >= payload;
            System.arraycopy(b, p, o, q, 48);
            Bytes.put16(o, q + 4, 8 + chunk);
            Bytes.put16(o, q + 42, (baseOffset + pos) | (last ? (lastMf ? 1 : 0) : 1));
            System.arraycopy(b, p + 48 + pos, o, q + 48, chunk);
            t.counters.add(Counter.BYTES46, 48 + chunk);
            t.emit(o, q, 48 + chunk);
            pos += chunk;
        }
    }

    // ------------------------------------------------------------------ ICMPv4 errors (RFC 7915 s4.2, s4.3)

    private void translateIcmpError(byte[] b, int off, int ihl, int tot, boolean hairpin) {
        Counters c = t.counters;
        Settings s = t.s;
        int l4 = off + ihl;
        int l4len = tot - ihl;
        int type = b[l4] & 0xff;
        int code = b[l4 + 1] & 0xff;
        // never toward a non-unicast destination (RFC 1812 s4.3.2.7): the blocks of an illegal source
        if (SpecialAddresses.isIllegalSource(Bytes.i32(b, off + 16))) { c.inc(Counter.DROP46_ICMP_ERROR_NON_UNICAST); return; }
        // The checksum is recomputed below, so a corrupt message must not come out valid.
        if (!Checksum.verify(Checksum.add(0, b, l4, l4len))) { c.inc(Counter.DROP46_ICMP_CHECKSUM); return; }
        int m = IcmpMaps.icmp4to6(type, code);
        if (m == IcmpMaps.DROP) { c.inc(Counter.DROP46_ICMP_TYPE); return; }
        int type6 = m >>> 8;
        int code6 = m & 0xff;

        // --- the packet in error, and RFC 4884 ---
        int in = l4 + 8;
        int avail = l4len - 8;
        int original = avail;     // bytes of the original datagram field
        int extLen = 0;
        if (IcmpMaps.icmp4CarriesExtension(type)) {
            int lengthAttr = (b[l4 + 5] & 0xff) << 2;
            if (lengthAttr != 0 && lengthAttr <= avail) {
                original = lengthAttr;
                extLen = avail - lengthAttr;
            }
        }
        if (original < 20) { c.inc(Counter.DROP46_INNER_INVALID); return; }
        int ivihl = b[in] & 0xff;
        int iihl = (ivihl & 0xf) << 2;
        if ((ivihl >>> 4) != 4 || iihl < 20 || iihl > original) { c.inc(Counter.DROP46_INNER_INVALID); return; }
        int itot = Bytes.u16(b, in + 2);
        int iflags = Bytes.u16(b, in + 6);
        boolean imf = (iflags & 0x2000) != 0;
        int ifragOffset = (iflags & 0x1fff) << 3;
        boolean ifragmented = imf || ifragOffset != 0;
        int iproto = b[in + 9] & 0xff;
        int il4 = in + iihl;
        int il4avail = original - iihl;
        int innerIcmp6 = 0;
        if (iproto == PROTO_ICMP && ifragOffset == 0 && il4avail >= 2) {
            int itype = b[il4] & 0xff;
            if (IcmpMaps.isIcmp4Error(itype)) { c.inc(Counter.DROP46_ICMP_IN_ICMP); return; }
            innerIcmp6 = IcmpMaps.icmp4to6(itype, b[il4 + 1] & 0xff);
            if (innerIcmp6 == IcmpMaps.DROP) { c.inc(Counter.DROP46_INNER_INVALID); return; }
        }

        // --- hop limit and source route (RFC 7915 s4.1): never answer an error with an error ---
        int ttl = b[off + 8] & 0xff;
        if (!hairpin && ttl <= 1) { c.inc(Counter.DROP46_TTL_EXPIRED); return; }
        if (!hairpin && hasUnexpiredSourceRoute(b, off, ihl)) { c.inc(Counter.DROP46_SOURCE_ROUTE); return; }
        int hopLimit = hairpin ? ttl : ttl - 1;

        // --- addresses: RFC 7915 s4.1 (no denylist for errors), RFC 6791, RFC 7757 s4.2 ---
        int src = Bytes.i32(b, off + 12);
        int dst = Bytes.i32(b, off + 16);
        int isrc = Bytes.i32(b, in + 12);
        int idst = Bytes.i32(b, in + 16);
        boolean hairpinning = hairpin || s.hairpinMode == HairpinMode.SIMPLE;
        byte[] a = t.addrs;
        if (t.map46(src, !(hairpinning && src == idst), a, 0) <= 0 && !rfc6791Source(ttl, a)) {
            c.inc(Counter.DROP46_SRC_UNTRANSLATABLE);
            return;
        }
        if (!destination(dst, a)) return;
        if (hairpin && isHairpinLoop(a)) return;
        if (t.map46(isrc, true, a, 32) <= 0 || t.map46(idst, !hairpinning, a, 48) <= 0) {
            c.inc(Counter.DROP46_INNER_INVALID);
            return;
        }

        // --- build the ICMPv6 error in a scratch buffer ---
        byte[] o = t.scratchFor(b);
        int p = HEADROOM;
        int icmp = p + 40;
        int inner = icmp + 8;
        int ihdrLen = ifragmented ? 48 : 40;
        int itc = s.zeroizeTrafficClass ? 0 : b[in + 1] & 0xff;
        int inextHeader = iproto == PROTO_ICMP ? PROTO_ICMP6 : iproto;
        int ipayloadLength = Math.max(0, itot - iihl) + (ifragmented ? 8 : 0);
        writeHeader(o, inner, itc, ipayloadLength, ifragmented ? NH_FRAGMENT : inextHeader, b[in + 8] & 0xff, a, 32);
        if (ifragmented) fragmentHeader(o, inner + 40, inextHeader, ifragOffset, imf, Bytes.u16(b, in + 4));
        System.arraycopy(b, il4, o, inner + ihdrLen, il4avail);
        if (ifragOffset == 0) innerTransport(o, inner + ihdrLen, il4avail, iproto, isrc, idst, a,
                Math.max(0, itot - iihl), innerIcmp6);
        int translated = ihdrLen + il4avail;

        // RFC 4884: ICMPv6 Packet Too Big and Parameter Problem cannot carry extensions.
        int ext = in + original;
        boolean keepExt = extLen > 0 && IcmpMaps.icmp6CarriesExtension(type6);
        int datagram;
        int room = ICMP6_ERROR_MAX - 48;
        if (keepExt) {
            // RFC 4884 s4.1: padded to a whole number of 64-bit words, at least 128 bytes; the
            // pad bytes the IPv4 sender added count as data, so the tail is cut, not padded again.
            datagram = Math.max(128, translated & ~7);
            if (datagram + extLen > room) {
                if (128 + extLen <= room) datagram = (room - extLen) & ~7;
                else keepExt = false;
            }
        } else {
            datagram = 0;
        }
        int total;
        if (keepExt) {
            if (datagram > translated) java.util.Arrays.fill(o, inner + translated, inner + datagram, (byte) 0);
            System.arraycopy(b, ext, o, inner + datagram, extLen);
            total = 48 + datagram + extLen;
        } else {
            total = 48 + Math.min(translated, room);
        }

        // --- ICMPv6 header ---
        o[icmp] = (byte) type6;
        o[icmp + 1] = (byte) code6;
        Bytes.put16(o, icmp + 2, 0);
        int rest = 0;
        if (type6 == 2) {
            rest = Mtu.packetTooBigMtu(Bytes.u16(b, l4 + 6), itot, s.ipv4Mtu, s.ipv6Mtu, s.plateaus);
        } else if (type6 == 4) {
            if (type == 3) {
                rest = IcmpMaps.PROTOCOL_UNREACHABLE_POINTER;
            } else {
                rest = IcmpMaps.pointer4to6(b[l4 + 4] & 0xff);
                if (rest == IcmpMaps.DROP) { c.inc(Counter.DROP46_ICMP_TYPE); return; }
            }
        } else if (keepExt) {
            rest = (datagram >>> 3) << 24;
        }
        Bytes.put32(o, icmp + 4, rest);

        // --- outer IPv6 header and checksum ---
        int tc = s.zeroizeTrafficClass ? 0 : b[off + 1] & 0xff;
        writeHeader(o, p, tc, total - 40, PROTO_ICMP6, hopLimit, a, 0);
        int sum = pseudo6(a, 0, total - 40, PROTO_ICMP6);
        Bytes.put16(o, icmp + 2, Checksum.finish(Checksum.add(sum, o, icmp, total - 40)));

        c.inc(Counter.TRANSLATED46);
        c.add(Counter.BYTES46, total);
        t.emit(o, p, total);
    }

    /** RFC 6791: an ICMPv4 error source with no mapping takes an address from rfc6791v6-prefix or own-ipv6-address. */
    private boolean rfc6791Source(int ttl, byte[] a) {
        Settings s = t.s;
        if (s.rfc6791v6 != null) {
            s.rfc6791v6.pick(ttl, a, 0);
            return true;
        }
        if (s.ownIpv6 != null) {
            System.arraycopy(s.ownIpv6, 0, a, 0, 16);
            return true;
        }
        return false;
    }

    /** The transport header of the packet in error: checksums updated where the bytes are present. */
    private static void innerTransport(byte[] o, int l4, int avail, int proto, int src, int dst, byte[] a,
                                       int datagramLength, int icmp6Type) {
        int removed = Checksum.sum4(src) + Checksum.sum4(dst);
        int added = Checksum.add(0, a, 32, 32);
        switch (proto) {
            case PROTO_TCP, PROTO_UDP -> updateTransportChecksum(o, l4, avail, proto, removed, added);
            case PROTO_ICMP -> {
                if (avail < 2) return;
                int oldWord = Bytes.u16(o, l4);
                o[l4] = (byte) (icmp6Type >>> 8);
                o[l4 + 1] = (byte) icmp6Type;
                if (avail >= 4) {
                    int csum = Checksum.update(Bytes.u16(o, l4 + 2), oldWord,
                            Bytes.u16(o, l4) + pseudo6(a, 32, datagramLength, PROTO_ICMP6));
                    Bytes.put16(o, l4 + 2, csum);
                }
            }
            default -> { }
        }
    }
}
