package dev.siitdc.core.xlat;

import dev.siitdc.core.packet.Bytes;
import dev.siitdc.core.packet.Checksum;
import dev.siitdc.core.packet.Ipv6HeaderChain;

import static dev.siitdc.core.xlat.Translator.*;

/**
 * Packets addressed to the translator itself (own-ipv4-address / own-ipv6-address, the source of
 * the ICMP errors it originates): they are not translated. The address behaves as a host with no
 * open port (RFC 1122 s3.2.2.1, RFC 8200 s4, RFC 9293 s3.10.7.1): echo requests are answered, UDP
 * gets port unreachable, TCP gets a RST, an unknown protocol gets protocol unreachable (IPv4) or
 * Parameter Problem code 1 at the Next Header field (IPv6). Every answer but the echo reply goes
 * through the ICMP error rate limiter; everything is counted.
 */
final class OwnAddress {
    private static final int TCP_HEADER = 20;
    private static final int TCP_FLAGS = 13;
    /** RFC 8200 s4.7: nothing follows. */
    private static final int NH_NO_NEXT_HEADER = 59;
    private static final int TCP_FIN = 0x01, TCP_SYN = 0x02, TCP_RST = 0x04, TCP_ACK = 0x10;

    private final Translator t;

    OwnAddress(Translator t) { this.t = t; }

    /** True if the IPv4 packet is for own-ipv4-address (then it was handled here). */
    boolean handle4(byte[] b, int off, int len) {
        Settings s = t.s;
        if (s.config.ownIpv4Address() == null || len < 20 || Bytes.i32(b, off + 16) != s.ownIpv4) return false;
        Counters c = t.counters;
        int ihl = (b[off] & 0xf) << 2;
        int tot = Bytes.u16(b, off + 2);
        if ((b[off] & 0xf0) != 0x40 || ihl < 20 || tot < ihl || tot > len
                || !Checksum.verify(Checksum.add(0, b, off, ihl))) {
            c.inc(Counter.DROP46_BAD_HEADER);
            return true;
        }
        boolean fragment = (Bytes.u16(b, off + 6) & 0x3fff) != 0;
        int proto = b[off + 9] & 0xff;
        int l4 = off + ihl;
        int l4len = tot - ihl;
        int src = Bytes.i32(b, off + 12);
        // a host does not reassemble here, and never answers a non-unicast source (RFC 1122 s3.2.2)
        if (!fragment && !isDenied4(src) && proto == PROTO_ICMP && l4len >= 8 && b[l4] == 8
                && Checksum.verify(Checksum.add(0, b, l4, l4len))) {
            echoReply4(b, l4, l4len, src);
            return true;
        }
        c.inc(Counter.DROP46_TO_OWN_ADDRESS);
        if (fragment || isDenied4(src)) return true;
        switch (proto) {
            case PROTO_ICMP -> { }                                                       // consumed
            case PROTO_UDP -> t.icmp4Error(b, off, tot, 3, 3, 0);                       // port unreachable
            case PROTO_TCP -> {
                if (l4len >= TCP_HEADER && (partialChecksum() || tcpChecksumValid4(b, off, l4, l4len))) reset4(b, l4, l4len, src);
            }
            default -> t.icmp4Error(b, off, tot, 3, 2, 0);                              // protocol unreachable
        }
        return true;
    }

    /** RFC 792 Echo Reply, built in place: swap the addresses, type 0. */
    private void echoReply4(byte[] b, int l4, int l4len, int src) {
        Settings s = t.s;
        Xlat64.writeHeader(b, l4 - 20, 0, 20 + l4len, t.nextIpv4Id(), 0, OWN_ERROR_TTL, PROTO_ICMP, s.ownIpv4, src);
        int oldWord = Bytes.u16(b, l4);
        b[l4] = 0;
        int csum = Checksum.update(Bytes.u16(b, l4 + 2), oldWord, Bytes.u16(b, l4));
        Bytes.put16(b, l4 + 2, Checksum.noPseudoHeader(csum, b, l4, l4len, 2));
        t.counters.inc(Counter.ECHO_REPLIES_SENT);
        t.emitOriginated(b, l4 - 20, 20 + l4len);
    }

    /** The segment came with a partial checksum (NEEDS_CSUM): the sending stack vouches for it, nothing to verify. */
    private boolean partialChecksum() {
        return (t.offload & OFFLOAD_CSUM_PARTIAL) != 0;
    }

    private static boolean tcpChecksumValid4(byte[] b, int off, int l4, int l4len) {
        return Checksum.verify(Checksum.add(pseudo4(b, off, l4len, PROTO_TCP), b, l4, l4len));
    }

    /** The RST of a closed port (RFC 9293 s3.10.7.1), in place of the segment: IPv4 header + 20 bytes. */
    private void reset4(byte[] b, int l4, int l4len, int src) {
        int flags = b[l4 + TCP_FLAGS] & 0xff;
        if ((flags & TCP_RST) != 0 || !t.permitError()) return;
        int rst = l4 - 20;
        writeReset(b, l4, l4len, flags);
        Xlat64.writeHeader(b, rst, 0, 20 + TCP_HEADER, t.nextIpv4Id(), 0x4000, OWN_ERROR_TTL, PROTO_TCP, t.s.ownIpv4, src);
        Bytes.put16(b, l4 + 16, Checksum.finish(Checksum.add(pseudo4(b, rst, TCP_HEADER, PROTO_TCP), b, l4, TCP_HEADER)));
        t.counters.inc(Counter.TCP_RESETS_SENT);
        t.emitOriginated(b, rst, 20 + TCP_HEADER);
    }

    /**
     * Rewrites the TCP header at l4 into the RST that answers it (checksum left 0): ports swapped; with
     * ACK, SEQ = SEG.ACK; without, SEQ = 0 and ACK = SEG.SEQ + SEG.LEN (SYN and FIN count one each).
     */
    private static void writeReset(byte[] b, int l4, int l4len, int flags) {
        int srcPort = Bytes.u16(b, l4), dstPort = Bytes.u16(b, l4 + 2);
        int seq = Bytes.i32(b, l4 + 4), ack = Bytes.i32(b, l4 + 8);
        int dataOffset = ((b[l4 + 12] & 0xf0) >>> 2);
        int segLen = Math.max(0, l4len - dataOffset) + ((flags & TCP_SYN) != 0 ? 1 : 0) + ((flags & TCP_FIN) != 0 ? 1 : 0);
        Bytes.put16(b, l4, dstPort);
        Bytes.put16(b, l4 + 2, srcPort);
        if ((flags & TCP_ACK) != 0) {
            Bytes.put32(b, l4 + 4, ack);
            Bytes.put32(b, l4 + 8, 0);
            b[l4 + TCP_FLAGS] = TCP_RST;
        } else {
            Bytes.put32(b, l4 + 4, 0);
            Bytes.put32(b, l4 + 8, seq + segLen);
            b[l4 + TCP_FLAGS] = TCP_RST | TCP_ACK;
        }
        b[l4 + 12] = (byte) (TCP_HEADER << 2);
        Bytes.put16(b, l4 + 14, 0);     // window
        Bytes.put16(b, l4 + 16, 0);     // checksum
        Bytes.put16(b, l4 + 18, 0);     // urgent pointer
    }

    /** True if the IPv6 packet is for own-ipv6-address (then it was handled here). */
    boolean handle6(byte[] b, int off, int len) {
        Settings s = t.s;
        byte[] own = s.ownIpv6;
        if (own == null || len < 40 || !Bytes.equal(b, off + Ipv6HeaderChain.DESTINATION, own, 0, 16)) return false;
        Counters c = t.counters;
        int plen = Bytes.u16(b, off + Ipv6HeaderChain.PAYLOAD_LENGTH);
        if ((b[off] & 0xf0) != 0x60 || 40 + plen > len) {
            c.inc(Counter.DROP64_BAD_HEADER);
            return true;
        }
        int end = off + 40 + plen;
        int nh = b[off + Ipv6HeaderChain.NEXT_HEADER] & 0xff;
        int l4 = off + 40;
        // never answer a multicast, loopback or unspecified source (RFC 4443 s2.4 e)
        boolean unicastSource = !isNonUnicast6(b, off + 8);
        if (unicastSource && nh == PROTO_ICMP6 && plen >= 8 && b[l4] == (byte) 128
                && Checksum.verify(Checksum.add(pseudo6(b, off + 8, plen, PROTO_ICMP6), b, l4, plen))) {
            echoReply6(b, off, l4, plen);
            return true;
        }
        c.inc(Counter.DROP64_TO_OWN_ADDRESS);
        if (!unicastSource) return true;
        Ipv6HeaderChain chain = t.chain;
        int walk = chain.walk(b, off, end);
        if (walk == Ipv6HeaderChain.TOO_LONG) {
            c.inc(Counter.DROP64_TOO_MANY_EXTENSION_HEADERS);
            return true;
        }
        if (walk != Ipv6HeaderChain.OK || chain.fragmentHeader() >= 0) return true;   // no reassembly here
        int proto = chain.upperProtocol();
        l4 = chain.upperOffset();
        int l4len = end - l4;
        switch (proto) {
            case PROTO_ICMP6, NH_NO_NEXT_HEADER -> { }                                  // consumed
            case PROTO_UDP -> t.icmp6Error(b, off, 40 + plen, 1, 4, 0, false);      // port unreachable
            case PROTO_TCP -> {
                if (l4len >= TCP_HEADER && (partialChecksum()
                        || Checksum.verify(Checksum.add(pseudo6(b, off + 8, l4len, PROTO_TCP), b, l4, l4len))))
                    reset6(b, off, l4, l4len);
            }
            // RFC 8200 s4: an unrecognized Next Header: Parameter Problem code 1 pointing at the field
            default -> t.icmp6Error(b, off, 40 + plen, 4, 1, chain.nextHeaderPointer(), false);
        }
        return true;
    }

    /** RFC 4443 s4.2 Echo Reply, built in place: swap the addresses, type 129. */
    private void echoReply6(byte[] b, int off, int l4, int l4len) {
        byte[] own = t.s.ownIpv6;
        System.arraycopy(b, off + 8, b, off + 24, 16);
        System.arraycopy(own, 0, b, off + 8, 16);
        b[off] = 0x60;
        b[off + 1] = 0;
        b[off + 2] = 0;
        b[off + 3] = 0;
        b[off + 7] = OWN_ERROR_TTL;
        int oldWord = Bytes.u16(b, l4);
        b[l4] = (byte) 129;
        // the pseudo-header holds the same two addresses, swapped: only the type changed
        Bytes.put16(b, l4 + 2, Checksum.update(Bytes.u16(b, l4 + 2), oldWord, Bytes.u16(b, l4)));
        t.counters.inc(Counter.ECHO_REPLIES_SENT);
        t.emitOriginated(b, off, l4len + 40);
    }

    /** The RST of a closed port (RFC 9293 s3.10.7.1): a plain IPv6 header + 20 bytes, in front of l4. */
    private void reset6(byte[] b, int off, int l4, int l4len) {
        int flags = b[l4 + TCP_FLAGS] & 0xff;
        if ((flags & TCP_RST) != 0 || !t.permitError()) return;
        int rst = l4 - 40;
        writeReset(b, l4, l4len, flags);
        byte[] a = t.addrs;
        System.arraycopy(t.s.ownIpv6, 0, a, 0, 16);
        System.arraycopy(b, off + 8, a, 16, 16);
        Xlat46.writeHeader(b, rst, 0, TCP_HEADER, PROTO_TCP, OWN_ERROR_TTL, a, 0);
        int sum = pseudo6(a, 0, TCP_HEADER, PROTO_TCP);
        Bytes.put16(b, l4 + 16, Checksum.finish(Checksum.add(sum, b, l4, TCP_HEADER)));
        t.counters.inc(Counter.TCP_RESETS_SENT);
        t.emitOriginated(b, rst, 40 + TCP_HEADER);
    }
}
