package dev.siitdc.dataplane.fastpath;

import dev.siitdc.core.addr.Ipv4Prefix;
import dev.siitdc.core.addr.Ipv6Prefix;
import dev.siitdc.core.addr.Pool6;
import dev.siitdc.core.config.ConfigException;
import dev.siitdc.core.config.HairpinMode;
import dev.siitdc.core.config.TranslatorConfig;
import dev.siitdc.core.eam.Eam;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random valid TCP, UDP and ICMP echo packets of both families, under random pool6 prefixes of every
 * RFC 6052 length and random EAMs: the BPF program's output is the core's, byte for byte, or an explicit
 * punt; and at least 95 % of them are translated, not punted.
 */
class FastPathPropertyTest {
    private static final int[] POOL6_LENGTHS = { 32, 40, 48, 56, 64, 96 };
    private static final AtomicInteger TRANSLATED = new AtomicInteger(), PUNTED = new AtomicInteger();
    private static final FastPathEquivalence EQ = new FastPathEquivalence();

    @Property(tries = 1000)
    void randomValidPacketsAreTranslatedAsTheCoreDoes(@ForAll long seed) throws Exception {
        FastPathEquivalence.fastPath();
        Random r = new Random(seed);
        TranslatorConfig cfg = config(r);
        EQ.configure(cfg, cfg.eamt());
        byte[] packet = packet(r, cfg);
        FastPathEquivalence.Outcome o = EQ.check("seed " + seed, packet);
        (o == FastPathEquivalence.Outcome.TRANSLATED ? TRANSLATED : PUNTED).incrementAndGet();
    }

    @AfterContainer
    static void atLeast95PercentTranslated() {
        int t = TRANSLATED.get(), p = PUNTED.get();
        if (t + p == 0) return;     // skipped (not root, no object)
        System.out.printf("fast path on random valid packets: %d translated, %d punted (%.1f %% translated)%n",
                t, p, 100.0 * t / (t + p));
        try {
            StringBuilder why = new StringBuilder();
            FastPathEquivalence.fastPath().counters().forEach((c, n) -> {
                if (c.isPunt() && n > 0) why.append(' ').append(c.metricName()).append('=').append(n);
            });
            System.out.println("punt counters (all fast-path tests of this JVM):" + why);
        } catch (dev.siitdc.linux.bpf.BpfException e) {
            throw new AssertionError(e.getMessage(), e);
        }
        assertThat((double) t / (t + p)).as("share of random valid packets translated").isGreaterThanOrEqualTo(0.95);
    }

    static TranslatorConfig config(Random r) throws ConfigException {
        for (;;) {
            TranslatorConfig.Builder b = TranslatorConfig.builder();
            if (r.nextInt(10) != 0) {
                int l = POOL6_LENGTHS[r.nextInt(POOL6_LENGTHS.length)];
                byte[] a = new byte[16];
                a[0] = 0x3f;
                a[1] = (byte) 0xff;
                for (int i = 2; i < l / 8; i++) a[i] = (byte) r.nextInt(256);
                a[8] = 0;     // the u octet (RFC 6052 s2.2)
                b.pool6 = new Ipv6Prefix(Ipv6Prefix.readHi(a, 0), Ipv6Prefix.readLo(a, 0), l);
            }
            List<Eam> eams = new ArrayList<>();
            int n = r.nextInt(5) + (b.pool6 == null ? 1 : 0);
            for (int i = 0; i < n; i++) {
                int p4 = 16 + r.nextInt(17);
                int v4 = (20 + r.nextInt(80)) << 24 | r.nextInt(1 << 24);
                int p6 = 64 + r.nextInt(Math.min(128, 96 + p4) - 64 + 1);
                byte[] a = new byte[16];
                r.nextBytes(a);
                a[0] = 0x20; a[1] = 0x01; a[2] = 0x0d; a[3] = (byte) 0xb8;
                long hi = Ipv6Prefix.readHi(a, 0) & Ipv6Prefix.maskHi(p6), lo = Ipv6Prefix.readLo(a, 0) & Ipv6Prefix.maskLo(p6);
                eams.add(new Eam(new Ipv4Prefix(v4 & Ipv4Prefix.maskOf(p4), p4), new Ipv6Prefix(hi, lo, p6)));
            }
            b.eamt = eams;
            b.eamHairpinMode = HairpinMode.values()[r.nextInt(3)];
            b.zeroizeTrafficClass = r.nextInt(5) == 0;
            b.overrideTos = r.nextInt(5) == 0;
            b.tos = r.nextInt(256);
            try {
                return b.build();
            } catch (ConfigException | IllegalArgumentException e) {
                // two EAMs with the same prefix: draw again
            }
        }
    }

    /** An IPv4 address the configuration maps: inside an EAM, or (with pool6) a random unicast one. */
    static int mappable4(Random r, TranslatorConfig c) {
        if (!c.eamt().isEmpty() && (c.pool6() == null || r.nextBoolean())) {
            Ipv4Prefix p = c.eamt().get(r.nextInt(c.eamt().size())).ipv4();
            return p.address() | (r.nextInt() & ~p.mask());
        }
        return (20 + r.nextInt(80)) << 24 | r.nextInt(1 << 24);
    }

    static byte[] mappable6(Random r, TranslatorConfig c) {
        byte[] a = new byte[16];
        if (!c.eamt().isEmpty() && (c.pool6() == null || r.nextBoolean())) {
            Eam e = c.eamt().get(r.nextInt(c.eamt().size()));
            e.translate4to6(e.ipv4().address() | (r.nextInt() & ~e.ipv4().mask()), a, 0);
        } else {
            new Pool6(c.pool6()).embed((20 + r.nextInt(80)) << 24 | r.nextInt(1 << 24), a, 0);
        }
        return a;
    }

    static byte[] packet(Random r, TranslatorConfig c) {
        int payload = r.nextInt(300);
        if (r.nextBoolean()) {
            int proto = new int[] { 6, 17, 1 }[r.nextInt(3)];
            return FastPathPackets.ipv4(r, mappable4(r, c), mappable4(r, c), proto, payload);
        }
        int proto = new int[] { 6, 17, 58 }[r.nextInt(3)];
        return FastPathPackets.ipv6(r, mappable6(r, c), mappable6(r, c), proto, payload);
    }
}
