package dev.siitdc.core.eam;

import dev.siitdc.core.addr.Ipv4Prefix;
import dev.siitdc.core.addr.Ipv6Prefix;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link EamTable#with} and {@link EamTable#without} change only the hash tables they must (copies, no
 * rehash); whatever sequence of them, the table answers exactly as one built from scratch with the same
 * entries, and the tables it came from are unchanged.
 */
class EamTableIncrementalTest {
    static final int[] LENS4 = {8, 16, 24, 28, 32};

    static Eam random(Random r, int i) {
        int p4 = LENS4[r.nextInt(LENS4.length)];
        int p6 = Math.max(96 + (32 - p4) == 128 ? 96 : 96, 128 - (32 - p4) - r.nextInt(3) * 8);
        int v4 = r.nextInt() & Ipv4Prefix.maskOf(p4);
        long hi = 0x20010db800000000L | (r.nextInt(4) & 0xffffL) << 16 | (i & 0xffff), lo = r.nextLong();
        Ipv6Prefix six = new Ipv6Prefix(hi & Ipv6Prefix.maskHi(p6), lo & Ipv6Prefix.maskLo(p6), p6);
        return new Eam(new Ipv4Prefix(v4, p4), six);
    }

    static void assertSameAnswers(EamTable t, List<Eam> expected, Random r, List<Eam> probes) {
        assertThat(t.entries()).containsExactlyElementsOf(expected);
        assertThat(t.size()).isEqualTo(expected.size());
        EamTable fresh = EamTable.of(expected);
        List<Integer> addrs = new ArrayList<>();
        for (Eam e : probes) addrs.add(e.ipv4().address() | (r.nextInt() & ~Ipv4Prefix.maskOf(e.ipv4().length())));
        for (int i = 0; i < 50; i++) addrs.add(r.nextInt());
        for (int v4 : addrs) {
            assertThat(t.find4(v4)).isEqualTo(fresh.find4(v4));
            byte[] a = new byte[16], b = new byte[16];
            assertThat(t.translate4to6(v4, a, 0)).isEqualTo(fresh.translate4to6(v4, b, 0));
            assertThat(a).isEqualTo(b);
        }
        for (Eam e : probes) {
            long hi = e.ipv6().hi() | (r.nextLong() & ~Ipv6Prefix.maskHi(e.ipv6().length()));
            long lo = e.ipv6().lo() | (r.nextLong() & ~Ipv6Prefix.maskLo(e.ipv6().length()));
            assertThat(t.find6(hi, lo)).isEqualTo(fresh.find6(hi, lo));
            assertThat(t.translate6to4(hi, lo)).isEqualTo(fresh.translate6to4(hi, lo));
            assertThat(t.find6(e.ipv6().hi(), e.ipv6().lo())).isEqualTo(fresh.find6(e.ipv6().hi(), e.ipv6().lo()));
        }
    }

    @Test
    void randomSequencesAnswerAsATableBuiltFromScratch() {
        for (long seed = 1; seed <= 30; seed++) {
            Random r = new Random(seed);
            EamTable t = EamTable.EMPTY;
            List<Eam> expected = new ArrayList<>(), all = new ArrayList<>();
            for (int step = 0; step < 400; step++) {
                if (expected.isEmpty() || r.nextInt(3) != 0) {
                    Eam e = random(r, step);
                    boolean clash = expected.stream().anyMatch(x -> x.ipv4().equals(e.ipv4()) || x.ipv6().equals(e.ipv6()));
                    if (clash) {
                        EamTable before = t;
                        assertThatThrownBy(() -> before.with(e)).hasMessageStartingWith("duplicate IPv");
                        continue;
                    }
                    EamTable before = t;
                    List<Eam> beforeEntries = List.copyOf(expected);
                    t = t.with(e);
                    expected.add(e);
                    all.add(e);
                    assertThat(before.entries()).containsExactlyElementsOf(beforeEntries);
                } else {
                    Eam e = expected.get(r.nextInt(expected.size()));
                    EamTable before = t;
                    t = t.without(e);
                    expected.remove(e);
                    assertThat(before.entries()).contains(e);
                }
                if (step % 20 == 0) assertSameAnswers(t, expected, r, all);
            }
            assertSameAnswers(t, expected, r, all);
        }
    }

    @Test
    void tenThousandSlash32sComeAndGo() {
        EamTable t = EamTable.EMPTY;
        Eam[] es = new Eam[10_000];
        for (int i = 0; i < es.length; i++) {
            es[i] = Eam.parse("10.0." + (i >> 8) + "." + (i & 255), "2001:db8:e::" + Integer.toHexString(i));
            t = t.with(es[i]);
        }
        assertThat(t.size()).isEqualTo(10_000);
        byte[] out = new byte[16];
        assertThat(t.translate4to6(Ipv4Prefix.parseAddress("10.0.39.15"), out, 0)).isTrue();
        Random r = new Random(7);
        List<Eam> order = new ArrayList<>(Arrays.asList(es));
        java.util.Collections.shuffle(order, r);
        List<Eam> expected = new ArrayList<>(Arrays.asList(es));
        for (int i = 0; i < order.size(); i++) {
            t = t.without(order.get(i));
            expected.remove(order.get(i));
            if (i % 1000 == 0) assertSameAnswers(t, expected, r, List.of(es).subList(0, 200));
        }
        assertThat(t).isSameAs(EamTable.EMPTY);
    }
}
