package dev.siitdc.lab;

import dev.siitdc.lab.Lab.Impl;
import dev.siitdc.lab.Lab.Node;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code siitdc demo}: the lab of {@link Lab} with node-based Edge Relays (RFC 7756 s3.1); an IPv4 client
 * connects to the IPv4-only app behind ER A, and ER A's app sends to ER B's through the BR's hairpin, the
 * addresses at each hop shown from captures (AF_PACKET, {@link PacketCapture}) as RFC 7756 Figure 5 draws them.
 */
final class HostDemo {
    private final PrintWriter out;
    private final Impl brImpl;
    private final boolean keep;
    private final DemoSteps steps;

    HostDemo(PrintWriter out, PrintWriter err, Impl brImpl, boolean keep) {
        this.out = out;
        this.brImpl = brImpl;
        this.keep = keep;
        this.steps = new DemoSteps(out, err, "siitdc demo", 7);
    }

    Demo.Outcome run() {
        String br = brImpl.name().toLowerCase(Locale.ROOT);
        out.println("siitdc demo: SIIT-DC (RFC 7755) with node-based Edge Relays (RFC 7756) in network namespaces");
        out.println("  IPv4 client " + Plan.CLIENT4 + " -- BR (" + br + ", pool6 " + Plan.POOL6
                + ") -- IDC router (IPv6 only) -- ER A, ER B (siitdc)");
        out.println("  ER A: IPv4-only app on " + Plan.A.v4() + " (EAM " + Plan.A.v4() + " <-> " + Plan.A.v6() + ")");
        out.println("  ER B: IPv4-only app on " + Plan.B.v4() + " (EAM " + Plan.B.v4() + " <-> " + Plan.B.v6() + ")");
        out.flush();

        Lab lab = null;
        try {
            lab = buildLab();
            Lab l = lab;
            steps.run("start the BR (" + br + (brImpl == Impl.SIITDC ? " run, role border-relay" : "") + ")",
                    () -> l.startRelays(Node.BR));
            steps.run("start ER A and ER B (siitdc run, role edge-relay)", () -> l.startRelays(Node.ER_A, Node.ER_B));
            steps.run("start the IPv4-only apps (AF_INET sockets on the IPv4 Service Addresses)", l::startServices);
            steps.run("IPv4 client " + Plan.CLIENT4 + " -> app " + Plan.A.v4() + ":" + Plan.APP_PORT + " on ER A (TCP)",
                    () -> clientToApp(l));
            if (brImpl == Impl.SIITDC) {
                steps.run("RFC 7756 Figure 5: ER A's app -> ER B's app " + Plan.B.v4() + ", hairpinned by the BR",
                        () -> figure5(l));
            } else {
                steps.run("RFC 7756 Figure 5: skipped with TAYGA as the BR", () -> out.println("      TAYGA 0.9 does not"
                        + " hairpin (RFC 7757 s4.2): it drops an IPv6 packet whose pool6 destination is one of its EAM"
                        + " addresses (Pkt#2 goes into its TUN, nothing comes out)"));
            }
            if (keep) {
                lab.keep();
                lab.close();
                printKept(lab);
                return Demo.Outcome.DONE;
            }
            steps.run("tear down (stop the relays, delete the namespaces)", () -> tearDown(l));
            steps.passed();
            return Demo.Outcome.DONE;
        } catch (DemoSteps.Failed f) {
            if (lab == null) return steps.failed(f);
            Map<String, LabProcess> logs = new LinkedHashMap<>();
            for (Node n : List.of(Node.BR, Node.ER_A, Node.ER_B)) logs.put(lab.relay(n).toString(), lab.relay(n).process());
            lab.keepFilesOnClose();
            return steps.failed(f, logs, lab.dir());
        } finally {
            if (lab != null) lab.close();
            out.flush();
        }
    }

    private Lab buildLab() {
        Lab[] lab = new Lab[1];
        steps.run("build the lab (6 namespaces, veths, bridge, addresses, routes)", () -> {
            lab[0] = Lab.create(Lab.Options.defaults().withBr(brImpl));
            out.println("      namespaces " + lab[0].prefix() + "-{client,br,idc,era,erb,v6srv}, files in " + lab[0].dir());
        });
        return lab[0];
    }

    private void tearDown(Lab lab) {
        String prefix = lab.prefix();
        Map<Node, Integer> status = lab.stopRelays();
        lab.close();
        List<String> left = Lab.existingLabs().stream().filter(prefix::equals).toList();
        if (!left.isEmpty()) throw new LabException("namespaces of " + prefix + " are still there");
        List<String> bad = new ArrayList<>();
        status.forEach((n, s) -> {
            if (s != 0 && lab.relay(n).impl() == Impl.SIITDC) bad.add(n.label + " exited with status " + s);
        });
        if (!bad.isEmpty()) throw new LabException(String.join("; ", bad));
        out.println("      relays stopped with status 0, namespaces " + prefix + "-* deleted");
    }

    private void clientToApp(Lab lab) {
        String f = "tcp port " + Plan.APP_PORT;
        List<Capture> captures = List.of(lab.capture(Node.CLIENT, Lab.CLIENT_IF, f), lab.capture(Node.BR, Lab.BR_IDC_IF, f),
                lab.capture(Node.ER_A, Lab.NODE_IF, f), lab.capture(Node.ER_A, HostRelay.SIITDC_TUN, "ip and " + f));
        Shell.Result r = lab.runJava(Node.CLIENT, 30, true, LabApp.class, "tcp-client", Plan.A.v4() + ":" + Plan.APP_PORT);
        String seen = r.out().lines().filter(l -> l.startsWith("server: seen ")).findFirst()
                .orElseThrow(() -> new LabException("the client got no answer from the app: " + r.out().strip()));
        String[] w = seen.split(" ");   // server: seen IP PORT at IP PORT
        out.println("      the app's accepted AF_INET socket reports the peer " + w[2] + ":" + w[3]
                + (w[2].equals(Plan.CLIENT4) ? "  <- the client's own IPv4 address, end to end" : "  <- NOT the client's address!"));
        if (!w[2].equals(Plan.CLIENT4)) throw new LabException("the app saw " + w[2] + ", not the client " + Plan.CLIENT4);
        List<CapturedPacket> syns = firstToAppPort(captures);
        List<String> where = List.of("client  eth0 ", "BR      idc0 ", "ER A    eth0 ", "ER A    siit0");
        out.println("      the SYN, hop by hop (captured in each namespace):");
        for (String line : Figures.hops(where, syns).lines().toList()) out.println("        " + line);
        expect(syns.get(0), Plan.CLIENT4, Plan.A.v4(), "client eth0");
        expect(syns.get(1), Plan.pool6(Plan.CLIENT4), Plan.A.v6(), "BR idc0 (after XLAT at the BR)");
        expect(syns.get(2), Plan.pool6(Plan.CLIENT4), Plan.A.v6(), "ER A eth0");
        expect(syns.get(3), Plan.CLIENT4, Plan.A.v4(), "ER A siit0 (after XLAT at ER A)");
        out.println("      XLAT at the BR: source " + Plan.CLIENT4 + " -> pool6 " + Plan.pool6(Plan.CLIENT4)
                + ", destination by EAM " + Plan.A.v4() + " -> " + Plan.A.v6() + "; ER A reverses both");
    }

    private void figure5(Lab lab) {
        long hairpinned = lab.br().freshStats().getOrDefault("hairpinned", 0L);
        List<Capture> captures = List.of(lab.capture(Node.ER_A, HostRelay.SIITDC_TUN, "ip and udp"),
                lab.capture(Node.ER_A, Lab.NODE_IF, "ip6 and udp"), lab.capture(Node.ER_B, Lab.NODE_IF, "ip6 and udp"),
                lab.capture(Node.ER_B, HostRelay.SIITDC_TUN, "ip and udp"));
        Shell.Result r = lab.runJava(Node.ER_A, 30, true, LabApp.class, "udp-client", Plan.B.v4() + ":" + Plan.APP_PORT,
                "--bind", Plan.A.v4(), "--text", "figure5");
        String reply = r.out().lines().filter(l -> l.startsWith("reply: seen ")).findFirst()
                .orElseThrow(() -> new LabException("ER B's app did not answer: " + r.out().strip()));
        List<CapturedPacket> p = firstToAppPort(captures);
        out.println("      ER B's app (AF_INET) saw the datagram from " + reply.split(" ")[2] + ":");
        for (String line : Figures.figure5(p.get(0), p.get(1), p.get(2), p.get(3)).lines().toList()) out.println("        " + line);
        out.println("      (Pkt#1 captured on ER A siit0, Pkt#2 on ER A eth0, Pkt#3 on ER B eth0, Pkt#4 on ER B siit0)");
        expect(p.get(0), Plan.A.v4(), Plan.B.v4(), "Pkt#1");
        expect(p.get(1), Plan.A.v6(), Plan.pool6(Plan.B.v4()), "Pkt#2");
        expect(p.get(2), Plan.pool6(Plan.A.v4()), Plan.B.v6(), "Pkt#3");
        expect(p.get(3), Plan.A.v4(), Plan.B.v4(), "Pkt#4");
        long now = lab.br().freshStats().getOrDefault("hairpinned", 0L);
        out.println("      BR counter hairpinned: " + hairpinned + " -> " + now);
        if (now <= hairpinned) throw new LabException("the BR's hairpinned counter did not grow");
    }

    /** The first packet to the app's port each capture saw; throws if one saw none. */
    private static List<CapturedPacket> firstToAppPort(List<Capture> captures) {
        List<CapturedPacket> first = new ArrayList<>();
        for (Capture c : captures) {
            List<CapturedPacket> ps = c.packets(p -> p.dstPort() == Plan.APP_PORT);
            if (ps.isEmpty()) throw new LabException("no packet to port " + Plan.APP_PORT + " captured on " + c.node().label + " " + c.iface());
            first.add(ps.getFirst());
        }
        return first;
    }

    private static void expect(CapturedPacket p, String src, String dst, String where) {
        if (!p.src().equals(src) || !p.dst().equals(dst)) {
            throw new LabException(where + ": expected " + src + " -> " + dst + ", captured " + p.addresses());
        }
    }

    private void printKept(Lab lab) {
        String p = lab.prefix();
        steps.heading("keep the lab (--keep): everything stays up");
        out.println();
        out.println("The lab " + p + " is up. Namespaces:");
        out.println("  " + p + "-client  IPv4 client " + Plan.CLIENT4 + " (the IPv4 Internet)");
        out.println("  " + p + "-br      the BR (" + lab.br().impl().name().toLowerCase(Locale.ROOT) + ") on " + lab.br().tun() + ", " + Plan.BR_INET4 + " and " + Plan.BR_IDC6);
        out.println("  " + p + "-idc     IPv6-only IDC router, LAN " + Plan.IDC_LAN);
        out.println("  " + p + "-era     ER A: " + Plan.A.v4() + " / " + Plan.A2.v4() + " on " + HostRelay.SIITDC_TUN + ", node " + Plan.ER_A_NODE6);
        out.println("  " + p + "-erb     ER B: " + Plan.B.v4() + " / " + Plan.B2.v4() + " on " + HostRelay.SIITDC_TUN + ", node " + Plan.ER_B_NODE6);
        out.println("  " + p + "-v6srv   native IPv6 server " + Plan.V6SRV6 + " (" + Plan.SRV.v4() + " through the BR)");
        out.println("Enter one:        ip netns exec " + p + "-client bash");
        out.println("Try:              ip netns exec " + p + "-client ping " + Plan.A.v4());
        out.println("                  ip netns exec " + p + "-client tracepath -n " + Plan.A.v4());
        out.println("                  ip netns exec " + p + "-era tcpdump -ni " + HostRelay.SIITDC_TUN);
        out.println("Configs, logs, counters (stats files): " + lab.dir());
        out.println("Remove it:        bin/siitdc demo --clean");
        out.flush();
    }
}
