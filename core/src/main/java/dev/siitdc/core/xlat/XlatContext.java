package dev.siitdc.core.xlat;

import dev.siitdc.core.packet.IcmpHeader;
import dev.siitdc.core.packet.IpProtocol;
import dev.siitdc.core.packet.Ipv6Header;
import dev.siitdc.core.packet.TcpHeader;
import dev.siitdc.core.packet.UdpHeader;

/**
 * The one context of a packet being translated (RFC 7915 s4 / s5): where its bytes are, what the
 * parse step found, the mapped addresses, where the translation is written, and the drop. The
 * translator owns one instance per direction for the packet and one for the packet quoted in an
 * ICMP error ({@link #inner}); each is reset by {@code begin} and never escapes, so nothing is
 * allocated per packet.
 */
final class XlatContext {
    final Counters counters;
    /** The packet quoted in an ICMP error (RFC 7915 s4.3, s5.3): bytes may be missing, no errors sent. */
    final boolean inner;
    /** Mapped IPv6 addresses (4->6: source, destination written; 6->4: read), 32 bytes. */
    final byte[] addr6 = new byte[Ipv6Header.ADDRESSES_LENGTH];

    XlatContext(Counters counters, boolean inner) {
        this.counters = counters;
        this.inner = inner;
    }

    /** The configuration snapshot of this packet. */
    Settings s;
    /** OFFLOAD_ flags of the packet (0 for a quoted packet). */
    int offload;
    /** RFC 7757 s4.2 second pass of a hairpinned packet (4->6), or the packet will be hairpinned (6->4). */
    boolean hairpin;
    /** The packet is an ICMP error: never answered with an error (RFC 1812 s4.3.2.7, RFC 4443 s2.4 e). */
    boolean carriesError;

    // --- the packet as received: buf[off, off+len) with its headers parsed
    byte[] b;
    int off;
    /** Bytes of the packet present (for a quoted packet, maybe fewer than the header says). */
    int len;
    /** Offset of the transport (upper-layer) header. */
    int l4;
    /** Transport bytes the header says (IPv4 Total Length - IHL; IPv6 Payload Length - extension headers). */
    int l4len;
    /** Transport bytes present in the buffer. */
    int l4avail;
    /** Protocol / upper-layer Next Header. */
    int proto;
    int trafficClass;
    /** TTL or Hop Limit as received. */
    int ttl;
    /** Fragment offset in bytes, and M. */
    int fragOffset;
    boolean mf;
    boolean df;
    /** IPv4 Identification, or the low 16 bits of the IPv6 Fragment header's. */
    int id;
    /** 6->4: offset of the Fragment header, or -1. */
    int fragHeader;
    /** 6->4: pointer to a non-zero Segments Left, or -1. */
    int segmentsLeftPointer;
    /** IPv4 addresses: 4->6 as received, 6->4 as mapped. */
    int src4;
    int dst4;
    /** 6->4: whether the destination came from pool6. */
    boolean dstFromPool6;
    /** Sum of the addresses replaced (RFC 1624 "m"), for the transport checksum. */
    int removedSum;
    /** 6->4: the IPv6 pseudo-header sum of an ICMPv6 message, which ICMPv4 does not have. */
    int icmpPseudoSum;

    // --- the translation
    /** Translated ICMP informational type << 8 | code. */
    int icmpTypeCode;
    /** amend-udp-checksum-zero: the UDP checksum is computed (RFC 7915 s4.5). */
    boolean computeUdp;
    /** 4->6: a Fragment header goes in front of the transport header. */
    boolean fragmentHeader;
    /** Too big for the next hop: fragmented after translation (DF=0), to fit {@link #mtu}. */
    boolean split;
    int mtu;
    /** The translated hop limit / TTL. */
    int hopLimit;
    byte[] out;
    /** Offset of the translated header in {@link #out}; the transport header is at {@link #outL4}. */
    int outOff;
    int outL4;

    /** Starts a packet. */
    void begin(Settings s, int offload, byte[] b, int off, int len, boolean hairpin) {
        this.s = s;
        this.offload = offload;
        this.hairpin = hairpin;
        carriesError = computeUdp = fragmentHeader = split = false;
        icmpTypeCode = 0;
        this.b = b;
        this.off = off;
        this.len = len;
    }

    /** The first fragment, or no fragment: the transport header is present. */
    boolean first() { return fragOffset == 0; }

    boolean fragmented() { return mf || fragOffset != 0; }

    /**
     * An ICMP message can be translated only whole: not a fragment (RFC 7915 s1.2: the ICMPv6
     * checksum of a fragment cannot be computed statelessly) and with its 8-byte header.
     */
    boolean wholeIcmp(Counter fragmented, Counter truncated) {
        if (mf || fragOffset != 0) return drop(fragmented);
        return l4len >= IcmpHeader.LENGTH || drop(truncated);
    }

    /** The first fragment's TCP header (with its options) or UDP header is cut (RFC 9293 s3.1, RFC 768). */
    boolean transportTruncated() {
        if (fragOffset != 0) return false;
        if (proto == IpProtocol.TCP) return l4len < TcpHeader.MIN_LENGTH || TcpHeader.dataOffset(b, l4) > l4len;
        return proto == IpProtocol.UDP && l4len < UdpHeader.LENGTH;
    }

    /**
     * RFC 7915 s4.2 / s5.2: the translated type and code of an informational message (Echo Request
     * and Reply), or {@link IcmpMaps#DROP}: then the packet is dropped as {@code untranslatable}.
     */
    boolean icmpInformational(int mapped, Counter untranslatable) {
        if (mapped == IcmpMaps.DROP) return drop(untranslatable);
        icmpTypeCode = mapped;
        return true;
    }

    /**
     * The quoted packet goes into the error being built at out[outL4]: its TTL / Hop Limit as the
     * router that sent the error saw it (not decremented), its transport bytes as many as there are.
     */
    void quoteInto(byte[] out, int outL4) {
        this.out = out;
        this.outL4 = outL4;
        hopLimit = ttl;
        System.arraycopy(b, l4, out, outL4, l4avail);
    }

    /** Counts the packet as dropped for {@code why}; false, so a step reads {@code return ctx.drop(...)}. */
    boolean drop(Counter why) {
        counters.inc(why);
        return false;
    }
}
