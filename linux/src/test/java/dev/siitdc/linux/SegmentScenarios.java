package dev.siitdc.linux;

import static dev.siitdc.linux.NetnsScenarios.ok;
import static dev.siitdc.linux.NetnsScenarios.sh;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The network-based Edge Relay scenarios (UDP socket for DHCP, bridge, route listing, tc drop
 * filters), run by {@link SegmentKernelTest} through {@link NetnsScenarios#main}: a child JVM inside a
 * fresh namespace, with a second namespace (its name passed in) as the far end of a veth pair.
 */
final class SegmentScenarios {
    private SegmentScenarios() {
    }

    // ---- UdpSocket ------------------------------------------------------------------------

    /** The peer: sends a broadcast to 6767 from 6868, prints the two answers it gets. */
    private static final String UDP_PEER = """
            import socket
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b"sdtu1")
            s.bind(("0.0.0.0", 6868))
            s.settimeout(10)
            s.sendto(b"DISCOVER", ("255.255.255.255", 6767))
            print("SENT", flush=True)
            for i in range(2):
                d, a = s.recvfrom(2048)
                print("GOT", d.decode(), a[0], a[1], flush=True)
            """;

    static void udpSocket(String peer) throws Exception {
        // sdtu0 (here, 10.9.0.1/24) <-> sdtu1 (peer, 10.9.0.2/24); the default route goes out another
        // interface, so the limited broadcast can only reach the peer through SO_BINDTODEVICE.
        sh("ip", "link", "add", "sdtu0", "type", "veth", "peer", "name", "sdtu1", "netns", peer);
        sh("ip", "addr", "add", "10.9.0.1/24", "dev", "sdtu0");
        sh("ip", "link", "set", "sdtu0", "up");
        sh("ip", "netns", "exec", peer, "ip", "addr", "add", "10.9.0.2/24", "dev", "sdtu1");
        sh("ip", "netns", "exec", peer, "ip", "link", "set", "sdtu1", "up");
        sh("ip", "link", "add", "sdtx0", "type", "veth", "peer", "name", "sdtx1");
        sh("ip", "link", "set", "sdtx0", "up");
        sh("ip", "link", "set", "sdtx1", "up");
        sh("ip", "addr", "add", "10.9.5.1/24", "dev", "sdtx0");
        sh("ip", "route", "add", "default", "via", "10.9.5.2", "dev", "sdtx0");

        LinuxException noDev = catchThrowableOfType(LinuxException.class, () -> UdpSocket.open("sdnone0", 6767));
        assertThat(noDev.syscall()).isEqualTo("setsockopt(SO_BINDTODEVICE)");
        assertThat(noDev.errnoName()).isEqualTo("ENODEV");
        assertThat(noDev.getMessage()).contains("sdnone0", "6767");
        ok("open on a missing interface -> " + noDev.getMessage());

        try (UdpSocket s = UdpSocket.open("sdtu0", 6767)) {
            byte[] buf = new byte[1500];
            long t0 = System.nanoTime();
            assertThat(s.receive(buf, 0, buf.length, 200)).isZero();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(ms).isBetween(150L, 2000L);
            ok("receive(200 ms) timed out after " + ms + " ms");
            assertThat(sh("ss", "-uanp")).contains("0.0.0.0%sdtu0:6767");
            ok("bound 0.0.0.0%sdtu0:6767");

            Process p = new ProcessBuilder("ip", "netns", "exec", peer, "python3", "-c", UDP_PEER)
                    .redirectErrorStream(true).start();
            try {
                int n = 0;
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (n == 0 && System.nanoTime() < deadline) {
                    n = s.receive(buf, 100, buf.length - 100, 1000);
                }
                assertThat(new String(buf, 100, n, StandardCharsets.US_ASCII)).isEqualTo("DISCOVER");
                assertThat(UdpSocket.text(s.lastSourceAddress())).isEqualTo("10.9.0.2");
                assertThat(s.lastSourceAddress()).isEqualTo(0x0a090002);
                assertThat(s.lastSourcePort()).isEqualTo(6868);
                assertThat(s.lastTruncated()).isFalse();
                ok("received the broadcast DISCOVER from 10.9.0.2:6868");

                byte[] out = "xxOFFER-BCAST".getBytes(StandardCharsets.US_ASCII);
                s.send(out, 2, out.length - 2, 0xffffffff, 6868);
                byte[] ack = "ACK-UNICAST".getBytes(StandardCharsets.US_ASCII);
                s.send(ack, 0, ack.length, s.lastSourceAddress(), s.lastSourcePort());
                assertThat(p.waitFor(15, TimeUnit.SECONDS)).as("peer finished").isTrue();
                String peerOut = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(p.exitValue()).as(peerOut).isZero();
                assertThat(peerOut).contains("GOT OFFER-BCAST 10.9.0.1 6767", "GOT ACK-UNICAST 10.9.0.1 6767");
                ok("peer got the broadcast and the unicast reply: " + peerOut.strip().replace('\n', '|'));
            } finally {
                p.destroyForcibly();
            }

            // A datagram longer than the room given is cut, and said so.
            Process big = new ProcessBuilder("ip", "netns", "exec", peer, "python3", "-c",
                    "import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM);"
                            + " s.sendto(b'0123456789', ('10.9.0.1', 6767))")
                    .redirectErrorStream(true).start();
            assertThat(big.waitFor(15, TimeUnit.SECONDS)).isTrue();
            int n = s.receive(buf, 0, 4, 5000);
            assertThat(n).isEqualTo(4);
            assertThat(s.lastTruncated()).isTrue();
            assertThat(new String(buf, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("0123");
            ok("a 10-byte datagram into 4 bytes: truncated");
        }
    }

    // ---- bridge, master, delete -----------------------------------------------------------

    static void bridge() throws Exception {
        byte[] mac = {0x02, 0x00, 0x5e, 0x00, 0x53, 0x01};
        try (Rtnetlink rtnl = Rtnetlink.open()) {
            int br = rtnl.createBridge("sdbr0", mac);
            LinkInfo info = rtnl.link(br);
            assertThat(info.name()).isEqualTo("sdbr0");
            assertThat(info.mac()).isEqualTo(mac);
            assertThat(info.macText()).isEqualTo("02:00:5e:00:53:01");
            assertThat(info.master()).isZero();
            Map<String, Object> link = single(ipJson("-d", "link", "show", "dev", "sdbr0"));
            assertThat(link).containsEntry("address", "02:00:5e:00:53:01");
            Map<String, Object> linkinfo = map(link.get("linkinfo"));
            assertThat(linkinfo).containsEntry("info_kind", "bridge");
            Map<String, Object> data = map(linkinfo.get("info_data"));
            assertThat(data).containsEntry("forward_delay", 0L).containsEntry("stp_state", 0L);
            ok("bridge sdbr0 ifindex " + br + " " + info.macText() + " forward_delay " + data.get("forward_delay")
                    + " stp_state " + data.get("stp_state"));

            LinuxException exists = catchThrowableOfType(LinuxException.class, () -> rtnl.createBridge("sdbr0", null));
            assertThat(exists.errnoName()).isEqualTo("EEXIST");
            ok("again -> " + exists.getMessage());
            int other = rtnl.createBridge("sdbr1", new byte[0]);
            assertThat(rtnl.link(other).mac()).hasSize(6).isNotEqualTo(mac);
            rtnl.deleteLink(other);
            ok("bridge sdbr1 with a random MAC " + "created and deleted");

            sh("ip", "link", "add", "sdtb0", "type", "veth", "peer", "name", "sdtb1");
            int port = rtnl.linkIndex("sdtb0");
            assertThat(rtnl.link(port).master()).isZero();
            assertThat(rtnl.linkSetMaster(port, br)).as("previous master").isZero();
            assertThat(rtnl.link(port).master()).isEqualTo(br);
            rtnl.linkSetUp(br, true);
            rtnl.linkSetUp(port, true);
            rtnl.linkSetUp(rtnl.linkIndex("sdtb1"), true);
            Map<String, Object> portLink = single(ipJson("-d", "link", "show", "dev", "sdtb0"));
            assertThat(portLink).containsEntry("master", "sdbr0");
            Map<String, Object> portInfo = map(portLink.get("linkinfo"));
            assertThat(portInfo).containsEntry("info_slave_kind", "bridge");
            String state = "";
            for (int i = 0; i < 50 && !"forwarding".equals(state); i++) {
                Thread.sleep(20);
                state = String.valueOf(map(map(single(ipJson("-d", "link", "show", "dev", "sdtb0")).get("linkinfo"))
                        .get("info_slave_data")).get("state"));
            }
            assertThat(state).isEqualTo("forwarding");
            ok("enslaved sdtb0 to sdbr0 (master " + br + "), port state " + state);

            assertThat(rtnl.linkSetMaster(port, 0)).as("previous master").isEqualTo(br);
            assertThat(rtnl.link(port).master()).isZero();
            assertThat(single(ipJson("link", "show", "dev", "sdtb0"))).doesNotContainKey("master");
            assertThat(rtnl.linkSetMaster(port, 0)).isZero();
            ok("released sdtb0");

            rtnl.deleteLink(br);
            assertThat(sh("ip", "-o", "link", "show")).doesNotContain("sdbr0");
            LinuxException gone = catchThrowableOfType(LinuxException.class, () -> rtnl.deleteLink(br));
            assertThat(gone.syscall()).isEqualTo("RTM_DELLINK");
            assertThat(gone.errnoName()).isEqualTo("ENODEV");
            ok("deleted sdbr0; again -> " + gone.getMessage());
            rtnl.deleteLink(port); // and its veth peer with it
        }
    }

    // ---- listRoutes, Route.from -----------------------------------------------------------

    static void routes() throws Exception {
        sh("ip", "link", "add", "sdtr0", "type", "veth", "peer", "name", "sdtr1");
        sh("ip", "link", "add", "sdtv0", "type", "veth", "peer", "name", "sdtv1");
        for (String dev : List.of("sdtr0", "sdtr1", "sdtv0", "sdtv1")) {
            sh("ip", "link", "set", dev, "up");
        }
        sh("ip", "addr", "add", "10.9.0.1/24", "dev", "sdtr0");
        sh("ip", "addr", "add", "10.9.3.1/24", "dev", "sdtv0");
        sh("ip", "addr", "add", "fd00:9::1/64", "dev", "sdtr0", "nodad");
        sh("ip", "route", "add", "10.9.2.0/24", "dev", "sdtr0", "proto", "199", "metric", "77", "mtu", "1400",
                "src", "10.9.0.1");
        sh("ip", "route", "add", "10.9.2.0/24", "via", "10.9.0.2", "dev", "sdtr0", "proto", "199", "metric", "78");
        sh("ip", "-6", "route", "add", "fd00:9:2::/64", "dev", "sdtr0", "proto", "199", "metric", "77", "mtu", "1400");
        sh("ip", "-6", "route", "add", "fd00:9:2::/64", "via", "fd00:9::2", "dev", "sdtr0", "proto", "199",
                "metric", "78");
        try (Rtnetlink rtnl = Rtnetlink.open()) {
            int r0 = rtnl.linkIndex("sdtr0");
            int v0 = rtnl.linkIndex("sdtv0");

            List<RouteEntry> v4 = rtnl.listRoutes(Rtnetlink.AF_INET);
            RouteEntry e77 = find(v4, "10.9.2.0/24", 77);
            assertThat(e77.family()).isEqualTo(Rtnetlink.AF_INET);
            assertThat(e77.oif()).isEqualTo(r0);
            assertThat(e77.protocol()).isEqualTo(199);
            assertThat(e77.mtu()).isEqualTo(1400);
            assertThat(e77.prefsrc()).isEqualTo(NetnsScenarios.ip("10.9.0.1"));
            assertThat(e77.gateway()).isNull();
            assertThat(e77.scope()).isEqualTo(Rtnetlink.RT_SCOPE_LINK);
            assertThat(e77.type()).isEqualTo(Rtnetlink.RTN_UNICAST);
            assertThat(e77.table()).isEqualTo(Rtnetlink.RT_TABLE_MAIN);
            RouteEntry e78 = find(v4, "10.9.2.0/24", 78);
            assertThat(e78.gateway()).isEqualTo(NetnsScenarios.ip("10.9.0.2"));
            assertThat(e78.scope()).isEqualTo(Rtnetlink.RT_SCOPE_UNIVERSE);
            assertThat(find(v4, "10.9.0.0/24", 0).protocol()).isEqualTo(Rtnetlink.RTPROT_KERNEL);
            assertThat(v4).allMatch(e -> e.table() == Rtnetlink.RT_TABLE_MAIN && e.type() != 2 /* RTN_LOCAL */);
            ok("listed IPv4: " + v4);

            List<RouteEntry> v6 = rtnl.listRoutes(Rtnetlink.AF_INET6);
            RouteEntry f77 = find(v6, "fd00:9:2::/64", 77);
            assertThat(f77.oif()).isEqualTo(r0);
            assertThat(f77.protocol()).isEqualTo(199);
            assertThat(f77.mtu()).isEqualTo(1400);
            assertThat(f77.gateway()).isNull();
            assertThat(find(v6, "fd00:9:2::/64", 78).gateway()).isEqualTo(NetnsScenarios.ip("fd00:9::2"));
            assertThat(find(v6, "fe80::/64", 256).protocol()).isEqualTo(Rtnetlink.RTPROT_KERNEL);
            assertThat(v6).allMatch(e -> e.table() == Rtnetlink.RT_TABLE_MAIN);
            ok("listed IPv6: " + v6);

            // The same prefix and metric on another interface is EEXIST while the original is there.
            for (RouteEntry e : List.of(e77, f77)) {
                LinuxException dup = catchThrowableOfType(LinuxException.class,
                        () -> rtnl.addRoute(Route.from(e).dev(v0)));
                assertThat(dup.errnoName()).isEqualTo("EEXIST");
                ok("adding " + Route.from(e).dev(v0) + " before deleting the original -> " + dup.errnoName());
            }

            RouteEntry moved = moveRoute(rtnl, e77, "10.9.2.0/24", v0, r0,
                    "10.9.2.0/24 dev sdtv0 proto 199 scope link src 10.9.0.1 metric 77 mtu 1400");
            assertThat(moved.protocol()).isEqualTo(199);
            assertThat(moved.prefsrc()).isEqualTo(NetnsScenarios.ip("10.9.0.1"));
            ok("moved IPv4 " + moved);

            RouteEntry moved6 = moveRoute(rtnl, f77, "fd00:9:2::/64", v0, r0,
                    "fd00:9:2::/64 dev sdtv0 proto 199 metric 77 mtu 1400");
            ok("moved IPv6 " + moved6);

            rtnl.deleteRoute(Route.from(moved));
            rtnl.deleteRoute(Route.from(moved6));
            assertThat(rtnl.listRoutes(Rtnetlink.AF_INET)).filteredOn(e -> e.priority() == 77).isEmpty();
            assertThat(rtnl.listRoutes(Rtnetlink.AF_INET6)).filteredOn(e -> e.priority() == 77).isEmpty();
            assertThat(sh("ip", "route", "show", "10.9.2.0/24")).contains("via 10.9.0.2").doesNotContain("metric 77");
            // A protocol that does not match: nothing deleted.
            LinuxException wrongProto = catchThrowableOfType(LinuxException.class,
                    () -> rtnl.deleteRoute(Route.from(e78).protocol(Rtnetlink.RTPROT_STATIC)));
            assertThat(wrongProto.errnoName()).isEqualTo("ESRCH");
            rtnl.deleteRoute(Route.from(e78));
            assertThat(sh("ip", "route", "show", "10.9.2.0/24")).isBlank();
            ok("deleted exactly: metric 77 only, then 78 (wrong proto -> " + wrongProto.errnoName() + ")");

            IllegalArgumentException notUnicast = catchThrowableOfType(IllegalArgumentException.class,
                    () -> Route.from(new RouteEntry(Rtnetlink.AF_INET, new byte[4], 0, 254, 4, 0, 6, 0, null, 0,
                            0, null)));
            ok("Route.from(blackhole) -> " + notUnicast.getMessage());
        }
    }

    /**
     * Moves the metric-77 route {@code e} to {@code prefix} on interface {@code to}, as a relay moves routes:
     * deleted, then added there. Asserts that it is there with its MTU 1400, that the metric-78 route
     * stayed on {@code from}, and that ip route show prints {@code shown}.
     *
     * @return the moved route as listed
     */
    private static RouteEntry moveRoute(Rtnetlink rtnl, RouteEntry e, String prefix, int to, int from, String shown)
            throws Exception {
        rtnl.deleteRoute(Route.from(e));
        rtnl.addRoute(Route.from(e).dev(to));
        List<RouteEntry> listed = rtnl.listRoutes(e.family());
        RouteEntry moved = find(listed, prefix, 77);
        assertThat(moved.oif()).isEqualTo(to);
        assertThat(moved.mtu()).isEqualTo(1400);
        assertThat(find(listed, prefix, 78).oif()).isEqualTo(from);
        String family = e.family() == Rtnetlink.AF_INET ? "-4" : "-6";
        assertThat(sh("ip", family, "route", "show", prefix)).contains(shown);
        return moved;
    }

    private static RouteEntry find(List<RouteEntry> routes, String prefix, int metric) {
        return routes.stream()
                .filter(e -> (Route.text(e.destination()) + "/" + e.prefixLength()).equals(prefix)
                        && e.priority() == metric)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + prefix + " metric " + metric + " in " + routes));
    }

    // ---- tc: clsact + matchall gact drop ---------------------------------------------------

    static void tcDrop(String peer) throws Exception {
        sh("ip", "link", "add", "sdtc0", "type", "veth", "peer", "name", "sdtc1", "netns", peer);
        sh("ip", "addr", "add", "10.9.1.1/24", "dev", "sdtc0");
        sh("ip", "addr", "add", "fd00:9:1::1/64", "dev", "sdtc0", "nodad");
        sh("ip", "link", "set", "sdtc0", "up");
        sh("ip", "netns", "exec", peer, "ip", "addr", "add", "10.9.1.2/24", "dev", "sdtc1");
        sh("ip", "netns", "exec", peer, "ip", "addr", "add", "fd00:9:1::2/64", "dev", "sdtc1", "nodad");
        sh("ip", "netns", "exec", peer, "ip", "link", "set", "sdtc1", "up");
        assertThat(ping("10.9.1.2")).as("IPv4 ping before").isTrue();
        assertThat(ping("fd00:9:1::2")).as("IPv6 ping before").isTrue();
        ok("IPv4 and IPv6 pings work");

        try (Rtnetlink rtnl = Rtnetlink.open()) {
            int ifx = rtnl.linkIndex("sdtc0");
            rtnl.addClsact(ifx);
            assertThat(sh("tc", "qdisc", "show", "dev", "sdtc0")).contains("qdisc clsact ffff: parent ffff:fff1");
            LinuxException again = catchThrowableOfType(LinuxException.class, () -> rtnl.addClsact(ifx));
            assertThat(again.errnoName()).isEqualTo("EEXIST");
            ok("clsact added; again -> " + again.getMessage());

            rtnl.addEtherTypeDrop(ifx, false, Rtnetlink.ETH_P_IP, 1);
            rtnl.addEtherTypeDrop(ifx, false, Rtnetlink.ETH_P_ARP, 2);
            String egress = sh("tc", "filter", "show", "dev", "sdtc0", "egress");
            assertThat(egress).containsAnyOf("filter protocol ip pref 1 matchall", "filter protocol ip pref 1 bpf");
            assertThat(egress).containsAnyOf("filter protocol arp pref 2 matchall", "filter protocol arp pref 2 bpf");
            assertThat(egress).containsAnyOf("gact action drop", "direct-action not_in_hw bytecode '1,6 0 0 2'");
            ok("egress filters:\n" + egress.strip());
            LinuxException dup = catchThrowableOfType(LinuxException.class,
                    () -> rtnl.addEtherTypeDrop(ifx, false, Rtnetlink.ETH_P_IP, 1));
            ok("the same filter again -> " + dup.getMessage());

            sh("ip", "neigh", "flush", "dev", "sdtc0");
            assertThat(ping("10.9.1.2")).as("IPv4 ping through the egress drop").isFalse();
            ok("IPv4 ping blocked");
            assertThat(ping("fd00:9:1::2")).as("IPv6 ping through the egress drop").isTrue();
            ok("IPv6 ping still works");
            String neigh = sh("ip", "neigh", "show", "10.9.1.2", "dev", "sdtc0");
            assertThat(neigh).as("no ARP answer, so no link-layer address").doesNotContain("lladdr");
            ok("ARP requests dropped: neighbour " + (neigh.isBlank() ? "(none)" : neigh.strip()));

            rtnl.addEtherTypeDrop(ifx, true, Rtnetlink.ETH_P_IP, 1);
            rtnl.addEtherTypeDrop(ifx, true, Rtnetlink.ETH_P_ARP, 2);
            String ingress = sh("tc", "filter", "show", "dev", "sdtc0", "ingress");
            assertThat(ingress).containsAnyOf("filter protocol ip pref 1 matchall", "filter protocol ip pref 1 bpf");
            assertThat(ingress).containsAnyOf("filter protocol arp pref 2 matchall", "filter protocol arp pref 2 bpf");
            assertThat(ping("fd00:9:1::2")).as("IPv6 ping with ingress drops too").isTrue();
            ok("ingress filters too, IPv6 still works");

            rtnl.deleteClsact(ifx);
            assertThat(sh("tc", "qdisc", "show", "dev", "sdtc0")).doesNotContain("clsact");
            assertThat(sh("tc", "filter", "show", "dev", "sdtc0", "egress")).isBlank();
            // The neighbour entry went FAILED while ARP was dropped: start resolution afresh.
            sh("ip", "neigh", "flush", "dev", "sdtc0");
            assertThat(ping("10.9.1.2") || ping("10.9.1.2")).as("IPv4 ping after deleteClsact").isTrue();
            LinuxException none = catchThrowableOfType(LinuxException.class, () -> rtnl.deleteClsact(ifx));
            ok("clsact deleted, IPv4 back; again -> " + none.getMessage());
            LinuxException noQdisc = catchThrowableOfType(LinuxException.class,
                    () -> rtnl.addEtherTypeDrop(ifx, false, Rtnetlink.ETH_P_IP, 1));
            ok("a filter without clsact -> " + noQdisc.getMessage());
        }
    }

    private static boolean ping(String address) throws IOException, InterruptedException {
        return NetnsScenarios.run("ping", "-c", "1", "-W", "2", address).exit() == 0;
    }

    // ---- helpers --------------------------------------------------------------------------

    private static List<Map<String, Object>> ipJson(String... args) throws IOException, InterruptedException {
        return NetnsScenarios.ipJson(args);
    }

    private static Map<String, Object> single(List<Map<String, Object>> objects) {
        assertThat(objects).hasSize(1);
        return objects.getFirst();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        assertThat(o).isInstanceOf(Map.class);
        return (Map<String, Object>) o;
    }
}
