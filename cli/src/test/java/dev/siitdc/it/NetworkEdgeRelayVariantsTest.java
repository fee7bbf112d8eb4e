package dev.siitdc.it;

import dev.siitdc.lab.DhcpClient;
import dev.siitdc.lab.Lab;
import dev.siitdc.lab.NetState;
import dev.siitdc.lab.NetworkLab;
import dev.siitdc.lab.NetworkLab.NetCapture;
import dev.siitdc.lab.NetworkPlan;
import dev.siitdc.lab.NetworkPlan.Variant;
import dev.siitdc.lab.CapturedPacket;
import dev.siitdc.lab.Plan;
import dev.siitdc.lab.HostRelay;
import dev.siitdc.lab.SegmentRelay;
import dev.siitdc.lab.Shell;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * siitdc as the other network-based Edge Relays of RFC 7756 ({@link NetworkLab}, docs/lab.md), all three in
 * one lab on the IDC LAN: Appendix A.2 (a private segment, the Service Address 198.51.100.74 on the node's
 * lo, routed by the ER via the node's 10.64.0.70), "on a stick" (s3.2.1: the segment is the IDC LAN itself; a
 * dual-stack node keeps its native IPv6 and takes IPv4 by DHCP) and the bridging ER (s3.2.2: br-siitdc
 * bridges IPv6 between the IDC LAN and a dual-stack node, IPv4 stays on the segment). The tests run in
 * order; the last three stop the ERs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class NetworkEdgeRelayVariantsTest {
    private static final int PORT = NetworkPlan.NODE_APP_PORT;
    private static final String IF = NetworkPlan.NODE_IF;
    private static final List<String> TRANSLATION_COUNTERS = List.of("received-ipv4", "received-ipv6", "translated-4to6",
            "translated-6to4");

    private static NetworkLab nl;
    private static final Map<Variant, List<String>> before = new EnumMap<>(Variant.class);
    private static final Map<Variant, String> leased = new EnumMap<>(Variant.class);

    @BeforeAll
    static void up() {
        nl = NetworkLabs.create(NetworkEdgeRelayVariantsTest.class, EnumSet.of(Variant.A2, Variant.STICK, Variant.BRIDGE),
                "tc");
        for (Variant v : nl.variants()) before.put(v, nl.snapshot(NetworkLab.erId(v)));
        nl.startApp(NetworkLab.CLIENT, false);
        nl.startApp(Lab.Node.V6SRV.id, true);
        nl.startBr();
        nl.startErs(Variant.A2, Variant.STICK, Variant.BRIDGE);
    }

    @AfterAll
    static void down() {
        NetworkLabs.closeAndCheck(nl);
    }

    private static int ipv4RouteMtu() {
        return nl.lab().options().lowestIpv6Mtu() - 20;
    }

    private static void clientReachesTheApp(String node, String address) {
        Shell.Result r = nl.connect(Lab.Node.CLIENT, address, PORT);
        assertThat(r.out()).as("client -> %s:%d: %s", address, PORT, r.out())
                .contains("server: seen " + Plan.CLIENT4 + " ").contains(" at " + address + " " + PORT);
        assertThat(nl.nodeApp(node).output()).as("the app on %s (AF_INET, 0.0.0.0) saw the client's real address", node)
                .contains("tcp seen " + Plan.CLIENT4 + " ");
    }

    private static void nodeReachesTheClient(String node, String address) {
        Shell.Result r = nl.connect(node, Plan.CLIENT4, PORT, null);
        assertThat(r.out()).as("%s -> client: %s", node, r.out()).contains("server: seen " + address + " ");
    }

    /** {@code v}'s node, with the address it leased in test {@code leaseTest}, and the client reach each other. */
    private static void clientAndNodeReachEachOther(Variant v, int leaseTest) {
        String a = leased.get(v);
        assertThat(a).as("lease of test " + leaseTest).isNotNull();
        clientReachesTheApp(NetworkLab.nodeId(v), a);
        nodeReachesTheClient(NetworkLab.nodeId(v), a);
    }

    private static void assertLease(DhcpClient.Lease l, String node, Variant v) {
        List<String> pool = NetworkPlan.services(v).stream().map(Plan.Eam::v4).toList();
        String router = NetworkPlan.erSegmentAddress(v).split("/")[0];
        int len = Integer.parseInt(NetworkPlan.erSegmentAddress(v).split("/")[1]);
        assertThat(l.address()).as("%s: a Service Address: %s", node, l).isIn(pool);
        assertThat(l.prefixLength()).as("subnet: %s", l).isEqualTo(len);
        assertThat(l.router()).as("router = segment-address: %s", l).isEqualTo(router);
        assertThat(l.mtu()).as("Interface MTU option: %s", l).isEqualTo(ipv4RouteMtu());
        assertThat(nl.ipv4Addresses(node, IF)).containsExactly(l.address() + "/" + len);
        assertThat(nl.mtu(node, IF)).as("%s eth0 MTU really changed", node).isEqualTo(ipv4RouteMtu());
        assertThat(nl.ipv4DefaultRoute(node)).contains("via " + router + " ");
    }

    /** A TCP connection from {@code node} to the native IPv6 server that never enters {@code v}'s translator. */
    private static void nativeIpv6BypassesTheTranslator(Variant v, String node, String node6) {
        SegmentRelay er = nl.er(v);
        NetCapture tun = nl.capture(er.id(), HostRelay.SIITDC_TUN, "");
        Map<String, Long> c0 = er.freshStats();
        Shell.Result r = nl.connect(node, Plan.V6SRV6, PORT, null);
        Map<String, Long> c1 = er.freshStats();
        List<CapturedPacket> inTun = tun.packets(p -> p.port(PORT) || p.src().equals(Plan.V6SRV6) || p.dst().equals(Plan.V6SRV6)
                || p.src().equals(node6));
        assertThat(r.out()).as("%s -> [%s]:%d: %s", node, Plan.V6SRV6, PORT, r.out())
                .contains("server: seen " + node6 + " ").contains("local " + node6 + " ");
        assertThat(nl.nodeApp(Lab.Node.V6SRV.id).output()).as("the IPv6 server saw the node's own IPv6 address")
                .contains("tcp seen " + node6 + " ");
        assertThat(inTun).as("nothing of that connection in %s's TUN", er.id()).isEmpty();
        for (String c : TRANSLATION_COUNTERS) {
            assertThat(c1.getOrDefault(c, 0L)).as("%s of %s unchanged by native IPv6", c, er.id())
                    .isEqualTo(c0.getOrDefault(c, 0L));
        }
    }

    private static void cleanExit(Variant v) {
        SegmentRelay er = nl.er(v);
        int status = er.stop();
        assertThat(status).as("%s: SIGTERM: siitdc run exits 0; output:\n%s", er.id(), er.process().tail(20)).isZero();
        assertThat(NetState.diff(before.get(v), nl.snapshot(er.id())))
                .as("%s after stop vs before start: links, addresses, routes, rules, proxy entries, tc, sysctls", er.id())
                .isEmpty();
    }

    // ------------------------------------------------------------------------------------------------
    // Appendix A.2

    @Test
    @Order(1)
    void a2ClientReachesTheServiceAddressRoutedViaTheNodesPrivateAddress() {
        String route = nl.exec(NetworkLab.erId(Variant.A2), 10, "ip", "-4", "route", "show", NetworkPlan.A2_S.v4()).out();
        assertThat(route).as("segment-next-hops: the /32 via the node").contains("via " + NetworkPlan.A2_NODE4);
        clientReachesTheApp(NetworkLab.A2_NODE, NetworkPlan.A2_S.v4());
    }

    @Test
    @Order(2)
    void a2NodeReachesTheClientFromItsServiceAddress() {
        nodeReachesTheClient(NetworkLab.A2_NODE, NetworkPlan.A2_S.v4());
        Shell.Result ping = nl.exec(NetworkLab.A2_NODE, 20, "ping", "-c", "2", "-i", "0.2", "-W", "2", Plan.CLIENT4);
        assertThat(ping.out()).as(ping.out()).contains("2 received");
    }

    @Test
    @Order(3)
    void a2PrivateSourceAddressIsDroppedAndCounted() {
        SegmentRelay er = nl.er(Variant.A2);
        long c0 = er.counter("er-drop-ipv4-source-not-service-address");
        NetCapture atClient = nl.capture(Lab.Node.CLIENT, Lab.CLIENT_IF, "icmp");
        Shell.Result ping = nl.exec(NetworkLab.A2_NODE, 20, "ping", "-c", "3", "-i", "0.2", "-W", "1", "-I",
                NetworkPlan.A2_NODE4, Plan.CLIENT4);
        List<CapturedPacket> arrived = atClient.packets(p -> true);
        long c1 = er.counter("er-drop-ipv4-source-not-service-address");
        assertThat(ping.out()).as(ping.out()).contains(" 0 received");
        assertThat(c1 - c0).as("er-drop-ipv4-source-not-service-address").isGreaterThanOrEqualTo(3);
        assertThat(arrived).as("nothing arrives at the client").isEmpty();
    }

    // ------------------------------------------------------------------------------------------------
    // on a stick (s3.2.1)

    @Test
    @Order(4)
    void stickDualStackNodeGetsIpv4ByDhcpOnTheIdcLan() {
        DhcpClient.Lease l = DhcpClient.udhcpc(nl, NetworkLab.STICK_NODE, IF);
        assertLease(l, NetworkLab.STICK_NODE, Variant.STICK);
        leased.put(Variant.STICK, l.address());
    }

    @Test
    @Order(5)
    void stickClientAndNodeReachEachOtherWithTheirRealAddresses() {
        clientAndNodeReachEachOther(Variant.STICK, 4);
    }

    @Test
    @Order(6)
    void stickNodeKeepsNativeIpv6WithoutTheTranslator() {
        nativeIpv6BypassesTheTranslator(Variant.STICK, NetworkLab.STICK_NODE, NetworkPlan.STICK_NODE6);
    }

    // ------------------------------------------------------------------------------------------------
    // bridge (s3.2.2)

    @Test
    @Order(7)
    void bridgeDualStackNodeGetsIpv4ByDhcpAndNoIpv4CrossesToTheIdcLan() {
        NetCapture lan = nl.capture(Lab.Node.IDC, "p-" + NetworkLab.erId(Variant.BRIDGE),
                "ether src " + NetworkPlan.BRIDGE_NODE_MAC + " and not ip6");
        DhcpClient.Lease l = DhcpClient.dhclient(nl, NetworkLab.BRIDGE_NODE, IF);
        List<CapturedPacket> leaked = lan.stop();
        assertLease(l, NetworkLab.BRIDGE_NODE, Variant.BRIDGE);
        leased.put(Variant.BRIDGE, l.address());
        assertThat(leaked).as("no IPv4 or ARP of the node (its DHCP included) crosses to the IDC LAN").isEmpty();
        String br = nl.exec(NetworkLab.erId(Variant.BRIDGE), 10, "ip", "-o", "link", "show", "master", NetworkPlan.ER_BRIDGE).out();
        assertThat(br).as("br-siitdc ports").contains(NetworkPlan.UPSTREAM_IF).contains(NetworkPlan.SEGMENT_IF);
    }

    @Test
    @Order(8)
    void bridgeClientAndNodeReachEachOtherWithTheirRealAddresses() {
        clientAndNodeReachEachOther(Variant.BRIDGE, 7);
    }

    @Test
    @Order(9)
    void bridgeNodeKeepsNativeIpv6ThroughTheBridgeWithoutTheTranslator() {
        nativeIpv6BypassesTheTranslator(Variant.BRIDGE, NetworkLab.BRIDGE_NODE, NetworkPlan.BRIDGE_NODE6);
    }

    // ------------------------------------------------------------------------------------------------
    // after SIGKILL: the next start undoes what the dead one left (the clean-exit tests then compare with before)

    @Test
    @Order(10)
    void a2KilledTheNextStartUndoesTheSegmentSetUpAndWorks() {
        String er = NetworkLab.erId(Variant.A2);
        nl.er(Variant.A2).process().kill();
        assertThat(nl.exec(er, 10, "ip", "-4", "route", "show", NetworkPlan.A2_S.v4()).out())
                .as("the next-hop route the killed ER left").contains("via " + NetworkPlan.A2_NODE4);
        nl.er(Variant.A2).start();
        assertThat(nl.er(Variant.A2).process().output()).contains("did not stop cleanly: undoing what it left")
                .contains("siitdc: recovery: deleted the route inet " + NetworkPlan.A2_S.v4() + "/32 dev " + NetworkPlan.SEGMENT_IF)
                .contains("siitdc: recovery: restored sysctl net.ipv4.ip_forward = 0 (was 1)");
        clientReachesTheApp(NetworkLab.A2_NODE, NetworkPlan.A2_S.v4());
    }

    @Test
    @Order(11)
    void bridgeKilledTheNextStartUndoesTheBridgeAndTheMovesAndWorks() {
        String er = NetworkLab.erId(Variant.BRIDGE);
        nl.er(Variant.BRIDGE).process().kill();
        assertThat(nl.exec(er, 10, "ip", "-o", "link", "show", NetworkPlan.ER_BRIDGE).out())
                .as("the bridge the killed ER left").contains(NetworkPlan.ER_BRIDGE);
        nl.er(Variant.BRIDGE).start();
        assertThat(nl.er(Variant.BRIDGE).process().output()).contains("did not stop cleanly: undoing what it left")
                .contains("siitdc: recovery: deleted the bridge " + NetworkPlan.ER_BRIDGE)
                .contains("siitdc: recovery: deleted the clsact qdisc of " + NetworkPlan.UPSTREAM_IF);
        clientAndNodeReachEachOther(Variant.BRIDGE, 7);
    }

    // ------------------------------------------------------------------------------------------------
    // clean exit

    @Test
    @Order(20)
    void a2SigtermLeavesTheErNamespaceExactlyAsBefore() {
        cleanExit(Variant.A2);
    }

    @Test
    @Order(21)
    void stickSigtermLeavesTheErNamespaceExactlyAsBefore() {
        cleanExit(Variant.STICK);
    }

    @Test
    @Order(22)
    void bridgeSigtermLeavesTheErNamespaceExactlyAsBefore() {
        cleanExit(Variant.BRIDGE);
    }
}
