package dev.siitdc.core.xlat;

import dev.siitdc.core.addr.Ipv6Prefix;
import dev.siitdc.core.config.ConfigException;
import dev.siitdc.core.config.TranslatorConfig;
import dev.siitdc.core.eam.Eam;
import dev.siitdc.core.eam.EamTable;
import dev.siitdc.core.packet.Ipv6HeaderChain;
import dev.siitdc.core.testutil.PcapFiles;
import dev.siitdc.core.testutil.Pkt;
import dev.siitdc.core.testutil.RefChecksum;
import dev.siitdc.core.testutil.XlatRun;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static dev.siitdc.core.xlat.Net.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packet vectors of issue 10 items 1 to 5 and issue 13 (src/test/resources/vectors/hardening):
 * manifest.tsv names each case, its configuration (overrides of {@link Net#base()}), an input pcap and
 * the expected output pcap ("none": a silent drop). Packets are compared byte for byte, except the
 * IPv4 Identification the translator draws itself (and the checksums that cover it, which must still
 * verify). The expected files were written by this translator with {@code -Dvectors.regenerate=true}
 * and checked against the unit tests of each rule (HairpinPmtudTest, UntranslatableAddressTest,
 * NonUnicastErrorTest, ExtensionHeaderLimitTest, OwnAddressHostTest, MtuTest).
 */
class HardeningVectorsTest {
    static final Path DIR = Path.of("src/test/resources/vectors/hardening");

    /** The cases: name -> (configuration, input packet). */
    static Map<String, Map.Entry<String, Supplier<byte[]>>> cases() {
        Map<String, Map.Entry<String, Supplier<byte[]>>> m = new LinkedHashMap<>();
        m.put("1-hairpin-df-too-big", Map.entry("ipv6-mtu=1400",
                () -> Pkt.v6(SERVER_A6, SERVER_B_POOL6).tcp(40000, 80).payload(1440).build()));
        m.put("1-hairpin-df-too-big-dest-options", Map.entry("ipv6-mtu=1400",
                () -> Pkt.v6(SERVER_A6, SERVER_B_POOL6).destOptions().tcp(40000, 80).payload(1432).build()));
        m.put("1-hairpin-loop", Map.entry("eamt-unchecked=192.0.2.5|2001:db8:aaaa::5 192.0.2.9|2001:db8:64::1:9",
                () -> Pkt.v6(SERVER_A6, SERVER_B_POOL6).tcp(40000, 80).payload(20).build()));
        m.put("2-ipv6-destination-untranslatable", Map.entry("",
                () -> Pkt.v6(SERVER_A6, "2001:db8:ffff::99").tcp(80, 40000).payload(10).build()));
        m.put("2-ipv6-destination-wkp-non-global", Map.entry("pool6=64:ff9b::/96",
                () -> Pkt.v6(SERVER_A6, "64:ff9b::a01:101").udp(1, 2).payload(4).build()));
        m.put("2-ipv4-source-wkp-non-global", Map.entry("pool6=64:ff9b::/96",
                () -> Pkt.v4("10.1.1.1", SERVER_A4).ttl(64).udp(1, 2).payload(4).build()));
        m.put("2-ipv4-destination-wkp-non-global", Map.entry("pool6=64:ff9b::/96",
                () -> Pkt.v4("8.8.4.4", "10.1.1.1").ttl(64).tcp(1, 2).payload(4).build()));
        m.put("3-icmp4-error-to-broadcast", Map.entry("", () -> Pkt.v4(ROUTER4, "255.255.255.255").ttl(64)
                .icmpError(3, 1, Pkt.v4("255.255.255.255", ROUTER4).ttl(3).udp(1, 2).payload(4).build()).build()));
        m.put("3-icmp4-error-to-loopback", Map.entry("", () -> Pkt.v4(ROUTER4, "127.0.0.1").ttl(64)
                .icmpError(3, 1, Pkt.v4("127.0.0.1", ROUTER4).ttl(3).udp(1, 2).payload(4).build()).build()));
        m.put("3-icmp6-error-to-multicast", Map.entry("allow-special-purpose-eams=true,eamt=192.0.2.0/24|2001:db8:aaaa::/120 198.19.0.0/16|ff02::/112",
                () -> Pkt.v6(SERVER_A6, "ff02::1").icmpError(1, 4, Pkt.v6("ff02::1", CLIENT6).udp(1, 2).payload(4).build()).build()));
        m.put("4-nine-extension-headers", Map.entry("", () -> destOptions(Pkt.v6(SERVER_A6, CLIENT6),
                Ipv6HeaderChain.MAX_EXTENSION_HEADERS + 1).udp(1, 2).payload(4).build()));
        m.put("4-eight-extension-headers", Map.entry("", () -> destOptions(Pkt.v6(SERVER_A6, CLIENT6),
                Ipv6HeaderChain.MAX_EXTENSION_HEADERS).udp(1, 2).payload(4).build()));
        m.put("4-icmp6-error-behind-17-headers", Map.entry("", () -> destOptions(Pkt.v6(SERVER_A6, CLIENT6)
                .fragment(5, 0, false), 17).icmpError(1, 4, tcpToA6(8).build()).build()));
        m.put("5-ptb-about-a-fragment", Map.entry("", () -> Pkt.v6(SERVER_A6, CLIENT6).icmpError(2, 0,
                Pkt.v6(CLIENT6, SERVER_A6).hopLimit(63).fragment(0x1234, 0, true).tcp(40000, 80).payload(100).build())
                .mtu(1300).build()));
        m.put("13-ipv6-illegal-source", Map.entry("pool6=3fff:4646::/96",
                () -> Pkt.v6("3fff:4646::7f00:1", SERVER_A6).udp(1, 2).payload(4).build()));
        m.put("13-own4-tcp-syn", Map.entry("", () -> OwnAddressHostTest.tcp(Pkt.v4(CLIENT4, OWN4).ttl(50),
                OwnAddressHostTest.SYN, 1000, 0, 0)));
        m.put("13-own6-tcp-syn", Map.entry("", () -> OwnAddressHostTest.tcp(Pkt.v6(SERVER_A6, OWN6),
                OwnAddressHostTest.SYN, 1000, 0, 0)));
        m.put("13-own4-unknown-protocol", Map.entry("", () -> Pkt.v4(CLIENT4, OWN4).ttl(50).raw(132).payload(12).build()));
        m.put("13-own6-unknown-next-header", Map.entry("", () -> Pkt.v6(SERVER_A6, OWN6).destOptions().raw(132).payload(12).build()));
        return m;
    }

    static Pkt destOptions(Pkt p, int n) {
        for (int i = 0; i < n; i++) p.destOptions();
        return p;
    }

    /** Net's Border Relay with the case's overrides. */
    static Translator translatorFor(String config) {
        TranslatorConfig.Builder b = base();
        List<Eam> unchecked = null;
        for (String kv : config.isBlank() ? new String[0] : config.split(",")) {
            String[] p = kv.strip().split("=", 2);
            switch (p[0]) {
                case "ipv6-mtu" -> b.ipv6Mtu = Integer.parseInt(p[1]);
                case "pool6" -> b.pool6 = Ipv6Prefix.parse(p[1]);
                case "eamt" -> b.eamt = eams(p[1]);
                case "allow-special-purpose-eams" -> b.allowSpecialPurposeEams = Boolean.parseBoolean(p[1]);
                case "eamt-unchecked" -> unchecked = eams(p[1]);   // a table the configuration would refuse
                default -> throw new IllegalArgumentException("unknown key " + p[0]);
            }
        }
        try {
            Settings s = Settings.compile(b.build());
            if (unchecked != null) s = s.withEamTable(EamTable.of(unchecked));
            return new Translator(new SettingsRef(s), new Counters());
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static List<Eam> eams(String list) {
        List<Eam> out = new ArrayList<>();
        for (String pair : list.strip().split(" ")) {
            String[] a = pair.split("\\|");
            out.add(Eam.parse(a[0], a[1]));
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> vectors() throws IOException {
        if (Boolean.getBoolean("vectors.regenerate")) regenerate();
        List<String> rows = Files.readAllLines(DIR.resolve("manifest.tsv")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        assertThat(rows).as("every case has a row").hasSize(cases().size());
        return rows.stream().map(row -> {
            String[] f = row.split("\t", -1);
            return DynamicTest.dynamicTest(f[0], () -> check(f[0], f[1], f[2], f[3]));
        });
    }

    private static void check(String name, String config, String in, String out) throws IOException {
        List<byte[]> input = PcapFiles.read(DIR.resolve(in));
        List<byte[]> expected = out.equals("none") ? List.of() : PcapFiles.read(DIR.resolve(out));
        Translator t = translatorFor(config);
        List<byte[]> actual = new ArrayList<>();
        for (byte[] p : input) actual.addAll(XlatRun.run(t, p).packets);
        assertThat(actual).as(name + ": number of packets").hasSameSizeAs(expected);
        for (int i = 0; i < actual.size(); i++) {
            byte[] a = actual.get(i), e = expected.get(i);
            assertThat(a.length).as(name + " #" + i + " length").isEqualTo(e.length);
            if (a[0] >> 4 == 4) {
                assertThat(RefChecksum.ipv4HeaderValid(a)).as(name + " #" + i + " IPv4 header checksum").isTrue();
                if (a[9] == 1) assertThat(RefChecksum.l4Valid(a)).as(name + " #" + i + " ICMPv4 checksum").isTrue();
            }
            assertThat(HexFormat.of().formatHex(masked(a))).as(name + " #" + i).isEqualTo(HexFormat.of().formatHex(masked(e)));
        }
    }

    /** IPv4: the Identification the translator drew and the checksums over it (outer and, in an ICMP error, inner). */
    static byte[] masked(byte[] p) {
        byte[] m = p.clone();
        if (m.length >= 20 && m[0] >> 4 == 4) {
            for (int i : new int[] {4, 5, 10, 11}) m[i] = 0;
            if (m[9] == 1 && m.length >= 48) for (int i : new int[] {22, 23, 32, 33, 38, 39}) m[i] = 0;
        }
        return m;
    }

    /** Writes the input and expected pcaps and the manifest from {@link #cases()} and this translator. */
    static void regenerate() throws IOException {
        Path dir = Path.of(System.getProperty("vectors.dir", DIR.toString()));
        Files.createDirectories(dir);
        StringBuilder manifest = new StringBuilder("# name\tconfiguration (overrides of Net.base())\tinput\texpected output\n");
        for (var c : cases().entrySet()) {
            byte[] in = c.getValue().getValue().get();
            List<byte[]> out = XlatRun.run(translatorFor(c.getValue().getKey()), in).packets;
            PcapFiles.write(dir.resolve(c.getKey() + ".in.pcap"), List.of(in));
            if (!out.isEmpty()) PcapFiles.write(dir.resolve(c.getKey() + ".out.pcap"), out);
            manifest.append(c.getKey()).append('\t').append(c.getValue().getKey()).append('\t')
                    .append(c.getKey()).append(".in.pcap\t").append(out.isEmpty() ? "none" : c.getKey() + ".out.pcap").append('\n');
        }
        Files.writeString(dir.resolve("manifest.tsv"), manifest);
    }
}
