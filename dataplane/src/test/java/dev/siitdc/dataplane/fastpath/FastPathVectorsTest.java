package dev.siitdc.dataplane.fastpath;

import dev.siitdc.core.addr.Ipv4Prefix;
import dev.siitdc.core.addr.Ipv6Prefix;
import dev.siitdc.core.config.ConfigException;
import dev.siitdc.core.config.TranslatorConfig;
import dev.siitdc.core.eam.Eam;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The BPF fast path against the Java core on (a) every Jool vector of ../shared/conformance/jool-vectors
 * (read from there, never copied), (b) the project's own vectors (core's hardening pcaps): each output
 * byte-identical to the core's, or an explicit punt.
 */
class FastPathVectorsTest {
    static final Path JOOL = Path.of(System.getProperty("jool.vectors", "../../shared/conformance/jool-vectors"));
    static final Path HARDENING = Path.of("../core/src/test/resources/vectors/hardening");

    @Test
    void everyJoolVectorIsTranslatedAsTheCoreDoesOrPunted() throws Exception {
        FastPathEquivalence.fastPath();
        Path dir = JOOL.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) dir = Path.of("/work/shared/conformance/jool-vectors");
        assumeTrue(Files.isRegularFile(dir.resolve("manifest.tsv")), "no Jool vectors at " + JOOL + ": skipped");
        FastPathEquivalence eq = new FastPathEquivalence();
        int translated = 0, punted = 0;
        List<String> failures = new ArrayList<>();
        for (String row : Files.readAllLines(dir.resolve("manifest.tsv"))) {
            String[] f = row.split("\t", -1);
            if (f[0].equals("test_name") || f.length < 8) continue;
            TranslatorConfig.Builder b = joolBase();
            List<Eam> eamt = new ArrayList<>(b.eamt);
            applyJoolOverrides(f[7], b, eamt);
            b.eamt = eamt;
            try {
                eq.configure(b.build(), eamt);
                FastPathEquivalence.Outcome o = eq.check(f[0], Files.readAllBytes(dir.resolve(f[1])));
                if (o == FastPathEquivalence.Outcome.TRANSLATED) translated++;
                else punted++;
            } catch (AssertionError | ConfigException e) {
                failures.add(e.getMessage());
            }
        }
        System.out.printf("fast path on the Jool vectors: %d translated, %d punted, %d failed%n",
                translated, punted, failures.size());
        assertThat(failures).isEmpty();
        assertThat(translated + punted).isGreaterThanOrEqualTo(140);
        assertThat(translated).isPositive();
    }

    /** CONFIG.md section 3. */
    static TranslatorConfig.Builder joolBase() {
        TranslatorConfig.Builder b = TranslatorConfig.builder();
        b.pool6 = Ipv6Prefix.parse("2001:db8:100::/40");
        b.eamt = List.of(Eam.parse("1.0.0.0/24", "2001:db8:3::/120"), Eam.parse("10.0.0.0/24", "2001:db8:2::/120"));
        b.rfc6791v4Prefix = Ipv4Prefix.parse("203.0.113.8/32");
        b.ownIpv4Address = Ipv4Prefix.parseAddress("198.51.100.1");
        b.ownIpv6Address = Ipv6Prefix.parse("2001:db8:1c0:2:1::");
        return b;
    }

    /** CONFIG.md section 4, as the runner reads the config_overrides column. */
    static void applyJoolOverrides(String overrides, TranslatorConfig.Builder b, List<Eam> eamt) {
        if (overrides.isBlank() || overrides.equals("-")) return;
        for (String item : overrides.split(";")) {
            String[] kv = item.strip().split("=", 2);
            String k = kv[0].strip(), v = kv[1].strip();
            switch (k) {
                case "lowest-ipv6-mtu" -> b.lowestIpv6Mtu = Integer.parseInt(v);
                case "mtu6", "ipv6-mtu" -> b.ipv6Mtu = Integer.parseInt(v);
                case "mtu4", "ipv4-mtu" -> b.ipv4Mtu = Integer.parseInt(v);
                case "amend-udp-checksum-zero" -> b.amendUdpChecksumZero = Boolean.parseBoolean(v);
                case "forward-udp-checksum-zero" -> b.forwardUdpChecksumZero = Boolean.parseBoolean(v);
                case "rfc6791v4-prefix" -> b.rfc6791v4Prefix = v.equals("null") ? null : Ipv4Prefix.parse(v);
                case "rfc6791v6-prefix" -> b.rfc6791v6Prefix = v.equals("null") ? null : Ipv6Prefix.parse(v);
                case "pool6" -> b.pool6 = v.equals("null") ? null : Ipv6Prefix.parse(v);
                case "eamt+" -> {
                    for (String pair : v.split(",")) {
                        String[] a = pair.split("\\|");
                        eamt.add(Eam.parse(a[0].strip(), a[1].strip()));
                    }
                }
                default -> throw new IllegalArgumentException("unknown Jool override " + k);
            }
        }
    }

    @Test
    void theProjectsOwnVectorsAreTranslatedAsTheCoreDoesOrPunted() throws Exception {
        FastPathEquivalence.fastPath();
        assumeTrue(Files.isRegularFile(HARDENING.resolve("manifest.tsv")), "no vectors at " + HARDENING);
        FastPathEquivalence eq = new FastPathEquivalence();
        int translated = 0, punted = 0;
        for (String row : Files.readAllLines(HARDENING.resolve("manifest.tsv"))) {
            if (row.startsWith("#") || row.isBlank()) continue;
            String[] f = row.split("\t", -1);
            TranslatorConfig.Builder b = hardeningBase();
            List<Eam> eamt = applyHardeningOverrides(f[1], b);
            eq.configure(b.build(), eamt);
            for (byte[] p : FastPathPackets.pcap(HARDENING.resolve(f[2]))) {
                if (eq.check(f[0], p) == FastPathEquivalence.Outcome.TRANSLATED) translated++;
                else punted++;
            }
        }
        System.out.printf("fast path on the project's vectors: %d translated, %d punted%n", translated, punted);
        assertThat(translated + punted).isGreaterThanOrEqualTo(19);
    }

    /** core's Net.base(): the Border Relay of the core tests. */
    static TranslatorConfig.Builder hardeningBase() {
        TranslatorConfig.Builder b = TranslatorConfig.builder();
        b.pool6 = Ipv6Prefix.parse("2001:db8:64::/96");
        b.eamt = List.of(Eam.parse("192.0.2.0/24", "2001:db8:aaaa::/120"));
        b.ownIpv4Address = Ipv4Prefix.parseAddress("198.51.100.1");
        b.ownIpv6Address = Ipv6Prefix.parse("2001:db8:1::1");
        return b;
    }

    /** HardeningVectorsTest.translatorFor's keys; returns the EAMT to use (eamt-unchecked bypasses the checks). */
    static List<Eam> applyHardeningOverrides(String config, TranslatorConfig.Builder b) {
        List<Eam> unchecked = null;
        for (String kv : config.isBlank() ? new String[0] : config.split(",")) {
            String[] p = kv.strip().split("=", 2);
            switch (p[0]) {
                case "ipv6-mtu" -> b.ipv6Mtu = Integer.parseInt(p[1]);
                case "pool6" -> b.pool6 = Ipv6Prefix.parse(p[1]);
                case "eamt" -> b.eamt = eams(p[1]);
                case "allow-special-purpose-eams" -> b.allowSpecialPurposeEams = Boolean.parseBoolean(p[1]);
                case "eamt-unchecked" -> unchecked = eams(p[1]);
                default -> throw new IllegalArgumentException("unknown key " + p[0]);
            }
        }
        return unchecked != null ? unchecked : b.eamt;
    }

    static List<Eam> eams(String list) {
        List<Eam> out = new ArrayList<>();
        for (String pair : list.strip().split(" ")) {
            String[] a = pair.split("\\|");
            out.add(Eam.parse(a[0], a[1]));
        }
        return out;
    }
}
