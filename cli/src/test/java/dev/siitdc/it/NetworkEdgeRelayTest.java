package dev.siitdc.it;

import dev.siitdc.lab.DhcpClient;
import dev.siitdc.lab.Lab;
import dev.siitdc.lab.NetworkLab;
import dev.siitdc.lab.NetworkLab.NetCapture;
import dev.siitdc.lab.NetworkPlan;
import dev.siitdc.lab.NetworkPlan.Variant;
import dev.siitdc.lab.NetState;
import dev.siitdc.lab.CapturedPacket;
import dev.siitdc.lab.Plan;
import dev.siitdc.lab.SegmentRelay;
import dev.siitdc.lab.Shell;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * siitdc as a network-based Edge Relay, RFC 7756 Appendix A.1 ({@link NetworkLab}, docs/lab.md): the IPv4
 * client 192.0.2.100 -- siitdc BR -- IPv6-only IDC LAN -- the A.1 ER, whose segment 198.51.100.64/29 holds
 * two IPv4-only nodes (IPv6 disabled) that take the Service Addresses 198.51.100.66 and .67 from siitdc's
 * DHCPv4 server: one with busybox udhcpc, one with ISC dhclient. One lab for the class; the tests run in
 * order (the nodes keep the leases of tests 1 and 2); the last one stops the ER.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class NetworkEdgeRelayTest {
    private static final String N4 = NetworkLab.A1_UDHCPC, N5 = NetworkLab.A1_DHCLIENT, IF = NetworkPlan.NODE_IF;
    private static final int PORT = NetworkPlan.NODE_APP_PORT;
    private static final List<String> POOL = List.of(NetworkPlan.A1_S1.v4(), NetworkPlan.A1_S2.v4());

    private static NetworkLab nl;
    private static SegmentRelay er;
    private static List<String> beforeEr;
    private static final java.util.Map<String, String> leased = new java.util.TreeMap<>();   // node -> address

    @BeforeAll
    static void up() {
        nl = NetworkLabs.create(NetworkEdgeRelayTest.class, java.util.EnumSet.of(Variant.A1), "tc");
        er = nl.er(Variant.A1);
        beforeEr = nl.snapshot(er.id());
        nl.startApp(NetworkLab.CLIENT, false);
        nl.startBr();
        er.start();
    }

    @AfterAll
    static void down() {
        NetworkLabs.closeAndCheck(nl);
    }

    private static int ipv4RouteMtu() {
        return nl.lab().options().lowestIpv6Mtu() - 20;
    }

    private static String address(String node) {
        String a = leased.get(node);
        assertThat(a).as(node + " has a lease (tests 1 and 2)").isNotNull();
        return a;
    }

    private static void assertLease(DhcpClient.Lease l, String node) {
        assertThat(l.address()).as("%s leased a Service Address of the segment: %s", node, l).isIn(POOL);
        assertThat(l.prefixLength()).as("subnet mask: %s", l).isEqualTo(NetworkPlan.A1_PREFIX_LENGTH);
        assertThat(l.router()).as("router = segment-address: %s", l).isEqualTo(NetworkPlan.A1_ER4);
        assertThat(l.serverId()).as("server identifier = segment-address: %s", l).isEqualTo(NetworkPlan.A1_ER4);
        assertThat(l.mtu()).as("Interface MTU option = lowest-ipv6-mtu - 20 (RFC 7756 s4.2): %s", l).isEqualTo(ipv4RouteMtu());
        assertThat(l.leaseSeconds()).as("lease time: %s", l).isEqualTo(3600);
        assertThat(nl.ipv4Addresses(node, IF)).as("%s eth0 has the address", node)
                .containsExactly(l.address() + "/" + NetworkPlan.A1_PREFIX_LENGTH);
        assertThat(nl.mtu(node, IF)).as("%s eth0 MTU really changed", node).isEqualTo(ipv4RouteMtu());
        assertThat(nl.ipv4DefaultRoute(node)).as("%s default route", node).contains("via " + NetworkPlan.A1_ER4 + " ");
        Shell.Result ping = nl.exec(node, 10, "ping", "-c", "1", "-W", "2", NetworkPlan.A1_ER4);
        assertThat(ping.out()).as("%s pings its router: %s", node, ping.out()).contains("1 received");
    }

    // ------------------------------------------------------------------------------------------------
    // address and MTU

    @Test
    @Order(1)
    void udhcpcNodeGetsAServiceAddressTheRouterAndTheMtu() {
        assertThat(nl.mtu(N4, IF)).as("eth0 MTU before DHCP").isEqualTo(1500);
        assertThat(nl.ipv4Addresses(N4, IF)).as("no address before DHCP").isEmpty();
        NetCapture seg = nl.capture(er.id(), NetworkPlan.SEGMENT_IF, "udp src port 67");
        DhcpClient.Lease l = DhcpClient.udhcpc(nl, N4, IF);
        assertLease(l, N4);
        leased.put(N4, l.address());
        // RFC 2131 s4.1: without the BROADCAST flag, OFFER and ACK go unicast to yiaddr at chaddr.
        List<CapturedPacket> replies = seg.packets(p -> p.srcPort() == 67);
        assertThat(replies).as("the server's replies on the segment").hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy(p -> assertThat(p.dst()).as("reply %s", p).isEqualTo(l.address()));
    }

    @Test
    @Order(2)
    void dhclientNodeGetsTheOtherServiceAddressTheRouterAndTheMtu() {
        assertThat(nl.mtu(N5, IF)).as("eth0 MTU before DHCP").isEqualTo(1500);
        DhcpClient.Lease l = DhcpClient.dhclient(nl, N5, IF);
        assertLease(l, N5);
        assertThat(l.address()).as("not the udhcpc node's address").isNotEqualTo(address(N4));
        leased.put(N5, l.address());
        Map<String, Long> s = er.freshStats();
        assertThat(s.getOrDefault("dhcp-ack", 0L)).as("dhcp-ack in %s", s).isGreaterThanOrEqualTo(2);
    }

    // ------------------------------------------------------------------------------------------------
    // transparency

    @Test
    @Order(3)
    void clientReachesEachNodesAppAndTheAppSeesTheClientsRealAddress() {
        for (String node : List.of(N4, N5)) {
            Shell.Result r = nl.connect(Lab.Node.CLIENT, address(node), PORT);
            assertThat(r.out()).as("client -> %s:%d (%s): %s", address(node), PORT, node, r.out())
                    .contains("server: seen " + Plan.CLIENT4 + " ").contains(" at " + address(node) + " " + PORT);
            assertThat(nl.nodeApp(node).output()).as("the app on %s (AF_INET, 0.0.0.0) logs the client's address", node)
                    .contains("tcp seen " + Plan.CLIENT4 + " ");
        }
    }

    @Test
    @Order(4)
    void eachNodeReachesTheClientFromItsServiceAddress() {
        for (String node : List.of(N4, N5)) {
            Shell.Result r = nl.connect(node, Plan.CLIENT4, PORT, null);
            assertThat(r.out()).as("%s -> client: %s", node, r.out()).contains("server: seen " + address(node) + " ");
            Shell.Result ping = nl.exec(node, 20, "ping", "-c", "2", "-i", "0.2", "-W", "2", Plan.CLIENT4);
            assertThat(ping.out()).as("%s pings the client: %s", node, ping.out()).contains("2 received");
        }
    }

    // ------------------------------------------------------------------------------------------------
    // RFC 7756 s6: ingress filtering of IPv4 sources that are not Service Addresses

    @Test
    @Order(5)
    void nonServiceSourceAddressIsDroppedAndCounted() {
        String bad = NetworkPlan.A1_NOT_SERVICE4;
        nl.exec(N4, 10, "ip", "addr", "add", bad + "/" + NetworkPlan.A1_PREFIX_LENGTH, "dev", IF).check();
        try {
            long before = er.counter("er-drop-ipv4-source-not-service-address");
            NetCapture atClient = nl.capture(Lab.Node.CLIENT, Lab.CLIENT_IF, "icmp");
            NetCapture atBr = nl.capture(Lab.Node.BR, Lab.BR_IDC_IF, "ip6");
            Shell.Result ping = nl.exec(N4, 20, "ping", "-c", "3", "-i", "0.2", "-W", "1", "-I", bad, Plan.CLIENT4);
            List<CapturedPacket> arrived = atClient.packets(p -> true);
            List<CapturedPacket> v6 = atBr.packets(p -> p.src().equals(Plan.pool6(bad)));
            long after = er.counter("er-drop-ipv4-source-not-service-address");
            assertThat(ping.out()).as("ping -I %s: %s", bad, ping.out()).contains(" 0 received");
            assertThat(after - before).as("er-drop-ipv4-source-not-service-address counted each echo request")
                    .isGreaterThanOrEqualTo(3);
            assertThat(arrived).as("nothing arrives at the client").isEmpty();
            assertThat(v6).as("nothing translated leaves for the IDC from " + bad).isEmpty();
        } finally {
            nl.exec(N4, 10, "ip", "addr", "del", bad + "/" + NetworkPlan.A1_PREFIX_LENGTH, "dev", IF);
        }
        Shell.Result ok = nl.exec(N4, 20, "ping", "-c", "1", "-W", "2", Plan.CLIENT4);
        assertThat(ok.out()).as("the Service Address still passes: %s", ok.out()).contains("1 received");
    }

    // ------------------------------------------------------------------------------------------------
    // hostile DHCP

    /** Sends the three hostile DHCP messages, broadcast to 255.255.255.255:67 out of eth0, from client port 68. */
    static final String HOSTILE = """
            import socket, struct, sys
            def header(chaddr):
                h = struct.pack("!BBBBIHH4s4s4s4s", 1, 1, 6, 0, 0x5c0ffee, 0, 0x8000,
                                bytes(4), bytes(4), bytes(4), bytes(4))
                h += chaddr + bytes(10) + bytes(64) + bytes(128)
                assert len(h) == 236
                return h
            mac = bytes.fromhex("02005e005399")
            cookie = bytes([99, 130, 83, 99])
            truncated = header(mac)[:100]
            bad_cookie = header(mac) + bytes.fromhex("deadbeef") + bytes([53, 1, 1, 255]) + bytes(56)
            overflow = header(mac) + cookie + bytes([53, 1, 1]) + bytes([12, 200]) + b"abc"
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, sys.argv[1].encode())
            s.bind(("0.0.0.0", 68))
            for name, m in (("truncated", truncated), ("bad-cookie", bad_cookie), ("bad-options", overflow)):
                s.sendto(m, ("255.255.255.255", 67))
                print("sent %s %d bytes" % (name, len(m)), flush=True)
            """;

    @Test
    @Order(6)
    void hostileDhcpMessagesAreCountedAndChangeNothing() throws Exception {
        String leasesBefore = er.leaseFileText();
        assertThat(leasesBefore).as("the lease file has both leases").contains(address(N4)).contains(address(N5));
        Map<String, Long> before = er.freshStats();
        java.nio.file.Path script = nl.dir().resolve("hostile-dhcp.py");
        Files.writeString(script, HOSTILE);
        NetCapture seg = nl.capture(er.id(), NetworkPlan.SEGMENT_IF, "udp port 67");
        Shell.Result r = nl.exec(N4, 20, "python3", script.toString(), IF);
        assertThat(r.ok()).as("hostile sender: %s", r.out()).isTrue();
        assertThat(seg.packets(p -> p.dstPort() == 67)).as("the three messages reached the ER's segment interface").hasSize(3);
        Map<String, Long> after = er.freshStats();
        for (String c : List.of("dhcp-drop-truncated", "dhcp-drop-bad-cookie", "dhcp-drop-bad-options")) {
            assertThat(after.getOrDefault(c, 0L) - before.getOrDefault(c, 0L)).as("%s counted once; stats %s", c, after)
                    .isEqualTo(1);
        }
        for (String c : List.of("dhcp-offer", "dhcp-ack", "dhcp-nak")) {
            assertThat(after.getOrDefault(c, 0L)).as("%s not answered to a hostile message", c)
                    .isEqualTo(before.getOrDefault(c, 0L));
        }
        assertThat(er.leaseFileText()).as("the lease file is unchanged").isEqualTo(leasesBefore);
        assertThat(er.running()).as("the daemon runs").isTrue();
        // and it still serves a normal client
        DhcpClient.Lease l = DhcpClient.udhcpc(nl, N4, IF);
        assertThat(l.address()).as("a normal client is served after the hostile messages: %s", l).isEqualTo(address(N4));
    }

    // ------------------------------------------------------------------------------------------------
    // leases across a restart

    @Test
    @Order(7)
    void restartKeepsTheLeasesTheSameMacGetsTheSameAddress() {
        int status = er.stop();
        assertThat(status).as("SIGTERM: siitdc run exits 0; output:\n%s", er.process().tail(20)).isZero();
        String text = er.leaseFileText();
        assertThat(DhcpClient.linesWith(text, NetworkPlan.A1_UDHCPC_MAC)).as("lease file:\n%s", text).singleElement()
                .asString().contains(address(N4));
        assertThat(DhcpClient.linesWith(text, NetworkPlan.A1_DHCLIENT_MAC)).as("lease file:\n%s", text).singleElement()
                .asString().contains(address(N5));
        assertThat(NetState.diff(beforeEr, nl.snapshot(er.id()))).as("the ER undid everything at stop").isEmpty();

        er.start();
        // both nodes "reboot"; the node that held the second pool address asks first, so a server that forgot
        // its leases would give it the first one
        DhcpClient.forget(nl, N4, IF, 1500);
        DhcpClient.forget(nl, N5, IF, 1500);
        String second = address(N4).equals(POOL.get(1)) ? N4 : N5;
        String first = second.equals(N4) ? N5 : N4;
        for (String node : List.of(second, first)) {
            DhcpClient.Lease l = node.equals(N4) ? DhcpClient.udhcpc(nl, node, IF) : DhcpClient.dhclient(nl, node, IF);
            assertThat(l.address()).as("%s (%s) after the restart: %s", node, l.client(), l).isEqualTo(address(node));
            assertThat(nl.mtu(node, IF)).isEqualTo(ipv4RouteMtu());
        }
        Shell.Result r = nl.connect(Lab.Node.CLIENT, address(second), PORT);
        assertThat(r.out()).as("transparency after the restart: %s", r.out()).contains("server: seen " + Plan.CLIENT4 + " ");
    }

    // ------------------------------------------------------------------------------------------------

    @Test
    @Order(8)
    void sigtermLeavesTheErNamespaceExactlyAsBefore() {
        int status = er.stop();
        assertThat(status).as("SIGTERM: siitdc run exits 0; output:\n%s", er.process().tail(20)).isZero();
        List<String> after = nl.snapshot(er.id());
        assertThat(NetState.diff(beforeEr, after))
                .as("links, addresses, routes, rules, proxy entries, tc, sysctls of %s after stop vs before start", er.id())
                .isEmpty();
        assertThat(er.leaseFileText()).as("leases flushed to the lease file at stop").contains(address(N4)).contains(address(N5));
    }
}
