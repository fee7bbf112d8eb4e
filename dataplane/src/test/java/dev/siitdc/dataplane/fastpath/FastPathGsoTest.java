package dev.siitdc.dataplane.fastpath;

import dev.siitdc.core.addr.Ipv4Prefix;
import dev.siitdc.core.addr.Ipv6Prefix;
import dev.siitdc.core.addr.Pool6;
import dev.siitdc.core.config.TranslatorConfig;
import dev.siitdc.core.eam.Eam;
import dev.siitdc.core.xlat.Translator;
import dev.siitdc.linux.bpf.Bpf;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A TCP GSO super-packet (larger than the MTU, gso_size set in the test run's __sk_buff) is translated
 * once, as the core translates it with OFFLOAD_GSO (no MTU rule; DF by the 1260-byte rule in 6->4);
 * one whose segments would not fit the MTU after translation is punted.
 */
class FastPathGsoTest {
    @Test
    void aGsoSuperPacketIsTranslatedOnceAsTheCoreDoes() throws Exception {
        FastPath fp = FastPathEquivalence.fastPath();
        TranslatorConfig.Builder b = TranslatorConfig.builder();
        b.pool6 = Ipv6Prefix.parse("3fff:a::/96");
        b.eamt = List.of(Eam.parse("20.0.0.0/24", "2001:db8:a::/120"));
        TranslatorConfig c = b.build();
        fp.install(c, true);
        Random r = new Random(3);
        int src4 = Ipv4Prefix.parseAddress("20.0.0.5"), dst4 = Ipv4Prefix.parseAddress("30.1.2.3");
        byte[] v4 = FastPathPackets.ipv4(r, src4, dst4, 6, 2600);
        v4[6] = 0x40;                              // DF, as Linux TCP sends it
        FastPathGenerationTest.fixHeaderChecksum(v4);
        byte[] src6 = new byte[16], dst6 = new byte[16];
        new Pool6(c.pool6()).embed(dst4, src6, 0);
        c.eamt().getFirst().translate4to6(src4, dst6, 0);
        byte[] v6 = FastPathPackets.ipv6(r, src6, dst6, 6, 2600);
        for (byte[] p : List.of(v4, v6)) {
            byte[] expected = core(c, p);
            Bpf.TestRun run = Bpf.testRun(fp.ethProgramFd(), FastPathEquivalence.frame(p), p.length + 64, 1, ctx(2, 1400));
            byte[] got = Arrays.copyOfRange(run.data(), 14, run.data().length);
            assertThat(got.length).as("translated, not punted").isEqualTo(expected.length);
            if ((expected[0] >> 4) == 4) {
                assertThat(expected[6] & 0x40).as("DF on the core's side").isNotZero();
                for (int i : new int[] { 4, 5, 10, 11 }) got[i] = expected[i] = 0;
            }
            assertThat(got).isEqualTo(expected);
            // segments of 1460 would not fit 1500 once the header grows: left to the TUN path
            Bpf.TestRun big = Bpf.testRun(fp.ethProgramFd(), FastPathEquivalence.frame(p), p.length + 64, 1, ctx(2, 1460));
            assertThat(big.data()).isEqualTo(FastPathEquivalence.frame(p));
        }
    }

    static byte[] ctx(int segs, int size) {
        ByteBuffer b = ByteBuffer.allocate(Bpf.SKB_CTX_SIZE).order(ByteOrder.nativeOrder());
        b.putInt(Bpf.SKB_CTX_GSO_SEGS, segs);
        b.putInt(Bpf.SKB_CTX_GSO_SIZE, size);
        return b.array();
    }

    static byte[] core(TranslatorConfig c, byte[] p) {
        byte[] buf = new byte[Translator.HEADROOM + p.length + 64];
        System.arraycopy(p, 0, buf, Translator.HEADROOM, p.length);
        List<byte[]> out = new ArrayList<>();
        Translator t = new Translator(c);
        if ((p[0] >> 4) == 4) t.translate4(buf, Translator.HEADROOM, p.length, (x, o, l) -> out.add(Arrays.copyOfRange(x, o, o + l)), Translator.OFFLOAD_GSO);
        else t.translate6(buf, Translator.HEADROOM, p.length, (x, o, l) -> out.add(Arrays.copyOfRange(x, o, o + l)), Translator.OFFLOAD_GSO);
        assertThat(out).hasSize(1);
        return out.getFirst();
    }
}
