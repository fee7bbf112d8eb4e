package dev.siitdc.core.xlat;

import dev.siitdc.core.packet.Bytes;
import dev.siitdc.core.packet.Checksum;
import dev.siitdc.core.packet.IpProtocol;
import dev.siitdc.core.packet.Ipv4Header;
import dev.siitdc.core.packet.Ipv6Header;
import dev.siitdc.core.packet.TcpHeader;
import dev.siitdc.core.packet.UdpHeader;

/** TCP and UDP checksums across the translation (RFC 7915 s4.5, s5.5; RFC 1624 updates). */
final class TransportChecksum {
    private TransportChecksum() {}

    static boolean isTcpOrUdp(int proto) { return proto == IpProtocol.TCP || proto == IpProtocol.UDP; }

    /** Offset of the checksum field in a TCP or UDP header. */
    static int field(int proto) { return proto == IpProtocol.TCP ? TcpHeader.CHECKSUM : UdpHeader.CHECKSUM; }

    /**
     * TCP or UDP checksum after the addresses changed (RFC 1624), if the field lies within the
     * {@code avail} bytes present (a quoted packet may be truncated). A zero UDP checksum stays zero
     * (forward-udp-checksum-zero); an updated one of zero is sent as 0xffff (RFC 768).
     */
    static void update(byte[] b, int l4, int avail, int proto, int removed, int added) {
        if (proto == IpProtocol.TCP) {
            int at = l4 + TcpHeader.CHECKSUM;
            if (avail >= TcpHeader.CHECKSUM_END) Bytes.put16(b, at, Checksum.update(Bytes.u16(b, at), removed, added));
        } else if (proto == IpProtocol.UDP && avail >= UdpHeader.LENGTH) {
            int at = l4 + UdpHeader.CHECKSUM;
            int old = Bytes.u16(b, at);
            if (old != 0) {
                int csum = Checksum.update(old, removed, added);
                Bytes.put16(b, at, csum == 0 ? 0xffff : csum);
            }
        }
    }

    /**
     * A partial (NEEDS_CSUM) TCP/UDP checksum of the packet of {@code ctx} holds the pseudo-header sum:
     * updated as such, at ctx.out[ctx.outL4]. False if the packet has no partial checksum.
     */
    static boolean updatePartial(XlatContext ctx, int removed, int added) {
        if ((ctx.offload & Translator.OFFLOAD_CSUM_PARTIAL) == 0 || !isTcpOrUdp(ctx.proto)) return false;
        int at = ctx.outL4 + field(ctx.proto);
        Bytes.put16(ctx.out, at, Checksum.updatePartial(Bytes.u16(ctx.out, at), removed, added));
        return true;
    }

    /**
     * A partial (NEEDS_CSUM) TCP/UDP checksum the translator must finish itself, because it splits
     * the packet into fragments that no device can checksum: the field holds the pseudo-header sum,
     * so the sum over the transport bytes as they are is the whole sum.
     */
    static void completePartial(int offload, byte[] b, int l4, int l4len, int proto) {
        if ((offload & Translator.OFFLOAD_CSUM_PARTIAL) == 0 || !isTcpOrUdp(proto)) return;
        int csum = Checksum.finish(Checksum.add(0, b, l4, l4len));
        Bytes.put16(b, l4 + field(proto), proto == IpProtocol.UDP && csum == 0 ? 0xffff : csum);
    }

    /** Sum of the IPv4 pseudo-header (RFC 793 s3.1, RFC 768) of the IPv4 header at b[ip], for {@code length} bytes. */
    static int pseudo4(byte[] b, int ip, int length, int protocol) {
        return Checksum.add(0, b, ip + Ipv4Header.SOURCE, Ipv4Header.ADDRESSES_LENGTH) + protocol + length;
    }

    /** Sum of the IPv6 pseudo-header (RFC 8200 s8.1) over addresses at a[off..off+32). */
    static int pseudo6(byte[] a, int off, int length, int nextHeader) {
        int sum = Checksum.addIpv6Addresses(a, off);
        return sum + (length >>> 16) + (length & 0xffff) + nextHeader;
    }
}
