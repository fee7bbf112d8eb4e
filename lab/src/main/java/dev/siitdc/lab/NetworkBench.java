package dev.siitdc.lab;

import dev.siitdc.lab.Lab.Node;
import dev.siitdc.lab.NetworkPlan.Variant;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The network-based Edge Relay benchmark ({@code bench/lab/run.sh --network}): the same BR (siitdc) in front
 * of two paths to an IPv4 app, measured in the same lab, runs interleaved:
 * <ul>
 *   <li>baseline, node-based ER: iperf3 -s in ER A's namespace, on its Service Address 198.51.100.10
 *       (the node-based ER of {@link LabBench});</li>
 *   <li>network-based A.1 ER ({@link NetworkLab}, RFC 7756 s3.2, Appendix A.1): iperf3 -s in the IPv4-only node
 *       a1n4 behind the ER, on the Service Address it leased from the ER's DHCP server (busybox udhcpc,
 *       {@link DhcpClient}).</li>
 * </ul>
 * For each path: iperf3 TCP client -> node and node -> client ({@code -R}), {@code --seconds} per run, and
 * 64-byte UDP datagrams client -> node ({@code -u -l 64 -b 0}), median of {@code --runs}; once with
 * {@code [relay] offload} on (siitdc's default) and once off, a fresh lab each ({@code --no-offload}: off
 * only; {@code --offload-only}: on only). Prints, per offload setting, the medians, the network / node
 * ratios, the GSO counters of each ER (gso-packets-read / gso-packets-written, summed over the TCP runs of
 * each direction: whether TSO/GSO super-packets cross the ER's TUN), kernel drops into the TUNs, and
 * /proc/loadavg sampled after every run (other jobs on the machine skew the numbers).
 */
final class NetworkBench {
    private NetworkBench() {}

    /** The measured phases of one path. */
    enum Phase {
        TCP_IN("TCP client -> node, Mbit/s", "%.0f"),
        TCP_OUT("TCP node -> client, Mbit/s", "%.0f"),
        UDP_IN("UDP 64 B client -> node, dgrams/s rcvd", "%.0f");

        final String label, fmt;

        Phase(String label, String fmt) {
            this.label = label;
            this.fmt = fmt;
        }
    }

    enum Path4 { NODE, NETWORK }

    /** What one path gave over the runs. */
    static final class Series {
        final Map<Phase, List<Double>> values = new EnumMap<>(Phase.class);
        final List<Double> udpLossPct = new ArrayList<>();
        /** gso-packets-read / -written of the path's ER, summed over the runs of TCP_IN and TCP_OUT. */
        final Map<Phase, long[]> gso = new EnumMap<>(Phase.class);
        long tunDrops;

        Series() {
            for (Phase p : Phase.values()) values.put(p, new ArrayList<>());
            gso.put(Phase.TCP_IN, new long[2]);
            gso.put(Phase.TCP_OUT, new long[2]);
        }
    }

    static final String GSO_READ = "gso-packets-read", GSO_WRITTEN = "gso-packets-written";

    static void run(List<String> a, int runs, int secs, int udpSecs, int warmup) {
        List<String> missing = List.of("ip", "iperf3", "busybox", "python3").stream()
                .filter(t -> !Shell.has(t)).toList();
        if (!missing.isEmpty()) {
            System.err.println("LabBench --network: missing " + String.join(", ", missing)
                    + " (apt-get install iproute2 iperf3 busybox python3)");
            System.exit(2);
        }
        List<Boolean> modes = a.contains("--no-offload") ? List.of(false)
                : a.contains("--offload-only") ? List.of(true) : List.of(true, false);
        Lab.Options o0 = Lab.Options.defaults();
        System.out.printf(Locale.ROOT, "siitdc lab benchmark, network-based ER: IPv4 client %s -> BR (siitdc) -> IDC router ->%n",
                Plan.CLIENT4);
        System.out.printf(Locale.ROOT, "  node-based ER A (siitdc, iperf3 on %s in ER A's namespace)  vs%n", Plan.A.v4());
        System.out.printf(Locale.ROOT, "  network-based A.1 ER (siitdc) -> IPv4 segment %s -> IPv4-only node (iperf3 on its DHCP-leased Service Address)%n",
                NetworkPlan.A1_SEGMENT);
        System.out.printf(Locale.ROOT, "  %d CPUs, %s; siitdc JVMs: %s; lowest-ipv6-mtu %d; %d runs of %d s (TCP, each way) and %d s (UDP), interleaved; offload %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"),
                String.join(" ", o0.daemonJvm()), o0.lowestIpv6Mtu(), runs, secs, udpSecs,
                String.join(" then ", modes.stream().map(m -> m ? "on" : "off").toList()));
        System.out.printf(Locale.ROOT, "  /proc/loadavg at the start: %s; other labs present: %s%n", loadavg(), otherLabs());
        System.out.flush();

        List<String> loads = new ArrayList<>();
        Map<Boolean, Map<Path4, Series>> all = new LinkedHashMap<>();
        Map<Boolean, String> notes = new LinkedHashMap<>();
        for (boolean offload : modes) {
            Lab.Options o = Lab.Options.defaults().withProgress(System.err).withOffload(offload);
            try (NetworkLab nl = NetworkLab.create(o, EnumSet.of(Variant.A1))) {
                Map<Path4, Series> r = measure(nl, offload, runs, secs, udpSecs, warmup, loads, notes);
                all.put(offload, r);
            } catch (LabException e) {
                System.err.println("LabBench --network: " + e.getMessage());
                System.exit(1);
            }
        }
        System.out.println();
        for (var e : all.entrySet()) {
            System.out.println(table(e.getKey(), e.getValue()));
            System.out.println(notes.get(e.getKey()));
            System.out.println();
        }
        if (all.size() == 2) System.out.println(offloadTable(all.get(true), all.get(false)));
        System.out.println("/proc/loadavg after each run: ");
        for (String l : loads) System.out.println("  " + l);
        System.out.printf(Locale.ROOT, "/proc/loadavg at the end: %s; other labs present: %s%n", loadavg(), otherLabs());
    }

    private static Map<Path4, Series> measure(NetworkLab nl, boolean offload, int runs, int secs, int udpSecs, int warmup,
                                             List<String> loads, Map<Boolean, String> notes) {
        Lab lab = nl.lab();
        SegmentRelay ner = nl.er(Variant.A1);
        nl.startBr();
        lab.relay(Node.ER_A).launch();
        ner.launch();
        lab.relay(Node.ER_A).awaitReady();
        ner.awaitReady();
        lab.progress("relays up (offload " + (offload ? "on" : "off") + "): BR, ER A (node-based), A.1 ER (network-based)");

        DhcpClient.Lease lease = DhcpClient.udhcpc(nl, NetworkLab.A1_UDHCPC, NetworkPlan.NODE_IF);
        int nodeMtu = nl.mtu(NetworkLab.A1_UDHCPC, NetworkPlan.NODE_IF);
        lab.progress("node " + NetworkLab.A1_UDHCPC + ": " + lease + "; eth0 MTU " + nodeMtu);
        String port = Integer.toString(Plan.IPERF_PORT);
        LabProcess sa = lab.spawn(Node.ER_A, "iperf3-server-era",
                List.of("iperf3", "-s", "--forceflush", "-B", Plan.A.v4(), "-p", port));
        LabProcess sn = nl.spawn(NetworkLab.A1_UDHCPC, "iperf3-server-node",
                List.of("iperf3", "-s", "--forceflush", "-B", lease.address(), "-p", port));
        sa.awaitLine(l -> l.contains("Server listening"), 10_000, "listening");
        sn.awaitLine(l -> l.contains("Server listening"), 10_000, "listening");
        Map<Path4, String> target = Map.of(Path4.NODE, Plan.A.v4(), Path4.NETWORK, lease.address());

        // warm the JITs of the three relays on every path and direction before anything is measured
        if (warmup > 0) {
            for (Path4 p : Path4.values()) {
                String w = Integer.toString(warmup);
                iperf(lab, target.get(p), warmup + 30, "-t", w);
                iperf(lab, target.get(p), warmup + 30, "-t", w, "-R");
                iperf(lab, target.get(p), warmup + 30, "-t", w, "-u", "-l", "64", "-b", "0");
            }
        }

        Map<Path4, Series> out = new EnumMap<>(Path4.class);
        for (Path4 p : Path4.values()) out.put(p, new Series());
        long dropsA0 = LabBench.txDropped(lab, Node.ER_A, lab.erA().tun());
        long dropsN0 = tunTxDropped(nl, ner.id(), HostRelay.SIITDC_TUN);
        long brDrops0 = LabBench.txDropped(lab, Node.BR, lab.br().tun());
        for (int i = 0; i < runs; i++) {
            // alternate which path goes first, so neither always runs right after the other's UDP flood
            List<Path4> order = i % 2 == 0 ? List.of(Path4.NODE, Path4.NETWORK) : List.of(Path4.NETWORK, Path4.NODE);
            for (Path4 p : order) {
                Series s = out.get(p);
                LabRelay er = p == Path4.NODE ? lab.erA() : ner;
                String t = target.get(p);
                for (Phase ph : List.of(Phase.TCP_IN, Phase.TCP_OUT)) {
                    Map<String, Long> before = settledStats(er);
                    Iperf.Result r = ph == Phase.TCP_IN ? iperf(lab, t, secs + 60, "-t", Integer.toString(secs))
                            : iperf(lab, t, secs + 60, "-t", Integer.toString(secs), "-R");
                    Map<String, Long> after = settledStats(er);
                    s.values.get(ph).add(r.bitsPerSecond() / 1e6);
                    s.gso.get(ph)[0] += delta(before, after, GSO_READ);
                    s.gso.get(ph)[1] += delta(before, after, GSO_WRITTEN);
                }
                Iperf.Result u = iperf(lab, t, udpSecs + 60, "-t", Integer.toString(udpSecs), "-u", "-l", "64", "-b", "0");
                s.values.get(Phase.UDP_IN).add(u.receivedPps());
                s.udpLossPct.add(u.packets() > 0 ? 100.0 * u.lost() / u.packets() : 0);
                System.err.printf(Locale.ROOT, "  offload %s, %s, run %d: TCP in %.0f Mbit/s, TCP out %.0f Mbit/s, UDP 64 B %.0f datagrams/s (%.0f%% lost)%n",
                        offload ? "on" : "off", name(p), i + 1, s.values.get(Phase.TCP_IN).getLast(),
                        s.values.get(Phase.TCP_OUT).getLast(), s.values.get(Phase.UDP_IN).getLast(), s.udpLossPct.getLast());
            }
            loads.add(String.format(Locale.ROOT, "offload %-3s run %d: %s", offload ? "on" : "off", i + 1, loadavg()));
        }
        out.get(Path4.NODE).tunDrops = LabBench.txDropped(lab, Node.ER_A, lab.erA().tun()) - dropsA0;
        out.get(Path4.NETWORK).tunDrops = tunTxDropped(nl, ner.id(), HostRelay.SIITDC_TUN) - dropsN0;
        long brDrops = LabBench.txDropped(lab, Node.BR, lab.br().tun()) - brDrops0;

        StringBuilder n = new StringBuilder();
        n.append(String.format(Locale.ROOT, "  node %s leased %s/%d by DHCP (router %s, MTU %d); kernel drops into the BR's TUN: %d%n",
                NetworkLab.A1_UDHCPC, lease.address(), lease.prefixLength(), lease.router(), nodeMtu, brDrops));
        Map<String, Long> br = lab.br().freshStats(), era = lab.erA().stats(), a1 = ner.stats();
        n.append("  counters since start: ");
        List<String> c = new ArrayList<>();
        for (var e : List.of(Map.entry("BR", br), Map.entry("ER A", era), Map.entry("A.1 ER", a1))) {
            c.add(e.getKey() + " " + GSO_READ + " " + e.getValue().getOrDefault(GSO_READ, 0L) + " " + GSO_WRITTEN + " "
                    + e.getValue().getOrDefault(GSO_WRITTEN, 0L));
        }
        n.append(String.join("; ", c)).append('\n');
        List<String> drops = new ArrayList<>();
        for (var e : List.of(Map.entry("BR", br), Map.entry("ER A", era), Map.entry("A.1 ER", a1))) {
            for (var d : e.getValue().entrySet()) {
                if (d.getKey().startsWith("drop") && d.getValue() != 0) drops.add(e.getKey() + " " + d.getKey() + " " + d.getValue());
            }
        }
        n.append("  nonzero siitdc drop counters since start: ").append(drops.isEmpty() ? "none" : String.join("; ", drops));
        notes.put(offload, n.toString());
        return out;
    }

    /** {@code iperf3 -c SERVER -p 5201 -J ARGS} from the IPv4 client; throws unless it succeeds. */
    static Iperf.Result iperf(Lab lab, String server, int timeoutSeconds, String... args) {
        List<String> cmd = new ArrayList<>(List.of("iperf3", "-c", server, "-p", Integer.toString(Plan.IPERF_PORT),
                "-J", "--connect-timeout", "5000"));
        cmd.addAll(List.of(args));
        Shell.Result r = lab.exec(Node.CLIENT, timeoutSeconds, cmd);
        if (!r.ok() || r.out().contains("\"error\"")) {
            throw new LabException("iperf3 -c " + server + " " + String.join(" ", args) + " failed (exit " + r.exit() + "): "
                    + r.out().strip());
        }
        return Iperf.parse(r.out());
    }

    /** The stats file once it has been rewritten after this call (so it counts everything before it). */
    private static Map<String, Long> settledStats(LabRelay r) {
        return r.freshStats();
    }

    private static long delta(Map<String, Long> before, Map<String, Long> after, String key) {
        return after.getOrDefault(key, 0L) - before.getOrDefault(key, 0L);
    }

    /** The TX "dropped" count of {@code dev} in the network lab's namespace {@code id}. */
    static long tunTxDropped(NetworkLab nl, String id, String dev) {
        return LabBench.txDropped(nl.exec(id, 10, "ip", "-s", "link", "show", "dev", dev).out());
    }

    static String loadavg() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "?";
        }
    }

    private static String otherLabs() {
        List<String> l = Lab.existingLabs();
        return l.isEmpty() ? "none" : String.join(" ", l);
    }

    private static String name(Path4 p) {
        return p == Path4.NODE ? "node-based ER A" : "network A.1 ER";
    }

    static String table(boolean offload, Map<Path4, Series> r) {
        Series n = r.get(Path4.NODE), w = r.get(Path4.NETWORK);
        StringBuilder b = new StringBuilder();
        String f = "%-40s %16s %16s %14s%n";
        b.append(String.format(Locale.ROOT, f, "offload " + (offload ? "on" : "off") + ", BR siitdc (medians)",
                "node-based ER A", "network A.1 ER", "network/node"));
        for (Phase p : Phase.values()) {
            double x = LabBench.median(n.values.get(p)), y = LabBench.median(w.values.get(p));
            b.append(String.format(Locale.ROOT, f, p.label, String.format(Locale.ROOT, p.fmt, x),
                    String.format(Locale.ROOT, p.fmt, y), x == 0 ? "" : String.format(Locale.ROOT, "%.2f", y / x)));
            b.append(String.format(Locale.ROOT, f, "  runs", join(n.values.get(p), p.fmt), join(w.values.get(p), p.fmt), ""));
        }
        b.append(String.format(Locale.ROOT, f, "UDP 64 B, % lost", String.format(Locale.ROOT, "%.1f", LabBench.median(n.udpLossPct)),
                String.format(Locale.ROOT, "%.1f", LabBench.median(w.udpLossPct)), ""));
        b.append(String.format(Locale.ROOT, f, "kernel drops into the ER's TUN", n.tunDrops, w.tunDrops, ""));
        for (Phase p : List.of(Phase.TCP_IN, Phase.TCP_OUT)) {
            String dir = p == Phase.TCP_IN ? "client -> node" : "node -> client";
            b.append(String.format(Locale.ROOT, f, "ER " + GSO_READ + ", TCP " + dir, n.gso.get(p)[0], w.gso.get(p)[0], ""));
            b.append(String.format(Locale.ROOT, f, "ER " + GSO_WRITTEN + ", TCP " + dir, n.gso.get(p)[1], w.gso.get(p)[1], ""));
        }
        b.append("(gso-* counters: the path's own ER, summed over the TCP runs of that direction)");
        return b.toString();
    }

    /** The medians with offload on against off, for both paths. */
    static String offloadTable(Map<Path4, Series> on, Map<Path4, Series> off) {
        StringBuilder b = new StringBuilder();
        String f = "%-40s %16s %16s%n";
        b.append(String.format(Locale.ROOT, f, "offload on / off (ratio of medians)", "node-based ER A", "network A.1 ER"));
        for (Phase p : Phase.values()) {
            List<String> v = new ArrayList<>();
            for (Path4 x : Path4.values()) {
                double a = LabBench.median(on.get(x).values.get(p)), c = LabBench.median(off.get(x).values.get(p));
                v.add(c == 0 ? "" : String.format(Locale.ROOT, "%.2f", a / c));
            }
            b.append(String.format(Locale.ROOT, f, p.label, v.get(0), v.get(1)));
        }
        return b.toString();
    }

    private static String join(List<Double> v, String fmt) {
        return String.join(" ", v.stream().map(x -> String.format(Locale.ROOT, fmt, x)).toList());
    }
}
