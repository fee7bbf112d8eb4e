package dev.siitdc.dataplane.fastpath;

import dev.siitdc.core.addr.Ipv4Prefix;
import dev.siitdc.core.addr.Ipv6Prefix;
import dev.siitdc.core.config.TranslatorConfig;
import dev.siitdc.core.eam.Eam;
import dev.siitdc.linux.bpf.Bpf;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CPU per translated packet inside the BPF program (issue 14 target: at most 300 ns), from the time
 * BPF_PROG_TEST_RUN measures. One run with {@code repeat = 250} on one packet: each run translates what
 * the one before left, so the runs alternate 4->6 and 6->4 (an EAM source, a pool6 destination; the
 * TTL falls by one each time) and all 250 are translations; the mean excludes the timer's own cost.
 * The best mean of 5 such rounds is taken, as a benchmark does on a shared machine.
 * The median of single runs, which includes it, is printed beside.
 */
class FastPathCostTest {
    private static final int RUNS = 250;

    @Test
    void aTranslatedPacketCostsAtMost300NanosecondsInTheProgram() throws Exception {
        FastPath fp = FastPathEquivalence.fastPath();
        TranslatorConfig.Builder b = TranslatorConfig.builder();
        b.pool6 = Ipv6Prefix.parse("3fff:a::/96");
        b.eamt = List.of(Eam.parse("20.0.0.0/24", "2001:db8:a::/120"));
        fp.install(b.build(), true);
        Random r = new Random(1);
        int src4 = Ipv4Prefix.parseAddress("20.0.0.5"), dst4 = Ipv4Prefix.parseAddress("30.1.2.3");
        StringBuilder report = new StringBuilder("fast path CPU per translated packet, 64-byte payload:");
        for (int proto : new int[] { 6, 17, 1 }) {
            byte[] p = FastPathPackets.ipv4(r, src4, dst4, proto, 64);
            p[8] = (byte) 255;
            FastPathGenerationTest.fixHeaderChecksum(p);
            byte[] frame = FastPathEquivalence.frame(p);
            // the best of 5 rounds: the program's own cost, not the other tenants' of this machine
            long mean = Long.MAX_VALUE;
            for (int round = 0; round < 5; round++) {
                long before = translated(fp);
                Bpf.TestRun run = Bpf.testRun(fp.ethProgramFd(), frame, frame.length + 64, RUNS);
                assertThat(translated(fp) - before).as("every run translated").isEqualTo(RUNS);
                mean = Math.min(mean, Integer.toUnsignedLong(run.durationNs()));
            }
            report.append(String.format(" %s %d ns (single runs, timer included: %d ns);", name(proto), mean,
                    medianSingle(fp, frame)));
            assertThat(mean).as(name(proto) + " ns per translated packet").isLessThanOrEqualTo(300);
        }
        System.out.println(report);
    }

    private static long translated(FastPath fp) throws Exception {
        var c = fp.counters();
        return c.get(FastPathCounter.TRANSLATED46) + c.get(FastPathCounter.TRANSLATED64);
    }

    private static String name(int proto) {
        return switch (proto) { case 6 -> "TCP"; case 17 -> "UDP"; default -> "ICMP echo"; };
    }

    private static long medianSingle(FastPath fp, byte[] frame) throws Exception {
        long[] d = new long[1000];
        for (int i = 0; i < d.length; i++) d[i] = Integer.toUnsignedLong(fp.testRun(frame).durationNs());
        Arrays.sort(d);
        return d[d.length / 2];
    }
}
