package dev.siitdc.core.prop;

import dev.siitdc.core.addr.Ipv4Prefix;
import dev.siitdc.core.addr.Ipv6Prefix;
import dev.siitdc.core.addr.SpecialAddresses;
import dev.siitdc.core.config.ConfigException;
import dev.siitdc.core.config.HairpinMode;
import dev.siitdc.core.config.TranslatorConfig;
import dev.siitdc.core.eam.Eam;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * jqwik generators for translator configurations ("worlds") and addresses inside them, plus a
 * bit-by-bit reference of the RFC 6052 s2.2 and RFC 7757 s3.3 address mappings that is independent
 * of the production code.
 *
 * <p>Worlds are built so that a 4->6->4 or 6->4->6 round trip is well defined: pool6 is a random
 * RFC 6052 prefix under 2000::/3 (never the Well-Known Prefix), every EAM's IPv6 prefix lives under
 * its own fdXX::/16 (so IPv6 prefixes never overlap each other or pool6), IPv4 prefixes are distinct,
 * and eam-hairpin-mode is off.
 */
public final class Worlds {
    private Worlds() {}

    public static final int[] POOL6_LENGTHS = {32, 40, 48, 56, 64, 96};

    /** A configuration plus what the reference mapping needs. */
    public record World(TranslatorConfig config, Ipv6Prefix pool6, List<Eam> eams) {
        /** Reference 4->6 mapping of an IPv4 address: longest-match EAM, else pool6 (RFC 7757 s3.2). */
        public byte[] map46(int v4) {
            Eam best = null;
            for (Eam e : eams)
                if (e.ipv4().contains(v4) && (best == null || e.ipv4().length() > best.ipv4().length())) best = e;
            return best != null ? referenceEam46(best, v4) : referenceRfc6052Embed(pool6, v4);
        }

        @Override
        public String toString() {
            return "World[pool6=" + pool6 + ", eams=" + eams + ", lowest-ipv6-mtu=" + config.lowestIpv6Mtu()
                    + ", ipv6-mtu=" + config.ipv6Mtu() + ", ipv4-mtu=" + config.ipv4Mtu() + ", own-ipv6-address=" + config.ownIpv6Address() + "]";
        }
    }

    /** One EAM, before deduplication: IPv4 base/length, IPv6 slack below the exact fit, IPv6 bits. */
    private record EamSeed(int v4, int p4, int slack, long hi, long lo) {}

    /** Worlds whose MTUs never force fragmentation of packets up to 1500 bytes. */
    public static Arbitrary<World> roundTripWorlds() {
        return worlds(Arbitraries.just(1500), Arbitraries.just(1500), Arbitraries.just(1500));
    }

    /**
     * Worlds with assorted MTUs (1280/1500 IPv6, 576..1500 IPv4) so fragmentation and errors happen,
     * and, half the time, own-ipv6-address / own-ipv4-address set so the translator originates ICMPv6
     * errors too.
     */
    public static Arbitrary<World> assortedWorlds() {
        return Combinators.combine(worlds(Arbitraries.of(1280, 1280, 1500), Arbitraries.of(1280, 1400, 1500, 9000),
                Arbitraries.of(576, 1006, 1280, 1500, 1500)), Arbitraries.of(true, false)).as(Worlds::withOwnAddresses);
    }

    private static World withOwnAddresses(World w, boolean own) {
        if (!own) return w;
        TranslatorConfig.Builder b = w.config().toBuilder();
        b.ownIpv6Address = Ipv6Prefix.parse("2001:db8:ffff::1");
        b.ownIpv4Address = Ipv4Prefix.parseAddress("192.0.2.1");
        try {
            return new World(b.build(), w.pool6(), w.eams());
        } catch (ConfigException e) {
            throw new AssertionError(e);
        }
    }

    static Arbitrary<World> worlds(Arbitrary<Integer> lowestIpv6Mtu, Arbitrary<Integer> ipv6Mtu,
                                   Arbitrary<Integer> ipv4Mtu) {
        Arbitrary<Integer> lenIdx = Arbitraries.integers().between(0, POOL6_LENGTHS.length - 1);
        Arbitrary<Integer> top16 = Arbitraries.integers().between(0x2001, 0x3fff);
        Arbitrary<Long> bits = Arbitraries.longs();
        Arbitrary<EamSeed> eam = Combinators.combine(
                globalAddresses(),
                Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(4, Arbitraries.just(32)),
                        net.jqwik.api.Tuple.of(2, Arbitraries.just(24)),
                        net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(12, 32))),
                Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(3, Arbitraries.just(0)),
                        net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 90))),
                Arbitraries.longs(), Arbitraries.longs()).as(EamSeed::new);
        Arbitrary<List<EamSeed>> eams = eam.list().ofMinSize(0).ofMaxSize(5);
        return Combinators.combine(lenIdx, top16, bits, bits, eams, lowestIpv6Mtu, ipv6Mtu, ipv4Mtu)
                .as(Worlds::build);
    }

    private static World build(int lenIdx, int top16, long hiBits, long loBits, List<EamSeed> seeds,
                               int lowest, int ipv6Mtu, int ipv4Mtu) {
        int len = POOL6_LENGTHS[lenIdx];
        long hi = ((long) top16 << 48) | (hiBits & 0x0000_ffff_ffff_ffffL);
        if ((hi >>> 56) == 0xfd) hi ^= 1L << 56;        // the EAMs live in fd00::/8: never inside pool6
        long lo = loBits & 0x00ff_ffff_ffff_ffffL;     // u octet (bits 64-71) zero
        hi &= Ipv6Prefix.maskHi(len);
        lo &= Ipv6Prefix.maskLo(len);
        Ipv6Prefix pool6 = new Ipv6Prefix(hi, lo, len);

        List<Eam> eams = new ArrayList<>();
        Set<Ipv4Prefix> seen = new HashSet<>();
        for (EamSeed s : seeds) {
            Ipv4Prefix p4 = new Ipv4Prefix(s.v4 & Ipv4Prefix.maskOf(s.p4), s.p4);
            if (!seen.add(p4)) continue;
            int suffix = 32 - s.p4;
            int p6 = Math.max(16, 128 - suffix - s.slack);
            long ehi = (0xfdL << 56) | ((long) eams.size() << 48) | (s.hi & 0x0000_ffff_ffff_ffffL);
            long elo = s.lo;
            ehi &= Ipv6Prefix.maskHi(p6);
            elo &= Ipv6Prefix.maskLo(p6);
            eams.add(new Eam(p4, new Ipv6Prefix(ehi, elo, p6)));
        }
        TranslatorConfig.Builder b = TranslatorConfig.builder();
        b.pool6 = pool6;
        b.eamt = List.copyOf(eams);
        b.eamHairpinMode = HairpinMode.OFF;
        b.allowSpecialPurposeEams = true;     // any IPv4 block: the translator must cope with the override too
        b.lowestIpv6Mtu = lowest;
        b.ipv6Mtu = ipv6Mtu;
        b.ipv4Mtu = ipv4Mtu;
        try {
            return new World(b.build(), pool6, List.copyOf(eams));
        } catch (ConfigException e) {
            throw new AssertionError("generator built an invalid config: " + e.getMessage(), e);
        }
    }

    /** Global unicast IPv4 addresses (SpecialAddresses.isGlobal: no 0/8, 127/8, 169.254/16, RFC 1918, 224/4...). */
    public static Arbitrary<Integer> globalAddresses() {
        return Arbitraries.integers().filter(SpecialAddresses::isGlobal);
    }

    /** Global IPv4 addresses of the world: often inside one of its EAMs, otherwise anywhere (pool6). */
    public static Arbitrary<Integer> addressesIn(World w) {
        if (w.eams().isEmpty()) return globalAddresses();
        Arbitrary<Integer> inEam = Combinators.combine(
                Arbitraries.integers().between(0, w.eams().size() - 1), Arbitraries.integers())
                .as((i, r) -> {
                    Ipv4Prefix p = w.eams().get(i).ipv4();
                    return p.address() | (r & ~p.mask());
                })
                .filter(SpecialAddresses::isGlobal);
        return Arbitraries.oneOf(inEam, globalAddresses());
    }

    // ------------------------------------------------------------------ reference mappings, bit by bit

    private static boolean bit(long hi, long lo, int i) {
        return i < 64 ? ((hi >>> (63 - i)) & 1) != 0 : ((lo >>> (127 - i)) & 1) != 0;
    }

    private static void setBit(byte[] a, int i) {
        a[i >>> 3] |= (byte) (0x80 >>> (i & 7));
    }

    /** RFC 6052 s2.2: prefix bits, then the 32 IPv4 bits skipping bits 64-71 (u), then zeros. */
    public static byte[] referenceRfc6052Embed(Ipv6Prefix prefix, int v4) {
        byte[] a = new byte[16];
        int l = prefix.length();
        for (int i = 0; i < l; i++) if (bit(prefix.hi(), prefix.lo(), i)) setBit(a, i);
        int pos = l;
        for (int k = 0; k < 32; k++) {
            if (pos == 64) pos = 72;
            if (((v4 >>> (31 - k)) & 1) != 0) setBit(a, pos);
            pos++;
        }
        return a;
    }

    /** RFC 7757 s3.3: the IPv6 prefix, then the IPv4 suffix (bits after the IPv4 prefix length), then zeros. */
    public static byte[] referenceEam46(Eam e, int v4) {
        byte[] a = new byte[16];
        int p6 = e.ipv6().length();
        int p4 = e.ipv4().length();
        for (int i = 0; i < p6; i++) if (bit(e.ipv6().hi(), e.ipv6().lo(), i)) setBit(a, i);
        for (int k = p4; k < 32; k++) if (((v4 >>> (31 - k)) & 1) != 0) setBit(a, p6 + (k - p4));
        return a;
    }
}
