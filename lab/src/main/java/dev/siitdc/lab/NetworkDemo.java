package dev.siitdc.lab;

import dev.siitdc.lab.Lab.Node;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code siitdc demo --network}: the BR and IDC of {@link Lab} and a network-based Edge Relay (RFC 7756
 * Appendix A.1) whose DHCPv4 server leases a Service Address to an IPv4-only node running busybox udhcpc;
 * the IPv4 client then connects to the node's app, which sees the client's own address.
 */
final class NetworkDemo {
    /** The IPv4-only node (busybox udhcpc) and the Service Addresses the ER leases. */
    private static final String NODE = NetworkLab.A1_UDHCPC;
    private static final Plan.Eam S1 = NetworkPlan.A1_S1, S2 = NetworkPlan.A1_S2;

    private final PrintWriter out;
    private final boolean keep;
    private final DemoSteps steps;

    NetworkDemo(PrintWriter out, PrintWriter err, boolean keep) {
        this.out = out;
        this.keep = keep;
        this.steps = new DemoSteps(out, err, "siitdc demo --network", 6);
    }

    Demo.Outcome run() {
        out.println("siitdc demo --network: a network-based Edge Relay (RFC 7756 s3.2, Appendix A.1) in network namespaces");
        out.println("  IPv4 client " + Plan.CLIENT4 + " -- BR (siitdc, pool6 " + Plan.POOL6 + ") -- IDC router (IPv6 only) -- "
                + "A.1 ER (siitdc) -- IPv4 segment " + NetworkPlan.A1_SEGMENT + " -- IPv4-only node (busybox udhcpc)");
        out.println("  the ER is " + NetworkPlan.A1_ER4 + " on the segment and leases the Service Addresses " + S1.v4() + " (EAM <-> "
                + S1.v6() + ") and " + S2.v4() + " (EAM <-> " + S2.v6() + ")");
        out.flush();
        NetworkLab nl = null;
        try {
            nl = buildLab();
            NetworkLab l = nl;
            SegmentRelay er = nl.er(NetworkPlan.Variant.A1);
            steps.run("start the BR (siitdc run, role border-relay; the ER's EAMs added with siitdc eamt add)", l::startBr);
            steps.run("start the A.1 ER (siitdc run, role edge-relay, segment-interface eth1, DHCP on)", er::start);
            String[] addr = new String[1];
            steps.run("the IPv4-only node asks for an address (busybox udhcpc on its eth0)", () -> addr[0] = lease(l));
            steps.run("IPv4 client " + Plan.CLIENT4 + " -> the node's app (python3, AF_INET socket on 0.0.0.0:"
                    + NetworkPlan.NODE_APP_PORT + ")", () -> clientToNode(l, addr[0]));
            if (keep) {
                l.lab().keep();
                l.lab().close();
                String p = l.prefix();
                out.println();
                out.println("The lab " + p + " is up (--keep). Enter the node:  ip netns exec " + p + "-" + NODE + " sh");
                out.println("The ER: " + p + "-" + er.id() + " (config " + er.config() + ", leases " + er.leaseFile() + ")");
                out.println("Remove it:  bin/siitdc demo --clean");
                out.flush();
                nl = null;
                return Demo.Outcome.DONE;
            }
            steps.run("tear down (stop the relays, delete the namespaces)", () -> tearDown(l, er));
            steps.passed();
            return Demo.Outcome.DONE;
        } catch (DemoSteps.Failed f) {
            if (nl == null) return steps.failed(f);
            Map<String, LabProcess> logs = new LinkedHashMap<>();
            for (LabProcess p : Arrays.asList(nl.lab().br().process(), nl.er(NetworkPlan.Variant.A1).process())) {
                if (p != null) logs.put(p.name(), p);
            }
            nl.keepFilesOnClose();
            return steps.failed(f, logs, nl.dir());
        } finally {
            if (nl != null) nl.close();
            out.flush();
        }
    }

    private NetworkLab buildLab() {
        NetworkLab[] box = new NetworkLab[1];
        steps.run("build the lab (namespaces, veths, bridges, addresses, routes; the node has no IPv6 at all)", () -> {
            box[0] = NetworkLab.create(Lab.Options.defaults(), EnumSet.of(NetworkPlan.Variant.A1));
            out.println("      namespaces " + box[0].prefix() + "-{client,br,idc,...,a1er,a1sw,a1n4,a1n5}, files in "
                    + box[0].dir());
        });
        return box[0];
    }

    /** Runs busybox udhcpc on the node; checks the lease (a Service Address, the ER as router, RFC 7756 s3.2's MTU). */
    private String lease(NetworkLab l) {
        int before = l.mtu(NODE, NetworkPlan.NODE_IF);
        DhcpClient.Lease lease = DhcpClient.udhcpc(l, NODE, NetworkPlan.NODE_IF);
        int after = l.mtu(NODE, NetworkPlan.NODE_IF);
        out.println("      address " + lease.address() + "/" + lease.prefixLength() + ", router " + lease.router()
                + ", MTU " + lease.mtu() + " (option 26; eth0 MTU " + before + " -> " + after + "), lease "
                + lease.leaseSeconds() + " s from server " + lease.serverId());
        int want = l.lab().options().lowestIpv6Mtu() - 20;
        List<String> pool = List.of(S1.v4(), S2.v4());
        if (!pool.contains(lease.address())) throw new LabException("got " + lease.address() + ", not a Service Address " + pool);
        if (!NetworkPlan.A1_ER4.equals(lease.router())) throw new LabException("router " + lease.router() + ", not " + NetworkPlan.A1_ER4);
        if (after != want) throw new LabException("eth0 MTU is " + after + ", not lowest-ipv6-mtu - 20 = " + want);
        return lease.address();
    }

    private void clientToNode(NetworkLab l, String addr) {
        Shell.Result r = l.connect(Node.CLIENT, addr, NetworkPlan.NODE_APP_PORT);
        String seen = r.out().lines().filter(x -> x.startsWith("server: seen ")).findFirst()
                .orElseThrow(() -> new LabException("the client got no answer from " + addr + ": " + r.out().strip()));
        String peer = seen.split(" ")[2];
        out.println("      the app's accepted socket reports the peer " + peer + ":" + seen.split(" ")[3]
                + (peer.equals(Plan.CLIENT4) ? "  <- the client's own IPv4 address, end to end" : "  <- NOT the client's address!"));
        out.println("      (" + Plan.CLIENT4 + " -> " + addr + " became " + Plan.pool6(Plan.CLIENT4) + " -> "
                + (addr.equals(S1.v4()) ? S1.v6() : S2.v6()) + " at the BR and IPv4 again at the ER)");
        if (!peer.equals(Plan.CLIENT4)) throw new LabException("the app saw " + peer + ", not the client " + Plan.CLIENT4);
    }

    private void tearDown(NetworkLab l, SegmentRelay er) {
        String prefix = l.prefix();
        int es = er.stop();
        int bs = l.lab().br().stop();
        l.close();
        if (Lab.existingLabs().contains(prefix)) throw new LabException("namespaces of " + prefix + " are still there");
        List<String> bad = new ArrayList<>();
        if (!LabRelay.cleanStop(es)) bad.add("the ER exited with status " + es);
        if (!LabRelay.cleanStop(bs)) bad.add("the BR exited with status " + bs);
        if (!bad.isEmpty()) throw new LabException(String.join("; ", bad));
        out.println("      relays stopped cleanly, namespaces " + prefix + "-* deleted");
    }
}
