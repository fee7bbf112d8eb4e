package dev.siitdc.daemon.metrics;

import dev.siitdc.core.eam.Eam;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link EamtHash}: the same table in any insertion order hashes alike, any other table differently. */
class EamtHashTest {
    private static final List<Eam> TABLE = List.of(
            Eam.parse("192.0.2.10", "2001:db8:1::10"),
            Eam.parse("198.51.100.0/24", "2001:db8:2::/120"),
            Eam.parse("203.0.113.0/28", "2001:db8:3::/124"),
            Eam.parse("192.0.2.128/25", "2001:db8:4::/121"));

    @Test
    void insertionOrderDoesNotCount() {
        String h = EamtHash.of(TABLE);
        assertThat(h).matches("[0-9a-f]{16}");
        Random random = new Random(7756);
        for (int i = 0; i < 20; i++) {
            List<Eam> shuffled = new ArrayList<>(TABLE);
            Collections.shuffle(shuffled, random);
            assertThat(EamtHash.of(shuffled)).as("%s", shuffled).isEqualTo(h);
        }
        assertThat(EamtHash.of(List.copyOf(TABLE.reversed()))).isEqualTo(h);
    }

    @Test
    void anyChangeOfAnEntryChangesTheHash() {
        String h = EamtHash.of(TABLE);
        assertThat(EamtHash.of(TABLE.subList(0, 3))).as("an entry fewer").isNotEqualTo(h);
        List<Eam> more = new ArrayList<>(TABLE);
        more.add(Eam.parse("192.0.2.11", "2001:db8:1::11"));
        assertThat(EamtHash.of(more)).as("an entry more").isNotEqualTo(h);
        List<Eam> other6 = new ArrayList<>(TABLE);
        other6.set(0, Eam.parse("192.0.2.10", "2001:db8:1::11"));
        assertThat(EamtHash.of(other6)).as("another IPv6 side").isNotEqualTo(h);
        List<Eam> otherLength = new ArrayList<>(TABLE);
        otherLength.set(1, Eam.parse("198.51.100.0/25", "2001:db8:2::/121"));
        assertThat(EamtHash.of(otherLength)).as("other prefix lengths").isNotEqualTo(h);
    }

    @Test
    void theEmptyTableIsTheHashOfNothing() {
        // SHA-256 of the empty input, FIPS 180-4 test vector: e3b0c442 98fc1c14 ...
        assertThat(EamtHash.of(List.of())).isEqualTo("e3b0c44298fc1c14");
    }

    @Test
    void exportedAsAGaugeLabelledWithTheHash() throws Exception {
        MetricsExporterTest.FakeSource src = new MetricsExporterTest.FakeSource() {
            @Override public String eamtHash() { return EamtHash.of(TABLE); }
        };
        try (MetricsExporter exporter = MetricsExporter.start("127.0.0.1", 0, src)) {
            String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(exporter.url())).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            PrometheusText m = PrometheusText.parse(body);
            assertThat(m.value("siitdc_eamt_hash", "hash", EamtHash.of(TABLE))).isEqualTo(1);
            assertThat(body).containsOnlyOnce("siitdc_eamt_hash{");
        }
    }
}
