package dev.siitdc.core.prop;

import dev.siitdc.core.prop.PacketGen.Header;
import dev.siitdc.core.prop.PacketGen.Kind;
import dev.siitdc.core.prop.PacketGen.Transport;
import dev.siitdc.core.prop.Worlds.World;
import dev.siitdc.core.xlat.Counter;
import dev.siitdc.core.xlat.Translator;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import java.util.Arrays;
import java.util.List;

import static dev.siitdc.core.prop.PacketKit.hex;
import static dev.siitdc.core.prop.PacketKit.i32;
import static dev.siitdc.core.prop.PacketKit.u16;
import static dev.siitdc.core.prop.PacketKit.u8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Round-trip properties (RFC 7915 s4 and s5 composed): 4->6->4 and 6->4->6 through one translator
 * with one random configuration (random RFC 6052 pool6, 0..5 random EAMs, hairpinning off, MTUs of
 * 1500 so nothing is fragmented).
 */
class RoundTripPropertiesTest {

    record Case4(World world, Header hdr, Transport l4, int src, int dst) {
        byte[] packet() {
            return PacketKit.ipv4(hdr.tos(), hdr.id(), hdr.df(), hdr.ttl(), l4.proto4(), src, dst, l4.l4For4());
        }

        @Override
        public String toString() {
            return "Case4[" + world + ", " + hdr + ", " + l4 + ", packet=" + hex(packet()) + "]";
        }
    }

    record Case6(World world, Header hdr, Transport l4, int src4, int dst4) {
        byte[] packet() {
            // flow label 0: IPv4 has no flow label, so 6->4->6 cannot restore another one (RFC 7915 s4.1)
            return PacketKit.ipv6(hdr.tos(), 0, l4.nextHeader6(), hdr.ttl(), world.map46(src4), world.map46(dst4),
                    l4.l4For6());
        }

        @Override
        public String toString() {
            return "Case6[" + world + ", " + hdr + ", " + l4 + ", packet=" + hex(packet()) + "]";
        }
    }

    @Provide
    Arbitrary<Case4> ipv4Cases() {
        return Worlds.roundTripWorlds().flatMap(w -> Combinators.combine(
                PacketGen.headers(2), PacketGen.transports(1400), Worlds.addressesIn(w), Worlds.addressesIn(w))
                .as((h, t, s, d) -> new Case4(w, h, t, s, d)));
    }

    @Provide
    Arbitrary<Case6> ipv6Cases() {
        return Worlds.roundTripWorlds().flatMap(w -> Combinators.combine(
                PacketGen.headers(2), PacketGen.transports(1400), Worlds.addressesIn(w), Worlds.addressesIn(w))
                .as((h, t, s, d) -> new Case6(w, h, t, s, d)));
    }

    /**
     * Property A: an IPv4 packet translated to IPv6 and back comes out as it went in, except TTL - 2,
     * the Identification, DF (set iff Total Length > 1260, RFC 7915 s5.1) and the header checksum
     * (valid). The intermediate IPv6 packet uses the reference RFC 6052 / RFC 7757 addresses.
     */
    @Property(tries = 1000)
    void ipv4ToIpv6AndBack(@ForAll("ipv4Cases") Case4 c) {
        Statistics.label("kind").collect(c.l4().kind());
        Statistics.label("pool6 length").collect(c.world().pool6().length());
        Translator t = new Translator(c.world().config());
        byte[] orig = c.packet();
        int ttl = c.hdr().ttl();

        List<byte[]> first = Xlat.translate(t, orig);
        assertThat(first).as("4->6 of %s", hex(orig)).hasSize(1);
        byte[] v6 = first.get(0);
        checkIntermediate6(c, orig, v6);

        List<byte[]> second = Xlat.translate(t, v6);
        if (ttl == 2) {
            // hop limit 1 arrives at the 6->4 pass: RFC 7915 s5.1 drops it (no own-ipv6-address: no error)
            assertThat(second).as("6->4 of hop limit 1").isEmpty();
            assertThat(t.counters().get(Counter.DROP64_HOP_LIMIT_EXPIRED)).isEqualTo(1);
            return;
        }
        assertThat(second).as("6->4 of %s", hex(v6)).hasSize(1);
        byte[] back = second.get(0);

        String ctx = "\n  in:  " + hex(orig) + "\n  v6:  " + hex(v6) + "\n  out: " + hex(back);
        assertThat(back.length).as("length" + ctx).isEqualTo(orig.length);
        assertThat(u8(back, 0)).as("version/IHL" + ctx).isEqualTo(0x45);
        assertThat(u8(back, 1)).as("TOS" + ctx).isEqualTo(u8(orig, 1));
        assertThat(u16(back, 2)).as("Total Length" + ctx).isEqualTo(orig.length);
        assertThat(u16(back, 6)).as("flags/offset: DF iff > 1260" + ctx).isEqualTo(orig.length > 1260 ? 0x4000 : 0);
        assertThat(u8(back, 8)).as("TTL" + ctx).isEqualTo(ttl - 2);
        assertThat(u8(back, 9)).as("Protocol" + ctx).isEqualTo(u8(orig, 9));
        assertThat(PacketKit.sumIsValid(PacketKit.sum(back, 0, 20))).as("header checksum valid" + ctx).isTrue();
        assertThat(i32(back, 12)).as("source" + ctx).isEqualTo(c.src());
        assertThat(i32(back, 16)).as("destination" + ctx).isEqualTo(c.dst());
        assertThat(Arrays.copyOfRange(back, 20, back.length)).as("transport bytes" + ctx)
                .isEqualTo(Arrays.copyOfRange(orig, 20, orig.length));
        assertThat(t.counters().get(Counter.TRANSLATED46)).isEqualTo(1);
        assertThat(t.counters().get(Counter.TRANSLATED64)).isEqualTo(1);
    }

    private static void checkIntermediate6(Case4 c, byte[] orig, byte[] v6) {
        String ctx = "\n  in: " + hex(orig) + "\n  v6: " + hex(v6);
        int l4len = orig.length - 20;
        assertThat(v6.length).as("IPv6 length" + ctx).isEqualTo(40 + l4len);
        assertThat(u8(v6, 0) >>> 4).as("version" + ctx).isEqualTo(6);
        int tc = ((v6[0] & 0xf) << 4) | (u8(v6, 1) >>> 4);
        assertThat(tc).as("Traffic Class = TOS" + ctx).isEqualTo(u8(orig, 1));
        assertThat(((v6[1] & 0xf) << 16) | u16(v6, 2)).as("Flow Label" + ctx).isZero();
        assertThat(u8(v6, 6)).as("Next Header" + ctx).isEqualTo(c.l4().nextHeader6());
        assertThat(u8(v6, 7)).as("Hop Limit" + ctx).isEqualTo(c.hdr().ttl() - 1);
        assertThat(Arrays.copyOfRange(v6, 8, 24)).as("source = reference mapping" + ctx)
                .isEqualTo(c.world().map46(c.src()));
        assertThat(Arrays.copyOfRange(v6, 24, 40)).as("destination = reference mapping" + ctx)
                .isEqualTo(c.world().map46(c.dst()));
        assertThat(PacketKit.l4Checksum(v6, 0, v6.length)).as("transport checksum" + ctx).isEqualTo(PacketKit.L4.VALID);
        // everything but the checksum (and the ICMP type) is carried unchanged
        byte[] a = Arrays.copyOfRange(orig, 20, orig.length), b = Arrays.copyOfRange(v6, 40, v6.length);
        int cs = PacketKit.checksumOffset(c.l4().proto4());
        a[cs] = a[cs + 1] = b[cs] = b[cs + 1] = 0;
        if (c.l4().kind() == Kind.ECHO) {
            assertThat(u8(b, 0)).as("ICMPv6 type" + ctx).isEqualTo(u8(a, 0) == 8 ? 128 : 129);
            a[0] = b[0] = 0;
        }
        assertThat(b).as("transport bytes besides checksum" + ctx).isEqualTo(a);
    }

    /**
     * 6->4->6 for IPv6 packets whose addresses are inside pool6 or an EAM: the result equals the
     * input except Hop Limit - 2 (flow label generated as 0).
     */
    @Property(tries = 1000)
    void ipv6ToIpv4AndBack(@ForAll("ipv6Cases") Case6 c) {
        Statistics.label("kind").collect(c.l4().kind());
        Translator t = new Translator(c.world().config());
        byte[] orig = c.packet();
        int hop = c.hdr().ttl();

        List<byte[]> first = Xlat.translate(t, orig);
        assertThat(first).as("6->4 of %s", hex(orig)).hasSize(1);
        byte[] v4 = first.get(0);
        String ctx1 = "\n  in: " + hex(orig) + "\n  v4: " + hex(v4);
        assertThat(u8(v4, 0)).as("version/IHL" + ctx1).isEqualTo(0x45);
        assertThat(u8(v4, 8)).as("TTL" + ctx1).isEqualTo(hop - 1);
        assertThat(u8(v4, 1)).as("TOS = Traffic Class" + ctx1).isEqualTo(c.hdr().tos());
        assertThat(i32(v4, 12)).as("source" + ctx1).isEqualTo(c.src4());
        assertThat(i32(v4, 16)).as("destination" + ctx1).isEqualTo(c.dst4());
        assertThat(u16(v4, 6)).as("DF iff > 1260" + ctx1).isEqualTo(v4.length > 1260 ? 0x4000 : 0);
        assertThat(PacketKit.l4Checksum(v4, 0, v4.length)).as("transport checksum" + ctx1).isEqualTo(PacketKit.L4.VALID);

        List<byte[]> second = Xlat.translate(t, v4);
        if (hop == 2) {
            // TTL 1 arrives at the 4->6 pass: dropped with an ICMPv4 Time Exceeded (RFC 7915 s4.1)
            assertThat(second).as("4->6 of TTL 1: one ICMPv4 error").hasSize(1);
            assertThat(u8(second.get(0), 0) >>> 4).isEqualTo(4);
            assertThat(u8(second.get(0), 20)).as("ICMPv4 type").isEqualTo(11);
            assertThat(t.counters().get(Counter.DROP46_TTL_EXPIRED)).isEqualTo(1);
            return;
        }
        assertThat(second).as("4->6 of %s", hex(v4)).hasSize(1);
        byte[] back = second.get(0);
        String ctx = ctx1 + "\n  out: " + hex(back);
        byte[] expected = orig.clone();
        expected[7] = (byte) (hop - 2);
        assertThat(back).as("6->4->6 result" + ctx).isEqualTo(expected);
    }

    // ------------------------------------------------------------------ ICMP errors

    /** ICMPv4 errors whose type/code survive 4->6->4 unchanged (RFC 7915 s4.2 then s5.2). */
    static final int[][] ICMP4_ROUND_TRIP = {{11, 0}, {11, 1}, {3, 1}, {3, 2}, {3, 3}, {3, 4}, {3, 10}};
    /** ICMPv6 errors whose type/code survive 6->4->6 unchanged (RFC 7915 s5.2 then s4.2). */
    static final int[][] ICMP6_ROUND_TRIP = {{1, 0}, {1, 1}, {1, 4}, {3, 0}, {3, 1}, {2, 0}, {4, 1}};

    /** An ICMP error from {@code router} back to {@code a} about the packet a->b (quoted in part). */
    record ErrorCase(World world, Header outer, Header inner, Transport l4, int router, int a, int b, int which,
                     int mtu, int quote) {
        byte[] icmp4() {
            byte[] p = PacketKit.ipv4(inner.tos(), inner.id(), inner.df(), inner.ttl(), l4.proto4(), a, b, l4.l4For4());
            int[] tc = ICMP4_ROUND_TRIP[which % ICMP4_ROUND_TRIP.length];
            int rest = tc[0] == 3 && tc[1] == 4 ? 1260 + mtu % 221 : 0;       // FN MTU 1260..1480: identity
            byte[] q = Arrays.copyOf(p, Math.max(28, Math.min(p.length, quote % 549)));   // ICMPv4 error <= 576
            return PacketKit.ipv4(outer.tos(), outer.id(), false, outer.ttl(), 1, router, a, PacketKit.icmp(tc[0], tc[1], rest, q));
        }

        byte[] icmp6() {
            byte[] p = PacketKit.ipv6(inner.tos(), 0, l4.nextHeader6(), inner.ttl(), world.map46(a), world.map46(b), l4.l4For6());
            int[] tc = ICMP6_ROUND_TRIP[which % ICMP6_ROUND_TRIP.length];
            int rest = tc[0] == 2 ? 1280 + mtu % 221 : tc[0] == 4 ? 6 : 0;   // PTB MTU 1280..1500: identity
            byte[] q = Arrays.copyOf(p, Math.max(48, Math.min(p.length, quote % 569)));   // its ICMPv4 form <= 576
            return PacketKit.ipv6(outer.tos(), 0, 58, outer.ttl(), world.map46(router), world.map46(a), PacketKit.icmp(tc[0], tc[1], rest, q));
        }

        @Override
        public String toString() {
            return "ErrorCase[" + world + ", outer=" + outer + ", inner=" + inner + ", " + l4 + ", which=" + which
                    + ", icmp4=" + hex(icmp4()) + ", icmp6=" + hex(icmp6()) + "]";
        }
    }

    @Provide
    Arbitrary<ErrorCase> errorCases() {
        return Worlds.roundTripWorlds().flatMap(w -> Combinators.combine(
                PacketGen.headers(3), PacketGen.headers(1), PacketGen.transports(1400),
                Worlds.addressesIn(w), Worlds.addressesIn(w), Worlds.addressesIn(w),
                net.jqwik.api.Arbitraries.integers().between(0, 1000),
                Combinators.combine(net.jqwik.api.Arbitraries.integers().between(0, 10000),
                        net.jqwik.api.Arbitraries.integers().between(0, 10000)).as((m, q) -> new int[]{m, q}))
                .as((o, i, t, r, a, b, which, mq) -> new ErrorCase(w, o, i, t, r, a, b, which, mq[0], mq[1])));
    }

    /**
     * An ICMPv4 error (of a type that maps back to itself) translated to ICMPv6 and back equals the
     * original except: outer TTL - 2, Identifications, the inner DF (set iff the inner Total Length
     * > 1260), and the three checksums that depend on those (each must be valid).
     */
    @Property(tries = 700)
    void icmpv4ErrorToIpv6AndBack(@ForAll("errorCases") ErrorCase c) {
        Translator t = new Translator(c.world().config());
        byte[] orig = c.icmp4();
        List<byte[]> first = Xlat.translate(t, orig);
        assertThat(first).as("4->6 of %s", hex(orig)).hasSize(1);
        byte[] v6 = first.get(0);
        assertThat(PacketKit.l4Checksum(v6, 0, v6.length)).as("ICMPv6 checksum of " + hex(v6)).isEqualTo(PacketKit.L4.VALID);
        List<byte[]> second = Xlat.translate(t, v6);
        assertThat(second).as("6->4 of %s", hex(v6)).hasSize(1);
        byte[] back = second.get(0);
        String ctx = "\n  in:  " + hex(orig) + "\n  v6:  " + hex(v6) + "\n  out: " + hex(back);

        assertThat(back.length).as("length" + ctx).isEqualTo(orig.length);
        assertThat(u8(back, 8)).as("TTL" + ctx).isEqualTo(u8(orig, 8) - 2);
        assertThat(PacketKit.sumIsValid(PacketKit.sum(back, 0, 20))).as("header checksum" + ctx).isTrue();
        assertThat(PacketKit.l4Checksum(back, 0, back.length)).as("ICMP checksum" + ctx).isEqualTo(PacketKit.L4.VALID);
        int innerTot = u16(orig, 30);
        assertThat(u16(back, 34)).as("inner flags: DF iff > 1260" + ctx).isEqualTo(innerTot > 1260 ? 0x4000 : 0);
        assertThat(PacketKit.sumIsValid(PacketKit.sum(back, 28, 20))).as("inner header checksum" + ctx).isTrue();

        byte[] norm = back.clone();
        norm[8] = orig[8];
        for (int at : new int[]{4, 5, 10, 11, 22, 23, 32, 33, 34, 35, 38, 39}) norm[at] = orig[at];   // IDs, flags, checksums
        assertThat(norm).as("everything else" + ctx).isEqualTo(orig);
    }

    /**
     * An ICMPv6 error (of a type that maps back to itself, small enough not to be cut to 576 bytes
     * on the IPv4 side) translated to ICMPv4 and back equals the original except outer Hop Limit - 2
     * and the ICMPv6 checksum (valid).
     */
    @Property(tries = 700)
    void icmpv6ErrorToIpv4AndBack(@ForAll("errorCases") ErrorCase c) {
        Translator t = new Translator(c.world().config());
        byte[] orig = c.icmp6();
        List<byte[]> first = Xlat.translate(t, orig);
        assertThat(first).as("6->4 of %s", hex(orig)).hasSize(1);
        byte[] v4 = first.get(0);
        assertThat(PacketKit.l4Checksum(v4, 0, v4.length)).as("ICMPv4 checksum of " + hex(v4)).isEqualTo(PacketKit.L4.VALID);
        assertThat(PacketKit.sumIsValid(PacketKit.sum(v4, 28, 20))).as("inner header checksum of " + hex(v4)).isTrue();
        List<byte[]> second = Xlat.translate(t, v4);
        assertThat(second).as("4->6 of %s", hex(v4)).hasSize(1);
        byte[] back = second.get(0);
        String ctx = "\n  in:  " + hex(orig) + "\n  v4:  " + hex(v4) + "\n  out: " + hex(back);
        assertThat(PacketKit.l4Checksum(back, 0, back.length)).as("ICMPv6 checksum" + ctx).isEqualTo(PacketKit.L4.VALID);
        byte[] norm = back.clone();
        assertThat(u8(back, 7)).as("Hop Limit" + ctx).isEqualTo(u8(orig, 7) - 2);
        norm[7] = orig[7];
        norm[42] = orig[42];
        norm[43] = orig[43];
        assertThat(norm).as("everything else" + ctx).isEqualTo(orig);
    }
}
