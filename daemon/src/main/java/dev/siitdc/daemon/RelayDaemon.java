package dev.siitdc.daemon;

import dev.siitdc.dataplane.RelayCounter;
import dev.siitdc.dataplane.RelayCounters;
import dev.siitdc.dataplane.RelayFilter;
import dev.siitdc.dataplane.Role;
import dev.siitdc.dataplane.ServiceAddress;
import dev.siitdc.dataplane.StopSignal;
import dev.siitdc.dataplane.TunLinkCounter;
import dev.siitdc.dataplane.Worker;
import dev.siitdc.dataplane.fastpath.FastPath;
import dev.siitdc.dataplane.fastpath.FastPathCounter;

import dev.siitdc.core.addr.Ipv4Prefix;
import dev.siitdc.core.addr.Ipv6Prefix;
import dev.siitdc.core.config.TranslatorConfig;
import dev.siitdc.core.xlat.Counter;
import dev.siitdc.core.xlat.Counters;
import dev.siitdc.core.xlat.Settings;
import dev.siitdc.core.xlat.SettingsRef;
import dev.siitdc.linux.Cleanup;
import dev.siitdc.linux.LinuxException;
import dev.siitdc.linux.LinkStats;
import dev.siitdc.linux.Rtnetlink;
import dev.siitdc.linux.Sysctl;
import dev.siitdc.linux.UdpSocket;
import dev.siitdc.daemon.dhcp.DhcpConfig;
import dev.siitdc.daemon.dhcp.DhcpCounter;
import dev.siitdc.daemon.dhcp.DhcpCounters;
import dev.siitdc.daemon.dhcp.DhcpReply;
import dev.siitdc.daemon.dhcp.DhcpServer;
import dev.siitdc.daemon.dhcp.LeaseStore;
import dev.siitdc.dataplane.log.DropLog;
import dev.siitdc.dataplane.log.Level;
import dev.siitdc.dataplane.log.LogWriter;
import dev.siitdc.dataplane.log.RateLimitedLog;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The running daemon: the kernel configuration of {@link NetworkSetup} and one {@link Worker} thread
 * per TUN queue, all sharing one {@link SettingsRef}.
 *
 * <pre>{@code
 * StopSignal stop = new StopSignal();          // raised by signal handlers, a failing worker...
 * RelayDaemon relay = RelayDaemon.start(relayConfig, translatorConfig, stop, err);
 * while (!stop.await(1000)) relay.writeStatsFile();
 * List<Cleanup.Failure> f = relay.shutdown();  // workers stopped, everything undone
 * }</pre>
 */
public final class RelayDaemon {
    /** How long {@link #shutdown()} waits for each worker. */
    static final long JOIN_MILLIS = 5_000;

    private final RelayConfig config;
    private final TranslatorConfig translator;
    private final List<ServiceAddress> serviceAddresses;
    private final NetworkSetup.Done setup;
    private final Cleanup undo;
    private final StopSignal stop;
    private final PrintWriter err;
    private final List<Worker> workers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final long startNanos = System.nanoTime();
    private final long startMillis = System.currentTimeMillis();
    /** Warnings that may come in floods (the workers'), limited per kind: 10 a minute after 5 at once. */
    private final RateLimitedLog warnings;
    /** Per-packet drop logging ({@link #setDropLogging}), 10 lines a second per reason after 20 at once. */
    private final DropLog dropLog;
    private List<Cleanup.Failure> undoFailures;
    /** Runtime changes of the translator configuration (control socket, SIGHUP); set with the workers. */
    private LiveConfig live;
    /** The segment's DHCPv4 server (network-based Edge Relay), or null. */
    private DhcpService dhcp;
    /** What start-up changed, for the next start after a crash; deleted by {@link #shutdown()} when all is undone. */
    private StateFile state = StateFile.none();
    /** The start-up's netlink socket, kept to read the TUN link's counters ({@link #tunLinkStats}). */
    private Rtnetlink rtnl;
    /** The kernel fast path in use (attached, its maps filled), or null: every packet takes the TUN. */
    private FastPath fastPath;
    /** The fast path's counters read just before {@link #shutdown()} unloaded it (the stop's counter lines). */
    private java.util.Map<FastPathCounter, Long> fastPathFinal;

    private RelayDaemon(RelayConfig config, List<ServiceAddress> sas, NetworkSetup.Done setup, Cleanup undo, StopSignal stop,
            PrintWriter err) {
        this.config = config;
        this.translator = setup.translator();
        this.serviceAddresses = sas;
        this.setup = setup;
        this.undo = undo;
        this.stop = stop;
        this.err = err;
        this.warnings = new RateLimitedLog(err, 10, 5);
        this.dropLog = new DropLog(new RateLimitedLog(err, 600, 20));
    }

    /**
     * Configures the kernel and starts the workers. On failure everything done is undone first.
     *
     * @param stop raised by whoever wants the relay to stop; a failing worker raises it too
     * @param err where warnings go
     * @throws StartupException with an operator-facing message (its key names the {@code [relay]} key
     *         to blame, when there is one)
     */
    public static RelayDaemon start(RelayConfig rc, TranslatorConfig tc, StopSignal stop, PrintWriter err)
            throws StartupException {
        return start(rc, tc, stop, err, StateFile.none());
    }

    /**
     * {@link #start(RelayConfig, TranslatorConfig, StopSignal, PrintWriter)}, each change recorded in {@code state}
     * as it is made ({@link CrashRecovery#recoverAndStart} gives it; the caller deletes it when start-up fails,
     * {@link #shutdown()} when everything was undone).
     */
    public static RelayDaemon start(RelayConfig rc, TranslatorConfig tc, StopSignal stop, PrintWriter err, StateFile state)
            throws StartupException {
        List<ServiceAddress> sas;
        try {
            sas = rc.role() == Role.EDGE_RELAY ? ServiceAddress.resolveAll(rc.serviceAddresses(),
                    Settings.compile(tc).eamTable()) : List.of();
        } catch (IllegalArgumentException e) {
            throw new StartupException("service-addresses", e.getMessage(), e);
        }
        int queues = rc.effectiveQueues();
        Cleanup undo = new Cleanup();
        try {
            prepareFile(rc.statsFile(), "stats-file");
            if (rc.networkBased() && rc.segment().dhcp()) {
                prepareFile(rc.segment().effectiveLeaseFile(rc.tunName()), "dhcp-lease-file");
            }
            Rtnetlink rtnl = undo.pushClose("close the netlink socket", Rtnetlink.open());
            NetworkSetup.Done done = NetworkSetup.apply(rc, tc, sas, queues, rtnl, new Sysctl(), undo, state,
                    w -> warn(err, w));
            RelayDaemon relay = new RelayDaemon(rc, sas, done, undo, stop, err);
            relay.state = state;
            relay.rtnl = rtnl;
            java.io.IOException unwritten = state.takeFailure();
            if (unwritten != null) {
                warn(err, "cannot write the state file " + state.path() + ": " + unwritten + " (after a crash, the next"
                        + " start could not undo this set-up)");
            }
            if (rc.networkBased() && rc.segment().dhcp()) {
                relay.dhcp = relay.dhcpService(undo, rtnl);
            }
            relay.startWorkers();
            relay.fastPath = RelayFastPathStart.start(rc, relay.translator, rtnl, undo, err);
            if (relay.fastPath != null) relay.live.onChange(c -> RelayFastPathStart.follow(relay.fastPath, c, err));
            relay.counterLines();   // loads the stats path's classes now: out of descriptors later, loading fails
            return relay;
        } catch (StartupException e) {
            throw undo.abort(e);
        } catch (LinuxException e) {
            throw undo.abort(new StartupException(null, "start-up failed: " + e.getMessage(), e));
        } catch (IOException e) {
            throw undo.abort(new StartupException(null, "start-up failed: " + e, e));
        } catch (RuntimeException e) {
            throw undo.abort(e);
        } catch (Error e) {
            throw undo.abort(e);
        }
    }

    private void startWorkers() {
        SettingsRef ref = new SettingsRef(Settings.compile(translator));
        live = LiveConfig.of(config, serviceAddresses, setup,
                "own-ipv6-address".equals(setup.ownIpv6Origin()) ? null : translator.ownIpv6Address(), ref, undo, state);
        RelayFilter filter = RelayFilter.of(config.role(), config.networkBased(), serviceAddresses);
        int n = setup.tun().queues().size();
        for (int q = 0; q < n; q++) {
            Worker w = new Worker(q, setup.tun().queue(q), ref, filter, config.icmpRateLimiter(n), stop, err);
            w.logging(dropLog.probe(q, w.translatorCounters(), w.relayCounters()), warnings);
            Thread t = Thread.ofPlatform().name("siitdc-worker-" + q).daemon(true).unstarted(w);
            workers.add(w);
            threads.add(t);
        }
        if (dhcp != null) {
            threads.add(Thread.ofPlatform().name("siitdc-dhcp").daemon(true).unstarted(dhcp));
        }
        threads.forEach(Thread::start);
    }

    /**
     * The segment's DHCPv4 server (RFC 7756 Appendix A.1): the leases of the lease file restored, the
     * server port of the segment's layer-3 interface open. Started with the workers.
     */
    private DhcpService dhcpService(Cleanup undo, Rtnetlink rtnl) throws StartupException, LinuxException {
        SegmentConfig seg = config.segment();
        DhcpConfig cfg;
        try {
            cfg = seg.dhcpConfig(config.serviceAddresses(), translator.lowestIpv6Mtu());
        } catch (IllegalArgumentException e) {
            throw new StartupException("dhcp", e.getMessage(), e);
        }
        DhcpServer server = new DhcpServer(cfg, new LeaseStore(seg.effectiveLeaseFile(config.tunName())),
                w -> warnings.log("dhcp", Level.WARNING, "siitdc: warning: dhcp: " + w));
        String device = setup.segment().name();
        UdpSocket socket;
        try {
            socket = UdpSocket.open(device, DhcpReply.SERVER_PORT);
        } catch (LinuxException e) {
            throw new StartupException("dhcp", "cannot listen on UDP port " + DhcpReply.SERVER_PORT + " of " + device
                    + ": " + e.getMessage() + (e.errno() == dev.siitdc.linux.Errno.EADDRINUSE
                    ? " (another DHCP server runs on this node: stop it, or set dhcp = false)" : ""), e);
        }
        undo.pushClose("close the DHCP socket on " + device, socket);
        return new DhcpService(server, socket, device, setup.segment().index(), rtnl, stop, warnings);
    }

    /** Creates the directory of the file {@code key} names (nothing for null), and refuses a directory. */
    private static void prepareFile(Path file, String key) throws StartupException {
        if (file == null) {
            return;
        }
        Path parent = file.toAbsolutePath().getParent();
        try {
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new StartupException(key, "cannot create the directory " + parent + ": " + e, e);
        }
        if (Files.isDirectory(file)) {
            throw new StartupException(key, file + " is a directory");
        }
    }

    /** The one-line start-up summary. */
    public String summary() {
        TranslatorConfig tc = translator;
        StringBuilder sb = new StringBuilder("siitdc: ").append(config.role()).append(" on ").append(setup.tun().name())
                .append(": ").append(workers.size()).append(workers.size() == 1 ? " queue" : " queues")
                .append(", tun mtu ").append(setup.tunMtu());
        if (setup.ipv4RouteMtu() != 0) {
            sb.append(", ipv4 route mtu ").append(setup.ipv4RouteMtu());
        }
        sb.append(", ipv4-mtu ").append(tc.ipv4Mtu()).append(", ipv6-mtu ").append(tc.ipv6Mtu())
                .append(", lowest-ipv6-mtu ").append(tc.lowestIpv6Mtu())
                .append(", pool6 ").append(tc.pool6() == null ? "none" : tc.pool6())
                .append(", ").append(tc.eamt().size()).append(tc.eamt().size() == 1 ? " EAM" : " EAMs");
        if (config.role() == Role.EDGE_RELAY) {
            sb.append(", service addresses ").append(serviceAddresses.stream().map(ServiceAddress::toString)
                    .collect(Collectors.joining(" ")));
            sb.append(", upstream ").append(setup.upstreamName() == null ? "none" : setup.upstreamName() + " (proxy NDP)");
            SegmentConfig seg = config.segment();
            if (seg != null) {
                sb.append(", segment ").append(setup.segment().name()).append(' ')
                        .append(Ipv4Prefix.format(seg.address())).append('/').append(seg.prefixLength());
                if (seg.interfaceName().equals(config.upstreamInterface())) {
                    sb.append(" (on a stick)");
                }
                if (!seg.nextHops().isEmpty()) {
                    sb.append(", via next hops ").append(seg.nextHops().entrySet().stream()
                            .map(e -> Ipv4Prefix.format(e.getKey()) + " via " + Ipv4Prefix.format(e.getValue()))
                            .collect(Collectors.joining(" ")));
                }
                sb.append(", dhcp ").append(dhcp == null ? "off" : seg.dhcpPool(config.serviceAddresses()).length
                        + " addresses, mtu " + DhcpConfig.interfaceMtuFor(translator.lowestIpv6Mtu()) + ", leases "
                        + seg.effectiveLeaseFile(config.tunName()));
            }
        }
        sb.append(", own-ipv4 ").append(Ipv4Prefix.format(tc.ownIpv4Address() != null ? tc.ownIpv4Address()
                : Settings.IPV4_DUMMY_ADDRESS));
        if (tc.ownIpv4Address() == null) {
            sb.append(" (RFC 7600 default)");
        }
        Ipv6Prefix own6 = tc.ownIpv6Address();
        sb.append(", own-ipv6 ").append(own6 == null ? "none" : Ipv6Prefix.format(own6.hi(), own6.lo())
                + ("own-ipv6-address".equals(setup.ownIpv6Origin()) ? "" : " (" + setup.ownIpv6Origin() + ")"));
        sb.append(", icmp errors ").append(config.icmpErrorsPerSecond() < 0 ? "unlimited"
                : config.icmpErrorsPerSecond() == 0 ? "off"
                : config.icmpErrorsPerSecond() + "/s burst " + config.icmpErrorsBurst());
        if (config.statsFile() != null) {
            sb.append(", stats ").append(config.statsFile());
        }
        for (String note : setup.notes()) {
            sb.append("; ").append(note);
        }
        return sb.toString();
    }

    /** The translator configuration as it runs now, changed at run time through {@link LiveConfig}. */
    public LiveConfig live() {
        return live;
    }

    /** The local Service Addresses (an Edge Relay's), empty for a Border Relay. */
    public List<ServiceAddress> serviceAddresses() {
        return serviceAddresses;
    }

    /** The configuration start-up put in force (own-ipv6-address filled in when start-up found one). */
    public TranslatorConfig translatorConfig() {
        return translator;
    }

    public RelayConfig config() {
        return config;
    }

    public String tunName() {
        return setup.tun().name();
    }

    /** The number of worker threads (TUN queues). */
    public int queues() {
        return workers.size();
    }

    /** The first worker failure (or the DHCP server's), or null. */
    public Throwable failure() {
        for (Worker w : workers) {
            if (w.failure() != null) {
                return w.failure();
            }
        }
        return dhcp == null ? null : dhcp.failure();
    }

    /** The data plane's own health (the systemd watchdog's): no failure, every worker thread alive. */
    public boolean healthy() {
        return failure() == null && !threads.isEmpty() && threads.stream().allMatch(Thread::isAlive);
    }

    /** The segment DHCP server's counters, or null when it does not run. */
    public DhcpCounters dhcpCounters() {
        return dhcp == null ? null : dhcp.counters();
    }

    /** The value of one DHCP counter (0 when the server does not run). */
    public long get(DhcpCounter c) {
        return dhcp == null ? 0 : dhcp.counters().get(c);
    }

    /** Seconds since start. */
    public double uptimeSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /**
     * The non-zero counters summed over the workers, as {@code name value} lines: the translator's
     * ({@link Counter}) first, then the relay's ({@link RelayCounter}), then the DHCP server's
     * ({@link DhcpCounter}), each in declaration order, then the fast path's ({@code fast-path-}
     * {@link FastPathCounter}), then the kernel's of the TUN link ({@link TunLinkCounter}).
     */
    public List<String> counterLines() {
        Counters total = new Counters();
        RelayCounters relay = new RelayCounters();
        for (Worker w : workers) {
            w.translatorCounters().addTo(total);
            w.relayCounters().addTo(relay);
        }
        List<String> lines = new ArrayList<>();
        total.forEachNonZero((c, v) -> lines.add(c.operatorName() + " " + v));
        relay.forEachNonZero((c, v) -> lines.add(c.operatorName() + " " + v));
        if (dhcp != null) {
            dhcp.counters().forEachNonZero((c, v) -> lines.add(c.operatorName() + " " + v));
        }
        fastPathCounters().forEach((c, v) -> {
            if (v != 0) lines.add("fast-path-" + c.metricName() + " " + v);
        });
        LinkStats link = tunLinkStats();
        if (link != null) {
            for (TunLinkCounter c : TunLinkCounter.values()) {
                if (c.of(link) != 0) {
                    lines.add(c.operatorName() + " " + c.of(link));
                }
            }
        }
        return lines;
    }

    /** The kernel fast path in use, or null. */
    public FastPath fastPath() {
        return fastPath;
    }

    /** The fast path's counters summed over the CPUs; empty when it is not in use or cannot be read. */
    public java.util.Map<FastPathCounter, Long> fastPathCounters() {
        FastPath fp = fastPath;
        if (fp == null) return java.util.Map.of();
        synchronized (this) {
            if (fastPathFinal != null) return fastPathFinal;
        }
        try {
            return fp.counters();
        } catch (dev.siitdc.linux.bpf.BpfException | RuntimeException e) {
            return java.util.Map.of();
        }
    }

    /**
     * The kernel's counters of the TUN link ({@link TunLinkCounter}), read now with one netlink request;
     * null when they cannot be read (the TUN is gone, the relay is shut down).
     */
    public LinkStats tunLinkStats() {
        Rtnetlink r = rtnl;
        if (r == null || isShutDown()) {
            return null;
        }
        try {
            return r.linkStats(setup.tun().ifindex());
        } catch (LinuxException | RuntimeException e) {
            return null;
        }
    }

    /** Adds the counters of every worker into {@code total} and {@code relay} (for the metrics endpoint). */
    public void addCountersTo(Counters total, RelayCounters relay) {
        for (Worker w : workers) {
            w.translatorCounters().addTo(total);
            w.relayCounters().addTo(relay);
        }
    }

    /** When the relay started, in milliseconds since the epoch. */
    public long startTimeMillis() {
        return startMillis;
    }

    /**
     * Switches per-packet drop logging on or off, at once for every worker: while it is on, each dropped
     * packet is logged as one line on the error stream with its reason (the counter's name) and addresses,
     * at most 10 a second per reason (the rest counted as suppressed). Off, it costs the workers one
     * volatile read per packet. Says so on the error stream when it changes anything.
     *
     * @return whether it was on
     */
    public boolean setDropLogging(boolean on) {
        boolean was;
        synchronized (dropLog) {
            was = dropLog.setEnabled(on);
        }
        if (was != on) {
            LogWriter.log(err, Level.NOTICE, "siitdc: drop logging " + (on ? "on" : "off"));
        }
        return was;
    }

    /** Whether per-packet drop logging is on. */
    public boolean dropLogging() {
        return dropLog.enabled();
    }

    /** Switches drop logging on if it was off, off if it was on (SIGUSR1); returns the new state. */
    public boolean toggleDropLogging() {
        boolean on;
        synchronized (dropLog) {
            on = !dropLog.enabled();
            dropLog.setEnabled(on);
        }
        LogWriter.log(err, Level.NOTICE, "siitdc: drop logging " + (on ? "on" : "off"));
        return on;
    }

    /**
     * Reports the warnings and drop lines suppressed by the rate limits, for the kinds that may log again;
     * the daemon calls it every second.
     */
    public void reportSuppressedLogs() {
        warnings.reportSuppressed();
        dropLog.log().reportSuppressed();
    }

    /** The value of one relay counter summed over the workers. */
    public long get(RelayCounter c) {
        return workers.stream().mapToLong(w -> w.relayCounters().get(c)).sum();
    }

    /** The value of one translator counter summed over the workers. */
    public long get(Counter c) {
        return workers.stream().mapToLong(w -> w.translatorCounters().get(c)).sum();
    }

    /**
     * Rewrites the stats file, if one is configured, with {@link #counterLines()}: written beside it
     * and renamed over it, so that a reader never sees half a file.
     */
    public void writeStatsFile() throws IOException {
        Path file = config.statsFile();
        if (file == null) {
            return;
        }
        AtomicText.write(file, counterLines().stream().map(l -> l + "\n").collect(Collectors.joining()));
    }

    /**
     * Stops the workers (raising the stop signal if nobody did), waits for them, then undoes every
     * change start-up made. Idempotent: later calls return the first call's result.
     *
     * @return the undo actions that failed (already reported on the error stream)
     */
    public synchronized List<Cleanup.Failure> shutdown() {
        if (undoFailures != null) {
            return undoFailures;
        }
        stop.request("shutdown");
        if (live != null) {
            live.close();
        }
        for (Thread t : threads) {
            try {
                t.join(JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) {
                warn(err, t.getName() + " did not stop within " + JOIN_MILLIS + " ms; undoing the configuration anyway");
            }
        }
        fastPathFinal = fastPathCounters();   // before the undo unloads the program
        List<Cleanup.Failure> failures = undo.runAll();
        for (Cleanup.Failure f : failures) {
            warn(err, "could not undo: " + f);
        }
        StateFile.finish(state, failures.isEmpty(), err);
        undoFailures = failures;
        return failures;
    }

    /** Whether {@link #shutdown()} has completed. */
    public synchronized boolean isShutDown() {
        return undoFailures != null;
    }

    private static void warn(PrintWriter err, String message) {
        err.println("siitdc: warning: " + message);
        err.flush();
    }
}
