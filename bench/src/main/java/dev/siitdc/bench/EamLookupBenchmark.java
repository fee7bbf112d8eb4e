package dev.siitdc.bench;

import dev.siitdc.core.addr.Ipv4Prefix;
import dev.siitdc.core.addr.Ipv6Prefix;
import dev.siitdc.core.eam.Eam;
import dev.siitdc.core.eam.EamTable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * EAM table lookups (RFC 7757 s3.3) in a large table: {@code entries} EAMs, all /32 <-> /128 except
 * 1,000 /24 <-> /120 blocks (so two prefix lengths are present on each side, as in a real EAMT).
 * Every lookup hits: the queries are 2^20 addresses drawn at random (seeded) from all entries, walked
 * in order, so caches see a realistic random access pattern over the ~90 MB of tables.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EamLookupBenchmark {
    @Param({"1000000"})
    public int entries;

    private static final int BLOCKS = 1000;
    private static final int QUERIES = 1 << 20;

    private EamTable table;
    private int[] queries4;
    private byte[] queries6;
    private final byte[] out = new byte[16];
    private int next;

    @Setup(Level.Trial)
    public void setup() {
        int singles = entries - BLOCKS;
        List<Eam> eams = new ArrayList<>(entries);
        for (int i = 0; i < singles; i++) eams.add(new Eam(new Ipv4Prefix(single4(i), 32), new Ipv6Prefix(HI32, single6lo(i), 128)));
        for (int j = 0; j < BLOCKS; j++)
            eams.add(new Eam(new Ipv4Prefix(block4(j), 24), new Ipv6Prefix(HI24, (long) j << 8, 120)));
        table = EamTable.of(eams);

        SplittableRandom r = new SplittableRandom(42);
        queries4 = new int[QUERIES];
        queries6 = new byte[16 * QUERIES];
        for (int q = 0; q < QUERIES; q++) {
            int e = r.nextInt(entries);
            long hi, lo;
            if (e < singles) {
                queries4[q] = single4(e);
                hi = HI32;
                lo = single6lo(e);
            } else {
                int j = e - singles, host = r.nextInt(256);
                queries4[q] = block4(j) | host;
                hi = HI24;
                lo = ((long) j << 8) | host;
            }
            Ipv6Prefix.write(hi, lo, queries6, 16 * q);
        }
        // sanity: the first queries hit and map back and forth
        for (int q = 0; q < 1000; q++) {
            if (!table.translate4to6(queries4[q], out, 0)) throw new IllegalStateException("4->6 miss");
            if (table.translate6to4(queries6, 16 * q) != (queries4[q] & 0xffff_ffffL)) throw new IllegalStateException("6->4 mismatch");
        }
    }

    private static final long HI32 = 0x2001_0db8_0100_0000L;   // 2001:db8:100::/64 (singles)
    private static final long HI24 = 0x2001_0db8_0200_0000L;   // 2001:db8:200::/64 (blocks)

    /** Distinct addresses in 10.0.0.0/8: an odd multiplier is a bijection mod 2^24. */
    private static int single4(int i) { return 0x0a00_0000 | ((i * 0x9e37_79b1) & 0x00ff_ffff); }

    private static long single6lo(int i) { return (i * 0x85eb_ca6bL) & 0xffff_ffffL; }

    /** Distinct /24s in 172.16.0.0/12. */
    private static int block4(int j) { return 0xac10_0000 | (j << 8); }

    @Benchmark
    public boolean translate4to6() {
        int q = next++ & (QUERIES - 1);
        return table.translate4to6(queries4[q], out, 0);
    }

    @Benchmark
    public long translate6to4() {
        int q = next++ & (QUERIES - 1);
        return table.translate6to4(queries6, 16 * q);
    }
}
