package dev.siitdc.daemon;

import dev.siitdc.core.xlat.Counter;
import dev.siitdc.daemon.config.ConfigError;
import dev.siitdc.daemon.config.DaemonConfig;
import dev.siitdc.daemon.config.DaemonConfigLoader;
import dev.siitdc.daemon.config.NodeAddresses;
import dev.siitdc.daemon.control.DaemonControl;
import dev.siitdc.dataplane.StopSignal;
import dev.siitdc.dataplane.TunDeletedException;
import dev.siitdc.dataplane.log.Level;
import dev.siitdc.dataplane.log.LogWriter;
import dev.siitdc.linux.Cleanup;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The life of {@code siitdc run}: load and check the configuration, undo what a killed daemon left, bind
 * the control socket and the metrics port, start the {@link RelayDaemon}, translate until a signal, then
 * undo every change and print the counters. Each start-up step that fails undoes the steps before it.
 *
 * <p>Returns an {@link ExitStatus}: OK after a signal and a complete clean-up; BAD_INPUT for a bad
 * configuration or a failed start-up (nothing is left changed); PERMISSION_DENIED without root (nothing
 * touched); INTERNAL when a worker failed or something could not be undone.
 */
public final class DaemonProcess {
    private DaemonProcess() {}

    /** How long the shutdown hook waits for the main thread's clean-up. */
    static final long HOOK_WAIT_SECONDS = 15;

    /** Runs the daemon of {@code config}; {@code stdout}/{@code stderr} are the command's streams. */
    public static int run(Path config, PrintWriter stdout, PrintWriter stderr) throws ConfigError {
        NodeAddresses node = NodeAddresses.read();
        DaemonConfig cfg = DaemonConfigLoader.load(config, node);   // check-config's validation
        if (cfg.relay() == null)
            throw new ConfigError(cfg.file(), 1, "relay", "missing: siitdc run needs a [relay] section with"
                    + " role = \"border-relay\" or role = \"edge-relay\"");
        String denied = Privileges.problem();   // before anything is touched, the control socket's directory included
        if (denied != null) {
            stderr.println("siitdc: run: " + denied);
            stderr.flush();
            return ExitStatus.PERMISSION_DENIED;
        }
        boolean journal = LogWriter.journalDetected();   // plain lines, or <N> priorities for the journal
        PrintWriter out = Telemetry.out(stdout, journal);
        PrintWriter err = Telemetry.err(stderr, journal);
        if (node.skipped() != null) LogWriter.log(err, Level.WARNING, "siitdc: warning: " + node.skipped());

        StopSignal stop = new StopSignal();
        StateFile state;         // first: what a killed daemon left is undone (a running one stops this one)
        try {
            state = CrashRecovery.recoverAndStart(cfg.relay(), err);
        } catch (StartupException e) {
            return refuse(cfg, e, err);
        }
        DaemonControl control;   // before start-up: a control socket in use stops a second daemon early
        try {
            control = DaemonControl.bind(cfg, config);
        } catch (StartupException e) {
            deleteState(state, cfg.relay(), err);
            return refuse(cfg, e, err);
        }
        state.add("socket", control.socketPath().toString());
        Telemetry telemetry;     // before start-up too: a metrics port in use stops it before any change
        try {
            telemetry = Telemetry.start(cfg);
        } catch (StartupException e) {
            control.close();
            deleteState(state, cfg.relay(), err);
            return refuse(cfg, e, err);
        }
        // before start-up: a signal then stops at once
        Runnable restoreSignals = Signals.install(stop, () -> control.reload(err), err);
        Runnable undoBinds = () -> {
            control.close();
            telemetry.close();
            restoreSignals.run();
            deleteState(state, cfg.relay(), err);
        };
        RelayDaemon relay;
        try {
            relay = RelayDaemon.start(cfg.relay(), cfg.translator(), stop, err, state);
        } catch (StartupException e) {
            undoBinds.run();
            int status = refuse(cfg, e, err);
            for (Throwable t : e.getSuppressed())
                err.println("siitdc: warning: while undoing the start-up: " + t.getMessage());
            err.flush();
            return status;
        } catch (RuntimeException | Error e) {
            undoBinds.run();
            throw e;
        }
        SystemdNotifier notifier = SystemdNotifier.fromEnvironment(err);
        control.start(relay, out, err, notifier);
        telemetry.attach(relay, err);
        try (notifier) {
            return serve(relay, control, telemetry, stop, notifier, out, err);
        }
    }

    /** How often STATUS= is sent to systemd, in seconds of the main loop. */
    static final int STATUS_SECONDS = 5;

    /** Translates until {@code stop}, then undoes everything and prints the counters. */
    private static int serve(RelayDaemon relay, DaemonControl control, Telemetry telemetry, StopSignal stop,
                             SystemdNotifier notifier, PrintWriter out, PrintWriter err) {
        // The JVM may still end some other way (SIGHUP, System.exit elsewhere): undo on the way out.
        CountDownLatch cleanedUp = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.request("JVM shutdown");
            try {
                if (!cleanedUp.await(HOOK_WAIT_SECONDS, TimeUnit.SECONDS)) relay.shutdown();
            } catch (InterruptedException e) {
                relay.shutdown();
            }
        }, "siitdc-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        LogWriter.log(out, Level.NOTICE, relay.summary() + ", control socket " + control.socketPath()
                + telemetry.summary(relay));
        // sd_notify(3) READY=1: the TUN, addresses, routes are in place and the workers run.
        long translated = translated(relay), since = System.nanoTime();
        notifier.ready(status(relay, 0));
        notifier.startWatchdog(relay::healthy);
        List<Cleanup.Failure> undoFailures;
        try {
            boolean statsFailed = false;
            int tick = 0;
            while (!stop.await(1000)) {
                statsFailed = writeStats(relay, err, statsFailed);
                relay.reportSuppressedLogs();
                if (++tick % STATUS_SECONDS == 0 && notifier.active()) {
                    long now = System.nanoTime(), t = translated(relay);
                    notifier.status(status(relay, (t - translated) * 1e9 / Math.max(1, now - since)));
                    translated = t;
                    since = now;
                }
            }
        } catch (InterruptedException e) {
            stop.request("interrupted");
        } finally {
            notifier.stopping();
            control.close();
            telemetry.close();
            undoFailures = relay.shutdown();
            // A clean stop leaves nothing behind but the lease file: the counters go to stdout below. After
            // a failure the last counters stay in the stats file, for whoever looks into it.
            if (relay.failure() == null && undoFailures.isEmpty()) {
                deleteStats(relay, err);
                removeDefaultDirectory(relay.config());
            } else {
                writeStats(relay, err, false);
            }
            LogWriter.log(out, Level.NOTICE, String.format(Locale.ROOT, "siitdc: stopped (%s) after %.1f s; counters:",
                    stop.reason(), relay.uptimeSeconds()));
            List<String> lines = relay.counterLines();
            if (lines.isEmpty()) out.println("(all zero)");
            lines.forEach(out::println);
            out.flush();
            cleanedUp.countDown();
        }

        Throwable failure = relay.failure();
        if (failure != null) {
            LogWriter.log(err, Level.ERROR, "siitdc: run: " + stop.reason());
            if (!(failure instanceof TunDeletedException)) failure.printStackTrace(err);
            err.flush();
            return ExitStatus.INTERNAL;
        }
        if (!undoFailures.isEmpty()) {
            LogWriter.log(err, Level.ERROR, "siitdc: run: " + undoFailures.size()
                    + " change(s) could not be undone (see the warnings above)");
            err.flush();
            return ExitStatus.INTERNAL;
        }
        return ExitStatus.OK;
    }

    /** The packets translated so far, both ways. */
    private static long translated(RelayDaemon relay) {
        return relay.get(Counter.TRANSLATED46) + relay.get(Counter.TRANSLATED64);
    }

    /** systemd's STATUS=: "border-relay on siit0: 3 EAMs, 120 packets/s translated". */
    static String status(RelayDaemon relay, double packetsPerSecond) {
        int eams = relay.live().eams().size();
        return String.format(Locale.ROOT, "%s on %s: %d EAM%s, %.0f packets/s translated", relay.config().role()
                .configName(), relay.tunName(), eams, eams == 1 ? "" : "s", packetsPerSecond);
    }

    /** A start-up step failed (and undid itself): its reason as FILE:LINE: KEY: REASON where it has a key. */
    private static int refuse(DaemonConfig cfg, StartupException e, PrintWriter err) {
        err.println(e.key() != null ? cfg.error(e.key(), e.reason()).getMessage() : "siitdc: run: " + e.getMessage());
        err.flush();
        return ExitStatus.BAD_INPUT;
    }

    /** A start-up that failed undid everything: its state file goes (and the default directory, if empty). */
    private static void deleteState(StateFile state, RelayConfig rc, PrintWriter err) {
        try {
            state.delete();
        } catch (IOException e) {
            err.println("siitdc: warning: cannot delete the state file " + state.path() + ": " + e);
        }
        removeDefaultDirectory(rc);
    }

    /**
     * The default control socket's directory, /run/siitdc/NETNS, goes once nothing is left in it (another
     * daemon of the namespace may still have its socket there: then it stays).
     */
    static void removeDefaultDirectory(RelayConfig rc) {
        if (rc.controlSocket() != null) return;
        try {
            Files.deleteIfExists(rc.effectiveControlSocket().getParent());
        } catch (IOException e) {
            // not empty (another daemon's files), or not ours to remove: it stays
        }
    }

    /** Removes the stats file, if one is configured. */
    private static void deleteStats(RelayDaemon relay, PrintWriter err) {
        Path file = relay.config().statsFile();
        if (file == null) return;
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            err.println("siitdc: warning: cannot delete the stats file " + file + ": " + e);
        }
    }

    /** Rewrites the stats file; warns about a failure once, until a write succeeds again. */
    private static boolean writeStats(RelayDaemon relay, PrintWriter err, boolean failedBefore) {
        try {
            relay.writeStatsFile();
            return false;
        } catch (IOException | RuntimeException | LinkageError e) {   // LinkageError: no descriptor to load a class
            if (!failedBefore) {
                err.println("siitdc: warning: cannot write the stats file " + relay.config().statsFile() + ": " + e);
                err.flush();
            }
            return true;
        }
    }
}
