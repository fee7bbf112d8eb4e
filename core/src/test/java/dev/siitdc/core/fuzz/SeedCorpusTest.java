package dev.siitdc.core.fuzz;

import dev.siitdc.core.prop.PacketKit;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The committed seed corpus is what {@link SeedCorpus} generates (so regression mode really replays
 * the seeds, and nobody edits one side only), and every seed is a valid packet.
 */
class SeedCorpusTest {

    @Test
    void committedSeedsMatchTheGenerator() throws IOException {
        check("fuzz4to6", SeedCorpus.seeds4());
        check("fuzz6to4", SeedCorpus.seeds6());
    }

    private static void check(String method, Map<String, byte[]> seeds) throws IOException {
        assertThat(seeds).hasSizeGreaterThanOrEqualTo(10);
        for (var e : seeds.entrySet()) {
            String res = "TranslatorFuzzTestInputs/" + method + "/" + e.getKey();
            try (InputStream in = TranslatorFuzzTest.class.getResourceAsStream(res)) {
                assertThat(in).as("seed %s is committed (run SeedCorpus.main to regenerate)", res).isNotNull();
                assertThat(in.readAllBytes()).as("seed %s is up to date (run SeedCorpus.main)", res).isEqualTo(e.getValue());
            }
            byte[] pkt = java.util.Arrays.copyOfRange(e.getValue(), 1, e.getValue().length);
            assertThat(PacketKit.malformation(pkt, 0, pkt.length)).as("seed %s is a well-formed packet", res).isNull();
        }
    }
}
