package dev.siitdc.lab;

import dev.siitdc.daemon.pcap.PacketSummary;
import dev.siitdc.core.addr.Ipv4Prefix;
import dev.siitdc.core.addr.Ipv6Prefix;

/**
 * The fields of a captured IP packet that the lab's checks look at (the capture may have cut it: the
 * lengths come from the IP header).
 *
 * @param version       4 or 6
 * @param src           source address, RFC 5952 text for IPv6
 * @param dst           destination address
 * @param proto         transport protocol after the extension headers (6 TCP, 17 UDP, 1 / 58 ICMP)
 * @param srcPort       TCP / UDP source port, or -1 (also for a non-first fragment)
 * @param dstPort       TCP / UDP destination port, or -1
 * @param icmpType      ICMP / ICMPv6 type, or -1
 * @param fragmentHeader IPv6 packet with a Fragment Header
 * @param ipv4Fragment  IPv4 packet with MF or a non-zero offset
 * @param df            IPv4 Don't Fragment
 * @param length        IP total length (IPv4 Total Length, 40 + IPv6 Payload Length)
 * @param summary       a tcpdump-like line
 */
public record CapturedPacket(int version, String src, String dst, int proto, int srcPort, int dstPort, int icmpType,
                  boolean fragmentHeader, boolean ipv4Fragment, boolean df, int length, String summary) {

    static CapturedPacket parse(byte[] b, int off, int len, int originalLength) {
        String summary = PacketSummary.describe(b, off, len);
        int version = len > 0 ? (b[off] & 0xff) >>> 4 : 0;
        if (version == 4 && len >= 20) {
            int ihl = (b[off] & 0x0f) * 4;
            int total = u16(b, off + 2);
            int frag = u16(b, off + 6);
            boolean df = (frag & 0x4000) != 0;
            boolean fragment = (frag & 0x2000) != 0 || (frag & 0x1fff) != 0;
            int proto = b[off + 9] & 0xff;
            String src = Ipv4Prefix.format(Ipv4Prefix.read(b, off + 12));
            String dst = Ipv4Prefix.format(Ipv4Prefix.read(b, off + 16));
            boolean first = (frag & 0x1fff) == 0;
            int q = off + ihl;
            return transport(4, src, dst, proto, first, b, q, off + len, false, fragment, df, total, summary);
        }
        if (version == 6 && len >= 40) {
            String src = Ipv6Prefix.format(Ipv6Prefix.readHi(b, off + 8), Ipv6Prefix.readLo(b, off + 8));
            String dst = Ipv6Prefix.format(Ipv6Prefix.readHi(b, off + 24), Ipv6Prefix.readLo(b, off + 24));
            int total = 40 + u16(b, off + 4);
            int nh = b[off + 6] & 0xff;
            int q = off + 40;
            boolean fh = false, first = true;
            while ((nh == 0 || nh == 43 || nh == 44 || nh == 60 || nh == 51) && q + 8 <= off + len) {
                int next = b[q] & 0xff;
                if (nh == 44) {
                    fh = true;
                    first = (u16(b, q + 2) >>> 3) == 0;
                    q += 8;
                } else {
                    q += nh == 51 ? ((b[q + 1] & 0xff) + 2) * 4 : ((b[q + 1] & 0xff) + 1) * 8;
                }
                nh = next;
            }
            return transport(6, src, dst, nh, first, b, q, off + len, fh, false, false, total, summary);
        }
        return new CapturedPacket(version, "?", "?", -1, -1, -1, -1, false, false, false, originalLength, summary);
    }

    private static CapturedPacket transport(int v, String src, String dst, int proto, boolean first, byte[] b, int q, int end,
                                 boolean fh, boolean frag4, boolean df, int total, String summary) {
        int sp = -1, dp = -1, type = -1;
        if (first && (proto == 6 || proto == 17) && q + 4 <= end) {
            sp = u16(b, q);
            dp = u16(b, q + 2);
        } else if (first && (proto == 1 || proto == 58) && q + 1 <= end) {
            type = b[q] & 0xff;
        }
        return new CapturedPacket(v, src, dst, proto, sp, dp, type, fh, frag4, df, total, summary);
    }

    private static int u16(byte[] b, int i) {
        return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
    }

    public boolean isUdp() {
        return proto == 17;
    }

    public boolean isTcp() {
        return proto == 6;
    }

    /** Either end uses {@code port}. */
    public boolean port(int port) {
        return srcPort == port || dstPort == port;
    }

    /** "198.51.100.10 -> 198.51.100.20" */
    public String addresses() {
        return src + " -> " + dst;
    }

    @Override
    public String toString() {
        return summary;
    }
}
