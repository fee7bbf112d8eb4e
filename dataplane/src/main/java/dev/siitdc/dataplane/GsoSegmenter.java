package dev.siitdc.dataplane;

import dev.siitdc.core.config.TranslatorConfig;
import dev.siitdc.core.packet.Bytes;
import dev.siitdc.core.packet.Checksum;
import dev.siitdc.core.xlat.Translator;

/**
 * The MTU rule of RFC 7915 s4 for IPv4 GSO super-packets (RFC 7756 s4.1: the IPv6 path MTU is
 * raised on purpose, and lowest-ipv6-mtu is what the translator may count on): a segment with DF=0
 * must leave as if it had been translated alone, so no IPv6 packet exceeds
 * min(lowest-ipv6-mtu, ipv6-mtu).
 * <ul>
 *   <li>TCP: the translated super-packet's gso_size shrinks to fit {@link #ipv6Limit} (no
 *       segmentation here; {@link VirtioNetHeader#writeFor} does it);</li>
 *   <li>UDP, whose gso_size is the datagram boundary: if one translated datagram does not fit, and
 *       with atomic-fragments (a Fragment header on every segment), the relay segments the
 *       super-packet itself and translates each segment alone, which fragments it.</li>
 * </ul>
 * One instance per worker; nothing allocated per packet.
 */
final class GsoSegmenter {
    /** Receives each segment, a plain IPv4 packet at b[off, off+len) with HEADROOM in front. */
    interface SegmentSink {
        void segment(byte[] b, int off, int len);
    }

    private static final int TCP = 6;
    private static final int UDP = 17;
    private static final int TCP_FIN = 0x01, TCP_PSH = 0x08, TCP_CWR = 0x80;
    private static final int IPV4_DF = 0x4000;

    private final byte[] seg = new byte[Translator.HEADROOM + 0xffff + 64];

    /**
     * The most bytes one translated IPv6 packet of the IPv4 packet at b[off] may have: ipv6-mtu when it
     * has DF (the sender does PMTUD), min(lowest-ipv6-mtu, ipv6-mtu) when it has not (RFC 7915 s4).
     */
    static int ipv6Limit(byte[] b, int off, int len, TranslatorConfig c) {
        boolean v4 = len >= 20 && (b[off] & 0xf0) == 0x40;
        boolean df = !v4 || (Bytes.u16(b, off + 6) & IPV4_DF) != 0;
        return df ? c.ipv6Mtu() : Math.min(c.lowestIpv6Mtu(), c.ipv6Mtu());
    }

    /**
     * Whether the IPv4 super-packet at b[off, off+len) must be segmented before translation: UDP with
     * DF=0 whose translated datagrams (40 + 8 + gso_size) exceed the limit, or any DF=0 super-packet
     * when atomic-fragments is on.
     */
    static boolean needed(byte[] b, int off, int len, int gsoType, int gsoSize, TranslatorConfig c) {
        if (gsoType == VirtioNetHeader.GSO_NONE || len < 20 || (b[off] & 0xf0) != 0x40) return false;
        if ((Bytes.u16(b, off + 6) & IPV4_DF) != 0) return false;
        if (c.atomicFragments()) return true;
        int proto = b[off + 9] & 0xff;
        return proto == UDP && 40 + 8 + gsoSize > ipv6Limit(b, off, len, c);
    }

    /**
     * Splits the IPv4 TCP or UDP super-packet at b[off, off+len) into segments of gso_size payload
     * bytes, as the kernel's GSO would (TCP: sequence numbers advance, FIN and PSH on the last segment,
     * CWR on the first; IPv4 Identification + 1 per segment; checksums complete), and hands each to
     * {@code sink}.
     *
     * @return the number of segments, or -1 if the super-packet is malformed (nothing was handed on)
     */
    int segment(byte[] b, int off, int len, int gsoSize, SegmentSink sink) {
        if (len < 20) return -1;
        int ihl = (b[off] & 0xf) << 2;
        int tot = Bytes.u16(b, off + 2);
        int proto = b[off + 9] & 0xff;
        if (ihl < 20 || tot > len || tot < ihl + 8 || gsoSize <= 0) return -1;
        int l4 = off + ihl;
        int thl = proto == TCP ? (b[l4 + 12] & 0xf0) >>> 2 : proto == UDP ? 8 : -1;
        if (thl < 8 || (proto == TCP && thl < 20) || ihl + thl > tot) return -1;
        int hdr = ihl + thl;
        int payload = tot - hdr;
        int id = Bytes.u16(b, off + 4);
        long seq = Bytes.u32(b, l4 + 4);
        int tcpFlags = proto == TCP ? b[l4 + 13] & 0xff : 0;
        int q = Translator.HEADROOM;
        int n = 0;
        for (int pos = 0; n == 0 || pos < payload; n++) {
            int chunk = Math.min(gsoSize, payload - pos);
            boolean last = pos + chunk >= payload;
            int segLen = hdr + chunk;
            System.arraycopy(b, off, seg, q, hdr);
            System.arraycopy(b, off + hdr + pos, seg, q + hdr, chunk);
            Bytes.put16(seg, q + 2, segLen);
            Bytes.put16(seg, q + 4, id + n);
            Bytes.put16(seg, q + 10, 0);
            Bytes.put16(seg, q + 10, Checksum.ipv4Header(seg, q, ihl));
            int s4 = q + ihl;
            int csumAt;
            if (proto == TCP) {
                Bytes.put32(seg, s4 + 4, (int) (seq + pos));
                int f = tcpFlags;
                if (!last) f &= ~(TCP_FIN | TCP_PSH);
                if (n > 0) f &= ~TCP_CWR;
                seg[s4 + 13] = (byte) f;
                csumAt = s4 + 16;
            } else {
                Bytes.put16(seg, s4 + 4, 8 + chunk);
                csumAt = s4 + 6;
            }
            Bytes.put16(seg, csumAt, 0);
            int sum = Checksum.add(0, seg, q + 12, 8) + proto + thl + chunk;
            int csum = Checksum.finish(Checksum.add(sum, seg, s4, thl + chunk));
            Bytes.put16(seg, csumAt, proto == UDP && csum == 0 ? 0xffff : csum);
            sink.segment(seg, q, segLen);
            pos += chunk;
        }
        return n;
    }
}
