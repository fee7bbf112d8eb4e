package dev.siitdc.bench;

import dev.siitdc.core.xlat.Translator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * Baseline for {@link TranslateBenchmark}: only the per-op restore of the input (System.arraycopy of
 * the template into the working buffer at HEADROOM), for each template size used there. Subtract it
 * from the matching translate benchmark to get the net translation cost.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CopyBaselineBenchmark {
    /** 1500: tcp4to6, 1520: tcp6to4, 64: udp4to6, 84: udp6to4, 576: icmpError4to6, 1280: icmpError6to4. */
    @Param({"64", "84", "576", "1280", "1500", "1520"})
    public int size;

    private byte[] template;
    private final byte[] buf = new byte[Translator.HEADROOM + 2048];

    @Setup(Level.Trial)
    public void setup() {
        template = BenchPackets.filler(size);
    }

    @Benchmark
    public void copy(Blackhole bh) {
        System.arraycopy(template, 0, buf, Translator.HEADROOM, template.length);
        bh.consume(buf);
    }
}
