package dev.siitdc.it;

import dev.siitdc.lab.Capture;
import dev.siitdc.lab.Lab;
import dev.siitdc.lab.Lab.Impl;
import dev.siitdc.lab.Lab.Node;
import dev.siitdc.lab.LabApp;
import dev.siitdc.lab.NetState;
import dev.siitdc.lab.CapturedPacket;
import dev.siitdc.lab.Plan;
import dev.siitdc.lab.RawSend;
import dev.siitdc.lab.HostRelay;
import dev.siitdc.lab.Shell;
import dev.siitdc.lab.Tracepath;
import dev.siitdc.core.addr.Ipv4Prefix;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * siitdc as SIIT-DC Border Relay and node-based Edge Relays (RFC 7755, RFC 7756) in the lab's network
 * namespaces (see {@link Lab} and docs/lab.md): one lab for the class, each check a test. Every test leaves
 * the lab as it found it (MTUs, the BR's implementation, the relays running), so their order does not
 * matter; it is fixed only to make runs alike.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class EdgeRelayLabTest {
    private static final String P = ":" + Plan.APP_PORT;
    private static final String SIIT = HostRelay.SIITDC_TUN;

    private static Lab lab;
    private static final Map<Node, List<String>> beforeRelays = new EnumMap<>(Node.class);

    @BeforeAll
    static void up() {
        lab = NetworkLabs.startLab(EdgeRelayLabTest.class, Lab.Options.defaults(), l -> {
            for (Node n : List.of(Node.BR, Node.ER_A, Node.ER_B)) beforeRelays.put(n, NetState.snapshot(l, n));
        }, "ip", "sysctl", "tcpdump", "ping", "tracepath");
    }

    @AfterAll
    static void down() {
        NetworkLabs.closeAndCheck(lab);
    }

    // ------------------------------------------------------------------------------------------------
    // address transparency (RFC 7756 s1, s3.1)

    @Test
    @Order(1)
    void tcpClientToAppTheAppSeesTheClientsRealIpv4Address() {
        Shell.Result r = java(Node.CLIENT, "tcp-client", Plan.A.v4() + P);
        assertThat(r.out()).contains("server: seen " + Plan.CLIENT4 + " ").contains("at " + Plan.A.v4() + " " + Plan.APP_PORT);
        String port = r.out().lines().filter(l -> l.startsWith("local ")).findFirst().orElseThrow().split(" ")[2];
        awaitLog(lab.services().appA().log(), "tcp seen " + Plan.CLIENT4 + " " + port + " at " + Plan.A.v4());
    }

    @Test
    @Order(2)
    void udpClientToAppTheAppSeesTheClientsRealIpv4Address() {
        Shell.Result r = java(Node.CLIENT, "udp-client", Plan.A.v4() + P);
        assertThat(r.out()).contains("reply: seen " + Plan.CLIENT4 + " ").contains("at " + Plan.A.v4() + " " + Plan.APP_PORT);
    }

    @Test
    @Order(3)
    void appConnectingOutTheClientSeesTheAppsIpv4ServiceAddress() {
        Shell.Result tcp = java(Node.ER_A, "tcp-client", Plan.CLIENT4 + P);
        assertThat(tcp.out()).contains("server: seen " + Plan.A.v4() + " ").contains("local " + Plan.A.v4() + " ");
        Shell.Result udp = java(Node.ER_A, "udp-client", Plan.CLIENT4 + P);
        assertThat(udp.out()).contains("reply: seen " + Plan.A.v4() + " ");
    }

    @Test
    @Order(4)
    void nativeIpv6ServerThroughTheBrOnlySeesTheClientInPool6() {
        Shell.Result r = java(Node.CLIENT, "tcp-client", Plan.SRV.v4() + P);
        assertThat(r.out()).contains("server: seen " + Plan.pool6(Plan.CLIENT4) + " ");
    }

    @Test
    @Order(5)
    void pingBothWays() {
        Shell.Result in = lab.exec(Node.CLIENT, 20, "ping", "-c", "3", "-i", "0.2", "-W", "2", Plan.A.v4());
        assertThat(in.out()).as(in.out()).contains("3 received");
        Shell.Result out = lab.exec(Node.ER_A, 20, "ping", "-c", "3", "-i", "0.2", "-W", "2", "-I", Plan.A.v4(), Plan.CLIENT4);
        assertThat(out.out()).as(out.out()).contains("3 received");
    }

    /** The BR answers for the address its ICMP errors come from, on both sides (own-ipv4/6-address). */
    @Test
    @Order(5)
    void brOwnAddressesAnswerPing() {
        Shell.Result v4 = lab.exec(Node.CLIENT, 20, "ping", "-c", "3", "-i", "0.2", "-W", "2", Plan.BR_OWN4);
        assertThat(v4.out()).as(v4.out()).contains("3 received").contains("from " + Plan.BR_OWN4);
        Shell.Result v6 = lab.exec(Node.IDC, 20, "ping", "-c", "3", "-i", "0.2", "-W", "2", Plan.BR_OWN6);
        assertThat(v6.out()).as(v6.out()).contains("3 received").contains("from " + Plan.BR_OWN6);
    }

    /**
     * Every hop answers: the BR's kernel, the BR's translator (own-ipv4-address), then the BR's kernel on the
     * IPv6 side, the IDC router, ER A's kernel and ER A's translator, whose ICMPv6 Time Exceeded the BR
     * translates with RFC 6791 sources; then the app's address.
     */
    @Test
    @Order(6)
    void tracepathShowsEveryHopTranslated() {
        Capture errors = lab.capture(Node.BR, SIIT, "icmp6 and ip6[40] == 3");
        Tracepath.Trace t = Tracepath.run(lab, Node.CLIENT, Plan.A.v4());
        List<CapturedPacket> te = errors.stop();
        assertThat(t.hops()).as(t.output()).hasSize(7);
        assertThat(t.hops()).as(t.output()).allMatch(h -> h.address() != null, "every hop answers");
        assertThat(t.hops().get(0).address()).isEqualTo(Plan.BR_INET4);
        assertThat(t.hops().get(1).address()).isEqualTo(Plan.BR_OWN4);
        Ipv4Prefix pool = Ipv4Prefix.parse(Plan.BR_RFC6791_4);
        for (int i = 2; i < 6; i++) {
            int a = Ipv4Prefix.parseAddress(t.hops().get(i).address());
            assertThat(pool.contains(a)).as("hop %d %s in the RFC 6791 pool %s\n%s", i + 1, t.hops().get(i).address(),
                    Plan.BR_RFC6791_4, t.output()).isTrue();
        }
        assertThat(t.hops().get(6)).isEqualTo(new Tracepath.Hop(7, Plan.A.v4(), true));
        // the ICMPv6 Time Exceeded the BR translated came from the IDC router and from ER A
        assertThat(te.stream().map(CapturedPacket::src).distinct().toList()).as(te.toString())
                .contains(Plan.IDC_TO_BR6, Plan.ER_A_NODE6);
    }

    @Test
    @Order(7)
    void udp3000BytesWithoutDfFromTheClientReachesTheAppIntact() {
        Capture c = lab.capture(Node.CLIENT, Lab.CLIENT_IF, "udp");
        Shell.Result r = java(Node.CLIENT, "udp-client", Plan.A.v4() + P, "--size", "3000", "--text", "big3000");
        String sent = line(r, "sent ");
        String sha = sent.split(" ")[4];
        assertThat(r.out()).contains("reply: seen " + Plan.CLIENT4 + " ").contains("len 3000 sha256 " + sha);
        awaitLog(lab.services().appA().log(), "len 3000 sha256 " + sha);
        List<CapturedPacket> out = c.packets(p -> p.src().equals(Plan.CLIENT4));
        assertThat(out).as("the client's datagram left as IPv4 fragments without DF").hasSizeGreaterThanOrEqualTo(3)
                .allMatch(p -> p.ipv4Fragment() && !p.df());
    }

    // ------------------------------------------------------------------------------------------------
    // RFC 7756 s5: intra-IDC IPv4

    /** Figure 5: ER A's app to ER B's app through the BR, which hairpins (RFC 7757 s4.2). */
    @Test
    @Order(8)
    void figure5HairpinnedThroughTheBr() {
        long hairpinned = lab.br().freshStats().getOrDefault("hairpinned", 0L);
        Capture c1 = lab.capture(Node.ER_A, SIIT, "ip and udp");
        Capture c2 = lab.capture(Node.ER_A, Lab.NODE_IF, "ip6 and udp");
        Capture c3 = lab.capture(Node.ER_B, Lab.NODE_IF, "ip6 and udp");
        Capture c4 = lab.capture(Node.ER_B, SIIT, "ip and udp");
        Shell.Result r = java(Node.ER_A, "udp-client", Plan.B.v4() + P, "--bind", Plan.A.v4(), "--text", "figure5");
        assertThat(r.out()).contains("reply: seen " + Plan.A.v4() + " ");
        CapturedPacket p1 = request(c1), p2 = request(c2), p3 = request(c3), p4 = request(c4);
        assertThat(p1.addresses()).as("Pkt#1 (IPv4, ER A)").isEqualTo(Plan.A.v4() + " -> " + Plan.B.v4());
        assertThat(p2.addresses()).as("Pkt#2 (IPv6, ER A -> BR)").isEqualTo(Plan.A.v6() + " -> " + Plan.pool6(Plan.B.v4()));
        assertThat(p3.addresses()).as("Pkt#3 (IPv6, BR -> ER B)").isEqualTo(Plan.pool6(Plan.A.v4()) + " -> " + Plan.B.v6());
        assertThat(p4.addresses()).as("Pkt#4 (IPv4, ER B)").isEqualTo(Plan.A.v4() + " -> " + Plan.B.v4());
        assertThat(lab.br().freshStats().getOrDefault("hairpinned", 0L)).as("BR hairpinned").isGreaterThan(hairpinned);
        Shell.Result tcp = java(Node.ER_A, "tcp-client", Plan.B.v4() + P, "--bind", Plan.A.v4());
        assertThat(tcp.out()).contains("server: seen " + Plan.A.v4() + " ");
    }

    /** Figure 6: additional EAMs on both ERs (RFC 7756 s5.2); the packets go straight from ER A to ER B. */
    @Test
    @Order(9)
    void figure6DirectWithAdditionalEamsTheBrSeesNothing() {
        Map<String, Long> before = lab.br().freshStats();
        Capture br = lab.capture(Node.BR, Lab.BR_IDC_IF, "ip6 and udp");
        Capture c1 = lab.capture(Node.ER_A, SIIT, "ip and udp");
        Capture c2 = lab.capture(Node.ER_A, Lab.NODE_IF, "ip6 and udp");
        Capture c3 = lab.capture(Node.ER_B, SIIT, "ip and udp");
        Shell.Result r = java(Node.ER_A, "udp-client", Plan.B2.v4() + P, "--bind", Plan.A2.v4(), "--text", "figure6");
        assertThat(r.out()).contains("reply: seen " + Plan.A2.v4() + " ");
        Shell.Result tcp = java(Node.ER_A, "tcp-client", Plan.B2.v4() + P, "--bind", Plan.A2.v4());
        assertThat(tcp.out()).contains("server: seen " + Plan.A2.v4() + " ");
        CapturedPacket p1 = request(c1), p2 = request(c2), p3 = request(c3);
        assertThat(p1.addresses()).as("Pkt#1 (IPv4, ER A)").isEqualTo(Plan.A2.v4() + " -> " + Plan.B2.v4());
        assertThat(p2.addresses()).as("Pkt#2 (IPv6, ER A -> ER B)").isEqualTo(Plan.A2.v6() + " -> " + Plan.B2.v6());
        assertThat(p3.addresses()).as("Pkt#3 (IPv4, ER B)").isEqualTo(Plan.A2.v4() + " -> " + Plan.B2.v4());
        assertThat(br.stop()).as("packets on the BR's IDC link").isEmpty();
        Map<String, Long> after = lab.br().freshStats();
        for (String k : List.of("received-ipv4", "received-ipv6", "translated-4to6", "translated-6to4")) {
            assertThat(after.getOrDefault(k, 0L)).as("BR counter " + k + " (all: " + after + ")")
                    .isEqualTo(before.getOrDefault(k, 0L));
        }
    }

    // ------------------------------------------------------------------------------------------------
    // RFC 7756 s6

    @Test
    @Order(10)
    void spoofedIpv4SourceFromTheAppIsDroppedAndCounted() {
        String nonce = nonce(), spoofed = "198.51.100.99";
        String counter = "er-drop-ipv4-source-without-eam";
        long before = lab.erA().freshStats().getOrDefault(counter, 0L);
        Capture up = lab.capture(Node.ER_A, Lab.NODE_IF, "ip6 and udp");
        raw(Node.ER_A, Plan.A.v4(), Plan.CLIENT4, "noreply legit4 " + nonce);
        raw(Node.ER_A, spoofed, Plan.CLIENT4, "noreply spoof4 " + nonce);
        awaitLog(lab.services().client().log(), "noreply legit4 " + nonce);
        assertThat(lab.erA().freshStats().getOrDefault(counter, 0L)).as(counter).isEqualTo(before + 1);
        assertThat(lab.services().client().output()).doesNotContain("spoof4 " + nonce);
        List<CapturedPacket> sent = up.stop();
        assertThat(sent).extracting(CapturedPacket::src).contains(Plan.A.v6()).doesNotContain(Plan.pool6(spoofed));
    }

    @Test
    @Order(11)
    void spoofedIpv6SourcesTowardErAAreDroppedAndCounted() {
        String nonce = nonce();
        String local = "er-drop-ipv6-source-is-local-service-address";
        String maps = "er-drop-ipv6-source-maps-to-local-service-address";
        Map<String, Long> before = lab.erA().freshStats();
        Capture in = lab.capture(Node.ER_A, SIIT, "ip and udp");
        raw(Node.V6SRV, Plan.pool6(Plan.CLIENT4), Plan.A.v6(), "noreply legit6 " + nonce);
        raw(Node.V6SRV, Plan.A.v6(), Plan.A.v6(), "noreply spoof6-local " + nonce);
        raw(Node.V6SRV, Plan.pool6(Plan.A.v4()), Plan.A.v6(), "noreply spoof6-maps " + nonce);
        awaitLog(lab.services().appA().log(), "noreply legit6 " + nonce);
        Map<String, Long> after = lab.erA().freshStats();
        assertThat(after.getOrDefault(local, 0L)).as(local).isEqualTo(before.getOrDefault(local, 0L) + 1);
        assertThat(after.getOrDefault(maps, 0L)).as(maps).isEqualTo(before.getOrDefault(maps, 0L) + 1);
        assertThat(lab.services().appA().output()).doesNotContain("spoof6-local " + nonce).doesNotContain("spoof6-maps " + nonce);
        assertThat(in.stop()).as("IPv4 packets ER A delivered").extracting(CapturedPacket::src).containsExactly(Plan.CLIENT4);
    }

    // ------------------------------------------------------------------------------------------------
    // MTU (RFC 7756 s4)

    /**
     * lowest-ipv6-mtu raised to the IDC's real MTU (1500, on the BR and the ERs alike, s4.1); the ER offers
     * its apps 1480 (s4.2): full-size packets without DF cross the IDC unfragmented both ways.
     */
    @Test
    @Order(12)
    void raisedLowestIpv6MtuNoIpv6FragmentationBetweenBrAndEr() {
        assertThat(lab.exec(Node.ER_A, 10, "ip", "-4", "route", "show", "default").out()).contains("mtu 1480");
        Capture idc = lab.capture(Node.IDC, Lab.IDC_BR_IF, "ip6[6] == 44 or (ip6[6] == 17 and udp port 7)"
                + " or (ip6[6] == 6 and ip6[53] & 2 != 0)");
        Capture atEr = lab.capture(Node.ER_A, SIIT, "ip and udp port 7");
        int payload = 1480 - 28;
        Shell.Result out = java(Node.ER_A, "udp-client", Plan.CLIENT4 + P, "--bind", Plan.A.v4(), "--size",
                Integer.toString(payload), "--df", "off", "--text", "fullsize-out");
        assertThat(out.out()).contains("len " + payload + " ");
        Shell.Result in = java(Node.CLIENT, "udp-client", Plan.A.v4() + P, "--size", Integer.toString(payload),
                "--df", "off", "--text", "fullsize-in");
        assertThat(in.out()).contains("len " + payload + " ");
        assertThat(java(Node.CLIENT, "bulk", Plan.A.v4() + P, "--bytes", "20M").out()).contains("sha256 ok");
        List<CapturedPacket> ipv6 = idc.stop();
        assertThat(ipv6).as("IPv6 Fragment headers between BR and ER").noneMatch(CapturedPacket::fragmentHeader);
        assertThat(ipv6).as("the full-size datagrams, unfragmented, both ways")
                .anyMatch(p -> p.isUdp() && p.length() == 1500 && p.src().equals(Plan.A.v6()))
                .anyMatch(p -> p.isUdp() && p.length() == 1500 && p.src().equals(Plan.pool6(Plan.CLIENT4)));
        assertThat(ipv6).as("TCP SYNs of the bulk sample").filteredOn(CapturedPacket::isTcp).hasSizeGreaterThanOrEqualTo(2);
        assertThat(atEr.stop()).as("the app's datagram left without DF")
                .anyMatch(p -> p.src().equals(Plan.A.v4()) && !p.df() && p.length() == 1480);
    }

    /**
     * The BR <-> IDC router link at 1400 while everything else, lowest-ipv6-mtu included, says 1500: 100 MiB
     * each way with DF (a TCP echo, checked byte for byte), so both translators must carry Path MTU Discovery
     * (Packet Too Big -> Fragmentation Needed) or the transfer black-holes.
     */
    @Test
    @Order(13)
    void bulkTcp100MBothWaysPmtudAcrossANarrowIdcLink() {
        lab.setIdcLinkMtu(1400);
        try {
            Capture frags = lab.capture(Node.BR, Lab.BR_IDC_IF, "ip6[6] == 44 or (ip6[6] == 6 and ip6[53] & 2 != 0)");
            // 100 MiB to the app's echo while reading its 100 MiB back: both directions at once, DF on
            Shell.Result bulk = lab.runJava(Node.CLIENT, 200, true, LabApp.class, "bulk", Plan.A.v4() + P,
                    "--bytes", "100M", "--stall-s", "20", "--timeout-s", "180");
            System.out.println("IDC link MTU 1400: " + bulk.out().strip());
            assertThat(bulk.out()).as(() -> bulk.out() + diagnostics()).contains("received 104857600 sha256 ok");
            // both senders learnt the path MTU from translated ICMP errors
            assertThat(lab.exec(Node.CLIENT, 10, "ip", "route", "get", Plan.A.v4()).out()).contains("mtu 1380");
            assertThat(lab.exec(Node.ER_A, 10, "ip", "route", "get", Plan.CLIENT4, "from", Plan.A.v4()).out())
                    .contains("mtu 1380");
            List<CapturedPacket> seen = frags.stop();
            assertThat(seen).noneMatch(CapturedPacket::fragmentHeader);
            assertThat(seen).filteredOn(CapturedPacket::isTcp).hasSizeGreaterThanOrEqualTo(2);
        } finally {
            lab.setIdcLinkMtu(1500);
            lab.flushRouteCaches();
        }
    }

    // ------------------------------------------------------------------------------------------------
    // interoperability and clean exit

    /** TAYGA (prefix = pool6, a map line per EAM) as the BR, siitdc as the ERs. */
    @Test
    @Order(14)
    void taygaAsBorderRelaySiitdcAsEdgeRelayTransparency() {
        LabPrerequisites.requireTool("taygaAsBorderRelay", "tayga");
        try {
            lab.useBr(Impl.TAYGA);
            Shell.Result tcp = java(Node.CLIENT, "tcp-client", Plan.A.v4() + P);
            assertThat(tcp.out()).contains("server: seen " + Plan.CLIENT4 + " ");
            Shell.Result udp = java(Node.CLIENT, "udp-client", Plan.A.v4() + P, "--size", "1200");
            assertThat(udp.out()).contains("reply: seen " + Plan.CLIENT4 + " ");
            Shell.Result out = java(Node.ER_A, "tcp-client", Plan.CLIENT4 + P);
            assertThat(out.out()).contains("server: seen " + Plan.A.v4() + " ");
        } finally {
            lab.useBr(Impl.SIITDC);
        }
    }

    /** SIGTERM: each relay exits 0 and leaves its namespace exactly as before it started. */
    @Test
    @Order(15)
    void cleanExitLeavesNothingBehind() {
        for (Node n : List.of(Node.BR, Node.ER_A, Node.ER_B)) {   // the snapshot does see what a relay changes
            assertThat(NetState.diff(beforeRelays.get(n), NetState.snapshot(lab, n)))
                    .as(n.label + " while it runs").anyMatch(l -> l.contains(SIIT));
        }
        Map<Node, Integer> status = lab.stopRelays();
        try {
            List<String> problems = new ArrayList<>();
            for (Node n : List.of(Node.BR, Node.ER_A, Node.ER_B)) {
                HostRelay r = lab.relay(n);
                if (status.getOrDefault(n, -2) != 0) {
                    problems.add(n.label + " exited with " + status.get(n) + ":\n" + r.process().tail(20));
                }
                List<String> diff = NetState.diff(beforeRelays.get(n), NetState.snapshot(lab, n));
                if (!diff.isEmpty()) problems.add(n.label + " left changes:\n  " + String.join("\n  ", diff));
                // issue 15: a clean stop leaves nothing behind but the lease file (the counters go to stdout)
                if (Files.exists(r.statsFile())) problems.add(n.label + ": stats file left after a clean exit");
            }
            assertThat(problems).as(String.join("\n", problems)).isEmpty();
        } finally {
            lab.startRelays();
        }
        assertThat(java(Node.CLIENT, "tcp-client", Plan.A.v4() + P).out()).contains("server: seen " + Plan.CLIENT4 + " ");
    }

    // ------------------------------------------------------------------------------------------------

    private static Shell.Result java(Node n, String... args) {
        boolean ipv4Only = n != Node.V6SRV;
        Shell.Result r = lab.runJava(n, 30, ipv4Only, LabApp.class, args);
        assertThat(r.exit()).as(() -> "LabApp " + String.join(" ", args) + " in " + n.label + ":\n" + r.out()
                + diagnostics()).isZero();
        return r;
    }

    private static void raw(Node n, String src, String dst, String text) {
        Shell.Result r = lab.runJava(n, 30, false, RawSend.class, "--src", src, "--dst", dst, "--sport", "40000",
                "--dport", Integer.toString(Plan.APP_PORT), "--text", text);
        assertThat(r.exit()).as(r.out()).isZero();
    }

    private static String line(Shell.Result r, String start) {
        return r.out().lines().filter(l -> l.startsWith(start)).findFirst()
                .orElseThrow(() -> new AssertionError("no line '" + start + "...' in:\n" + r.out()));
    }

    /** The first packet of a capture going to the app port. */
    private static CapturedPacket request(Capture c) {
        List<CapturedPacket> ps = c.packets(p -> p.dstPort() == Plan.APP_PORT);
        assertThat(ps).as("requests captured on " + c.node().label + " " + c.iface() + ": " + c.stop()).isNotEmpty();
        return ps.getFirst();
    }

    private static void awaitLog(java.nio.file.Path log, String text) {
        long end = System.nanoTime() + 5_000_000_000L;
        String s = "";
        while (System.nanoTime() < end) {
            try {
                s = Files.readString(log);
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
            if (s.contains(text)) return;
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new AssertionError("'" + text + "' not in " + log + " within 5 s:\n" + s + diagnostics());
    }

    private static String nonce() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong());
    }

    private static String diagnostics() {
        return NetworkLabs.relayDiagnostics(lab, false);
    }
}
