package dev.siitdc.lab;

import dev.siitdc.lab.Lab.Node;
import dev.siitdc.lab.NetworkPlan.Variant;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The network-based Edge Relay lab (RFC 7756 s3.2, Appendix A): {@link Lab}'s IPv4 client, BR, IDC router
 * and native IPv6 server, plus, on the IDC LAN, one network-based ER per {@link Variant} with the IPv4
 * (or dual-stack) nodes it serves, each in a namespace of its own ({@link NetworkPlan} and docs/lab.md).
 * The extra namespaces are named like the lab's ({@code sdc-PID-N-<id>}), so {@link Lab#close()}, its
 * shutdown hook and {@link Lab#cleanupStale(boolean)} remove them too. Lab's node-based ER A / ER B
 * namespaces exist but run nothing.
 *
 * <pre>{@code
 * try (NetworkLab nl = NetworkLab.create(Lab.Options.defaults(), EnumSet.of(Variant.A1))) {
 *     nl.startBr();
 *     nl.er(Variant.A1).start();
 *     DhcpClient.Lease l = DhcpClient.udhcpc(nl, NetworkLab.A1_UDHCPC, "eth0");
 * }
 * }</pre>
 */
public final class NetworkLab implements AutoCloseable {
    /** Namespace ids (after the lab prefix). */
    public static final String A1_SWITCH = "a1sw", A1_UDHCPC = "a1n4", A1_DHCLIENT = "a1n5", A2_NODE = "a2n",
            STICK_NODE = "skn", BRIDGE_NODE = "bgn";

    private static final AtomicInteger CAPTURES = new AtomicInteger();

    private final Lab lab;
    private final Set<Variant> variants;
    private final Map<Variant, SegmentRelay> ers = new EnumMap<>(Variant.class);
    private final Map<String, LabProcess> apps = new java.util.TreeMap<>();
    private final List<LabProcess> processes = Collections.synchronizedList(new ArrayList<>());
    private Path nodeApp;
    private boolean closed;

    private NetworkLab(Lab lab, Set<Variant> variants) {
        this.lab = lab;
        this.variants = Collections.unmodifiableSet(EnumSet.copyOf(variants));
    }

    /** Builds {@link Lab} and the namespaces of {@code variants}; on failure removes everything. */
    public static NetworkLab create(Lab.Options options, Set<Variant> variants) {
        Lab.requireTools(List.of("ip", "sysctl", "python3"));
        Lab lab = Lab.create(options);
        NetworkLab nl = new NetworkLab(lab, variants);
        try {
            nl.build();
            for (Variant v : variants) nl.ers.put(v, new SegmentRelay(nl, v));
            return nl;
        } catch (RuntimeException e) {
            nl.close();
            throw e;
        }
    }

    public Lab lab() {
        return lab;
    }

    public Set<Variant> variants() {
        return variants;
    }

    public Path dir() {
        return lab.dir();
    }

    public String prefix() {
        return lab.prefix();
    }

    /** The full namespace name of {@code id}. */
    public String ns(String id) {
        return lab.prefix() + "-" + id;
    }

    /** The namespace id of {@code v}'s ER. */
    public static String erId(Variant v) {
        return v.id + "er";
    }

    /** The node that takes its IPv4 address by DHCP (udhcpc) or, A.2, the node with the Service Address. */
    public static String nodeId(Variant v) {
        return switch (v) {
            case A1 -> A1_UDHCPC;
            case A2 -> A2_NODE;
            case STICK -> STICK_NODE;
            case BRIDGE -> BRIDGE_NODE;
        };
    }

    public SegmentRelay er(Variant v) {
        SegmentRelay r = ers.get(v);
        if (r == null) throw new IllegalArgumentException(v + " is not in this lab");
        return r;
    }

    void progress(String s) {
        lab.progress(s);
    }

    // ------------------------------------------------------------------------------------------------
    // topology

    private void build() {
        for (Variant v : variants) {
            switch (v) {
                case A1 -> {
                    String er = erId(v);
                    newNs(er, false);
                    onIdcLan(er, NetworkPlan.A1_ER6, true);
                    newNs(A1_SWITCH, true);
                    ip(A1_SWITCH, "link", "add", NetworkPlan.SWITCH_BRIDGE, "type", "bridge");
                    ip(A1_SWITCH, "link", "set", NetworkPlan.SWITCH_BRIDGE, "up");
                    veth(er, NetworkPlan.SEGMENT_IF, A1_SWITCH, "p-er");
                    ip(A1_SWITCH, "link", "set", "p-er", "master", NetworkPlan.SWITCH_BRIDGE);
                    for (String n : List.of(A1_UDHCPC, A1_DHCLIENT)) {
                        newNs(n, true);
                        veth(A1_SWITCH, "p-" + n, n, NetworkPlan.NODE_IF);
                        ip(A1_SWITCH, "link", "set", "p-" + n, "master", NetworkPlan.SWITCH_BRIDGE);
                        ip(n, "link", "set", NetworkPlan.NODE_IF, "address",
                                n.equals(A1_UDHCPC) ? NetworkPlan.A1_UDHCPC_MAC : NetworkPlan.A1_DHCLIENT_MAC);
                    }
                }
                case A2 -> {
                    String er = erId(v);
                    newNs(er, false);
                    onIdcLan(er, NetworkPlan.A2_ER6, true);
                    newNs(A2_NODE, true);
                    veth(er, NetworkPlan.SEGMENT_IF, A2_NODE, NetworkPlan.NODE_IF);
                    // Appendix A.2: a private address on the segment, the Service Address on lo, and the
                    // Service Address as the source of everything the node sends (src on the default route)
                    ip(A2_NODE, "addr", "add", NetworkPlan.A2_NODE4 + "/" + NetworkPlan.A2_PREFIX_LENGTH,
                            "dev", NetworkPlan.NODE_IF);
                    ip(A2_NODE, "addr", "add", NetworkPlan.A2_S.v4() + "/32", "dev", "lo");
                    ip(A2_NODE, "route", "add", "default", "via", NetworkPlan.A2_ER4, "src", NetworkPlan.A2_S.v4());
                    // ARP from the on-link private address, not from the Service Address
                    sysctl(A2_NODE, "net.ipv4.conf.all.arp_announce=2");
                }
                case STICK -> {
                    newNs(erId(v), false);
                    onIdcLan(erId(v), NetworkPlan.STICK_ER6, true);
                    newNs(STICK_NODE, false);
                    onIdcLan(STICK_NODE, NetworkPlan.STICK_NODE6, true);
                    ip(STICK_NODE, "link", "set", NetworkPlan.NODE_IF, "address", NetworkPlan.STICK_NODE_MAC);
                }
                case BRIDGE -> {
                    String er = erId(v);
                    newNs(er, false);
                    onIdcLan(er, NetworkPlan.BRIDGE_ER6, true);
                    newNs(BRIDGE_NODE, false);
                    veth(er, NetworkPlan.SEGMENT_IF, BRIDGE_NODE, NetworkPlan.NODE_IF);
                    ip(BRIDGE_NODE, "link", "set", NetworkPlan.NODE_IF, "address", NetworkPlan.BRIDGE_NODE_MAC);
                    ip(BRIDGE_NODE, "-6", "addr", "add", NetworkPlan.BRIDGE_NODE6 + "/64", "dev", NetworkPlan.NODE_IF, "nodad");
                    ip(BRIDGE_NODE, "-6", "route", "add", "default", "via", Plan.IDC_LAN6);
                }
            }
        }
        writeNodeApp();
        for (Variant v : variants) {
            for (String n : v == Variant.A1 ? List.of(A1_UDHCPC, A1_DHCLIENT) : List.of(nodeId(v))) startNodeApp(n);
        }
        // the ERs reach the IDC router and the IPv6 server natively before any translator runs
        for (Variant v : variants) {
            exec(erId(v), 10, "ping", "-6", "-c", "1", "-W", "3", Plan.V6SRV6).check();
        }
        if (variants.contains(Variant.STICK)) exec(STICK_NODE, 10, "ping", "-6", "-c", "1", "-W", "3", Plan.V6SRV6).check();
        progress("network lab " + lab.prefix() + ": " + variants + " built");
    }

    /** A namespace: lo up, no DAD; {@code ipv4Only}: IPv6 disabled altogether. */
    private void newNs(String id, boolean ipv4Only) {
        Shell.ok("ip", "netns", "add", ns(id));
        ip(id, "link", "set", "lo", "up");
        sysctl(id, "net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0",
                "net.ipv6.conf.all.accept_ra=0", "net.ipv6.conf.default.accept_ra=0");
        if (ipv4Only) sysctl(id, "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1");
    }

    /** {@code id}'s eth0 on the IDC router's LAN bridge, with {@code addr6}/64 and (if asked) the IPv6 default route. */
    private void onIdcLan(String id, String addr6, boolean defaultRoute) {
        String port = "p-" + id;
        Node idc = Node.IDC;
        lab.sysctl(idc, "net.ipv6.conf.default.disable_ipv6=1");   // bridge ports need no address
        try {
            ip(lab.ns(idc), true, "link", "add", port, "type", "veth", "peer", "name", NetworkPlan.UPSTREAM_IF, "netns", ns(id));
        } finally {
            lab.sysctl(idc, "net.ipv6.conf.default.disable_ipv6=0");
        }
        lab.ip(idc, "link", "set", port, "master", Lab.IDC_LAN_IF);
        lab.ip(idc, "link", "set", port, "up");
        ip(id, "link", "set", NetworkPlan.UPSTREAM_IF, "up");
        ip(id, "-6", "addr", "add", addr6 + "/64", "dev", NetworkPlan.UPSTREAM_IF, "nodad");
        if (defaultRoute) ip(id, "-6", "route", "add", "default", "via", Plan.IDC_LAN6);
    }

    private void veth(String a, String aIf, String b, String bIf) {
        ip(a, "link", "add", aIf, "type", "veth", "peer", "name", bIf, "netns", ns(b));
        ip(a, "link", "set", aIf, "up");
        ip(b, "link", "set", bIf, "up");
    }

    /** {@code ip -n NS ARGS} in namespace {@code id}, which must succeed. */
    public Shell.Result ip(String id, String... args) {
        return ip(ns(id), true, args);
    }

    private static Shell.Result ip(String fullNs, boolean check, String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", fullNs));
        cmd.addAll(List.of(args));
        Shell.Result r = Shell.run(cmd, 30);
        return check ? r.check() : r;
    }

    /** {@code sysctl -qw SETTINGS} in {@code id}. */
    public void sysctl(String id, String... settings) {
        List<String> cmd = new ArrayList<>(List.of("sysctl", "-qw"));
        cmd.addAll(List.of(settings));
        exec(id, 30, cmd).check();
    }

    /** Runs {@code cmd} in namespace {@code id} to completion. */
    public Shell.Result exec(String id, int timeoutSeconds, String... cmd) {
        return exec(id, timeoutSeconds, List.of(cmd));
    }

    public Shell.Result exec(String id, int timeoutSeconds, List<String> cmd) {
        return Lab.execIn(ns(id), timeoutSeconds, cmd);
    }

    /** Starts {@code cmd} in {@code id} in the background, output to logs/NAME.log; stopped by {@link #close()}. */
    public LabProcess spawn(String id, String name, List<String> cmd) {
        LabProcess p = lab.startIn(ns(id), name, cmd);
        processes.add(p);
        return p;
    }

    // ------------------------------------------------------------------------------------------------
    // the BR and the ERs

    /**
     * Starts the BR (siitdc, {@link Lab}'s configuration) and adds the network ERs' EAMs to it through its
     * control socket ({@code siitdc eamt add --file}), which also routes their IPv4 addresses into its TUN.
     */
    public void startBr() {
        lab.startRelays(Node.BR);
        Path eams = dir().resolve("br-network-eams.txt");
        StringBuilder b = new StringBuilder("# the network ERs' Service Addresses (NetworkPlan)\n");
        for (Plan.Eam e : NetworkPlan.brEams()) b.append(e.v4()).append(' ').append(e.v6()).append('\n');
        try {
            Files.writeString(eams, b.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Shell.Result r = lab.exec(Node.BR, 60, lab.javaCommand(false, Lab.SIITDC_MAIN, "eamt", "add",
                "--file", eams.toString(), "--socket", lab.br().controlSocket().toString()));
        if (!r.ok()) throw new LabException("siitdc eamt add --file " + eams + " on the BR failed: " + r.out().strip());
        progress("BR up, with the network ERs' EAMs");
    }

    /** Starts the ERs of {@code vs} at once and waits until each is ready. */
    public void startErs(Variant... vs) {
        for (Variant v : vs) er(v).launch();
        for (Variant v : vs) er(v).awaitReady();
    }

    // ------------------------------------------------------------------------------------------------
    // the nodes' app: python3, AF_INET, bound to 0.0.0.0

    /**
     * The node app (python3): {@code serve PORT [6]} (AF_INET on 0.0.0.0, or AF_INET6 on ::) and
     * {@code connect HOST PORT [BIND]} (AF_INET6 when HOST has a colon).
     */
    static final String NODE_APP = """
            import socket, sys
            def serve(port, v6):
                s = socket.socket(socket.AF_INET6 if v6 else socket.AF_INET, socket.SOCK_STREAM)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind(("::" if v6 else "0.0.0.0", port))
                s.listen(16)
                print("ready", flush=True)
                while True:
                    c, peer = s.accept()
                    local = c.getsockname()
                    line = "seen %s %d at %s %d" % (peer[0], peer[1], local[0], local[1])
                    print("tcp " + line, flush=True)
                    try:
                        c.sendall((line + "\\n").encode())
                    finally:
                        c.close()
            def connect(host, port, bind=None):
                s = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
                s.settimeout(10)
                if bind:
                    s.bind((bind, 0))
                s.connect((host, port))
                local = s.getsockname()
                data = b""
                while not data.endswith(b"\\n"):
                    chunk = s.recv(512)
                    if not chunk:
                        break
                    data += chunk
                print("server: " + data.decode().strip())
                print("local %s %d" % local[:2])
            if sys.argv[1] == "serve":
                serve(int(sys.argv[2]), len(sys.argv) > 3 and sys.argv[3] == "6")
            else:
                try:
                    connect(sys.argv[2], int(sys.argv[3]), sys.argv[4] if len(sys.argv) > 4 else None)
                except OSError as e:
                    print("error: %s" % e)
                    sys.exit(1)
            """;

    private void writeNodeApp() {
        nodeApp = dir().resolve("nodeapp.py");
        try {
            Files.writeString(nodeApp, NODE_APP);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String python() {
        return new java.io.File("/usr/bin/python3").canExecute() ? "/usr/bin/python3" : "python3";
    }

    private void startNodeApp(String id) {
        startApp(id, false);
    }

    /**
     * Starts the node app's TCP server on port 7 of namespace {@code id} (a node, or one of {@link Lab}'s:
     * "client", "v6srv"): AF_INET bound to 0.0.0.0, or with {@code ipv6} AF_INET6 bound to ::.
     */
    public LabProcess startApp(String id, boolean ipv6) {
        List<String> cmd = new ArrayList<>(List.of(python(), "-u", nodeApp.toString(), "serve",
                Integer.toString(NetworkPlan.NODE_APP_PORT)));
        if (ipv6) cmd.add("6");
        LabProcess p = spawn(id, "nodeapp-" + id, cmd);
        p.awaitLine("ready"::equals, 10_000, "ready");
        apps.put(id, p);
        return p;
    }

    /** The TCP server (python3, AF_INET socket bound to 0.0.0.0:7) of node {@code id}; its log lists every connection. */
    public LabProcess nodeApp(String id) {
        LabProcess p = apps.get(id);
        if (p == null) throw new IllegalArgumentException("no app on " + id);
        return p;
    }

    /** Connects from namespace {@code id} (python3, AF_INET) to HOST:PORT, optionally bound to {@code bind}. */
    public Shell.Result connect(String id, String host, int port, String bind) {
        List<String> cmd = new ArrayList<>(List.of(python(), nodeApp.toString(), "connect", host, Integer.toString(port)));
        if (bind != null) cmd.add(bind);
        return exec(id, 20, cmd);
    }

    /** The same from one of {@link Lab}'s namespaces (the IPv4 client). */
    public Shell.Result connect(Node n, String host, int port) {
        return lab.exec(n, 20, python(), nodeApp.toString(), "connect", host, Integer.toString(port));
    }

    // ------------------------------------------------------------------------------------------------
    // state of a node

    /** The IPv4 addresses on {@code iface} of {@code id} ("198.51.100.66/29"). */
    public List<String> ipv4Addresses(String id, String iface) {
        Shell.Result r = exec(id, 10, "ip", "-4", "-o", "addr", "show", "dev", iface).check();
        List<String> out = new ArrayList<>();
        for (String l : r.out().lines().toList()) {
            String[] f = l.trim().split("\\s+");
            for (int i = 0; i + 1 < f.length; i++) if (f[i].equals("inet")) out.add(f[i + 1]);
        }
        return out;
    }

    /** The MTU of {@code iface} in {@code id}. */
    public int mtu(String id, String iface) {
        String s = exec(id, 10, "cat", "/sys/class/net/" + iface + "/mtu").check().out().strip();
        return Integer.parseInt(s);
    }

    /** {@code ip -4 route show default} in {@code id}. */
    public String ipv4DefaultRoute(String id) {
        return exec(id, 10, "ip", "-4", "route", "show", "default").check().out().strip();
    }

    /**
     * What a relay may change in namespace {@code id}, as sorted lines to compare before and after it ran:
     * {@link NetState}'s items plus tc qdiscs and filters of every link, proxy ARP entries, bridge ports and
     * the IPv4 neighbour entries the relay itself made permanent.
     */
    public List<String> snapshot(String id) {
        TreeSet<String> out = new TreeSet<>();
        NetState.add(out, "link", exec(id, 10, "ip", "-o", "link", "show"), true);
        NetState.add(out, "addr", exec(id, 10, "ip", "-o", "addr", "show"), true);
        NetState.add(out, "route4", exec(id, 10, "ip", "-4", "route", "show", "table", "all"), false);
        NetState.add(out, "route6", exec(id, 10, "ip", "-6", "route", "show", "table", "all"), false);
        NetState.add(out, "rule4", exec(id, 10, "ip", "-4", "rule", "show"), false);
        NetState.add(out, "rule6", exec(id, 10, "ip", "-6", "rule", "show"), false);
        NetState.add(out, "proxy6", exec(id, 10, "ip", "-6", "neigh", "show", "proxy"), false);
        NetState.add(out, "proxy4", exec(id, 10, "ip", "-4", "neigh", "show", "proxy"), false);
        NetState.add(out, "neigh4-permanent", exec(id, 10, "ip", "-4", "neigh", "show", "nud", "permanent"), false);
        NetState.add(out, "qdisc", exec(id, 10, "tc", "qdisc", "show"), false);
        for (String dev : links(id)) {
            NetState.add(out, "filter " + dev + " ingress", exec(id, 10, "tc", "filter", "show", "dev", dev, "ingress"), false);
            NetState.add(out, "filter " + dev + " egress", exec(id, 10, "tc", "filter", "show", "dev", dev, "egress"), false);
        }
        Shell.Result s = exec(id, 10, "sysctl", "-a", "-r",
                "^net\\.ipv4\\.ip_forward$|^net\\.ipv4\\.conf\\..*\\.(forwarding|proxy_arp|rp_filter|accept_local|route_localnet"
                        + "|arp_ignore|arp_announce|send_redirects)$"
                        + "|^net\\.ipv6\\.conf\\..*\\.(forwarding|proxy_ndp|disable_ipv6|accept_ra|accept_dad)$"
                        + "|^net\\.bridge\\..*");
        NetState.add(out, "sysctl", s, false);
        return List.copyOf(out);
    }

    private List<String> links(String id) {
        List<String> out = new ArrayList<>();
        for (String l : exec(id, 10, "ip", "-o", "link", "show").out().lines().toList()) {
            String[] f = l.split(":\\s+");
            if (f.length > 1) out.add(f[1].split("@")[0].strip());
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------
    // captures

    /**
     * A capture (AF_PACKET with a classic BPF filter, no tcpdump: {@link PacketCapture}) on {@code iface} of
     * namespace {@code id}, listening when this returns; {@code filter}: a tcpdump expression of
     * {@link CaptureFilters}, or blank for everything.
     */
    public NetCapture capture(String id, String iface, String filter) {
        String name = "ncap" + CAPTURES.incrementAndGet() + "-" + id + "-" + iface;
        Path file = dir().resolve("captures").resolve(name + ".pcap");
        PacketCapture c = lab.startCapture(ns(id), iface, filter, 512, file, id + " " + iface);
        return new NetCapture(id + " " + iface, file, c);
    }

    /** The same in one of {@link Lab}'s namespaces. */
    public NetCapture capture(Node n, String iface, String filter) {
        return capture(n.id, iface, filter);
    }

    /** One capture of the network lab, read back as {@link CapturedPacket}s. */
    public static final class NetCapture {
        private final String where;
        private final Path file;
        private final PacketCapture capture;

        NetCapture(String where, Path file, PacketCapture capture) {
            this.where = where;
            this.file = file;
            this.capture = capture;
        }

        public String where() {
            return where;
        }

        public Path file() {
            return file;
        }

        /** Stops the capture (once; later calls return the same packets) and reads what it captured. */
        public List<CapturedPacket> stop() {
            return capture.stop();
        }

        public List<CapturedPacket> packets(Predicate<CapturedPacket> test) {
            return stop().stream().filter(test).toList();
        }

        @Override
        public String toString() {
            return "capture on " + where;
        }
    }

    // ------------------------------------------------------------------------------------------------
    // the namespace of lab's client, for the python3 client

    /** The IPv4 client's namespace id (for {@link #exec(String, int, String...)}: "client"). */
    public static final String CLIENT = Node.CLIENT.id;

    /** The BR's namespace id ("br"). */
    public static final String BR = Node.BR.id;

    // ------------------------------------------------------------------------------------------------

    /** Keeps the lab's files (configurations, logs, captures, lease files) after {@link #close()}. */
    public void keepFilesOnClose() {
        lab.keepFilesOnClose();
    }

    /**
     * Stops the ERs (SIGTERM, so they undo what they configured), every process started here, then closes
     * the {@link Lab} (which deletes every namespace of the prefix, these included). Idempotent; never throws.
     */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        LabRelay.stopAll(ers.values(), "network lab teardown");
        LabProcess.stopAll(processes);
        lab.close();
    }
}
