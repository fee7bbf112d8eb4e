package dev.siitdc.lab;

import dev.siitdc.lab.Lab.Impl;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The lab benchmark (bench/lab/run.sh): in the lab's topology, iperf3 from the IPv4 client to the iperf3
 * server on ER A's IPv4 Service Address, through the BR and ER A (siitdc), with siitdc and then TAYGA as the
 * BR, in one run:
 * <ul>
 *   <li>TCP throughput, {@code --seconds} per run (default 10), median of {@code --runs} (default 3);</li>
 *   <li>UDP, 64-byte datagrams as fast as iperf3 sends them ({@code -u -l 64 -b 0}): datagrams received per
 *       second at the app, median of the runs.</li>
 * </ul>
 * Prints a table and the siitdc / TAYGA ratios. All traffic stays inside the lab's namespaces.
 * <pre>
 * LabBench [--runs N] [--seconds S] [--udp-seconds S] [--warmup S] [--no-tayga] [--no-offload]
 * LabBench --network [--runs N] [--seconds S] [--udp-seconds S] [--warmup S] [--no-offload | --offload-only]
 * </pre>
 * {@code --no-offload} runs the siitdc relays with {@code [relay] offload = false} (no TSO/GSO through the
 * translation), for comparison. {@code --network} measures instead the network-based Edge Relay (RFC 7756
 * s3.2, A.1) against the node-based ER A, with the siitdc BR, offload on and off: {@link NetworkBench}.
 */
public final class LabBench {
    private LabBench() {}

    private record Series(List<Double> tcpMbps, List<Double> udpPps, List<Double> udpLossPct, long[] tunDrops) {}

    public static void main(String[] args) {
        List<String> a = List.of(args);
        int runs = intOpt(a, "--runs", 3), secs = intOpt(a, "--seconds", 10), udpSecs = intOpt(a, "--udp-seconds", 10);
        int warmup = intOpt(a, "--warmup", 5);
        if (!Shell.isRoot()) {
            System.err.println("LabBench: needs root (network namespaces)");
            System.exit(2);
        }
        if (a.contains("--network")) {
            NetworkBench.run(a, runs, secs, udpSecs, warmup);
            return;
        }
        List<String> missing = List.of("ip", "iperf3").stream().filter(t -> !Shell.has(t)).toList();
        if (!missing.isEmpty()) {
            System.err.println("LabBench: missing " + String.join(", ", missing) + " (apt-get install iproute2 iperf3)");
            System.exit(2);
        }
        List<Impl> impls = new ArrayList<>(List.of(Impl.SIITDC));
        if (!a.contains("--no-tayga")) {
            if (Shell.has("tayga")) impls.add(Impl.TAYGA);
            else System.err.println("LabBench: tayga is not installed (apt-get install tayga): measuring siitdc only");
        }

        boolean offload = !a.contains("--no-offload");
        Lab.Options o = Lab.Options.defaults().withProgress(System.err).withOffload(offload);
        System.out.printf(Locale.ROOT, "siitdc lab benchmark: IPv4 client -> BR -> IDC router -> ER A (siitdc) -> iperf3 on %s%n",
                Plan.A.v4());
        System.out.printf(Locale.ROOT, "  %d CPUs, %s; siitdc JVMs: %s; lowest-ipv6-mtu %d (ER A route MTU %d); %d runs of %d s (TCP) and %d s (UDP); siitdc offload %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"),
                String.join(" ", o.daemonJvm()), o.lowestIpv6Mtu(), o.lowestIpv6Mtu() - 20, runs, secs, udpSecs,
                offload ? "on" : "off");
        System.out.flush();

        Map<Impl, Series> results = new java.util.EnumMap<>(Impl.class);
        try (Lab lab = Lab.create(o)) {
            lab.startRelays();
            lab.startServices();
            // warm the ERs' JIT (and the siitdc BR's) before anything is measured
            if (warmup > 0) {
                Iperf.run(lab, warmup + 30, "-t", Integer.toString(warmup));
                Iperf.run(lab, warmup + 30, "-t", Integer.toString(warmup), "-u", "-l", "64", "-b", "0");
            }
            for (Impl impl : impls) {
                lab.useBr(impl);
                if (impl == Impl.SIITDC && warmup > 0) Iperf.run(lab, warmup + 30, "-t", "2");
                Series s = new Series(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new long[2]);
                long brDrops0 = txDropped(lab, Lab.Node.BR, lab.br().tun());
                long erDrops0 = txDropped(lab, Lab.Node.ER_A, lab.erA().tun());
                for (int i = 0; i < runs; i++) {
                    Iperf.Result t = Iperf.run(lab, secs + 60, "-t", Integer.toString(secs));
                    s.tcpMbps().add(t.bitsPerSecond() / 1e6);
                    Iperf.Result u = Iperf.run(lab, udpSecs + 60, "-t", Integer.toString(udpSecs), "-u", "-l", "64", "-b", "0");
                    s.udpPps().add(u.receivedPps());
                    s.udpLossPct().add(u.packets() > 0 ? 100.0 * u.lost() / u.packets() : 0);
                    System.err.printf(Locale.ROOT, "  %s BR run %d: TCP %.0f Mbit/s, UDP 64 B %.0f datagrams/s received (%.0f%% lost)%n",
                            impl, i + 1, s.tcpMbps().getLast(), s.udpPps().getLast(), s.udpLossPct().getLast());
                }
                s.tunDrops()[0] = txDropped(lab, Lab.Node.BR, lab.br().tun()) - brDrops0;
                s.tunDrops()[1] = txDropped(lab, Lab.Node.ER_A, lab.erA().tun()) - erDrops0;
                results.put(impl, s);
            }
            lab.useBr(Impl.SIITDC);
            System.out.println();
            System.out.println(table(results));
            Map<String, Long> br = lab.br().freshStats(), er = lab.erA().freshStats();
            System.out.println("siitdc drop counters after the run (BR since its last start; ER A since the start):");
            for (var e : br.entrySet()) if (e.getKey().startsWith("drop")) System.out.println("  BR   " + e.getKey() + " " + e.getValue());
            for (var e : er.entrySet()) if (e.getKey().startsWith("drop")) System.out.println("  ER A " + e.getKey() + " " + e.getValue());
            for (var e : br.entrySet()) if (e.getKey().startsWith("gso")) System.out.println("  BR   " + e.getKey() + " " + e.getValue());
            for (var e : er.entrySet()) if (e.getKey().startsWith("gso")) System.out.println("  ER A " + e.getKey() + " " + e.getValue());
        } catch (LabException e) {
            System.err.println("LabBench: " + e.getMessage());
            System.exit(1);
        }
    }

    static String table(Map<Impl, Series> r) {
        Series s = r.get(Impl.SIITDC), t = r.get(Impl.TAYGA);
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-34s %14s %14s %14s%n", "", "siitdc BR", t != null ? "TAYGA BR" : "", t != null ? "siitdc/TAYGA" : ""));
        row(b, "TCP throughput, Mbit/s (median)", median(s.tcpMbps()), t == null ? null : median(t.tcpMbps()), "%.0f");
        runs(b, s.tcpMbps(), t == null ? null : t.tcpMbps(), "%.0f");
        row(b, "UDP 64 B, datagrams/s rcvd (median)", median(s.udpPps()), t == null ? null : median(t.udpPps()), "%.0f");
        runs(b, s.udpPps(), t == null ? null : t.udpPps(), "%.0f");
        row(b, "UDP 64 B, % lost (median)", median(s.udpLossPct()), t == null ? null : median(t.udpLossPct()), "%.1f");
        b.append(String.format(Locale.ROOT, "%-34s %14d %14s%n", "kernel drops into the BR's TUN", s.tunDrops()[0],
                t == null ? "" : Long.toString(t.tunDrops()[0])));
        b.append(String.format(Locale.ROOT, "%-34s %14d %14s%n", "kernel drops into ER A's TUN", s.tunDrops()[1],
                t == null ? "" : Long.toString(t.tunDrops()[1])));
        b.append("(the ERs are siitdc in both columns; iperf3 -u -b 0 sends as fast as one client thread can)");
        return b.toString();
    }

    private static void row(StringBuilder b, String name, double s, Double t, String fmt) {
        b.append(String.format(Locale.ROOT, "%-34s %14s %14s %14s%n", name, String.format(Locale.ROOT, fmt, s),
                t == null ? "" : String.format(Locale.ROOT, fmt, t),
                t == null || t == 0 ? "" : String.format(Locale.ROOT, "%.2f", s / t)));
    }

    private static void runs(StringBuilder b, List<Double> s, List<Double> t, String fmt) {
        b.append(String.format(Locale.ROOT, "%-34s %14s %14s%n", "  runs", join(s, fmt), t == null ? "" : join(t, fmt)));
    }

    private static String join(List<Double> v, String fmt) {
        return String.join(" ", v.stream().map(x -> String.format(Locale.ROOT, fmt, x)).toList());
    }

    /** The TX "dropped" count of a TUN: packets the kernel could not queue for the translator (queue full). */
    static long txDropped(Lab lab, Lab.Node n, String dev) {
        return txDropped(lab.exec(n, 10, "ip", "-s", "link", "show", "dev", dev).out());
    }

    /** The TX "dropped" count in the output of {@code ip -s link show dev DEV} (0 when there is none). */
    static long txDropped(String ipStatsOutput) {
        List<String> lines = ipStatsOutput.lines().map(String::strip).toList();
        for (int i = 0; i + 1 < lines.size(); i++) {
            if (lines.get(i).startsWith("TX:")) {
                String[] f = lines.get(i + 1).split("\\s+");
                if (f.length >= 4 && f[3].matches("\\d+")) return Long.parseLong(f[3]);
            }
        }
        return 0;
    }

    static double median(List<Double> v) {
        List<Double> s = v.stream().sorted().toList();
        int n = s.size();
        return n == 0 ? 0 : n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private static int intOpt(List<String> a, String name, int dflt) {
        int i = a.indexOf(name);
        return i >= 0 && i + 1 < a.size() ? Integer.parseInt(a.get(i + 1)) : dflt;
    }
}
