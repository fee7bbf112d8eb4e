package dev.siitdc.cli;

import dev.siitdc.lab.Capture;
import dev.siitdc.lab.DhcpClient;
import dev.siitdc.lab.Figures;
import dev.siitdc.lab.Lab;
import dev.siitdc.lab.Lab.Impl;
import dev.siitdc.lab.Lab.Node;
import dev.siitdc.lab.LabApp;
import dev.siitdc.lab.LabException;
import dev.siitdc.lab.NetworkLab;
import dev.siitdc.lab.NetworkPlan;
import dev.siitdc.lab.CapturedPacket;
import dev.siitdc.lab.Plan;
import dev.siitdc.lab.HostRelay;
import dev.siitdc.lab.SegmentRelay;
import dev.siitdc.lab.Shell;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code siitdc demo}: builds the SIIT-DC lab in network namespaces (docs/lab.md), runs siitdc as the
 * Border Relay and as two node-based Edge Relays, connects an IPv4 Internet client to an IPv4-only app
 * behind ER A and shows, from tcpdump captures, the addresses at each hop: what RFC 7756 Figure 5 draws.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Shows SIIT-DC end to end in a throw-away lab of network namespaces (RFC 7756 Figure 5).",
                "Builds the lab (an IPv4 client, the BR, an IPv6-only IDC router, ER A and ER B with IPv4-only apps, "
                + "an IPv6 server; docs/lab.md), runs siitdc as BR and ERs, connects the client to the app behind "
                + "ER A and shows what the app saw and the addresses at each hop (tcpdump), as RFC 7756 Figure 5 "
                + "draws them; then tears everything down.",
                "With --network: the same BR and IDC, and a network-based Edge Relay (RFC 7756 Appendix A.1) whose "
                + "DHCPv4 server leases a Service Address to an IPv4-only node running busybox udhcpc.",
                "Needs root, ip (iproute2) and tcpdump (--network: also busybox and python3). Exit status: 0 when every step passed, 1 when one failed "
                + "(named on stderr), 2 when not root or a tool is missing."})
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--keep", description = "leave the lab running for exploration (prints how to enter and remove it)")
    boolean keep;

    @Option(names = "--clean", description = "remove labs left by --keep or by killed runs, then exit")
    boolean clean;

    @Option(names = "--network", description = "a network-based Edge Relay instead (RFC 7756 s3.2, Appendix A.1): siitdc's"
            + " DHCPv4 server gives an IPv4-only node (busybox udhcpc) its Service Address, router and MTU; the IPv4"
            + " client then connects to the node's app, which sees the client's own address")
    boolean network;

    @Option(names = "--br", paramLabel = "IMPL", defaultValue = "siitdc",
            description = "what runs the Border Relay: siitdc (default) or tayga")
    String br;

    @Spec
    CommandSpec spec;

    private PrintWriter out;
    private int stepNo;
    private int steps = 7;

    /** A failed step: its name and why. */
    private static final class StepFailed extends RuntimeException {
        final String step;

        StepFailed(String step, Throwable cause) {
            super(cause.getMessage(), cause);
            this.step = step;
        }
    }

    @FunctionalInterface
    private interface Body {
        void run() throws Exception;
    }

    @Override
    public Integer call() {
        out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!Shell.isRoot()) {
            err.println("siitdc demo: needs root: it creates network namespaces, veth links and TUN devices"
                    + " (run it as root, e.g. sudo bin/siitdc demo)");
            return ExitStatus.BAD_INPUT;
        }
        if (clean) {
            List<String> removed = Lab.cleanupStale(true);
            out.println(removed.isEmpty() ? "siitdc demo: no lab to remove" : "siitdc demo: removed " + String.join(", ", removed));
            return ExitStatus.OK;
        }
        if (network) return networkDemo(err);
        Impl brImpl = switch (br.toLowerCase(Locale.ROOT)) {
            case "siitdc" -> Impl.SIITDC;
            case "tayga" -> Impl.TAYGA;
            default -> null;
        };
        if (brImpl == null) {
            err.println("siitdc demo: --br must be siitdc or tayga, not " + br);
            return ExitStatus.BAD_INPUT;
        }
        List<String> tools = new ArrayList<>(List.of("ip", "sysctl", "tcpdump"));
        if (brImpl == Impl.TAYGA) tools.add("tayga");
        List<String> missing = tools.stream().filter(t -> !Shell.has(t)).toList();
        if (!missing.isEmpty()) {
            err.println("siitdc demo: missing tool(s): " + String.join(", ", missing)
                    + " (Debian: apt-get install iproute2 procps tcpdump" + (brImpl == Impl.TAYGA ? " tayga" : "") + ")");
            return ExitStatus.BAD_INPUT;
        }

        out.println("siitdc demo: SIIT-DC (RFC 7755) with node-based Edge Relays (RFC 7756) in network namespaces");
        out.println("  IPv4 client " + Plan.CLIENT4 + " -- BR (" + brImpl.name().toLowerCase(Locale.ROOT) + ", pool6 " + Plan.POOL6
                + ") -- IDC router (IPv6 only) -- ER A, ER B (siitdc)");
        out.println("  ER A: IPv4-only app on " + Plan.A.v4() + " (EAM " + Plan.A.v4() + " <-> " + Plan.A.v6() + ")");
        out.println("  ER B: IPv4-only app on " + Plan.B.v4() + " (EAM " + Plan.B.v4() + " <-> " + Plan.B.v6() + ")");
        out.flush();

        Lab lab = null;
        try {
            Lab.Options o = Lab.Options.defaults().withBr(brImpl);
            lab = buildLab("build the lab (6 namespaces, veths, bridge, addresses, routes)", o);
            Lab l = lab;
            step("start the BR (" + brImpl.name().toLowerCase(Locale.ROOT) + (brImpl == Impl.SIITDC ? " run, role border-relay" : "")
                    + ")", () -> l.startRelays(Node.BR));
            step("start ER A and ER B (siitdc run, role edge-relay)", () -> l.startRelays(Node.ER_A, Node.ER_B));
            step("start the IPv4-only apps (AF_INET sockets on the IPv4 Service Addresses)", l::startServices);
            step("IPv4 client " + Plan.CLIENT4 + " -> app " + Plan.A.v4() + ":" + Plan.APP_PORT + " on ER A (TCP)",
                    () -> clientToApp(l));
            if (brImpl == Impl.SIITDC) {
                step("RFC 7756 Figure 5: ER A's app -> ER B's app " + Plan.B.v4() + ", hairpinned by the BR",
                        () -> figure5(l));
            } else {
                step("RFC 7756 Figure 5: skipped with TAYGA as the BR", () -> out.println("      TAYGA 0.9 does not"
                        + " hairpin (RFC 7757 s4.2): it drops an IPv6 packet whose pool6 destination is one of its EAM"
                        + " addresses (Pkt#2 goes into its TUN, nothing comes out)"));
            }
            if (keep) {
                lab.keep();
                lab.close();
                printKept(lab);
                return ExitStatus.OK;
            }
            String prefix = lab.prefix();
            step("tear down (stop the relays, delete the namespaces)", () -> {
                Map<Node, Integer> status = l.stopRelays();
                l.close();
                List<String> left = Lab.existingLabs().stream().filter(prefix::equals).toList();
                if (!left.isEmpty()) throw new LabException("namespaces of " + prefix + " are still there");
                List<String> bad = new ArrayList<>();
                status.forEach((n, s) -> {
                    if (s != 0 && l.relay(n).impl() == Impl.SIITDC) bad.add(n.label + " exited with status " + s);
                });
                if (!bad.isEmpty()) throw new LabException(String.join("; ", bad));
                out.println("      relays stopped with status 0, namespaces " + prefix + "-* deleted");
            });
            out.println("siitdc demo: all " + steps + " steps passed");
            out.flush();
            return ExitStatus.OK;
        } catch (StepFailed f) {
            out.flush();
            err.println("siitdc demo: step " + stepNo + " \"" + f.step + "\" FAILED: " + f.getMessage());
            if (lab != null) {
                for (Node n : List.of(Node.BR, Node.ER_A, Node.ER_B)) {
                    HostRelay r = lab.relay(n);
                    if (r.process() != null) {
                        err.println("--- " + r + (r.running() ? " (running)" : " (exited)") + ", last lines of " + r.process().log() + ":");
                        err.println(r.process().tail(15));
                    }
                }
                lab.keepFilesOnClose();
                err.println("siitdc demo: the lab is torn down; its configurations, logs and captures stay in " + lab.dir()
                        + " (bin/siitdc demo --clean removes them)");
            }
            return ExitStatus.INTERNAL;
        } finally {
            if (lab != null) lab.close();
            out.flush();
        }
    }

    // ------------------------------------------------------------------------------------------------
    // --network: RFC 7756 Appendix A.1

    private int networkDemo(PrintWriter err) {
        List<String> missing = List.of("ip", "sysctl", "tcpdump", "busybox", "python3", "tc").stream()
                .filter(t -> !Shell.has(t)).toList();
        if (!missing.isEmpty()) {
            err.println("siitdc demo --network: missing tool(s): " + String.join(", ", missing)
                    + " (Debian: apt-get install iproute2 procps tcpdump busybox python3)");
            return ExitStatus.BAD_INPUT;
        }
        steps = 6;
        Plan.Eam s1 = NetworkPlan.A1_S1, s2 = NetworkPlan.A1_S2;
        String node = NetworkLab.A1_UDHCPC;
        out.println("siitdc demo --network: a network-based Edge Relay (RFC 7756 s3.2, Appendix A.1) in network namespaces");
        out.println("  IPv4 client " + Plan.CLIENT4 + " -- BR (siitdc, pool6 " + Plan.POOL6 + ") -- IDC router (IPv6 only) -- "
                + "A.1 ER (siitdc) -- IPv4 segment " + NetworkPlan.A1_SEGMENT + " -- IPv4-only node (busybox udhcpc)");
        out.println("  the ER is " + NetworkPlan.A1_ER4 + " on the segment and leases the Service Addresses " + s1.v4() + " (EAM <-> "
                + s1.v6() + ") and " + s2.v4() + " (EAM <-> " + s2.v6() + ")");
        out.flush();
        NetworkLab nl = null;
        try {
            NetworkLab[] box = new NetworkLab[1];
            step("build the lab (namespaces, veths, bridges, addresses, routes; the node has no IPv6 at all)", () -> {
                box[0] = NetworkLab.create(Lab.Options.defaults(), java.util.EnumSet.of(NetworkPlan.Variant.A1));
                out.println("      namespaces " + box[0].prefix() + "-{client,br,idc,...,a1er,a1sw,a1n4,a1n5}, files in "
                        + box[0].dir());
            });
            nl = box[0];
            NetworkLab l = nl;
            SegmentRelay er = nl.er(NetworkPlan.Variant.A1);
            step("start the BR (siitdc run, role border-relay; the ER's EAMs added with siitdc eamt add)", l::startBr);
            step("start the A.1 ER (siitdc run, role edge-relay, segment-interface eth1, DHCP on)", er::start);
            String[] addr = new String[1];
            step("the IPv4-only node asks for an address (busybox udhcpc on its eth0)", () -> {
                int before = l.mtu(node, NetworkPlan.NODE_IF);
                DhcpClient.Lease lease = DhcpClient.udhcpc(l, node, NetworkPlan.NODE_IF);
                int after = l.mtu(node, NetworkPlan.NODE_IF);
                out.println("      address " + lease.address() + "/" + lease.prefixLength() + ", router " + lease.router()
                        + ", MTU " + lease.mtu() + " (option 26; eth0 MTU " + before + " -> " + after + "), lease "
                        + lease.leaseSeconds() + " s from server " + lease.serverId());
                int want = l.lab().options().lowestIpv6Mtu() - 20;
                List<String> pool = List.of(s1.v4(), s2.v4());
                if (!pool.contains(lease.address())) throw new LabException("got " + lease.address() + ", not a Service Address " + pool);
                if (!NetworkPlan.A1_ER4.equals(lease.router())) throw new LabException("router " + lease.router() + ", not " + NetworkPlan.A1_ER4);
                if (after != want) throw new LabException("eth0 MTU is " + after + ", not lowest-ipv6-mtu - 20 = " + want);
                addr[0] = lease.address();
            });
            step("IPv4 client " + Plan.CLIENT4 + " -> the node's app (python3, AF_INET socket on 0.0.0.0:"
                    + NetworkPlan.NODE_APP_PORT + ")", () -> {
                Shell.Result r = l.connect(Node.CLIENT, addr[0], NetworkPlan.NODE_APP_PORT);
                String seen = r.out().lines().filter(x -> x.startsWith("server: seen ")).findFirst()
                        .orElseThrow(() -> new LabException("the client got no answer from " + addr[0] + ": " + r.out().strip()));
                String peer = seen.split(" ")[2];
                out.println("      the app's accepted socket reports the peer " + peer + ":" + seen.split(" ")[3]
                        + (peer.equals(Plan.CLIENT4) ? "  <- the client's own IPv4 address, end to end" : "  <- NOT the client's address!"));
                out.println("      (" + Plan.CLIENT4 + " -> " + addr[0] + " became " + Plan.pool6(Plan.CLIENT4) + " -> "
                        + (addr[0].equals(s1.v4()) ? s1.v6() : s2.v6()) + " at the BR and IPv4 again at the ER)");
                if (!peer.equals(Plan.CLIENT4)) throw new LabException("the app saw " + peer + ", not the client " + Plan.CLIENT4);
            });
            if (keep) {
                l.lab().keep();
                l.lab().close();
                String p = l.prefix();
                out.println();
                out.println("The lab " + p + " is up (--keep). Enter the node:  ip netns exec " + p + "-" + node + " sh");
                out.println("The ER: " + p + "-" + er.id() + " (config " + er.config() + ", leases " + er.leaseFile() + ")");
                out.println("Remove it:  bin/siitdc demo --clean");
                out.flush();
                nl = null;
                return ExitStatus.OK;
            }
            String prefix = nl.prefix();
            step("tear down (stop the relays, delete the namespaces)", () -> {
                int es = er.stop();
                int bs = l.lab().br().stop();
                l.close();
                if (Lab.existingLabs().contains(prefix)) throw new LabException("namespaces of " + prefix + " are still there");
                List<String> bad = new ArrayList<>();
                if (es != 0 && es != 143) bad.add("the ER exited with status " + es);
                if (bs != 0 && bs != 143) bad.add("the BR exited with status " + bs);
                if (!bad.isEmpty()) throw new LabException(String.join("; ", bad));
                out.println("      relays stopped cleanly, namespaces " + prefix + "-* deleted");
            });
            out.println("siitdc demo --network: all " + steps + " steps passed");
            out.flush();
            return ExitStatus.OK;
        } catch (StepFailed f) {
            out.flush();
            err.println("siitdc demo --network: step " + stepNo + " \"" + f.step + "\" FAILED: " + f.getMessage());
            if (nl != null) {
                SegmentRelay er = nl.er(NetworkPlan.Variant.A1);
                for (var p : java.util.Arrays.asList(nl.lab().br().process(), er.process())) {
                    if (p == null) continue;
                    err.println("--- " + p.name() + (p.alive() ? " (running)" : " (exited)") + ", last lines of " + p.log() + ":");
                    err.println(p.tail(15));
                }
                nl.keepFilesOnClose();
                err.println("siitdc demo --network: the lab is torn down; its configurations, logs and captures stay in "
                        + nl.dir() + " (bin/siitdc demo --clean removes them)");
            }
            return ExitStatus.INTERNAL;
        } finally {
            if (nl != null) nl.close();
            out.flush();
        }
    }

    private Lab buildLab(String name, Lab.Options o) {
        Lab[] lab = new Lab[1];
        step(name, () -> {
            lab[0] = Lab.create(o);
            out.println("      namespaces " + lab[0].prefix() + "-{client,br,idc,era,erb,v6srv}, files in " + lab[0].dir());
        });
        return lab[0];
    }

    private void step(String name, Body body) {
        stepNo++;
        out.printf(Locale.ROOT, "[%d/%d] %s%n", stepNo, steps, name);
        out.flush();
        long t0 = System.nanoTime();
        try {
            body.run();
        } catch (Exception | AssertionError e) {
            throw new StepFailed(name, e);
        }
        out.printf(Locale.ROOT, "      ok (%.1f s)%n", (System.nanoTime() - t0) / 1e9);
        out.flush();
    }

    // ------------------------------------------------------------------------------------------------

    private void clientToApp(Lab lab) {
        String f = "tcp port " + Plan.APP_PORT;
        Capture c1 = lab.capture(Node.CLIENT, Lab.CLIENT_IF, f);
        Capture c2 = lab.capture(Node.BR, Lab.BR_IDC_IF, f);
        Capture c3 = lab.capture(Node.ER_A, Lab.NODE_IF, f);
        Capture c4 = lab.capture(Node.ER_A, HostRelay.SIITDC_TUN, "ip and " + f);
        Shell.Result r = lab.runJava(Node.CLIENT, 30, true, LabApp.class, "tcp-client", Plan.A.v4() + ":" + Plan.APP_PORT);
        String seen = r.out().lines().filter(l -> l.startsWith("server: seen ")).findFirst()
                .orElseThrow(() -> new LabException("the client got no answer from the app: " + r.out().strip()));
        String[] w = seen.split(" ");   // server: seen IP PORT at IP PORT
        out.println("      the app's accepted AF_INET socket reports the peer " + w[2] + ":" + w[3]
                + (w[2].equals(Plan.CLIENT4) ? "  <- the client's own IPv4 address, end to end" : "  <- NOT the client's address!"));
        if (!w[2].equals(Plan.CLIENT4)) throw new LabException("the app saw " + w[2] + ", not the client " + Plan.CLIENT4);
        List<CapturedPacket> syns = new ArrayList<>();
        List<String> where = List.of("client  eth0 ", "BR      idc0 ", "ER A    eth0 ", "ER A    siit0");
        for (Capture c : List.of(c1, c2, c3, c4)) {
            List<CapturedPacket> ps = c.packets(p -> p.dstPort() == Plan.APP_PORT);
            if (ps.isEmpty()) throw new LabException("no packet to port " + Plan.APP_PORT + " captured on " + c.node().label + " " + c.iface());
            syns.add(ps.getFirst());
        }
        out.println("      the SYN, hop by hop (tcpdump in each namespace):");
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
        Capture c1 = lab.capture(Node.ER_A, HostRelay.SIITDC_TUN, "ip and udp");
        Capture c2 = lab.capture(Node.ER_A, Lab.NODE_IF, "ip6 and udp");
        Capture c3 = lab.capture(Node.ER_B, Lab.NODE_IF, "ip6 and udp");
        Capture c4 = lab.capture(Node.ER_B, HostRelay.SIITDC_TUN, "ip and udp");
        Shell.Result r = lab.runJava(Node.ER_A, 30, true, LabApp.class, "udp-client", Plan.B.v4() + ":" + Plan.APP_PORT,
                "--bind", Plan.A.v4(), "--text", "figure5");
        String reply = r.out().lines().filter(l -> l.startsWith("reply: seen ")).findFirst()
                .orElseThrow(() -> new LabException("ER B's app did not answer: " + r.out().strip()));
        List<CapturedPacket> p = new ArrayList<>();
        for (Capture c : List.of(c1, c2, c3, c4)) {
            List<CapturedPacket> ps = c.packets(x -> x.dstPort() == Plan.APP_PORT);
            if (ps.isEmpty()) throw new LabException("no packet to port " + Plan.APP_PORT + " captured on " + c.node().label + " " + c.iface());
            p.add(ps.getFirst());
        }
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

    private static void expect(CapturedPacket p, String src, String dst, String where) {
        if (!p.src().equals(src) || !p.dst().equals(dst)) {
            throw new LabException(where + ": expected " + src + " -> " + dst + ", captured " + p.addresses());
        }
    }

    private void printKept(Lab lab) {
        String p = lab.prefix();
        stepNo++;
        out.printf(Locale.ROOT, "[%d/%d] keep the lab (--keep): everything stays up%n", stepNo, steps);
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
