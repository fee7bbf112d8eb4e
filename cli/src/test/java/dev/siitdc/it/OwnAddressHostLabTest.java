package dev.siitdc.it;

import dev.siitdc.lab.Shell;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.siitdc.it.Namespaces.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13 on the wire, against a running Border Relay (the topology of {@link BorderRelaySmokeTest}, with
 * own-ipv4-address 203.0.113.1 and own-ipv6-address 2001:db8:ff::1, both routed into the TUN): the
 * translator's own addresses behave as a closed host (RFC 9293 s3.10.7.1, RFC 1122 s3.2.2.1, RFC 8200 s4),
 * and an IPv6 source that maps to an illegal IPv4 address gets no answer at all (RFC 7915 s5.1). Real
 * sockets send and receive (python3: a TCP connect and raw sockets); the relay's counters confirm.
 */
class OwnAddressHostLabTest {
    static final String OWN4 = "203.0.113.1", OWN6 = "2001:db8:ff::1";
    private static final Namespaces namespaces = new Namespaces();
    private static Path dir;
    private static String v4client, br, idc;
    private static Daemon daemon;

    @BeforeAll
    static void start() throws Exception {
        Namespaces.require("the own-address host behaviour test");
        LabPrerequisites.requireTool("OwnAddressHostLabTest", "python3");
        dir = Files.createTempDirectory("siitdc-own-");
        Namespaces.BorderTopology t = namespaces.borderTopology("siitdc-own-", "2001:db8:46::7f00:1/128");
        v4client = t.v4client();
        br = t.br();
        idc = t.idc();
        Path config = Files.writeString(dir.resolve("br.toml"), """
                [translator]
                pool6 = "2001:db8:46::/96"
                own-ipv4-address = "%s"
                own-ipv6-address = "%s"
                [[eamt]]
                ipv4 = "192.0.2.10"
                ipv6 = "2001:db8:1::10"
                [relay]
                role = "border-relay"
                tun-name = "siit0"
                queues = 1
                stats-file = "%s"
                control-socket = "%s"
                metrics = false
                """.formatted(OWN4, OWN6, dir.resolve("siit0.stats"), dir.resolve("siit0.sock")));
        daemon = namespaces.siitdc(br, config, dir.resolve("daemon"));
        daemon.awaitStartUp("siitdc: border-relay on ");
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (daemon != null) daemon.stop();
        } finally {
            namespaces.close();
        }
    }

    static Shell.Result python(String ns, String script) {
        return Namespaces.run(List.of("ip", "netns", "exec", ns, "python3", "-c", script), 30);
    }

    /** The relay's counters, from its stats file (rewritten every second): waits until {@code key} reaches {@code min}. */
    static Map<String, Long> countersWhen(String key, long min) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        Map<String, Long> m = Map.of();
        while (System.nanoTime() < end) {
            Path f = dir.resolve("siit0.stats");
            if (Files.exists(f)) {
                m = new java.util.HashMap<>();
                for (String line : Files.readAllLines(f)) {
                    String[] p = line.strip().split("\\s+");
                    if (p.length == 2 && p[1].matches("\\d+")) m.put(p[0], Long.parseLong(p[1]));
                }
                if (m.getOrDefault(key, 0L) >= min) return m;
            }
            Thread.sleep(200);
        }
        return m;
    }

    /** A TCP connect to port 22 from {@code from} (the idc host has a second, illegal, address). */
    static String connect(String family, String from, String addr) {
        return String.join("\n",
                "import socket",
                "s = socket.socket(socket." + family + ", socket.SOCK_STREAM)",
                "s.bind(('" + from + "', 0))",
                "s.settimeout(3)",
                "try:",
                "    s.connect(('" + addr + "', 22)); print('connected')",
                "except ConnectionRefusedError: print('refused')",
                "except socket.timeout: print('timeout')");
    }

    @Test
    void tcpToOwnIpv4AddressIsRefusedWithARst() throws Exception {
        Shell.Result r = python(v4client, connect("AF_INET", "198.51.100.2", OWN4));
        assertThat(r.out()).as(r.out() + daemon.err()).contains("refused");
        assertThat(countersWhen("tcp-resets-sent", 1).getOrDefault("tcp-resets-sent", 0L)).isGreaterThanOrEqualTo(1);
    }

    @Test
    void tcpToOwnIpv6AddressIsRefusedWithARst() {
        Shell.Result r = python(idc, connect("AF_INET6", "2001:db8:1::10", OWN6));
        assertThat(r.out()).as(r.out() + daemon.err()).contains("refused");
    }

    @Test
    void unknownIpv4ProtocolGetsProtocolUnreachable() {
        Shell.Result r = python(v4client, String.join("\n",
                "import socket",
                "r = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP); r.settimeout(3)",
                "s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 132)",
                "s.sendto(b'x' * 12, ('" + OWN4 + "', 0))",
                "try:",
                "    while True:",
                "        d, a = r.recvfrom(2048); ihl = (d[0] & 15) * 4",
                "        if a[0] == '" + OWN4 + "': print('icmp', d[ihl], d[ihl + 1]); break",
                "except socket.timeout: print('silence')"));
        assertThat(r.out()).as(r.out()).contains("icmp 3 2");
    }

    @Test
    void unknownIpv6NextHeaderGetsParameterProblemAtTheNextHeaderField() {
        Shell.Result r = python(idc, String.join("\n",
                "import socket, struct",
                "r = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6); r.settimeout(3)",
                "s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, 253); s.bind(('2001:db8:1::10', 0))",
                "s.sendto(b'x' * 12, ('" + OWN6 + "', 0))",
                "try:",
                "    while True:",
                "        d, a = r.recvfrom(2048)",
                "        if a[0] == '" + OWN6 + "': print('icmp6', d[0], d[1], struct.unpack('!I', d[4:8])[0]); break",
                "except socket.timeout: print('silence')"));
        assertThat(r.out()).as(r.out()).contains("icmp6 4 1 6");
    }

    @Test
    void anIllegalSourceGetsNoAnswerAtAll() throws Exception {
        long before = countersWhen("received-ipv6", 0).getOrDefault("drop-6to4-source-illegal", 0L);
        long errorsBefore = countersWhen("received-ipv6", 0).getOrDefault("icmp6-errors-originated", 0L);
        // 2001:db8:46::7f00:1 is pool6 + 127.0.0.1: the idc host sends from it to the IPv4 client's pool6 address
        Path pcap = dir.resolve("tun.pcap");
        Process capture = new ProcessBuilder("ip", "netns", "exec", br, "tcpdump", "-U", "-ni", "siit0", "-w", pcap.toString(),
                "icmp6 or ip6 src 2001:db8:46::7f00:1").redirectErrorStream(true).start();
        try {
            Thread.sleep(1500);
            Shell.Result r = python(idc, String.join("\n",
                    "import socket",
                    "s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)",
                    "s.bind(('2001:db8:46::7f00:1', 40000))",
                    "for i in range(3): s.sendto(b'hello', ('2001:db8:46::c633:6402', 9))",
                    "print('sent')"));
            assertThat(r.out()).as(r.out()).contains("sent");
            Map<String, Long> c = countersWhen("drop-6to4-source-illegal", before + 3);
            assertThat(c.getOrDefault("drop-6to4-source-illegal", 0L) - before).isEqualTo(3);
            assertThat(c.getOrDefault("icmp6-errors-originated", 0L)).as("no ICMPv6 1/5").isEqualTo(errorsBefore);
            Thread.sleep(500);
        } finally {
            capture.destroy();
            capture.waitFor(5, TimeUnit.SECONDS);
        }
        String seen = ok("tcpdump", "-nr", pcap.toString());
        assertThat(seen.lines().filter(l -> l.contains("2001:db8:46::7f00:1.40000 >")).count())
                .as("the three datagrams reached the relay:%n%s", seen).isEqualTo(3);
        assertThat(seen).as("and nothing came back").doesNotContain("> 2001:db8:46::7f00:1");
        assertThat(seen).as("no ICMPv6 at all on the TUN").doesNotContain("ICMP6");
    }
}
