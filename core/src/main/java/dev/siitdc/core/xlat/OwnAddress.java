package dev.siitdc.core.xlat;

import dev.siitdc.core.packet.Bytes;
import dev.siitdc.core.packet.Checksum;

import static dev.siitdc.core.xlat.Translator.*;

/**
 * Packets addressed to the translator itself (own-ipv4-address / own-ipv6-address, the source of
 * the ICMP errors it originates): they are not translated. Echo requests are answered, so that a
 * traceroute hop or an operator's ping reaches the address the translator speaks from; UDP gets
 * port unreachable (the end of a UDP traceroute); anything else is dropped and counted.
 */
final class OwnAddress {
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
        if (!fragment && proto == PROTO_ICMP && l4len >= 8 && b[l4] == 8
                && Checksum.verify(Checksum.add(0, b, l4, l4len))) {
            // RFC 792 Echo Reply, built in place: swap the addresses, type 0
            int src = Bytes.i32(b, off + 12);
            if (isDenied4(src)) { c.inc(Counter.DROP46_TO_OWN_ADDRESS); return true; }
            Xlat64.writeHeader(b, l4 - 20, 0, 20 + l4len, t.nextIpv4Id(), 0, OWN_ERROR_TTL, PROTO_ICMP,
                    s.ownIpv4, src);
            int oldWord = Bytes.u16(b, l4);
            b[l4] = 0;
            int csum = Checksum.update(Bytes.u16(b, l4 + 2), oldWord, Bytes.u16(b, l4));
            Bytes.put16(b, l4 + 2, Checksum.noPseudoHeader(csum, b, l4, l4len, 2));
            c.inc(Counter.ECHO_REPLIES_SENT);
            t.emit(b, l4 - 20, 20 + l4len);
            return true;
        }
        c.inc(Counter.DROP46_TO_OWN_ADDRESS);
        if (!fragment && proto == PROTO_UDP) t.icmp4Error(b, off, tot, 3, 3, 0);
        return true;
    }

    /** True if the IPv6 packet is for own-ipv6-address (then it was handled here). */
    boolean handle6(byte[] b, int off, int len) {
        Settings s = t.s;
        byte[] own = s.ownIpv6;
        if (own == null || len < 40 || !Bytes.equal(b, off + 24, own, 0, 16)) return false;
        Counters c = t.counters;
        int plen = Bytes.u16(b, off + 4);
        if ((b[off] & 0xf0) != 0x60 || 40 + plen > len) {
            c.inc(Counter.DROP64_BAD_HEADER);
            return true;
        }
        int nh = b[off + 6] & 0xff;
        int l4 = off + 40;
        if (nh == PROTO_ICMP6 && plen >= 8 && b[l4] == (byte) 128
                && Checksum.verify(Checksum.add(pseudo6(b, off + 8, plen, PROTO_ICMP6), b, l4, plen))) {
            // RFC 4443 s4.2 Echo Reply, built in place: swap the addresses, type 129
            if (b[off + 8] == (byte) 0xff) { c.inc(Counter.DROP64_TO_OWN_ADDRESS); return true; }
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
            c.inc(Counter.ECHO_REPLIES_SENT);
            t.emit(b, off, 40 + plen);
            return true;
        }
        c.inc(Counter.DROP64_TO_OWN_ADDRESS);
        if (nh == PROTO_UDP) t.icmp6Error(b, off, 40 + plen, 1, 4, 0, false);
        return true;
    }
}
