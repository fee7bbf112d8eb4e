package dev.siitdc.core.xlat;

import dev.siitdc.core.packet.Bytes;
import dev.siitdc.core.packet.Checksum;
import dev.siitdc.core.packet.IcmpHeader;
import dev.siitdc.core.packet.IpProtocol;
import dev.siitdc.core.packet.Ipv4Header;
import dev.siitdc.core.packet.Ipv6Header;
import dev.siitdc.core.packet.Ipv6HeaderChain;
import dev.siitdc.core.packet.TcpHeader;

import static dev.siitdc.core.xlat.IcmpErrorOrigin.OWN_TTL;
import static dev.siitdc.core.xlat.TransportChecksum.pseudo4;
import static dev.siitdc.core.xlat.TransportChecksum.pseudo6;

/**
 * Packets addressed to the translator itself (own-ipv4-address / own-ipv6-address, the source of
 * the ICMP errors it originates): they are not translated. The address behaves as a host with no
 * open port (RFC 1122 s3.2.2.1, RFC 8200 s4, RFC 9293 s3.10.7.1): echo requests are answered, UDP
 * gets port unreachable, TCP gets a RST, an unknown protocol gets protocol unreachable (IPv4) or
 * Parameter Problem code 1 at the Next Header field (IPv6). Every answer but the echo reply goes
 * through the ICMP error rate limiter; everything is counted.
 */
final class OwnAddress {
    private final Counters counters;
    private final PacketOutput out;
    private final IcmpErrorOrigin errors;
    private final Ipv4Identification ids;
    private final Ipv6HeaderChain chain;
    /** The addresses of an IPv6 RST: own, then the sender's. */
    private final byte[] rstAddrs = new byte[Ipv6Header.ADDRESSES_LENGTH];

    OwnAddress(Counters counters, PacketOutput out, IcmpErrorOrigin errors, Ipv4Identification ids, Ipv6HeaderChain chain) {
        this.counters = counters;
        this.out = out;
        this.errors = errors;
        this.ids = ids;
        this.chain = chain;
    }

    /** True if the IPv4 packet is for own-ipv4-address (then it was handled here). */
    boolean handle4(XlatContext ctx) {
        Settings s = ctx.s;
        // the rare case out of line, so that this check inlines
        return s.config.ownIpv4Address() != null && ctx.len >= Ipv4Header.MIN_LENGTH
                && Ipv4Header.destination(ctx.b, ctx.off) == s.ownIpv4 && toOwn4(ctx, s, ctx.b, ctx.off, ctx.len);
    }

    private boolean toOwn4(XlatContext ctx, Settings s, byte[] b, int off, int len) {
        int ihl = Ipv4Header.headerLength(b, off);
        int tot = Ipv4Header.totalLength(b, off);
        if (Ipv4Header.version(b, off) != Ipv4Header.VERSION || ihl < Ipv4Header.MIN_LENGTH || tot < ihl || tot > len
                || !Checksum.verify(Checksum.add(0, b, off, ihl))) {
            ctx.drop(Counter.DROP46_BAD_HEADER);
            return true;
        }
        boolean fragment = (Ipv4Header.flagsFragmentOffset(b, off) & (Ipv4Header.FLAG_MF | Ipv4Header.FRAGMENT_OFFSET_MASK)) != 0;
        int proto = Ipv4Header.protocol(b, off);
        int l4 = off + ihl;
        int l4len = tot - ihl;
        int src = Ipv4Header.source(b, off);
        // a host does not reassemble here, and never answers a non-unicast source (RFC 1122 s3.2.2)
        if (!fragment && !AddressMapper.isDenied4(src) && proto == IpProtocol.ICMP && l4len >= IcmpHeader.LENGTH
                && IcmpHeader.type(b, l4) == IcmpHeader.ECHO_REQUEST4 && Checksum.verify(Checksum.add(0, b, l4, l4len))) {
            echoReply4(s, b, l4, l4len, src);
            return true;
        }
        ctx.drop(Counter.DROP46_TO_OWN_ADDRESS);
        if (fragment || AddressMapper.isDenied4(src)) return true;
        switch (proto) {
            case IpProtocol.ICMP -> { }                                                           // consumed
            case IpProtocol.UDP -> errors.icmp4(s, b, off, tot, IcmpHeader.DEST_UNREACHABLE4, IcmpHeader.PORT_UNREACHABLE4, 0);
            case IpProtocol.TCP -> {
                if (l4len >= TcpHeader.MIN_LENGTH && (partialChecksum(ctx.offload) || tcpChecksumValid4(b, off, l4, l4len)))
                    reset4(s, b, l4, l4len, src);
            }
            default -> errors.icmp4(s, b, off, tot, IcmpHeader.DEST_UNREACHABLE4, IcmpHeader.PROTOCOL_UNREACHABLE4, 0);
        }
        return true;
    }

    /** RFC 792 Echo Reply, built in place: swap the addresses, type 0. */
    private void echoReply4(Settings s, byte[] b, int l4, int l4len, int src) {
        int ip = l4 - Ipv4Header.MIN_LENGTH;
        Ipv4Header.write(b, ip, 0, Ipv4Header.MIN_LENGTH + l4len, ids.next(), 0, OWN_TTL, IpProtocol.ICMP, s.ownIpv4, src);
        int oldWord = IcmpHeader.typeCode(b, l4);
        b[l4 + IcmpHeader.TYPE] = IcmpHeader.ECHO_REPLY4;
        int csum = Checksum.update(IcmpHeader.checksum(b, l4), oldWord, IcmpHeader.typeCode(b, l4));
        IcmpHeader.checksum(b, l4, Checksum.noPseudoHeader(csum, b, l4, l4len, IcmpHeader.CHECKSUM));
        counters.inc(Counter.ECHO_REPLIES_SENT);
        out.emitOriginated(b, ip, Ipv4Header.MIN_LENGTH + l4len);
    }

    /** The segment came with a partial checksum (NEEDS_CSUM): the sending stack vouches for it, nothing to verify. */
    private static boolean partialChecksum(int offload) {
        return (offload & Translator.OFFLOAD_CSUM_PARTIAL) != 0;
    }

    private static boolean tcpChecksumValid4(byte[] b, int off, int l4, int l4len) {
        return Checksum.verify(Checksum.add(pseudo4(b, off, l4len, IpProtocol.TCP), b, l4, l4len));
    }

    /** The RST of a closed port (RFC 9293 s3.10.7.1), in place of the segment: IPv4 header + 20 bytes. */
    private void reset4(Settings s, byte[] b, int l4, int l4len, int src) {
        int flags = b[l4 + TcpHeader.FLAGS] & 0xff;
        if ((flags & TcpHeader.RST) != 0 || !errors.permit()) return;
        int rst = l4 - Ipv4Header.MIN_LENGTH;
        writeReset(b, l4, l4len, flags);
        Ipv4Header.write(b, rst, 0, Ipv4Header.MIN_LENGTH + TcpHeader.MIN_LENGTH, ids.next(), Ipv4Header.FLAG_DF,
                OWN_TTL, IpProtocol.TCP, s.ownIpv4, src);
        int sum = pseudo4(b, rst, TcpHeader.MIN_LENGTH, IpProtocol.TCP);
        Bytes.put16(b, l4 + TcpHeader.CHECKSUM, Checksum.finish(Checksum.add(sum, b, l4, TcpHeader.MIN_LENGTH)));
        counters.inc(Counter.TCP_RESETS_SENT);
        out.emitOriginated(b, rst, Ipv4Header.MIN_LENGTH + TcpHeader.MIN_LENGTH);
    }

    /**
     * Rewrites the TCP header at l4 into the RST that answers it (checksum left 0): ports swapped; with
     * ACK, SEQ = SEG.ACK; without, SEQ = 0 and ACK = SEG.SEQ + SEG.LEN (SYN and FIN count one each).
     */
    private static void writeReset(byte[] b, int l4, int l4len, int flags) {
        int srcPort = Bytes.u16(b, l4 + TcpHeader.SOURCE_PORT), dstPort = Bytes.u16(b, l4 + TcpHeader.DESTINATION_PORT);
        int seq = Bytes.i32(b, l4 + TcpHeader.SEQUENCE), ack = Bytes.i32(b, l4 + TcpHeader.ACKNOWLEDGMENT);
        int segLen = Math.max(0, l4len - TcpHeader.dataOffset(b, l4))
                + ((flags & TcpHeader.SYN) != 0 ? 1 : 0) + ((flags & TcpHeader.FIN) != 0 ? 1 : 0);
        Bytes.put16(b, l4 + TcpHeader.SOURCE_PORT, dstPort);
        Bytes.put16(b, l4 + TcpHeader.DESTINATION_PORT, srcPort);
        boolean hasAck = (flags & TcpHeader.ACK) != 0;
        Bytes.put32(b, l4 + TcpHeader.SEQUENCE, hasAck ? ack : 0);
        Bytes.put32(b, l4 + TcpHeader.ACKNOWLEDGMENT, hasAck ? 0 : seq + segLen);
        b[l4 + TcpHeader.FLAGS] = (byte) (hasAck ? TcpHeader.RST : TcpHeader.RST | TcpHeader.ACK);
        TcpHeader.dataOffset(b, l4, TcpHeader.MIN_LENGTH);
        Bytes.put16(b, l4 + TcpHeader.WINDOW, 0);
        Bytes.put16(b, l4 + TcpHeader.CHECKSUM, 0);
        Bytes.put16(b, l4 + TcpHeader.URGENT_POINTER, 0);
    }

    /** True if the IPv6 packet is for own-ipv6-address (then it was handled here). */
    boolean handle6(XlatContext ctx) {
        byte[] own = ctx.s.ownIpv6;
        // the rare case out of line, so that this check inlines
        return own != null && ctx.len >= Ipv6Header.LENGTH
                && Bytes.equal(ctx.b, ctx.off + Ipv6Header.DESTINATION, own, 0, Ipv6Header.ADDRESS_LENGTH)
                && toOwn6(ctx, ctx.s, ctx.b, ctx.off, ctx.len);
    }

    private boolean toOwn6(XlatContext ctx, Settings s, byte[] b, int off, int len) {
        int plen = Ipv6Header.payloadLength(b, off);
        if (Ipv6Header.version(b, off) != Ipv6Header.VERSION || Ipv6Header.LENGTH + plen > len) {
            ctx.drop(Counter.DROP64_BAD_HEADER);
            return true;
        }
        int tot = Ipv6Header.LENGTH + plen;
        int end = off + tot;
        int nh = Ipv6Header.nextHeader(b, off);
        int l4 = off + Ipv6Header.LENGTH;
        // never answer a multicast, loopback or unspecified source (RFC 4443 s2.4 e)
        boolean unicastSource = !Ipv6Header.isNonUnicast(b, off + Ipv6Header.SOURCE);
        if (unicastSource && nh == IpProtocol.ICMPV6 && plen >= IcmpHeader.LENGTH
                && IcmpHeader.type(b, l4) == IcmpHeader.ECHO_REQUEST6
                && Checksum.verify(Checksum.add(pseudo6(b, off + Ipv6Header.SOURCE, plen, IpProtocol.ICMPV6), b, l4, plen))) {
            echoReply6(s, b, off, l4, plen);
            return true;
        }
        ctx.drop(Counter.DROP64_TO_OWN_ADDRESS);
        if (!unicastSource) return true;
        int walk = chain.walk(b, off, end);
        if (walk == Ipv6HeaderChain.TOO_LONG) {
            ctx.drop(Counter.DROP64_TOO_MANY_EXTENSION_HEADERS);
            return true;
        }
        if (walk != Ipv6HeaderChain.OK || chain.fragmentHeader() >= 0) return true;   // no reassembly here
        int proto = chain.upperProtocol();
        l4 = chain.upperOffset();
        int l4len = end - l4;
        switch (proto) {
            case IpProtocol.ICMPV6, IpProtocol.NO_NEXT_HEADER -> { }                              // consumed
            case IpProtocol.UDP -> errors.icmp6(s, b, off, tot, IcmpHeader.DEST_UNREACHABLE6, IcmpHeader.PORT_UNREACHABLE6, 0);
            case IpProtocol.TCP -> {
                if (l4len >= TcpHeader.MIN_LENGTH && (partialChecksum(ctx.offload) || Checksum.verify(Checksum.add(
                        pseudo6(b, off + Ipv6Header.SOURCE, l4len, IpProtocol.TCP), b, l4, l4len))))
                    reset6(s, b, off, l4, l4len);
            }
            // RFC 8200 s4: an unrecognized Next Header: Parameter Problem code 1 pointing at the field
            default -> errors.icmp6(s, b, off, tot, IcmpHeader.PARAMETER_PROBLEM6,
                    IcmpHeader.UNRECOGNIZED_NEXT_HEADER6, chain.nextHeaderPointer());
        }
        return true;
    }

    /** RFC 4443 s4.2 Echo Reply, built in place: swap the addresses, type 129. */
    private void echoReply6(Settings s, byte[] b, int off, int l4, int l4len) {
        System.arraycopy(b, off + Ipv6Header.SOURCE, b, off + Ipv6Header.DESTINATION, Ipv6Header.ADDRESS_LENGTH);
        System.arraycopy(s.ownIpv6, 0, b, off + Ipv6Header.SOURCE, Ipv6Header.ADDRESS_LENGTH);
        Ipv6Header.versionClassFlow(b, off, 0);
        Ipv6Header.hopLimit(b, off, OWN_TTL);
        int oldWord = IcmpHeader.typeCode(b, l4);
        b[l4 + IcmpHeader.TYPE] = (byte) IcmpHeader.ECHO_REPLY6;
        // the pseudo-header holds the same two addresses, swapped: only the type changed
        IcmpHeader.checksum(b, l4, Checksum.update(IcmpHeader.checksum(b, l4), oldWord, IcmpHeader.typeCode(b, l4)));
        counters.inc(Counter.ECHO_REPLIES_SENT);
        out.emitOriginated(b, off, l4len + Ipv6Header.LENGTH);
    }

    /** The RST of a closed port (RFC 9293 s3.10.7.1): a plain IPv6 header + 20 bytes, in front of l4. */
    private void reset6(Settings s, byte[] b, int off, int l4, int l4len) {
        int flags = b[l4 + TcpHeader.FLAGS] & 0xff;
        if ((flags & TcpHeader.RST) != 0 || !errors.permit()) return;
        int rst = l4 - Ipv6Header.LENGTH;
        writeReset(b, l4, l4len, flags);
        byte[] a = rstAddrs;
        System.arraycopy(s.ownIpv6, 0, a, 0, Ipv6Header.ADDRESS_LENGTH);
        System.arraycopy(b, off + Ipv6Header.SOURCE, a, Ipv6Header.ADDRESS_LENGTH, Ipv6Header.ADDRESS_LENGTH);
        Ipv6Header.versionClassFlow(b, rst, 0);
        Ipv6Header.payloadLength(b, rst, TcpHeader.MIN_LENGTH);
        Ipv6Header.nextHeader(b, rst, IpProtocol.TCP);
        Ipv6Header.hopLimit(b, rst, OWN_TTL);
        Ipv6Header.addresses(b, rst, a, 0);
        int sum = pseudo6(a, 0, TcpHeader.MIN_LENGTH, IpProtocol.TCP);
        Bytes.put16(b, l4 + TcpHeader.CHECKSUM, Checksum.finish(Checksum.add(sum, b, l4, TcpHeader.MIN_LENGTH)));
        counters.inc(Counter.TCP_RESETS_SENT);
        out.emitOriginated(b, rst, Ipv6Header.LENGTH + TcpHeader.MIN_LENGTH);
    }
}
