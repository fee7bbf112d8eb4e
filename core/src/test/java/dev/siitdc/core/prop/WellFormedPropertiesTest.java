package dev.siitdc.core.prop;

import dev.siitdc.core.prop.PacketGen.Header;
import dev.siitdc.core.prop.PacketGen.Transport;
import dev.siitdc.core.prop.Worlds.World;
import dev.siitdc.core.xlat.Translator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.siitdc.core.prop.PacketKit.hex;
import static dev.siitdc.core.prop.PacketKit.u16;
import static dev.siitdc.core.prop.PacketKit.u8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property B: whatever the translator emits for a valid packet, in either direction and under
 * assorted MTUs (so it fragments and originates errors), is well formed: IPv4 Total Length / IPv6
 * Payload Length match the emitted length, the IPv4 header checksum is valid, the TCP/UDP/ICMP
 * checksum is valid (for fragments: after reassembly), every packet fits the MTU that applies,
 * and the IPv4 header quoted by an ICMPv4 error has a valid checksum.
 */
class WellFormedPropertiesTest {

    /** An ICMP error to wrap around the packet: type, code, rest-of-header, bytes of the packet quoted. */
    record ErrorSpec(int which, int rest, int quote) {}

    static final int[][] ICMP4_ERRORS = {{11, 0}, {11, 1}, {3, 0}, {3, 1}, {3, 3}, {3, 4}, {3, 13}, {3, 2}, {12, 0}};
    static final int[][] ICMP6_ERRORS = {{3, 0}, {3, 1}, {1, 0}, {1, 1}, {1, 3}, {1, 4}, {2, 0}, {4, 0}, {4, 1}};

    /**
     * Header extras: IPv4 options (0..10 words of NOP, Record Route, Timestamp or random bytes) or
     * IPv6 extension headers (Hop-by-Hop, Destination Options, Routing with any Segments Left, an
     * atomic Fragment header), each chosen by a small code; none for errors.
     */
    record Extras(int optWords, int optKind, byte[] optBytes, java.util.List<Integer> extHeaders) {}

    record Case(World world, boolean v6, Header hdr, Transport l4, int a, int b, int router, ErrorSpec err, Extras x) {
        /** The packet a->b; for an error: that packet quoted in an ICMP error from router back to a. */
        byte[] packet() {
            if (!v6) {
                byte[] p = PacketKit.ipv4(hdr.tos(), hdr.id(), hdr.df(), hdr.ttl(), l4.proto4(), a, b, l4.l4For4());
                if (err == null) return withOptions(p, x);
                int[] tc = ICMP4_ERRORS[err.which % ICMP4_ERRORS.length];
                int rest = tc[0] == 3 && tc[1] == 4 ? err.rest & 0xffff : tc[0] == 12 ? (err.rest & 0xff) << 24 : 0;
                byte[] quoted = Arrays.copyOf(p, Math.max(28, Math.min(p.length, err.quote)));
                byte[] icmp = PacketKit.icmp(tc[0], tc[1], rest, quoted);
                return PacketKit.ipv4(0, hdr.id() ^ 0x5555, false, Math.max(1, (hdr.ttl() + 7) & 0xff), 1, router, a, icmp);
            }
            byte[] p = PacketKit.ipv6(hdr.tos(), 0, l4.nextHeader6(), hdr.ttl(), world.map46(a), world.map46(b), l4.l4For6());
            if (err == null) return withExtHeaders(p, x);
            int[] tc = ICMP6_ERRORS[err.which % ICMP6_ERRORS.length];
            int rest = tc[0] == 2 ? 1280 + (err.rest & 0x3fff) : tc[0] == 4 ? err.rest & 0x3f : 0;
            byte[] quoted = Arrays.copyOf(p, Math.max(48, Math.min(p.length, err.quote)));
            byte[] icmp = PacketKit.icmp(tc[0], tc[1], rest, quoted);
            return PacketKit.ipv6(0, 0, 58, Math.max(1, (hdr.ttl() + 7) & 0xff), world.map46(router), world.map46(a), icmp);
        }

        @Override
        public String toString() {
            return "Case[" + world + ", " + (v6 ? "IPv6" : "IPv4") + ", " + hdr + ", " + l4 + ", error=" + err
                    + ", packet=" + hex(packet()) + "]";
        }
    }

    static byte[] withOptions(byte[] p, Extras x) {
        int n = 4 * x.optWords();
        if (n == 0) return p;
        byte[] o = new byte[n];
        switch (x.optKind()) {
            case 0 -> Arrays.fill(o, (byte) 1);                                  // NOPs
            case 1 -> { o[0] = 7; o[1] = (byte) Math.min(n - 1, 39); o[2] = 4; } // Record Route
            case 2 -> { o[0] = 68; o[1] = (byte) Math.min(n, 40); o[2] = 5; }    // Timestamp
            default -> { for (int i = 0; i < n; i++) o[i] = x.optBytes()[i % x.optBytes().length]; }
        }
        byte[] q = new byte[p.length + n];
        System.arraycopy(p, 0, q, 0, 20);
        System.arraycopy(o, 0, q, 20, n);
        System.arraycopy(p, 20, q, 20 + n, p.length - 20);
        q[0] = (byte) (0x40 | ((20 + n) / 4));
        PacketKit.put16(q, 2, q.length);
        PacketKit.fillIpv4HeaderChecksum(q, 0);
        return q;
    }

    static byte[] withExtHeaders(byte[] p, Extras x) {
        // insert in reverse so that the list reads outermost first; Hop-by-Hop only as the first header
        List<Integer> hs = x.extHeaders();
        for (int k = hs.size() - 1; k >= 0; k--) {
            int code = hs.get(k);
            int type = switch (code % 4) { case 0 -> k == 0 ? 0 : 60; case 1 -> 60; case 2 -> 43; default -> 44; };
            if (type == 44 && hs.subList(k + 1, hs.size()).stream().anyMatch(c -> c % 4 == 3)) type = 60; // one Fragment header
            byte[] h = new byte[type == 44 ? 8 : 8 * (1 + (code >>> 2) % 3)];
            if (type == 0 || type == 60) { h[2] = 1; h[3] = (byte) (h.length - 4); }  // PadN
            if (type == 43) h[3] = (byte) ((code >>> 4) % 3 == 0 ? 1 : 0);          // Segments Left
            if (type == 44) PacketKit.put32(h, 4, code);
            byte[] q = new byte[p.length + h.length];
            System.arraycopy(p, 0, q, 0, 40);
            System.arraycopy(h, 0, q, 40, h.length);
            System.arraycopy(p, 40, q, 40 + h.length, p.length - 40);
            q[40] = p[6];
            q[41] = (byte) (type == 44 ? 0 : h.length / 8 - 1);
            q[6] = (byte) type;
            PacketKit.put16(q, 4, q.length - 40);
            p = q;
        }
        return p;
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<ErrorSpec> err = Combinators.combine(Arbitraries.integers().between(0, 8), Arbitraries.integers(),
                Arbitraries.integers().between(0, 1600)).as(ErrorSpec::new);
        Arbitrary<ErrorSpec> maybeErr = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.just(null)), net.jqwik.api.Tuple.of(1, err));
        Arbitrary<Extras> none = Arbitraries.just(new Extras(0, 0, new byte[1], List.of()));
        Arbitrary<Extras> some = Combinators.combine(Arbitraries.integers().between(0, 10), Arbitraries.integers().between(0, 3),
                Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(40),
                Arbitraries.integers().between(0, 255).list().ofMaxSize(3)).as(Extras::new);
        Arbitrary<Extras> extras = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(2, none), net.jqwik.api.Tuple.of(1, some));
        return Worlds.assortedWorlds().flatMap(w -> Combinators.combine(
                Arbitraries.of(false, true), PacketGen.headers(1), PacketGen.transports(1400),
                Worlds.addressesIn(w), Worlds.addressesIn(w), Worlds.addressesIn(w), maybeErr, extras)
                .as((v6, h, t, a, b, r, e, x) -> new Case(w, v6, h, t, a, b, r, e, x)));
    }

    @Property(tries = 1500)
    void everyEmittedPacketIsWellFormed(@ForAll("cases") Case c) {
        byte[] in = c.packet();
        if (!c.v6() || c.x().extHeaders().isEmpty() || c.err() != null)
            assertThat(PacketKit.l4Checksum(in, 0, in.length)).as("generated input").isEqualTo(PacketKit.L4.VALID);
        Translator t = new Translator(c.world().config());
        List<byte[]> out = Xlat.translate(t, in);   // checks lengths and the IPv4 header checksum
        Statistics.label("direction").collect(c.v6() ? "6->4" : "4->6", c.err() != null ? "error"
                : c.x().optWords() > 0 || !c.x().extHeaders().isEmpty() ? "plain+options/ext" : "plain");
        Statistics.label("outcome").collect(out.isEmpty() ? "dropped"
                : out.size() > 1 ? "fragmented"
                : (u8(out.get(0), 0) >>> 4) == (c.v6() ? 6 : 4) ? "error originated" : "translated");

        var cfg = c.world().config();
        String ctx = "\n  in: " + hex(in);
        Map<Integer, List<byte[]>> frags4 = new LinkedHashMap<>(), frags6 = new LinkedHashMap<>();
        for (byte[] p : out) {
            String pctx = ctx + "\n  emitted: " + hex(p);
            int version = u8(p, 0) >>> 4;
            if (version == 6) {
                boolean isError = u8(p, 6) == 58 && u8(p, 40) < 128;
                if (isError) assertThat(p.length).as("ICMPv6 error <= 1280" + pctx).isLessThanOrEqualTo(1280);
                assertThat(p.length).as("IPv6 <= ipv6-mtu" + pctx).isLessThanOrEqualTo(cfg.ipv6Mtu());
                if (!c.v6() && c.err() == null && !c.hdr().df())
                    assertThat(p.length).as("DF=0 IPv6 <= min(lowest-ipv6-mtu, ipv6-mtu)" + pctx)
                            .isLessThanOrEqualTo(Math.min(cfg.lowestIpv6Mtu(), cfg.ipv6Mtu()));
                if (PacketKit.isIpv6Fragment(p)) {
                    frags6.computeIfAbsent(PacketKit.i32(p, 44), k -> new ArrayList<>()).add(p);
                    continue;
                }
            } else {
                boolean isError = u8(p, 9) == 1 && IcmpTypes.isIcmp4Error(u8(p, 20));
                if (isError) {
                    assertThat(p.length).as("ICMPv4 error <= 576" + pctx).isLessThanOrEqualTo(576);
                    if (p.length >= 48 && u8(p, 28) >>> 4 == 4) {
                        int ihl = (p[28] & 0xf) * 4;
                        if (p.length >= 28 + ihl)
                            assertThat(PacketKit.sumIsValid(PacketKit.sum(p, 28, ihl))).as("quoted IPv4 header checksum" + pctx).isTrue();
                    }
                } else {
                    assertThat(p.length).as("IPv4 <= ipv4-mtu" + pctx).isLessThanOrEqualTo(cfg.ipv4Mtu());
                }
                if (PacketKit.isIpv4Fragment(p)) {
                    frags4.computeIfAbsent(u16(p, 4), k -> new ArrayList<>()).add(p);
                    continue;
                }
            }
            assertThat(PacketKit.l4Checksum(p, 0, p.length)).as("transport checksum" + pctx).isNotEqualTo(PacketKit.L4.INVALID);
        }
        for (List<byte[]> fs : frags6.values()) {
            byte[] whole = PacketKit.reassemble6(fs);
            assertThat(PacketKit.l4Checksum(whole, 0, whole.length)).as("reassembled IPv6 checksum" + ctx + "\n  whole: " + hex(whole))
                    .isEqualTo(PacketKit.L4.VALID);
        }
        for (List<byte[]> fs : frags4.values()) {
            byte[] whole = PacketKit.reassemble4(fs);
            assertThat(PacketKit.l4Checksum(whole, 0, whole.length)).as("reassembled IPv4 checksum" + ctx + "\n  whole: " + hex(whole))
                    .isEqualTo(PacketKit.L4.VALID);
        }
    }

    /** RFC 1122 ICMPv4 error types. */
    static final class IcmpTypes {
        static boolean isIcmp4Error(int type) {
            return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
        }
    }
}
