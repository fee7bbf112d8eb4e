package dev.siitdc.core.eam;

import dev.siitdc.core.addr.Ipv4Prefix;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class Ipv4CoverTest {
    private static List<Ipv4Prefix> p(String... s) {
        List<Ipv4Prefix> out = new ArrayList<>();
        for (String x : s) out.add(Ipv4Prefix.parse(x));
        return out;
    }

    @Test
    @DisplayName("contiguous, nested and separate prefixes: the fewest blocks, nothing more covered")
    void merges() {
        assertThat(Ipv4Cover.of(p("10.0.0.0/25", "10.0.0.128/25"))).isEqualTo(p("10.0.0.0/24"));
        assertThat(Ipv4Cover.of(p("10.0.0.5", "10.0.0.0/24", "192.0.2.1"))).isEqualTo(p("10.0.0.0/24", "192.0.2.1/32"));
        assertThat(Ipv4Cover.of(p("10.0.0.1", "10.0.0.2"))).isEqualTo(p("10.0.0.1/32", "10.0.0.2/32"));
        assertThat(Ipv4Cover.of(p("10.0.0.2", "10.0.0.3", "10.0.0.4"))).isEqualTo(p("10.0.0.2/31", "10.0.0.4/32"));
        assertThat(Ipv4Cover.of(p("0.0.0.0/1", "128.0.0.0/1"))).isEqualTo(p("0.0.0.0/0"));
        assertThat(Ipv4Cover.of(p("255.255.255.255", "0.0.0.0"))).isEqualTo(p("0.0.0.0/32", "255.255.255.255/32"));
        assertThat(Ipv4Cover.of(List.of())).isEmpty();
    }

    @Test
    @DisplayName("100,000 consecutive /32s are a handful of routes")
    void consecutive() {
        List<Ipv4Prefix> in = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) in.add(new Ipv4Prefix((10 << 24) | i, 32));
        List<Ipv4Prefix> c = Ipv4Cover.of(in);
        assertThat(c).hasSizeLessThan(20).startsWith(Ipv4Prefix.parse("10.0.0.0/16"));
        assertThat(c.stream().mapToLong(x -> 1L << (32 - x.length())).sum()).isEqualTo(100_000);
    }

    @Test
    @DisplayName("random prefixes inside 10.0.0.0/16: the cover holds exactly their addresses")
    void exact() {
        Random r = new Random(7);
        for (int round = 0; round < 50; round++) {
            BitSet want = new BitSet(1 << 16), got = new BitSet(1 << 16);
            List<Ipv4Prefix> in = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int len = 16 + r.nextInt(17);
                int a = ((10 << 24) | r.nextInt(1 << 16)) & Ipv4Prefix.maskOf(len);
                in.add(new Ipv4Prefix(a, len));
                int lo = a & 0xffff;
                want.set(lo, lo + (1 << (32 - len)));
            }
            for (Ipv4Prefix c : Ipv4Cover.of(in)) {
                int lo = c.address() & 0xffff;
                got.set(lo, lo + (1 << (32 - c.length())));
            }
            assertThat(got).isEqualTo(want);
        }
    }
}
