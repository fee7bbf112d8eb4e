package dev.siitdc.cli;

import dev.siitdc.daemon.ExitStatus;
import dev.siitdc.daemon.pcap.PcapReader;
import dev.siitdc.daemon.pcap.PcapWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.siitdc.cli.CliRun.siitdc;
import static dev.siitdc.daemon.pcap.SamplePackets.addr;
import static dev.siitdc.daemon.pcap.SamplePackets.icmp4Echo;
import static org.assertj.core.api.Assertions.assertThat;

class MainTest {
    static final String CONFIG = """
            [translator]
            pool6 = "2001:db8:100::/40"
            own-ipv4-address = "198.51.100.1"
            own-ipv6-address = "2001:db8:1c0:2:1::"

            [[eamt]]
            ipv4 = "1.0.0.0/24"
            ipv6 = "2001:db8:3::/120"
            """;
    static final Path EXAMPLE = Path.of("../examples/translate");

    @TempDir
    Path dir;


    private Path file(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private Path pcap(String name, byte[]... packets) throws IOException {
        Path p = dir.resolve(name);
        try (PcapWriter w = PcapWriter.create(p)) {
            for (byte[] pkt : packets) w.write(pkt, 0, pkt.length, 1_700_000_000L, 0);
        }
        return p;
    }

    private static List<byte[]> read(Path pcap) throws IOException {
        List<byte[]> out = new ArrayList<>();
        try (PcapReader r = PcapReader.open(pcap)) {
            assertThat(r.linkType()).isEqualTo(PcapReader.LINKTYPE_RAW);
            byte[] buf = new byte[PcapReader.MAX_PACKET];
            int n;
            while ((n = r.next(buf, 0)) >= 0) out.add(Arrays.copyOf(buf, n));
        }
        return out;
    }

    private static void assertNoStackTrace(CliRun r) {
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    // ------------------------------------------------------------------ translate

    @Test
    void translateWritesAValidPcapAndASummary() throws IOException {
        Path out = dir.resolve("out.pcap");
        CliRun r = translateOneEcho(out, "--stats");
        assertThat(read(out)).hasSizeLessThanOrEqualTo(1);
        assertThat(r.err()).startsWith("translate: 1 packets in, ");
    }

    @Test
    void ipv4EchoRequestToAnEamAddressBecomesOneIpv6Packet() throws IOException {
        Path out = dir.resolve("out.pcap");
        CliRun r = translateOneEcho(out, "--print");
        List<byte[]> got = read(out);
        assertThat(got).hasSize(1);
        byte[] p = got.getFirst();
        assertThat(p[0] >>> 4 & 0xf).isEqualTo(6);
        assertThat(p.length).isEqualTo(40 + 8 + 8);
        assertThat(p[6]).isEqualTo((byte) 58);                                       // ICMPv6
        assertThat(Arrays.copyOfRange(p, 8, 24)).isEqualTo(addr("2001:db8:1c6:3364:7::"));  // pool6 /40 + 198.51.100.7
        assertThat(Arrays.copyOfRange(p, 24, 40)).isEqualTo(addr("2001:db8:3::5"));  // EAM 1.0.0.0/24
        assertThat(p[40] & 0xff).isEqualTo(128);                                     // echo request
        assertThat(r.out()).isEqualTo("IP6 2001:db8:1c6:3364:7:: > 2001:db8:3::5: ICMP6 echo request id 1 seq 1 (56 bytes)\n");
        assertThat(r.err()).startsWith("translate: 1 packets in, 1 packets out");
    }

    /**
     * Translates one ICMPv4 echo request 198.51.100.7 -> 1.0.0.5 (to the EAM 1.0.0.0/24 of {@link #CONFIG}) into
     * {@code out} with {@code flag}; asserts the run succeeded.
     */
    private CliRun translateOneEcho(Path out, String flag) throws IOException {
        Path cfg = file("c.toml", CONFIG);
        Path in = pcap("in.pcap", icmp4Echo("198.51.100.7", "1.0.0.5", 1, 1, new byte[8]));
        CliRun r = siitdc("translate", "--config", cfg.toString(), "--in", in.toString(), "--out", out.toString(), flag);
        assertThat(r.exit()).as(r.err()).isZero();
        return r;
    }

    @Test
    void theReadmeExampleTranslatesEveryPacket() throws IOException {
        Path out = dir.resolve("out.pcap");
        CliRun r = siitdc("translate", "--config", EXAMPLE.resolve("siitdc-br.toml").toString(),
                "--in", EXAMPLE.resolve("in.pcap").toString(), "--out", out.toString(), "--print");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("""
                IP6 2001:db8:46::c633:6407.40000 > 2001:db8:12:34::1.443: TCP [S] (64 bytes)
                IP6 2001:db8:46::c633:6407.53000 > 2001:db8:12:80::2.53: UDP (77 bytes)
                IP6 2001:db8:46::c633:6407 > 2001:db8:12:34::1: ICMP6 echo request id 20757 seq 1 (64 bytes)
                IP 192.0.2.1 > 198.51.100.7: ICMP echo reply id 20757 seq 1 (44 bytes)
                """);
        assertThat(read(out)).hasSize(4);
    }

    @Test
    void theExampleFilesAreValid() throws Exception {
        CliRun r = siitdc("check-config", EXAMPLE.resolve("siitdc-br.toml").toString());
        assertThat(r.exit()).as(r.err()).isZero();
        try (PcapReader reader = PcapReader.open(EXAMPLE.resolve("in.pcap"))) {
            int n = 0;
            while (reader.next(new byte[PcapReader.MAX_PACKET], 0) >= 0) n++;
            assertThat(n).isEqualTo(4);
        }
        assertThat(Files.size(EXAMPLE.resolve("in.pcap"))).isLessThan(2048);
    }

    @Test
    void badConfigIsExitStatus2WithOneLine() throws IOException {
        Path cfg = file("bad.toml", "[translator]\npool6 = \"2001:db8::/41\"\n");
        Path in = pcap("in.pcap", icmp4Echo("198.51.100.7", "1.0.0.5", 1, 1, new byte[8]));
        Path out = dir.resolve("out.pcap");
        CliRun r = siitdc("translate", "--config", cfg.toString(), "--in", in.toString(), "--out", out.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith(cfg + ":2: pool6: ").endsWith("\n").hasLineCount(1);
        assertThat(out).doesNotExist();
    }

    @Test
    void unreadableInputIsExitStatus2AndLeavesOutAlone() throws IOException {
        Path cfg = file("c.toml", CONFIG);
        Path out = dir.resolve("out.pcap");
        CliRun r = siitdc("translate", "--config", cfg.toString(), "--in", dir.resolve("nope.pcap").toString(),
                "--out", out.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("siitdc: " + dir.resolve("nope.pcap") + ": cannot open: no such file or directory\n");
        assertThat(out).doesNotExist();

        Path ng = dir.resolve("ng.pcap");
        Files.write(ng, new byte[] {0x0a, 0x0d, 0x0d, 0x0a, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        r = siitdc("translate", "--config", cfg.toString(), "--in", ng.toString(), "--out", out.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("siitdc: " + ng + ": is a pcapng file");
        assertNoStackTrace(r);
    }

    @Test
    void truncatedInputIsExitStatus2NamingTheRecord() throws IOException {
        Path cfg = file("c.toml", CONFIG);
        Path in = pcap("in.pcap", icmp4Echo("198.51.100.7", "1.0.0.5", 1, 1, new byte[8]),
                icmp4Echo("198.51.100.7", "1.0.0.6", 1, 2, new byte[8]));
        byte[] b = Files.readAllBytes(in);
        Files.write(in, Arrays.copyOf(b, b.length - 5));
        CliRun r = siitdc("translate", "--config", cfg.toString(), "--in", in.toString(), "--out", dir.resolve("o.pcap").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains(in + ": record 2: truncated");
        assertNoStackTrace(r);
    }

    @Test
    void outputMustNotBeTheInput() throws IOException {
        Path cfg = file("c.toml", CONFIG);
        Path in = pcap("in.pcap", icmp4Echo("198.51.100.7", "1.0.0.5", 1, 1, new byte[8]));
        long size = Files.size(in);
        CliRun r = siitdc("translate", "--config", cfg.toString(), "--in", in.toString(), "--out", in.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(Files.size(in)).isEqualTo(size);
    }

    @Test
    void missingOptionIsUsageError() {
        CliRun r = siitdc("translate", "--config", "x.toml");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("Missing required option");
    }

    // ------------------------------------------------------------------ check-config, help, version

    @Test
    void checkConfig() throws IOException {
        Path good = file("good.toml", CONFIG);
        CliRun r = siitdc("check-config", good.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo(good + ": OK\n");

        Path bad = file("bad.toml", CONFIG + "\n[[eamt]]\nipv4 = \"10.0.0.0/8\"\nipv6 = \"2001:db8:4::/120\"\n");
        r = siitdc("check-config", bad.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith(bad + ":12: eamt[2].ipv6: ").hasLineCount(1);
    }

    @Test
    void helpAndVersionOnEveryCommand() {
        for (String[] cmd : new String[][] {{}, {"translate"}, {"check-config"}}) {
            String[] help = Arrays.copyOf(cmd, cmd.length + 1);
            help[cmd.length] = "--help";
            CliRun h = siitdc(help);
            assertThat(h.exit()).isZero();
            assertThat(h.out()).startsWith("Usage: siitdc");
            String[] version = Arrays.copyOf(cmd, cmd.length + 1);
            version[cmd.length] = "--version";
            CliRun v = siitdc(version);
            assertThat(v.exit()).isZero();
            assertThat(v.out()).startsWith("siitdc ");
        }
    }

    @Test
    void noCommandOrUnknownCommandIsUsageError() {
        assertThat(siitdc().exit()).isEqualTo(2);
        assertThat(siitdc("frobnicate").exit()).isEqualTo(2);
    }
}
