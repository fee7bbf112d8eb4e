package dev.siitdc.core.prop;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** jqwik generators for transport segments (TCP, UDP with a checksum, ICMP echo) and IP header fields. */
public final class PacketGen {
    private PacketGen() {}

    public enum Kind { TCP, UDP, ECHO }

    /** A transport segment, independent of the IP family. */
    public record Transport(Kind kind, int sport, int dport, int seq, int ack, int flags, int window,
                            int optWords, boolean echoReply, byte[] payload) {
        /** The segment for IPv4 (ICMP Echo type 8/0), checksum 0 (filled in by the IPv4 builder). TCP option bytes are taken from the payload (the translator does not look at them). */
        public byte[] l4For4() {
            return switch (kind) {
                case TCP -> PacketKit.tcp(sport, dport, seq, ack, flags, window, 0, payload, optWords, payload);
                case UDP -> PacketKit.udp(sport, dport, payload);
                case ECHO -> PacketKit.icmp(echoReply ? 0 : 8, 0, (sport << 16) | dport, payload);
            };
        }

        /** The segment for IPv6 (ICMPv6 Echo type 128/129). */
        public byte[] l4For6() {
            if (kind == Kind.ECHO) return PacketKit.icmp(echoReply ? 129 : 128, 0, (sport << 16) | dport, payload);
            return l4For4();
        }

        public int proto4() { return kind == Kind.TCP ? 6 : kind == Kind.UDP ? 17 : 1; }

        public int nextHeader6() { return kind == Kind.TCP ? 6 : kind == Kind.UDP ? 17 : 58; }

        @Override
        public String toString() {
            return kind + "[" + sport + "->" + dport + (kind == Kind.TCP ? " flags=" + flags + " optWords=" + optWords : "")
                    + (kind == Kind.ECHO ? (echoReply ? " reply" : " request") : "") + " payload=" + payload.length + "]";
        }
    }

    public static Arbitrary<Transport> transports(int maxPayload) {
        Arbitrary<Integer> port = Arbitraries.integers().between(0, 0xffff);
        Arbitrary<Integer> any = Arbitraries.integers();
        // sizes: small ones often, but also plenty near the maximum (MTU, fragmentation and DF rules)
        Arbitrary<Integer> size = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(0, 64)),
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(0, maxPayload)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(Math.max(0, maxPayload - 300), maxPayload)));
        Arbitrary<byte[]> payload = size.flatMap(n -> Arbitraries.bytes().array(byte[].class).ofSize(n));
        Arbitrary<int[]> tcpBits = Combinators.combine(any, any, Arbitraries.integers().between(0, 0xff),
                        Arbitraries.integers().between(0, 0xffff), Arbitraries.integers().between(0, 10))
                .as((seq, ack, flags, win, words) -> new int[]{seq, ack, flags, win, words});
        return Combinators.combine(Arbitraries.of(Kind.class), port, port, tcpBits, Arbitraries.of(true, false), payload)
                .as((k, sp, dp, tb, reply, pl) -> new Transport(k, sp, dp, tb[0], tb[1], tb[2], tb[3],
                        k == Kind.TCP ? tb[4] : 0, reply, pl));
    }

    /** IPv4/IPv6 header fields other than addresses. */
    public record Header(int tos, int ttl, boolean df, int id) {}

    public static Arbitrary<Header> headers(int minTtl) {
        return Combinators.combine(Arbitraries.integers().between(0, 255), Arbitraries.integers().between(minTtl, 255),
                Arbitraries.of(true, false), Arbitraries.integers().between(0, 0xffff)).as(Header::new);
    }
}
