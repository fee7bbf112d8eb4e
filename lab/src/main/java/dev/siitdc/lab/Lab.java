package dev.siitdc.lab;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The SIIT-DC lab: six network namespaces wired as RFC 7756 draws a data centre (see {@link Plan} and
 * docs/lab.md), translators started in them, apps and captures. Every namespace is named
 * {@code sdc-<pid>-<n>-<node>}, so runs never collide; {@link #close()} (also run by a JVM shutdown
 * hook and by a failed {@link #create}) stops every process and deletes every namespace, and
 * {@link #cleanupStale(boolean)} removes what a killed run left behind.
 *
 * <p>Captures ({@link #capture}) need no tcpdump: an AF_PACKET socket with a classic BPF filter
 * ({@link dev.siitdc.linux.PacketSocket}, filters from {@link CaptureFilters}) per capture. The socket
 * must belong to the node's namespace; it is opened on a short-lived thread that joins that namespace
 * with setns(2) on /run/netns/NAME, not in a child process under {@code ip netns exec}: no JVM start per
 * capture, listening as soon as {@link #capture} returns, and every other thread of the lab stays in
 * its own namespace. Processes (translators, apps) still run with {@code ip netns exec}.
 *
 * <pre>{@code
 * try (Lab lab = Lab.create(Lab.Options.defaults())) {
 *     lab.startRelays();
 *     lab.startServices();
 *     Shell.Result r = lab.runJava(Node.CLIENT, 20, true, LabApp.class, "tcp-client", "198.51.100.10:7");
 * }
 * }</pre>
 */
public final class Lab implements AutoCloseable {
    /** The main class of the siitdc command line (in the cli module, which depends on the lab). */
    public static final String SIITDC_MAIN = "dev.siitdc.cli.Main";
    /** The namespaces. */
    public enum Node {
        CLIENT("client", "IPv4 client"),
        BR("br", "BR"),
        IDC("idc", "IDC router"),
        ER_A("era", "ER A"),
        ER_B("erb", "ER B"),
        V6SRV("v6srv", "IPv6 server");

        public final String id;
        public final String label;

        Node(String id, String label) {
            this.id = id;
            this.label = label;
        }
    }

    /** Which translator runs a relay. */
    public enum Impl { SIITDC, TAYGA }

    /**
     * How to build the lab.
     *
     * @param br             the BR's translator
     * @param er             the ERs' translator (TAYGA here only serves to develop the lab itself)
     * @param lowestIpv6Mtu  lowest-ipv6-mtu of every relay (RFC 7756 s4.1: identical on the BR and the ERs)
     * @param queues         [relay] queues of the siitdc relays (0 = one per CPU)
     * @param java           the java executable for the translators and the apps
     * @param classpath      their class path (the running JVM's by default)
     * @param daemonJvm      JVM options of the siitdc relays
     * @param progress       where to report steps, or null
     * @param offload        [relay] offload of the siitdc relays (TSO/GSO carried through the translation)
     */
    public record Options(Impl br, Impl er, int lowestIpv6Mtu, int queues, String java, String classpath,
                          List<String> daemonJvm, PrintStream progress, boolean offload) {
        /** Options with offload on (siitdc's default). */
        public Options(Impl br, Impl er, int lowestIpv6Mtu, int queues, String java, String classpath,
                       List<String> daemonJvm, PrintStream progress) {
            this(br, er, lowestIpv6Mtu, queues, java, classpath, daemonJvm, progress, true);
        }

        public static Options defaults() {
            return new Options(Impl.SIITDC, Impl.SIITDC, 1500, 0,
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    System.getProperty("java.class.path"),
                    List.of("-Xms64m", "-Xmx1g"), null);
        }

        public Options withBr(Impl i) {
            return new Options(i, er, lowestIpv6Mtu, queues, java, classpath, daemonJvm, progress, offload);
        }

        public Options withEr(Impl i) {
            return new Options(br, i, lowestIpv6Mtu, queues, java, classpath, daemonJvm, progress, offload);
        }

        public Options withLowestIpv6Mtu(int mtu) {
            return new Options(br, er, mtu, queues, java, classpath, daemonJvm, progress, offload);
        }

        public Options withQueues(int q) {
            return new Options(br, er, lowestIpv6Mtu, q, java, classpath, daemonJvm, progress, offload);
        }

        public Options withClasspath(String cp) {
            return new Options(br, er, lowestIpv6Mtu, queues, java, cp, daemonJvm, progress, offload);
        }

        public Options withOffload(boolean on) {
            return new Options(br, er, lowestIpv6Mtu, queues, java, classpath, daemonJvm, progress, on);
        }

        public Options withProgress(PrintStream p) {
            return new Options(br, er, lowestIpv6Mtu, queues, java, classpath, daemonJvm, p, offload);
        }
    }

    /** Where every lab keeps its files: {@code /tmp/siitdc-lab/<prefix>/}. */
    public static final Path ROOT = Path.of(System.getProperty("java.io.tmpdir"), "siitdc-lab");
    /** Namespace names: sdc-PID-N-NODE. */
    private static final Pattern NS_NAME = Pattern.compile("^(sdc-(\\d+)-(\\d+))-([a-z0-9]+)$");
    private static final String KEPT_MARKER = "KEPT";
    private static final AtomicInteger SEQ = new AtomicInteger();

    // interface names (each namespace has its own, so they can repeat)
    public static final String CLIENT_IF = "eth0", BR_INET_IF = "inet0", BR_IDC_IF = "idc0", IDC_BR_IF = "to-br",
            IDC_LAN_IF = "lan0", NODE_IF = "eth0";

    private final Options options;
    private final String prefix;
    private final Path dir;
    private final List<LabProcess> processes = Collections.synchronizedList(new ArrayList<>());
    private final List<PacketCapture> captures = Collections.synchronizedList(new ArrayList<>());
    private final Map<Node, HostRelay> relays = new EnumMap<>(Node.class);
    private final Thread hook;
    private boolean closed;
    private boolean kept;
    private boolean keepFiles;
    private int idcMtu = 1500;

    private Lab(Options options) {
        this.options = options;
        this.prefix = "sdc-" + ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet();
        this.dir = ROOT.resolve(prefix);
        this.hook = new Thread(this::closeQuietly, "siitdc-lab-teardown " + prefix);
    }

    /**
     * Removes what dead runs left, then builds the namespaces, links, addresses and routes (no translator
     * runs yet: {@link #startRelays()}). On failure everything built so far is removed.
     */
    public static Lab create(Options options) {
        requireTools(List.of("ip", "sysctl"));
        cleanupStale(false);
        Lab lab = new Lab(options);
        Runtime.getRuntime().addShutdownHook(lab.hook);
        try {
            Files.createDirectories(lab.dir);
            lab.build();
            lab.relays.put(Node.BR, new HostRelay(lab, Node.BR, options.br()));
            lab.relays.put(Node.ER_A, new HostRelay(lab, Node.ER_A, options.er()));
            lab.relays.put(Node.ER_B, new HostRelay(lab, Node.ER_B, options.er()));
            return lab;
        } catch (IOException e) {
            lab.close();
            throw new LabException("cannot create " + lab.dir + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    /** Throws a {@link LabException} listing the tools that are missing. */
    public static void requireTools(List<String> tools) {
        List<String> missing = tools.stream().filter(t -> !Shell.has(t)).toList();
        if (!missing.isEmpty()) throw new LabException("missing tool(s): " + String.join(", ", missing));
    }

    public Options options() {
        return options;
    }

    /** sdc-PID-N: every namespace name starts with it. */
    public String prefix() {
        return prefix;
    }

    /** The lab's directory: configurations, logs, stats files, captures. */
    public Path dir() {
        return dir;
    }

    /** The name of {@code node}'s namespace. */
    public String ns(Node node) {
        return prefix + "-" + node.id;
    }

    public HostRelay relay(Node node) {
        HostRelay r = relays.get(node);
        if (r == null) throw new IllegalArgumentException(node + " runs no translator");
        return r;
    }

    public HostRelay br() {
        return relay(Node.BR);
    }

    public HostRelay erA() {
        return relay(Node.ER_A);
    }

    public HostRelay erB() {
        return relay(Node.ER_B);
    }

    void progress(String s) {
        if (options.progress() != null) options.progress().println(s);
    }

    // ------------------------------------------------------------------------------------------------
    // topology

    private void build() {
        for (Node n : Node.values()) {
            Shell.ok("ip", "netns", "add", ns(n));
            ip(n, "link", "set", "lo", "up");
            sysctl(n, "net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0");
        }
        // IPv4-only client: no IPv6 at all
        sysctl(Node.CLIENT, "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1");

        // client <-> BR: the IPv4 Internet
        veth(Node.CLIENT, CLIENT_IF, Node.BR, BR_INET_IF);
        ip(Node.CLIENT, "addr", "add", Plan.CLIENT4 + "/" + Plan.INET_PREFIX_LENGTH, "dev", CLIENT_IF);
        ip(Node.CLIENT, "route", "add", "default", "via", Plan.BR_INET4);
        ip(Node.BR, "addr", "add", Plan.BR_INET4 + "/" + Plan.INET_PREFIX_LENGTH, "dev", BR_INET_IF);
        sysctl(Node.BR, "net.ipv6.conf." + BR_INET_IF + ".disable_ipv6=1");

        // BR <-> IDC router
        veth(Node.BR, BR_IDC_IF, Node.IDC, IDC_BR_IF);
        ip(Node.BR, "-6", "addr", "add", Plan.BR_IDC6 + "/64", "dev", BR_IDC_IF, "nodad");
        ip(Node.BR, "-6", "route", "add", "default", "via", Plan.IDC_TO_BR6);
        ip(Node.IDC, "-6", "addr", "add", Plan.IDC_TO_BR6 + "/64", "dev", IDC_BR_IF, "nodad");

        // IDC router: forwarding, the server LAN bridge, pool6 routed to the BR (RFC 7755 s3)
        sysctl(Node.IDC, "net.ipv6.conf.all.forwarding=1");
        ip(Node.IDC, "link", "add", IDC_LAN_IF, "type", "bridge", "mcast_snooping", "0");
        ip(Node.IDC, "-6", "addr", "add", Plan.IDC_LAN6 + "/64", "dev", IDC_LAN_IF, "nodad");
        ip(Node.IDC, "link", "set", IDC_LAN_IF, "up");
        ip(Node.IDC, "-6", "route", "add", Plan.POOL6, "via", Plan.BR_IDC6);

        // the IPv6-only nodes on the LAN
        for (Node n : List.of(Node.ER_A, Node.ER_B, Node.V6SRV)) {
            String port = "p-" + n.id;
            sysctl(Node.IDC, "net.ipv6.conf.default.disable_ipv6=1");   // bridge ports need no address
            veth(Node.IDC, port, n, NODE_IF);
            sysctl(Node.IDC, "net.ipv6.conf.default.disable_ipv6=0");
            ip(Node.IDC, "link", "set", port, "master", IDC_LAN_IF);
            String addr = switch (n) {
                case ER_A -> Plan.ER_A_NODE6;
                case ER_B -> Plan.ER_B_NODE6;
                default -> Plan.V6SRV6;
            };
            ip(n, "-6", "addr", "add", addr + "/64", "dev", NODE_IF, "nodad");
            ip(n, "-6", "route", "add", "default", "via", Plan.IDC_LAN6);
        }

        // every link works before any translator runs
        Shell.run(List.of("ip", "netns", "exec", ns(Node.CLIENT), "ping", "-c", "1", "-W", "3", Plan.BR_INET4), 10)
                .check();
        for (String a : List.of(Plan.IDC_TO_BR6, Plan.ER_A_NODE6, Plan.ER_B_NODE6, Plan.V6SRV6)) {
            Shell.run(List.of("ip", "netns", "exec", ns(Node.BR), "ping", "-6", "-c", "1", "-W", "3", a), 10).check();
        }
        progress("lab " + prefix + ": 6 namespaces up (" + dir + ")");
    }

    /** A veth pair from {@code a}'s {@code aIf} to {@code b}'s {@code bIf}, both up. */
    private void veth(Node a, String aIf, Node b, String bIf) {
        ip(a, "link", "add", aIf, "type", "veth", "peer", "name", bIf, "netns", ns(b));
        ip(a, "link", "set", aIf, "up");
        ip(b, "link", "set", bIf, "up");
    }

    /** {@code ip -n NS ARGS}, which must succeed. */
    public Shell.Result ip(Node n, String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", ns(n)));
        cmd.addAll(List.of(args));
        return Shell.run(cmd, 30).check();
    }

    /** {@code sysctl -qw SETTINGS} in {@code n}. */
    public void sysctl(Node n, String... settings) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns(n), "sysctl", "-qw"));
        cmd.addAll(List.of(settings));
        Shell.run(cmd, 30).check();
    }

    /** Sets the MTU of the BR <-> IDC router link, both ends (the "narrow IDC link" of the PMTUD checks). */
    public void setIdcLinkMtu(int mtu) {
        ip(Node.BR, "link", "set", BR_IDC_IF, "mtu", Integer.toString(mtu));
        ip(Node.IDC, "link", "set", IDC_BR_IF, "mtu", Integer.toString(mtu));
        idcMtu = mtu;
    }

    public int idcLinkMtu() {
        return idcMtu;
    }

    /** Forgets every learnt path MTU (and other cached routes) in every namespace. */
    public void flushRouteCaches() {
        for (Node n : Node.values()) {
            Shell.run(List.of("ip", "-n", ns(n), "-4", "route", "flush", "cache"), 10);
            if (n != Node.CLIENT) Shell.run(List.of("ip", "-n", ns(n), "-6", "route", "flush", "cache"), 10);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // commands and processes inside the namespaces

    /** Runs {@code cmd} in {@code n} to completion. */
    public Shell.Result exec(Node n, int timeoutSeconds, String... cmd) {
        return exec(n, timeoutSeconds, List.of(cmd));
    }

    public Shell.Result exec(Node n, int timeoutSeconds, List<String> cmd) {
        return execIn(ns(n), timeoutSeconds, cmd);
    }

    /** Runs {@code cmd} to completion in the namespace named {@code fullNs} (this lab's or {@link NetworkLab}'s). */
    static Shell.Result execIn(String fullNs, int timeoutSeconds, List<String> cmd) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", fullNs));
        full.addAll(cmd);
        return Shell.run(full, timeoutSeconds);
    }

    /** Starts {@code cmd} in {@code n} in the background; its output goes to logs/NAME.log. */
    public LabProcess spawn(Node n, String name, List<String> cmd) {
        LabProcess p = startIn(ns(n), name, cmd);
        processes.add(p);
        return p;
    }

    /**
     * Starts {@code cmd} in the background in the namespace named {@code fullNs}, its output to logs/NAME.log
     * (NAME-2.log, ... when that exists). The caller keeps it, to stop it on close.
     */
    LabProcess startIn(String fullNs, String name, List<String> cmd) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", fullNs));
        full.addAll(cmd);
        String file = name.replaceAll("[^A-Za-z0-9._-]", "_");
        Path log = dir.resolve("logs").resolve(file + ".log");
        for (int i = 2; Files.exists(log); i++) log = dir.resolve("logs").resolve(file + "-" + i + ".log");
        return LabProcess.start(name, full, log);
    }

    /** The command line of a short-lived lab JVM ({@link LabApp}, {@link RawSend}); IPv4-only: AF_INET sockets. */
    public List<String> javaCommand(boolean ipv4Only, Class<?> main, String... args) {
        return javaCommand(ipv4Only, main.getName(), args);
    }

    /** {@link #javaCommand(boolean, Class, String...)} of a main class named {@code main}. */
    public List<String> javaCommand(boolean ipv4Only, String main, String... args) {
        List<String> cmd = new ArrayList<>(List.of(options.java(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Xshare:auto", "-Xmx96m", "-XX:-UsePerfData", "--enable-native-access=ALL-UNNAMED"));
        if (ipv4Only) cmd.add("-Djava.net.preferIPv4Stack=true");
        cmd.addAll(List.of("-cp", options.classpath(), main));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Runs a lab JVM in {@code n} to completion. */
    public Shell.Result runJava(Node n, int timeoutSeconds, boolean ipv4Only, Class<?> main, String... args) {
        return exec(n, timeoutSeconds, javaCommand(ipv4Only, main, args));
    }

    /** Starts a lab JVM in {@code n} in the background. */
    public LabProcess spawnJava(Node n, String name, boolean ipv4Only, Class<?> main, String... args) {
        return spawn(n, name, javaCommand(ipv4Only, main, args));
    }

    /**
     * Starts a capture in {@code n} on {@code iface} (AF_PACKET and a classic BPF filter, no tcpdump: see
     * {@link PacketCapture}); returns once it listens. {@code filter}: a tcpdump expression of
     * {@link CaptureFilters}, or blank for everything.
     */
    public Capture capture(Node n, String iface, String filter) {
        return Capture.start(this, n, iface, filter);
    }

    /** A {@link PacketCapture} in the namespace named {@code fullNs}, stopped by {@link #close()} if nobody did. */
    PacketCapture startCapture(String fullNs, String iface, String filter, int snapLength, Path file, String where) {
        PacketCapture c = PacketCapture.start(fullNs, iface, filter, snapLength, file, where);
        captures.add(c);
        return c;
    }

    // ------------------------------------------------------------------------------------------------
    // translators and apps

    /** Starts the BR, ER A and ER B (all three at once) and waits until each is ready. */
    public void startRelays() {
        startRelays(Node.BR, Node.ER_A, Node.ER_B);
        progress("relays up: BR (" + br().impl() + "), ER A and ER B (" + erA().impl() + ")");
    }

    /** Starts the relays of {@code nodes} at once and waits until each is ready. */
    public void startRelays(Node... nodes) {
        List<HostRelay> all = java.util.Arrays.stream(nodes).map(this::relay).toList();
        for (HostRelay r : all) r.launch();
        for (HostRelay r : all) r.awaitReady();
    }

    /**
     * Makes {@code impl} the BR: stops the BR that runs (if it is another implementation) and starts the new
     * one in the same namespace. The ERs keep running.
     */
    public HostRelay useBr(Impl impl) {
        HostRelay old = relays.get(Node.BR);
        if (old.impl() == impl && old.running()) return old;
        if (old.running()) {
            int status = old.stop();
            if (status != 0 && old.impl() == Impl.SIITDC) {
                throw new LabException("BR (siitdc) exited with status " + status + " on SIGTERM; its output:\n"
                        + old.process().tail(30));
            }
        }
        HostRelay r = new HostRelay(this, Node.BR, impl);
        relays.put(Node.BR, r);
        r.start();
        progress("BR is now " + impl);
        return r;
    }

    /** Stops every relay that runs; returns their exit statuses by node. */
    public Map<Node, Integer> stopRelays() {
        Map<Node, Integer> out = new EnumMap<>(Node.class);
        for (HostRelay r : relays.values()) {
            if (r.running()) out.put(r.node(), r.stop());
        }
        return out;
    }

    /** The lab's apps, started by {@link #startServices()}. */
    public record Services(LabProcess client, LabProcess appA, LabProcess appB, LabProcess v6srv,
                           LabProcess iperfA) {}

    private Services services;

    /**
     * Starts the apps: on ER A and ER B an IPv4-only TCP + UDP responder ({@link LabApp} serve, AF_INET
     * sockets) on each IPv4 Service Address; the same on the client (for connections the other way) and,
     * IPv6, on the IPv6 server; iperf3 -s on ER A's Service Address when iperf3 is installed. The relays
     * must run (the ERs assign the addresses the apps bind).
     */
    public Services startServices() {
        if (services != null) return services;
        String p = ":" + Plan.APP_PORT;
        LabProcess client = spawnJava(Node.CLIENT, "app-client", true, LabApp.class, "serve",
                "--tcp", Plan.CLIENT4 + p, "--udp", Plan.CLIENT4 + p);
        LabProcess a = spawnJava(Node.ER_A, "app-era", true, LabApp.class, "serve",
                "--tcp", Plan.A.v4() + p, "--udp", Plan.A.v4() + p, "--tcp", Plan.A2.v4() + p, "--udp", Plan.A2.v4() + p);
        LabProcess b = spawnJava(Node.ER_B, "app-erb", true, LabApp.class, "serve",
                "--tcp", Plan.B.v4() + p, "--udp", Plan.B.v4() + p, "--tcp", Plan.B2.v4() + p, "--udp", Plan.B2.v4() + p);
        LabProcess s = spawnJava(Node.V6SRV, "app-v6srv", false, LabApp.class, "serve",
                "--tcp", "[" + Plan.V6SRV6 + "]" + p, "--udp", "[" + Plan.V6SRV6 + "]" + p);
        LabProcess iperf = null;
        if (Shell.has("iperf3")) {
            iperf = spawn(Node.ER_A, "iperf3-server-era", List.of("iperf3", "-s", "--forceflush", "-B", Plan.A.v4(),
                    "-p", Integer.toString(Plan.IPERF_PORT)));
        }
        for (LabProcess x : List.of(client, a, b, s)) x.awaitLine("ready"::equals, 20_000, "ready");
        if (iperf != null) iperf.awaitLine(l -> l.contains("Server listening"), 10_000, "listening");
        services = new Services(client, a, b, s, iperf);
        progress("apps up: IPv4-only responders on " + Plan.A.v4() + ", " + Plan.A2.v4() + " (ER A), " + Plan.B.v4()
                + ", " + Plan.B2.v4() + " (ER B), " + Plan.CLIENT4 + " (client); IPv6 responder on " + Plan.V6SRV6);
        return services;
    }

    public Services services() {
        if (services == null) throw new IllegalStateException("startServices() first");
        return services;
    }

    // ------------------------------------------------------------------------------------------------
    // teardown

    /** Leaves everything running at {@link #close()}, for exploration; {@link #cleanupStale(boolean)} with true removes it. */
    public void keep() {
        try {
            Files.writeString(dir.resolve(KEPT_MARKER), "kept by pid " + ProcessHandle.current().pid() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        kept = true;
    }

    public boolean kept() {
        return kept;
    }

    /** Makes {@link #close()} leave the lab's directory (configurations, logs, captures) for a post-mortem. */
    public void keepFilesOnClose() {
        keepFiles = true;
    }

    /**
     * Stops the relays (SIGTERM, so they undo what they configured), kills every other process of the lab,
     * deletes the namespaces and the lab's directory. Idempotent; never throws; does nothing after
     * {@link #keep()} but unregister the shutdown hook.
     */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: we are the hook
        }
        if (kept) return;
        LabRelay.stopAll(relays.values(), "lab teardown");
        LabProcess.stopAll(processes);
        List<PacketCapture> open;
        synchronized (captures) {
            open = List.copyOf(captures);
        }
        for (PacketCapture c : open) c.abort();
        removeNamespaces(prefix);
        if (!keepFiles) deleteTree(dir);
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException e) {
            System.err.println("lab teardown: " + e);
        }
    }

    /** The namespaces of the lab {@code labPrefix} that exist now. */
    static List<String> namespaces(String labPrefix) {
        return listNamespaces().stream().filter(n -> n.startsWith(labPrefix + "-")).toList();
    }

    private static List<String> listNamespaces() {
        Shell.Result r = Shell.run(10, "ip", "netns", "list");
        if (!r.ok()) return List.of();
        return r.out().lines().map(l -> l.split("\\s+")[0]).filter(s -> !s.isBlank()).toList();
    }

    /** Kills whatever runs in the namespaces of {@code labPrefix} and deletes them. */
    private static void removeNamespaces(String labPrefix) {
        List<String> names = namespaces(labPrefix);
        for (int round = 0; round < 2; round++) {
            for (String ns : names) {
                Shell.Result pids = Shell.run(10, "ip", "netns", "pids", ns);
                for (String pid : pids.out().split("\\s+")) {
                    if (!pid.matches("\\d+")) continue;
                    Optional<ProcessHandle> h = ProcessHandle.of(Long.parseLong(pid));
                    if (round == 0) h.ifPresent(ProcessHandle::destroy);
                    else h.ifPresent(ProcessHandle::destroyForcibly);
                }
            }
            if (round == 0) Shell.sleep(300);
        }
        for (String ns : names) {
            Shell.Result r = Shell.run(20, "ip", "netns", "delete", ns);
            if (!r.ok()) System.err.println("lab teardown: ip netns delete " + ns + ": " + r.out().strip());
        }
    }

    /**
     * Removes the namespaces and directories of labs whose process is dead (a killed test, a crashed demo).
     * Labs left by {@code demo --keep} are removed only when {@code includeKept}. Returns the prefixes removed.
     */
    public static List<String> cleanupStale(boolean includeKept) {
        List<String> removed = new ArrayList<>();
        java.util.Set<String> prefixes = new java.util.TreeSet<>();
        for (String ns : listNamespaces()) {
            Matcher m = NS_NAME.matcher(ns);
            if (m.matches()) prefixes.add(m.group(1));
        }
        if (Files.isDirectory(ROOT)) {
            try (Stream<Path> s = Files.list(ROOT)) {
                s.map(p -> p.getFileName().toString()).filter(n -> n.matches("sdc-\\d+-\\d+")).forEach(prefixes::add);
            } catch (IOException e) {
                // nothing to clean there
            }
        }
        long self = ProcessHandle.current().pid();
        for (String p : prefixes) {
            long owner = Long.parseLong(p.split("-")[1]);
            boolean ownerAlive = owner == self || ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false);
            if (ownerAlive) continue;
            if (!includeKept && Files.exists(ROOT.resolve(p).resolve(KEPT_MARKER))) continue;
            removeNamespaces(p);
            deleteTree(ROOT.resolve(p));
            removed.add(p);
        }
        return removed;
    }

    /** Removes the lab {@code labPrefix} (sdc-PID-N), whoever made it: its processes, namespaces and directory. */
    public static void remove(String labPrefix) {
        if (!labPrefix.matches("sdc-\\d+-\\d+")) throw new IllegalArgumentException("not a lab prefix: " + labPrefix);
        removeNamespaces(labPrefix);
        deleteTree(ROOT.resolve(labPrefix));
    }

    /** The labs that exist now (namespaces present), kept ones included. */
    public static List<String> existingLabs() {
        java.util.Set<String> prefixes = new java.util.TreeSet<>();
        for (String ns : listNamespaces()) {
            Matcher m = NS_NAME.matcher(ns);
            if (m.matches()) prefixes.add(m.group(1));
        }
        return List.copyOf(prefixes);
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) return;
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort
                }
            });
        } catch (IOException e) {
            // best effort
        }
    }
}
