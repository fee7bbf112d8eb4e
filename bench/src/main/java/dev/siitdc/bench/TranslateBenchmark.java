package dev.siitdc.bench;

import dev.siitdc.core.xlat.Counter;
import dev.siitdc.core.xlat.PacketSink;
import dev.siitdc.core.xlat.Translator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * Per-packet cost of {@link Translator#translate} on a Border Relay configuration
 * ({@link BenchPackets#brConfig()}).
 *
 * <p>The translator works in place, so every op first restores the input: it copies the template
 * packet into the working buffer at {@link Translator#HEADROOM} with System.arraycopy. That copy IS
 * part of the measured time; {@link CopyBaselineBenchmark} measures the copy alone for the same sizes
 * (translation cost = this - baseline). The sink hands every emitted packet to a Blackhole.
 * Run with {@code -prof gc}: gc.alloc.rate.norm is the bytes allocated per op (expected ~0).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TranslateBenchmark {

    /** Consumes emitted packets; the Blackhole is set per op (a field write, no allocation). */
    static final class BlackholeSink implements PacketSink {
        Blackhole bh;

        @Override
        public void emit(byte[] buf, int off, int len) {
            bh.consume(buf);
            bh.consume(off);
            bh.consume(len);
        }
    }

    private Translator translator;
    private final BlackholeSink sink = new BlackholeSink();
    private final byte[] buf = new byte[Translator.HEADROOM + 2048];

    private byte[] tcp4_1500, tcp6_1520, udp4_64, udp6_84, icmp4Error, icmp6Error;

    @Setup(Level.Trial)
    public void setup() {
        translator = new Translator(BenchPackets.brConfig());
        tcp4_1500 = BenchPackets.tcp4(1500);
        tcp6_1520 = BenchPackets.tcp6(1520);
        udp4_64 = BenchPackets.udp4(64);
        udp6_84 = BenchPackets.udp6(84);
        icmp4Error = BenchPackets.icmp4TimeExceeded();
        icmp6Error = BenchPackets.icmp6TimeExceeded();
        // Fail fast if a template does not take the translating path (e.g. a config change drops it).
        expect(tcp4_1500, 6, 1520, Counter.TRANSLATED46);
        expect(tcp6_1520, 4, 1500, Counter.TRANSLATED64);
        expect(udp4_64, 6, 84, Counter.TRANSLATED46);
        expect(udp6_84, 4, 64, Counter.TRANSLATED64);
        expect(icmp4Error, 6, 48 + 20 + 548, Counter.TRANSLATED46);
        expect(icmp6Error, 4, 576, Counter.TRANSLATED64);   // cut to 576 (RFC 1812 s4.3.2.3)
    }

    private void expect(byte[] tpl, int version, int length, Counter counter) {
        Translator t = new Translator(BenchPackets.brConfig());
        byte[] b = new byte[Translator.HEADROOM + tpl.length];
        System.arraycopy(tpl, 0, b, Translator.HEADROOM, tpl.length);
        int[] got = new int[3];
        t.translate(b, Translator.HEADROOM, tpl.length, (o, off, len) -> {
            got[0]++;
            got[1] = (o[off] & 0xff) >>> 4;
            got[2] = len;
        });
        if (got[0] != 1 || got[1] != version || got[2] != length || t.counters().get(counter) != 1) {
            StringBuilder why = new StringBuilder();
            t.counters().forEachNonZero((c, v) -> why.append(' ').append(c.operatorName()).append('=').append(v));
            throw new IllegalStateException("template of " + tpl.length + " bytes: expected one IPv" + version
                    + " packet of " + length + " bytes, got " + got[0] + " packet(s), IPv" + got[1] + ", "
                    + got[2] + " bytes; counters:" + why);
        }
    }

    private void run(byte[] tpl, Blackhole bh) {
        System.arraycopy(tpl, 0, buf, Translator.HEADROOM, tpl.length);
        sink.bh = bh;
        translator.translate(buf, Translator.HEADROOM, tpl.length, sink);
    }

    /** IPv4 TCP, 1500 bytes, DF -> IPv6 1520 bytes (pool6 source, EAM destination). */
    @Benchmark
    public void tcp4to6_1500(Blackhole bh) { run(tcp4_1500, bh); }

    /** IPv6 TCP, 1520 bytes -> IPv4 1500 bytes (EAM source, pool6 destination). */
    @Benchmark
    public void tcp6to4_1520(Blackhole bh) { run(tcp6_1520, bh); }

    /** IPv4 UDP, 64 bytes -> IPv6 84 bytes. */
    @Benchmark
    public void udp4to6_64(Blackhole bh) { run(udp4_64, bh); }

    /** IPv6 UDP, 84 bytes -> IPv4 64 bytes. */
    @Benchmark
    public void udp6to4_84(Blackhole bh) { run(udp6_84, bh); }

    /** ICMPv4 Time Exceeded (576 bytes, quoting 548 bytes of a TCP packet) -> ICMPv6 (616 bytes). */
    @Benchmark
    public void icmpError4to6_576(Blackhole bh) { run(icmp4Error, bh); }

    /** ICMPv6 Time Exceeded (1280 bytes, quoting 1232 bytes of a TCP packet) -> ICMPv4 (cut to 576 bytes). */
    @Benchmark
    public void icmpError6to4_1280(Blackhole bh) { run(icmp6Error, bh); }
}
