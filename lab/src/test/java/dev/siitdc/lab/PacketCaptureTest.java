package dev.siitdc.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PacketCapture} (what replaced tcpdump in the lab) in two throw-away namespaces joined by a veth,
 * deleted after each test even when it fails: the capture is listening when start returns, keeps only
 * what its filter passes, cuts to the snap length, and reads back as the lab's {@link CapturedPacket}s.
 * Needs root and iproute2 (bash for /dev/udp), else skipped with a message.
 */
class PacketCaptureTest {
    private String a, b;

    @TempDir
    Path dir;

    @BeforeEach
    void namespaces() {
        boolean can = Shell.isRoot() && Shell.has("ip") && Shell.has("bash");
        if (!can) System.err.println("!!!!! SKIPPING PacketCaptureTest: needs root, iproute2 and bash !!!!!");
        Assumptions.assumeTrue(can, "needs root, iproute2 and bash");
        String id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        a = "siitdc-pcap-" + id + "-a";
        b = "siitdc-pcap-" + id + "-b";
        Shell.ok("ip", "netns", "add", a);
        Shell.ok("ip", "netns", "add", b);
        Shell.ok("ip", "-n", a, "link", "add", "cap0", "type", "veth", "peer", "name", "cap1", "netns", b);
        Shell.ok("ip", "-n", a, "addr", "add", "192.0.2.1/24", "dev", "cap0");
        Shell.ok("ip", "-n", b, "addr", "add", "192.0.2.2/24", "dev", "cap1");
        Shell.ok("ip", "-n", a, "link", "set", "cap0", "up");
        Shell.ok("ip", "-n", b, "link", "set", "cap1", "up");
    }

    @AfterEach
    void delete() {
        for (String ns : new String[] {a, b}) {
            if (ns != null) Shell.run(List.of("ip", "netns", "delete", ns), 20);
        }
        String left = Shell.run(10, "ip", "netns", "list").out();
        if (a != null) assertThat(left).doesNotContain(a).doesNotContain(b);
    }

    private void udp(int port, int size) {
        Shell.ok("ip", "netns", "exec", a, "bash", "-c",
                "head -c " + size + " /dev/zero | tr '\\0' x > /dev/udp/192.0.2.2/" + port);
    }

    @Test
    void capturesWhatTheFilterPassesCutToTheSnapLengthAndReadsItBack() throws Exception {
        Path file = dir.resolve("captures").resolve("c.pcap");
        PacketCapture c = PacketCapture.start(a, "cap0", "ip and udp port 7", 256, file, "a cap0");
        udp(7, 1000);   // ARP first, not captured; then the datagram, cut to 256 bytes
        udp(9, 10);     // another port: not captured
        List<CapturedPacket> got = c.stop();
        assertThat(got).hasSize(1);
        CapturedPacket p = got.get(0);
        assertThat(p.version()).isEqualTo(4);
        assertThat(p.addresses()).isEqualTo("192.0.2.1 -> 192.0.2.2");
        assertThat(p.isUdp()).isTrue();
        assertThat(p.dstPort()).isEqualTo(7);
        assertThat(p.length()).isEqualTo(20 + 8 + 1000);   // from the IP header: the capture kept 256 bytes
        assertThat(Files.size(file)).isEqualTo(24 + 16 + 256);
        assertThat(c.stop()).isSameAs(got);
    }

    @Test
    void anExpressionWithoutACompiledProgramSaysHowToAddOne() {
        Path file = dir.resolve("x.pcap");
        assertThatThrownBy(() -> PacketCapture.start(a, "cap0", "udp port 4242", 256, file, "a cap0"))
                .isInstanceOf(LabException.class)
                .hasMessageContaining("no compiled filter for 'udp port 4242' on an Ethernet link")
                .hasMessageContaining("lab/capture-filters.sh");
        assertThat(file).doesNotExist();
        assertThatThrownBy(() -> PacketCapture.start(a, "nosuch0", "", 256, file, "a nosuch0"))
                .isInstanceOf(LabException.class).hasMessageContaining("cannot capture on a nosuch0");
    }

    @Test
    void abortStopsTheSocketAndALaterStopStillReadsTheFile() {
        Path file = dir.resolve("a.pcap");
        PacketCapture c = PacketCapture.start(a, "cap0", "ip and udp port 7", 256, file, "a cap0");
        udp(7, 10);
        c.abort();      // what Lab.close() does before it deletes the namespaces
        c.abort();      // idempotent
        udp(7, 10);     // after the abort: not captured
        List<CapturedPacket> got = c.stop();
        assertThat(got).hasSize(1);     // the first datagram only
        assertThat(got.get(0).dstPort()).isEqualTo(7);
    }
}
