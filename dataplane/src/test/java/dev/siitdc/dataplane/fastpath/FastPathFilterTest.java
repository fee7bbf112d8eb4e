package dev.siitdc.dataplane.fastpath;

import dev.siitdc.core.addr.Ipv4Prefix;
import dev.siitdc.core.addr.Ipv6Prefix;
import dev.siitdc.core.addr.Pool6;
import dev.siitdc.core.config.ConfigException;
import dev.siitdc.core.eam.EamTable;
import dev.siitdc.core.config.TranslatorConfig;
import dev.siitdc.core.eam.Eam;
import dev.siitdc.dataplane.ServiceAddress;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 7756 s6 in the fast path: under an Edge Relay's filters (node- and network-based, random Service
 * Addresses), every packet RelayFilter would drop on the TUN path is punted to it, and every other one
 * is translated as the core translates it (or punted).
 */
class FastPathFilterTest {
    private static final AtomicInteger FILTERED = new AtomicInteger(), TRANSLATED = new AtomicInteger(), PUNTED = new AtomicInteger();
    private static final FastPathEquivalence EQ = new FastPathEquivalence();

    @Property(tries = 500)
    void whatTheEdgeRelayFilterDropsIsPuntedTheRestTranslatedAsTheCoreDoes(@ForAll long seed) throws Exception {
        FastPathEquivalence.fastPath();
        Random r = new Random(seed);
        TranslatorConfig cfg;
        List<ServiceAddress> sas = new ArrayList<>();
        for (;;) {
            TranslatorConfig base;
            do base = FastPathPropertyTest.config(r); while (base.pool6() == null);
            // the Service Addresses' own EAMs (/32 <-> /128), as an Edge Relay's configuration holds them
            List<Eam> eamt = new ArrayList<>(base.eamt());
            List<Integer> v4s = new ArrayList<>();
            for (int i = 0, n = 1 + r.nextInt(2); i < n; i++) {
                int v4 = (20 + r.nextInt(80)) << 24 | r.nextInt(1 << 24);
                byte[] a = { 0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0x5a, 0, 0, 0, 0, 0, 0, 0, 0, (byte) i, (byte) r.nextInt(256) };
                eamt.add(new Eam(new Ipv4Prefix(v4, 32), new Ipv6Prefix(Ipv6Prefix.readHi(a, 0), Ipv6Prefix.readLo(a, 0), 128)));
                v4s.add(v4);
            }
            TranslatorConfig.Builder b = base.toBuilder();
            b.eamt = eamt;
            try {
                cfg = b.build();
                sas.clear();
                for (int v4 : v4s) sas.add(ServiceAddress.resolve(v4, EamTable.of(cfg.eamt())));
                break;
            } catch (ConfigException | IllegalArgumentException e) {
                // a clash with a random EAM: draw again
            }
        }
        FastPathFilter filter = new FastPathFilter(true, r.nextBoolean(), sas);
        EQ.configure(cfg, cfg.eamt(), filter);
        ServiceAddress sa = sas.get(r.nextInt(sas.size()));
        int payload = r.nextInt(200);
        byte[] packet;
        if (r.nextBoolean()) {
            int src = switch (r.nextInt(3)) {
                case 0 -> sa.ipv4();                                   // passes every filter
                case 1 -> FastPathPropertyTest.mappable4(r, cfg);      // EAM-covered or not
                default -> (20 + r.nextInt(80)) << 24 | r.nextInt(1 << 24);
            };
            packet = FastPathPackets.ipv4(r, src, FastPathPropertyTest.mappable4(r, cfg), new int[] { 6, 17, 1 }[r.nextInt(3)], payload);
        } else {
            byte[] src = switch (r.nextInt(3)) {
                case 0 -> sa.ipv6Bytes();                              // a local Service Address
                case 1 -> pool6Of(cfg, sa.ipv4());                     // maps to one
                default -> FastPathPropertyTest.mappable6(r, cfg);
            };
            packet = FastPathPackets.ipv6(r, src, FastPathPropertyTest.mappable6(r, cfg), new int[] { 6, 17, 58 }[r.nextInt(3)], payload);
        }
        boolean dropsOnTun = EQ.coreOutput(packet) == null;
        FastPathEquivalence.Outcome o = EQ.check("seed " + seed, packet);
        if (o == FastPathEquivalence.Outcome.TRANSLATED) TRANSLATED.incrementAndGet();
        else if (dropsOnTun) FILTERED.incrementAndGet();
        else PUNTED.incrementAndGet();
    }

    private static byte[] pool6Of(TranslatorConfig c, int v4) {
        byte[] a = new byte[16];
        new Pool6(c.pool6()).embed(v4, a, 0);
        return a;
    }

    @AfterContainer
    static void report() {
        int t = TRANSLATED.get(), f = FILTERED.get(), p = PUNTED.get();
        if (t + f + p == 0) return;
        System.out.printf("fast path under the RFC 7756 s6 filters: %d translated, %d punted (the TUN path drops or"
                + " refuses them), %d other punts%n", t, f, p);
        assertThat(t).isPositive();
        assertThat(f).isPositive();
    }
}
