package dev.siitdc.it;

import dev.siitdc.lab.Lab;
import dev.siitdc.lab.Lab.Node;
import dev.siitdc.lab.LabApp;
import dev.siitdc.lab.Plan;
import dev.siitdc.lab.HostRelay;
import dev.siitdc.lab.Shell;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * TSO/GSO carried through the translation ({@code [relay] offload = true}, the default) in the lab's
 * namespaces: the siitdc BR and ERs read GSO super-packets from their TUNs, translate each once and write
 * them back as super-packets that the kernel segments afterwards. 100 MiB each way between the IPv4 client
 * and the IPv4-only app behind ER A, started from either end, arrive intact (SHA-256 checked), the relays
 * count the super-packets, and no namespace counts a TCP or UDP checksum error.
 *
 * <p>Between namespaces a partial checksum (CHECKSUM_PARTIAL) crosses veths as it is, and a stack trusts one
 * delivered locally, so with every offload on nothing ever verifies the relays' partial checksums. The last
 * test therefore turns transmit checksumming off on the BR's two links (ethtool): the kernel then segments
 * the BR's translated super-packets and finishes their checksums in software, from the headers and partial
 * sums the relay wrote, and the receiving stacks verify every segment.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class OffloadLabTest {
    private static final String P = ":" + Plan.APP_PORT;
    private static final String SIIT = HostRelay.SIITDC_TUN;
    private static final List<Node> ENDS = List.of(Node.CLIENT, Node.BR, Node.ER_A);

    private static Lab lab;

    @BeforeAll
    static void up() {
        lab = NetworkLabs.startLab(OffloadLabTest.class, Lab.Options.defaults().withOffload(true), l -> {}, "ip", "sysctl");
    }

    @AfterAll
    static void down() {
        NetworkLabs.closeAndCheck(lab);
    }

    @Test
    @Order(1)
    void theTunsHaveVnetHeadersOffloadsAndALongQueue() {
        for (Node n : List.of(Node.BR, Node.ER_A, Node.ER_B)) {
            String link = lab.exec(n, 10, "ip", "-d", "link", "show", "dev", SIIT).check().out();
            assertThat(link).as(n.label + ": " + link).contains("qlen 5000").contains("vnet_hdr on");
            assertThat(lab.relay(n).process().output()).as(n.label + " start-up summary")
                    .containsPattern("offload tso4 tso6( uso)?");
        }
    }

    @Test
    @Order(2)
    void bulk100MBothWaysFromTheClientAndFromTheAppArrivesIntactAsGsoSuperPackets() {
        bulkBothWays(true);
    }

    /**
     * Transmit checksumming (and with it TSO and USO) off on the BR's inet0 and idc0: what the BR translated
     * with a partial checksum, 4->6 toward ER A and 6->4 toward the client (whose partial checksums ER A's
     * 4->6 translation wrote), is segmented and checksummed by the kernel in software and verified by the
     * receivers. Then UDP: 20 UDP_SEGMENT sends of 5 x 1000 bytes (USO super-packets) reach the app as 100
     * datagrams (95 at least: the app's socket buffer may overflow on a loaded machine) with good checksums.
     */
    @Test
    @Order(3)
    void checksumsFinishedAndSegmentsCutInSoftwareFromTheRelaysHeadersAreRight() {
        LabPrerequisites.requireTool("OffloadLabTest software checksums", "ethtool");
        try {
            for (String dev : List.of(Lab.BR_INET_IF, Lab.BR_IDC_IF)) {
                lab.exec(Node.BR, 10, "ethtool", "-K", dev, "tx", "off").check();
                assertThat(lab.exec(Node.BR, 10, "ethtool", "-k", dev).check().out()).contains("tx-checksumming: off");
            }
            bulkBothWays(false);
            if (!Shell.has("python3")) return;   // USO needs UDP_SEGMENT, which Java cannot set
            Map<String, Long> csum0 = checksumErrors();
            Map<String, Long> br0 = lab.br().freshStats();
            Shell.Result r = lab.exec(Node.CLIENT, 20, "python3", "-c", udpSegmentSends(40123, 1000, 5, false));
            assertThat(r.out()).as(r.out()).contains("sent");
            String seen = "udp seen " + Plan.CLIENT4 + " 40123 at " + Plan.A.v4() + " " + Plan.APP_PORT + " len 1000";
            long end = System.nanoTime() + 5_000_000_000L;
            while (countLines(lab.services().appA().output(), seen) < 100 && System.nanoTime() < end) pause(50);
            // UDP: the app's socket may overflow on a loaded machine; a checksum error would show below
            assertThat(countLines(lab.services().appA().output(), seen)).as("1000-byte datagrams at the app")
                    .isBetween(95L, 100L);
            List<String> shas = lab.services().appA().output().lines().filter(l -> l.startsWith(seen))
                    .map(l -> l.split(" ")[10]).distinct().sorted().toList();
            assertThat(shas).as("each datagram is one 1000-byte segment of a send")
                    .isEqualTo(java.util.stream.IntStream.range(0, 5).mapToObj(OffloadLabTest::segmentSha).sorted().toList());
            Map<String, Long> br = lab.br().freshStats();
            assertThat(grew(br0, br, "gso-packets-written")).as("BR super-packets (all: " + br + ")").isGreaterThanOrEqualTo(20);
            assertThat(checksumErrors()).isEqualTo(csum0);
        } finally {
            for (String dev : List.of(Lab.BR_INET_IF, Lab.BR_IDC_IF)) lab.exec(Node.BR, 10, "ethtool", "-K", dev, "tx", "on");
        }
    }

    /**
     * Issue 10 item 5, RFC 7915 s4 and RFC 7756 s4.1: a USO super-packet with DF=0 (IP_PMTUDISC_DONT) of
     * 1460-byte datagrams, whose translations (1508 bytes) exceed lowest-ipv6-mtu (1500 in the lab), leaves
     * the BR as if each datagram had been translated alone: in IPv6 fragments of at most 1500 bytes, which
     * ER A translates into IPv4 fragments the app's stack reassembles.
     */
    @Test
    @Order(4)
    void dfZeroUdpSuperPacketsAreSegmentedToLowestIpv6Mtu() throws Exception {
        if (!Shell.has("python3")) return;   // USO needs UDP_SEGMENT, which Java cannot set
        Map<String, Long> br0 = lab.br().freshStats();
        dev.siitdc.lab.Capture idc = lab.capture(Node.BR, Lab.BR_IDC_IF, "ip6 and (udp or ip6[6] == 44)");
        Shell.Result r = lab.exec(Node.CLIENT, 20, "python3", "-c", udpSegmentSends(40124, 1460, 4, true));
        assertThat(r.out()).as(r.out()).contains("sent");
        String seen = "udp seen " + Plan.CLIENT4 + " 40124 at " + Plan.A.v4() + " " + Plan.APP_PORT + " len 1460";
        long end = System.nanoTime() + 5_000_000_000L;
        while (countLines(lab.services().appA().output(), seen) < 80 && System.nanoTime() < end) pause(50);
        List<dev.siitdc.lab.CapturedPacket> six = idc.stop();
        Map<String, Long> br = lab.br().freshStats();
        assertThat(six).as("IPv6 on the BR's IDC link").isNotEmpty();
        assertThat(six).as("no IPv6 packet over lowest-ipv6-mtu").allMatch(p -> p.length() <= 1500);
        assertThat(six).as("the datagrams went as IPv6 fragments").anyMatch(dev.siitdc.lab.CapturedPacket::fragmentHeader);
        assertThat(countLines(lab.services().appA().output(), seen)).as("1460-byte datagrams at the app")
                .isBetween(76L, 80L);
        assertThat(grew(br0, br, "gso-packets-segmented")).as("BR (all: " + br + ")").isGreaterThanOrEqualTo(20);
    }

    /** 100 MiB each way at once, started by the client, then by the app; counters and checksums checked. */
    private static void bulkBothWays(boolean brOffloads) {
        Map<String, Long> csum0 = checksumErrors();
        Map<String, Long> br0 = lab.br().freshStats(), er0 = lab.erA().freshStats();

        // the client connects to the app's echo: 100 MiB client -> app while 100 MiB come back app -> client
        Shell.Result in = lab.runJava(Node.CLIENT, 200, true, LabApp.class, "bulk", Plan.A.v4() + P,
                "--bytes", "100M", "--stall-s", "20", "--timeout-s", "180");
        System.out.println("client -> app: " + in.out().strip());
        assertThat(in.out()).as(() -> in.out() + diagnostics()).contains("received 104857600 sha256 ok");

        // the app connects out to the client's echo: the same, started from behind ER A
        Shell.Result out = lab.runJava(Node.ER_A, 200, true, LabApp.class, "bulk", Plan.CLIENT4 + P,
                "--bind", Plan.A.v4(), "--bytes", "100M", "--stall-s", "20", "--timeout-s", "180");
        System.out.println("app -> client: " + out.out().strip());
        assertThat(out.out()).as(() -> out.out() + diagnostics()).contains("received 104857600 sha256 ok");

        Map<String, Long> br = lab.br().freshStats(), er = lab.erA().freshStats();
        System.out.println("BR:   " + gsoCounters(br0, br));
        System.out.println("ER A: " + gsoCounters(er0, er));
        for (String k : List.of("gso-packets-read", "gso-packets-written")) {
            assertThat(grew(br0, br, k)).as("BR " + k + " (all: " + br + ")").isGreaterThan(100);
            assertThat(grew(er0, er, k)).as("ER A " + k + " (all: " + er + ")").isGreaterThan(100);
        }
        // a super-packet carries many segments: far fewer packets than 4 x 100 MiB / 1500 crossed the relays
        long packets = grew(br0, br, "tun-packets-read") + grew(er0, er, "tun-packets-read");
        if (brOffloads) {
            assertThat(packets).as("packets the BR and ER A read for 400 MiB of TCP").isLessThan(4L * 104857600 / 1448);
        }
        for (String k : List.of("drop-bad-vnet-header", "drop-tun-write-error", "drop-internal-error")) {
            assertThat(grew(br0, br, k) + grew(er0, er, k)).as(k).isZero();
        }

        Map<String, Long> csum = checksumErrors();
        assertThat(csum).as("InCsumErrors before: " + csum0).isEqualTo(csum0);
    }

    // ------------------------------------------------------------------------------------------------

    /**
     * A python3 script: 20 UDP_SEGMENT sends (USO super-packets) from the client's port {@code port} to the app,
     * each of {@code segments} datagrams of {@code size} bytes, datagram i being the byte 'A' + i; with
     * {@code dfOff} IP_MTU_DISCOVER = IP_PMTUDISC_DONT, so that the super-packets have DF=0. Prints "sent".
     */
    private static String udpSegmentSends(int port, int size, int segments, boolean dfOff) {
        return String.join("\n",
                "import socket, time",
                "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
                dfOff ? "s.setsockopt(socket.IPPROTO_IP, 10, 0)" : "pass",   // IP_MTU_DISCOVER, IP_PMTUDISC_DONT
                "s.setsockopt(17, 103, " + size + ")",                     // SOL_UDP, UDP_SEGMENT: gso_size
                "s.bind(('" + Plan.CLIENT4 + "', " + port + "))",
                "data = b''.join(bytes([65 + i]) * " + size + " for i in range(" + segments + "))",
                "for i in range(20): s.sendto(data, ('" + Plan.A.v4() + "', " + Plan.APP_PORT + ")); time.sleep(0.02)",
                "print('sent')");
    }

    /** Tcp/Udp/Udp6 InCsumErrors of the namespaces at either end and of the BR (/proc/net/snmp, snmp6). */
    private static Map<String, Long> checksumErrors() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (Node n : ENDS) {
            Map<String, Long> snmp = snmp(lab.exec(n, 10, "cat", "/proc/net/snmp").check().out());
            m.put(n.id + " Tcp InCsumErrors", snmp.getOrDefault("Tcp InCsumErrors", 0L));
            m.put(n.id + " Udp InCsumErrors", snmp.getOrDefault("Udp InCsumErrors", 0L));
            Shell.Result six = lab.exec(n, 10, "cat", "/proc/net/snmp6");
            if (six.ok()) {
                for (String line : six.out().lines().toList()) {
                    String[] f = line.strip().split("\\s+");
                    if (f.length == 2 && f[0].equals("Udp6InCsumErrors")) m.put(n.id + " " + f[0], Long.parseLong(f[1]));
                }
            }
        }
        return m;
    }

    /** /proc/net/snmp's header/value line pairs as "Proto Field" -> value. */
    static Map<String, Long> snmp(String text) {
        Map<String, Long> m = new LinkedHashMap<>();
        List<String> lines = text.lines().toList();
        for (int i = 0; i + 1 < lines.size(); i += 2) {
            String[] names = lines.get(i).split("\\s+"), values = lines.get(i + 1).split("\\s+");
            if (names.length != values.length || !names[0].equals(values[0])) continue;
            String proto = names[0].replace(":", "");
            for (int j = 1; j < names.length; j++) {
                if (values[j].matches("-?\\d+")) m.put(proto + " " + names[j], Long.parseLong(values[j]));
            }
        }
        return m;
    }

    /** The app's SHA-256 (16 hex digits) of segment i of the UDP_SEGMENT sends: 1000 times the byte 'A' + i. */
    private static String segmentSha(int i) {
        byte[] b = new byte[1000];
        java.util.Arrays.fill(b, (byte) ('A' + i));
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b)).substring(0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long countLines(String text, String start) {
        return text.lines().filter(l -> l.startsWith(start)).count();
    }

    private static long grew(Map<String, Long> before, Map<String, Long> after, String key) {
        return after.getOrDefault(key, 0L) - before.getOrDefault(key, 0L);
    }

    private static String gsoCounters(Map<String, Long> before, Map<String, Long> after) {
        StringBuilder b = new StringBuilder();
        for (String k : List.of("tun-packets-read", "tun-packets-written", "gso-packets-read", "gso-packets-written")) {
            b.append(k).append(' ').append(grew(before, after, k)).append("  ");
        }
        return b.toString().strip();
    }

    private static String diagnostics() {
        return NetworkLabs.relayDiagnostics(lab, true);
    }
}
