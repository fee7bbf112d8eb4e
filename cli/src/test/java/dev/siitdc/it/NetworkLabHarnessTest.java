package dev.siitdc.it;

import dev.siitdc.lab.DhcpClient;
import dev.siitdc.lab.LabProcess;
import dev.siitdc.lab.NetworkLab;
import dev.siitdc.lab.NetworkPlan;
import dev.siitdc.lab.NetworkPlan.Variant;
import dev.siitdc.lab.Shell;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The network ER lab's own parts, without siitdc's DHCP server: the topology of every variant builds and
 * goes away, and the DHCP client harness ({@link DhcpClient}: busybox udhcpc and ISC dhclient with the
 * lab's event scripts) gets and applies address, router and MTU from busybox udhcpd, a stand-in server in
 * the A.1 ER's namespace. So a failure of {@code NetworkEdgeRelayTest} is siitdc's, not the harness's.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NetworkLabHarnessTest {
    private static final int MTU = 1480;
    private static NetworkLab nl;
    private static LabProcess udhcpd;

    @BeforeAll
    static void up() throws Exception {
        nl = NetworkLabs.create(NetworkLabHarnessTest.class, EnumSet.allOf(Variant.class));
        // the stand-in: busybox udhcpd on the A.1 ER's segment interface, leasing the two Service Addresses
        String er = NetworkLab.erId(Variant.A1);
        nl.ip(er, "addr", "add", NetworkPlan.A1_ER4 + "/" + NetworkPlan.A1_PREFIX_LENGTH, "dev", NetworkPlan.SEGMENT_IF);
        Path conf = nl.dir().resolve("udhcpd.conf");
        Files.writeString(conf, String.join("\n",
                "start " + NetworkPlan.A1_S1.v4(),
                "end " + NetworkPlan.A1_S2.v4(),
                "interface " + NetworkPlan.SEGMENT_IF,
                "max_leases 2",
                "lease_file " + nl.dir().resolve("udhcpd.leases"),
                "pidfile " + nl.dir().resolve("udhcpd.pid"),
                "opt subnet 255.255.255.248",
                "opt router " + NetworkPlan.A1_ER4,
                "opt mtu " + MTU,
                "opt lease 3600", ""));
        udhcpd = nl.spawn(er, "udhcpd", List.of("busybox", "udhcpd", "-f", conf.toString()));
        Thread.sleep(300);
    }

    @AfterAll
    static void down() {
        NetworkLabs.closeAndCheck(nl);
    }

    @Test
    @Order(1)
    void everyVariantsNamespacesExist() {
        String list = Shell.run(10, "ip", "netns", "list").out();
        for (String id : List.of("a1er", "a1sw", "a1n4", "a1n5", "a2er", "a2n", "sker", "skn", "bger", "bgn")) {
            assertThat(list).as("namespace " + nl.ns(id)).contains(nl.ns(id));
        }
        assertThat(nl.exec(NetworkLab.A1_UDHCPC, 10, "sysctl", "-n", "net.ipv6.conf.all.disable_ipv6").out().strip())
                .as("the A.1 nodes are IPv4-only").isEqualTo("1");
        assertThat(nl.exec(NetworkLab.A1_UDHCPC, 10, "ip", "-6", "addr").out().strip()).as("no IPv6 address at all").isEmpty();
    }

    @Test
    @Order(2)
    void udhcpcGetsAndAppliesAddressRouterAndMtuFromUdhcpd() {
        DhcpClient.Lease l = DhcpClient.udhcpc(nl, NetworkLab.A1_UDHCPC, NetworkPlan.NODE_IF);
        assertLeaseApplied(l, NetworkLab.A1_UDHCPC);
        Shell.Result ping = nl.exec(NetworkLab.A1_UDHCPC, 10, "ping", "-c", "1", "-W", "2", NetworkPlan.A1_ER4);
        assertThat(ping.out()).as(ping.out()).contains("1 received");
    }

    @Test
    @Order(3)
    void dhclientGetsAndAppliesAddressRouterAndMtuFromUdhcpd() {
        DhcpClient.Lease l = DhcpClient.dhclient(nl, NetworkLab.A1_DHCLIENT, NetworkPlan.NODE_IF);
        assertLeaseApplied(l, NetworkLab.A1_DHCLIENT);
    }

    @Test
    @Order(4)
    void theNodeAppSeesItsPeersAddress() {
        String node4 = nl.ipv4Addresses(NetworkLab.A1_UDHCPC, NetworkPlan.NODE_IF).getFirst().split("/")[0];
        Shell.Result r = nl.connect(NetworkLab.erId(Variant.A1), node4, NetworkPlan.NODE_APP_PORT, null);
        assertThat(r.out()).as(r.out()).contains("server: seen " + NetworkPlan.A1_ER4 + " ");
        assertThat(nl.nodeApp(NetworkLab.A1_UDHCPC).output()).contains("tcp seen " + NetworkPlan.A1_ER4 + " ");
        assertThat(udhcpd.alive()).isTrue();
    }

    /** The lease is one of the A.1 Service Addresses with the ER as router and the MTU, and {@code node} applied it. */
    private static void assertLeaseApplied(DhcpClient.Lease l, String node) {
        assertThat(l.address()).as(l.toString()).isIn(NetworkPlan.A1_S1.v4(), NetworkPlan.A1_S2.v4());
        assertThat(l.prefixLength()).as(l.toString()).isEqualTo(NetworkPlan.A1_PREFIX_LENGTH);
        assertThat(l.router()).as(l.toString()).isEqualTo(NetworkPlan.A1_ER4);
        assertThat(l.mtu()).as(l.toString()).isEqualTo(MTU);
        assertThat(nl.ipv4Addresses(node, NetworkPlan.NODE_IF)).containsExactly(l.address() + "/29");
        assertThat(nl.mtu(node, NetworkPlan.NODE_IF)).as("eth0 MTU applied").isEqualTo(MTU);
        assertThat(nl.ipv4DefaultRoute(node)).contains("via " + NetworkPlan.A1_ER4);
    }
}
