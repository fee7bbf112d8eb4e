package dev.siitdc.dataplane.fastpath;

import dev.siitdc.core.addr.Ipv4Prefix;
import dev.siitdc.core.addr.Ipv6Prefix;
import dev.siitdc.core.config.TranslatorConfig;
import dev.siitdc.core.eam.Eam;
import dev.siitdc.core.xlat.Translator;
import dev.siitdc.linux.bpf.Bpf;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generation swap is atomic: while 1,000 updates alternate between two configurations (other pool6
 * prefix and length, other EAM for the same IPv4 prefix, zeroize-traffic-class on and off), every packet
 * run through the program comes out exactly as one of the two configurations translates it, never a mix;
 * and a flow whose mapping is the same in both is translated, the same way, every time.
 */
class FastPathGenerationTest {
    @Test
    void aPacketNeverSeesHalfATable() throws Exception {
        FastPath fp = FastPathEquivalence.fastPath();
        Eam stable = Eam.parse("40.0.0.0/24", "2001:db8:c::/120");
        TranslatorConfig a = config("3fff:a::/96", Eam.parse("20.0.0.0/24", "2001:db8:a::/120"), stable, false);
        TranslatorConfig b = config("3fff:b:0:1::/64", Eam.parse("20.0.0.0/24", "2001:db8:b::/112"), stable, true);
        Random r = new Random(7);
        byte[] changing = FastPathPackets.ipv4(r, Ipv4Prefix.parseAddress("20.0.0.5"), Ipv4Prefix.parseAddress("30.1.2.3"), 17, 64);
        changing[1] = 0x28;                       // TOS, zeroized by b only
        fixHeaderChecksum(changing);
        byte[] unchanged = FastPathPackets.ipv4(r, Ipv4Prefix.parseAddress("40.0.0.1"), Ipv4Prefix.parseAddress("40.0.0.2"), 6, 100);
        unchanged[1] = 0;
        fixHeaderChecksum(unchanged);
        byte[] outA = core(a, changing), outB = core(b, changing), outStable = core(a, unchanged);
        assertThat(outA).isNotEqualTo(outB);
        assertThat(core(b, unchanged)).isEqualTo(outStable);

        fp.graceNanos(2_000_000);                 // a test run lasts microseconds
        fp.install(a, true);
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger seenA = new AtomicInteger(), seenB = new AtomicInteger(), stableOk = new AtomicInteger();
        AtomicReference<String> bad = new AtomicReference<>();
        List<Thread> runners = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            Thread th = new Thread(() -> {
                try {
                    byte[] f1 = FastPathEquivalence.frame(changing), f2 = FastPathEquivalence.frame(unchanged);
                    while (!done.get() && bad.get() == null) {
                        byte[] o = Arrays.copyOfRange(fp.testRun(f1).data(), 14, 14 + outA.length);
                        if (Arrays.equals(o, outA)) seenA.incrementAndGet();
                        else if (Arrays.equals(o, outB)) seenB.incrementAndGet();
                        else bad.compareAndSet(null, "a packet translated by neither configuration: " + java.util.HexFormat.of().formatHex(o));
                        Bpf.TestRun s = fp.testRun(f2);
                        if (Arrays.equals(Arrays.copyOfRange(s.data(), 14, s.data().length), outStable)) stableOk.incrementAndGet();
                        else bad.compareAndSet(null, "the flow whose mapping does not change came out otherwise");
                    }
                } catch (Exception e) {
                    bad.compareAndSet(null, e.toString());
                }
            });
            th.start();
            runners.add(th);
        }
        try {
            for (int i = 0; i < 1000; i++) fp.install(i % 2 == 0 ? b : a, true);
        } finally {
            done.set(true);
            for (Thread th : runners) th.join();
            fp.graceNanos(0);
        }
        System.out.printf("generation swap: 1000 updates, %d packets as a, %d as b, %d of the unchanged flow intact%n",
                seenA.get(), seenB.get(), stableOk.get());
        assertThat(bad.get()).isNull();
        assertThat(seenA.get()).isPositive();
        assertThat(seenB.get()).isPositive();
    }

    static TranslatorConfig config(String pool6, Eam e, Eam stable, boolean zeroize) throws Exception {
        TranslatorConfig.Builder b = TranslatorConfig.builder();
        b.pool6 = Ipv6Prefix.parse(pool6);
        b.eamt = List.of(e, stable);
        b.zeroizeTrafficClass = zeroize;
        return b.build();
    }

    static void fixHeaderChecksum(byte[] p) {
        FastPathPackets.put16(p, 10, 0);
        FastPathPackets.put16(p, 10, ~FastPathPackets.sum(p, 0, 20) & 0xffff);
    }

    static byte[] core(TranslatorConfig c, byte[] packet) {
        byte[] buf = new byte[Translator.HEADROOM + packet.length + 64];
        System.arraycopy(packet, 0, buf, Translator.HEADROOM, packet.length);
        byte[][] out = new byte[1][];
        new Translator(c).translate(buf, Translator.HEADROOM, packet.length,
                (x, off, len) -> out[0] = Arrays.copyOfRange(x, off, off + len));
        assertThat(out[0]).as("core output").isNotNull();
        return out[0];
    }
}
