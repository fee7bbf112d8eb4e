package dev.siitdc.core.testutil;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A parsed, read-only view of one raw IPv4 or IPv6 packet, for assertions: every field by name.
 * Lenient: a truncated packet (such as the one quoted by an ICMP error) parses as far as its bytes
 * go, and fields past the end stay -1. Addresses are text: dotted quad, or RFC 5952 for IPv6.
 */
public final class PacketView {
    public final byte[] bytes;
    public final int length;
    public final int version;
    public final String src, dst;
    /** IPv4 TTL, or IPv6 Hop Limit (both names hold the same value). */
    public final int ttl, hopLimit;
    /** IPv4 TOS, or IPv6 Traffic Class (both names hold the same value). */
    public final int tos, trafficClass;

    // IPv4
    /** IHL in 32-bit words. */
    public final int ihl;
    public final int totalLength, id, headerChecksum;
    public final boolean df;
    public final byte[] options;

    // IPv6
    public final int flowLabel, payloadLength, nextHeader;
    /** Types of the extension headers, in order (Fragment included). */
    public final List<Integer> extHeaders;
    public final boolean hasFragmentHeader;
    public final long fragId;

    // fragmentation, both families (the Fragment header's for IPv6)
    public final boolean mf;
    /** Fragment offset in bytes. */
    public final int fragOffset;

    // transport
    /** Upper-layer protocol: IPv4 Protocol, or the last Next Header of IPv6. */
    public final int protocol;
    /** Offset and length of the upper-layer bytes present (bounded by the length fields and the array). */
    public final int l4Offset, l4Length;
    /** Upper-layer length the IP header announces (may exceed {@link #l4Length} in a truncated quote). */
    public final int l4DeclaredLength;
    public final int sport, dport;
    /** TCP, UDP or ICMP checksum field, -1 when absent. */
    public final int l4Checksum;
    public final int tcpDataOffset, udpLength;
    public final int icmpType, icmpCode;
    public final long icmpRest;

    private PacketView(byte[] b) {
        bytes = b;
        length = b.length;
        int v = b.length > 0 ? (b[0] & 0xff) >>> 4 : -1;
        version = v;
        int l4off, l4end, proto;
        List<Integer> exts = new ArrayList<>();
        boolean fh = false, more = false;
        long fid = -1;
        int foff = 0;
        if (v == 4 && b.length >= 20) {
            ihl = b[0] & 0xf;
            tos = trafficClass = b[1] & 0xff;
            totalLength = u16(b, 2);
            id = u16(b, 4);
            int flags = u16(b, 6);
            df = (flags & 0x4000) != 0;
            more = (flags & 0x2000) != 0;
            foff = (flags & 0x1fff) * 8;
            ttl = hopLimit = b[8] & 0xff;
            proto = b[9] & 0xff;
            headerChecksum = u16(b, 10);
            src = format(Arrays.copyOfRange(b, 12, 16));
            dst = format(Arrays.copyOfRange(b, 16, 20));
            options = Arrays.copyOfRange(b, 20, Math.min(b.length, Math.max(20, ihl * 4)));
            l4off = Math.min(b.length, ihl * 4);
            l4end = Math.min(b.length, Math.max(l4off, totalLength));
            flowLabel = payloadLength = nextHeader = -1;
            l4DeclaredLength = totalLength - ihl * 4;
        } else if (v == 6 && b.length >= 40) {
            tos = trafficClass = (int) ((u32(b, 0) >>> 20) & 0xff);
            flowLabel = (int) (u32(b, 0) & 0xfffff);
            payloadLength = u16(b, 4);
            nextHeader = b[6] & 0xff;
            ttl = hopLimit = b[7] & 0xff;
            src = format(Arrays.copyOfRange(b, 8, 24));
            dst = format(Arrays.copyOfRange(b, 24, 40));
            int end = Math.min(b.length, 40 + payloadLength);
            int nh = nextHeader, p = 40;
            while (p + 8 <= end && (nh == Pkt.HOP_BY_HOP || nh == Pkt.ROUTING || nh == Pkt.DEST_OPTIONS || nh == Pkt.FRAGMENT)) {
                exts.add(nh);
                if (nh == Pkt.FRAGMENT) {
                    fh = true;
                    foff = u16(b, p + 2) & 0xfff8;
                    more = (u16(b, p + 2) & 1) != 0;
                    fid = u32(b, p + 4);
                    nh = b[p] & 0xff;
                    p += 8;
                    if (foff != 0) break;
                } else {
                    int hl = ((b[p + 1] & 0xff) + 1) * 8;
                    nh = b[p] & 0xff;
                    p += hl;
                }
            }
            proto = nh;
            l4off = Math.min(p, end);
            l4end = end;
            l4DeclaredLength = 40 + payloadLength - p;
            ihl = totalLength = id = headerChecksum = -1;
            df = false;
            options = new byte[0];
        } else {
            throw new IllegalArgumentException("not an IP packet: " + length + " bytes, version " + v);
        }
        extHeaders = List.copyOf(exts);
        hasFragmentHeader = fh;
        fragId = fid;
        mf = more;
        fragOffset = foff;
        protocol = proto;
        l4Offset = l4off;
        l4Length = Math.max(0, l4end - l4off);

        boolean first = foff == 0;
        int n = l4Length, o = l4off;
        sport = first && n >= 2 && (proto == Pkt.TCP || proto == Pkt.UDP) ? u16(b, o) : -1;
        dport = first && n >= 4 && (proto == Pkt.TCP || proto == Pkt.UDP) ? u16(b, o + 2) : -1;
        tcpDataOffset = first && proto == Pkt.TCP && n >= 13 ? (b[o + 12] & 0xff) >>> 4 : -1;
        udpLength = first && proto == Pkt.UDP && n >= 6 ? u16(b, o + 4) : -1;
        int csumAt = !first ? -1 : switch (proto) {
            case Pkt.TCP -> 16;
            case Pkt.UDP -> 6;
            case Pkt.ICMP, Pkt.ICMP6 -> 2;
            default -> -1;
        };
        l4Checksum = csumAt >= 0 && n >= csumAt + 2 ? u16(b, o + csumAt) : -1;
        boolean isIcmp = first && (proto == Pkt.ICMP && v == 4 || proto == Pkt.ICMP6 && v == 6);
        icmpType = isIcmp && n >= 1 ? b[o] & 0xff : -1;
        icmpCode = isIcmp && n >= 2 ? b[o + 1] & 0xff : -1;
        icmpRest = isIcmp && n >= 8 ? u32(b, o + 4) : -1;
    }

    public static PacketView of(byte[] packet) { return new PacketView(packet.clone()); }

    public boolean isIcmp() { return icmpType >= 0; }

    /** Next-hop MTU of ICMPv4 3/4 (bytes 6-7) or ICMPv6 Packet Too Big (bytes 4-7). */
    public long mtu() { return version == 4 ? icmpRest & 0xffff : icmpRest; }

    /** Parameter Problem pointer: ICMPv4 byte 4, ICMPv6 bytes 4-7. */
    public long pointer() { return version == 4 ? icmpRest >>> 24 : icmpRest; }

    /** RFC 4884 length attribute, in its own unit (ICMPv4 byte 5: 32-bit words; ICMPv6 byte 4: 64-bit words). */
    public int lengthAttribute() { return (int) (version == 4 ? (icmpRest >>> 16) & 0xff : icmpRest >>> 24); }

    /** RFC 4884 original-datagram length in bytes (0: no extension). */
    public int originalDatagramLength() { return lengthAttribute() * (version == 4 ? 4 : 8); }

    /** The ICMP message body after its 8-byte header: the quoted packet (and extension, if any). */
    public byte[] icmpBody() {
        return Arrays.copyOfRange(bytes, l4Offset + 8, l4Offset + Math.max(8, l4Length));
    }

    /** The packet quoted by an ICMP error, parsed (the original-datagram field only if RFC 4884 says so). */
    public PacketView inner() {
        byte[] body = icmpBody();
        int n = originalDatagramLength();
        return new PacketView(n > 0 && n <= body.length ? Arrays.copyOf(body, n) : body);
    }

    /** RFC 4884 extension structure bytes (after the original datagram), or an empty array. */
    public byte[] extension() {
        byte[] body = icmpBody();
        int n = originalDatagramLength();
        return n > 0 && n < body.length ? Arrays.copyOfRange(body, n, body.length) : new byte[0];
    }

    /** The transport payload after the TCP/UDP/ICMP header (bytes present). */
    public byte[] l4Payload() {
        int h = switch (protocol) {
            case Pkt.TCP -> tcpDataOffset * 4;
            case Pkt.UDP, Pkt.ICMP, Pkt.ICMP6 -> 8;
            default -> 0;
        };
        if (fragOffset != 0) h = 0;
        return Arrays.copyOfRange(bytes, Math.min(l4Offset + h, l4Offset + l4Length), l4Offset + l4Length);
    }

    /** The upper-layer bytes present. */
    public byte[] l4() { return Arrays.copyOfRange(bytes, l4Offset, l4Offset + l4Length); }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        if (version == 4) {
            s.append("IPv4 ").append(src).append(" > ").append(dst).append(" len=").append(totalLength)
                    .append(" ttl=").append(ttl).append(" tos=").append(tos).append(" id=").append(id)
                    .append(df ? " DF" : "").append(mf ? " MF" : "").append(" off=").append(fragOffset)
                    .append(" proto=").append(protocol);
        } else {
            s.append("IPv6 ").append(src).append(" > ").append(dst).append(" plen=").append(payloadLength)
                    .append(" hlim=").append(hopLimit).append(" tc=").append(trafficClass).append(" fl=").append(flowLabel)
                    .append(" ext=").append(extHeaders);
            if (hasFragmentHeader) s.append(" frag(id=").append(fragId).append(" off=").append(fragOffset)
                    .append(mf ? " M" : "").append(')');
            s.append(" proto=").append(protocol);
        }
        if (isIcmp()) s.append(" icmp ").append(icmpType).append('/').append(icmpCode).append(" rest=").append(Long.toHexString(icmpRest));
        else if (sport >= 0) s.append(" ports ").append(sport).append('>').append(dport);
        return s.append(" [").append(length).append(" bytes]").toString();
    }

    /** Dotted quad, or RFC 5952 canonical IPv6 text. */
    public static String format(byte[] a) {
        if (a.length == 4) return (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + "." + (a[3] & 0xff);
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) g[i] = u16(a, 2 * i);
        int bestAt = -1, bestLen = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && g[j] == 0) j++;
            if (j - i > bestLen) { bestAt = i; bestLen = j - i; }
            i = j == i ? i + 1 : j;
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestAt) { s.append("::"); i += bestLen - 1; continue; }
            if (s.length() > 0 && s.charAt(s.length() - 1) != ':') s.append(':');
            s.append(Integer.toHexString(g[i]));
        }
        return s.toString();
    }

    /** Canonical text of any address literal (so tests can compare with their own spelling). */
    public static String canonical(String address) {
        return format(address.contains(":") ? Pkt.addr6(address) : Pkt.addr4(address));
    }

    private static int u16(byte[] b, int i) { return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff); }

    private static long u32(byte[] b, int i) { return ((long) u16(b, i) << 16) | u16(b, i + 2); }
}
