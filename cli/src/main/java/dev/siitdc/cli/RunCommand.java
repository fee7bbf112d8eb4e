package dev.siitdc.cli;

import dev.siitdc.daemon.Privileges;
import dev.siitdc.daemon.Signals;
import dev.siitdc.daemon.Telemetry;

import dev.siitdc.daemon.config.ConfigError;
import dev.siitdc.daemon.config.DaemonConfig;
import dev.siitdc.daemon.config.DaemonConfigLoader;
import dev.siitdc.daemon.config.NodeAddresses;
import dev.siitdc.daemon.control.DaemonControl;
import dev.siitdc.linux.Cleanup;
import dev.siitdc.daemon.CrashRecovery;
import dev.siitdc.daemon.RelayDaemon;
import dev.siitdc.daemon.StateFile;
import dev.siitdc.dataplane.TunDeletedException;
import dev.siitdc.daemon.StartupException;
import dev.siitdc.dataplane.StopSignal;
import dev.siitdc.dataplane.log.Level;
import dev.siitdc.dataplane.log.LogWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code siitdc run --config FILE}: the daemon. Creates the TUN and the routes, addresses, proxy entries
 * and sysctls of the {@code [relay]} role (see {@link dev.siitdc.daemon.RelayDaemon}), translates on one thread
 * per TUN queue until SIGTERM or SIGINT, then undoes every change and prints the counters.
 *
 * <p>Exit status: 0 after a signal and a complete clean-up; 2 for a bad configuration, no permission (not
 * root: no CAP_NET_ADMIN) or a start-up that failed (nothing is left changed); 1 when a worker failed or something could not be undone.
 */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Runs the translator as a daemon: a SIIT-DC Border Relay (RFC 7755) or a node-based "
                + "Edge Relay (RFC 7756) on a multi-queue TUN interface, as the [relay] section says.",
                "Prints a one-line summary when it is ready; SIGTERM or SIGINT stops it, undoes every change "
                + "it made (TUN, routes, addresses, proxy NDP entries, sysctls) and prints the counters.",
                "While it runs, siitdc eamt, global and stats manage it through its control socket ([relay] "
                + "control-socket, default /run/siitdc/TUN-NAME.sock, root only), and SIGHUP reloads the "
                + "[translator] and [[eamt]] sections of FILE (a file with a problem is refused and the running "
                + "configuration kept; [relay] changes need a restart).",
                "Needs root (CAP_NET_ADMIN). Exit status: 0 after a signal, 2 for a bad configuration, no "
                + "permission (not root) or a failed start-up, 1 when a worker failed or a change could not be undone."})
public final class RunCommand implements Callable<Integer> {
    /** How long the shutdown hook waits for the main thread's clean-up. */
    static final long HOOK_WAIT_SECONDS = 15;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "the TOML configuration file")
    Path config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws ConfigError {
        NodeAddresses node = NodeAddresses.read();
        DaemonConfig cfg = DaemonConfigLoader.load(config, node);   // check-config's validation
        if (cfg.relay() == null)
            throw new ConfigError(cfg.file(), 1, "relay", "missing: siitdc run needs a [relay] section with"
                    + " role = \"border-relay\" or role = \"edge-relay\"");
        String denied = Privileges.problem();   // before anything is touched, the control socket's directory included
        if (denied != null) {
            PrintWriter e = spec.commandLine().getErr();
            e.println("siitdc: run: " + denied);
            e.flush();
            return ExitStatus.BAD_INPUT;
        }
        boolean journal = LogWriter.journalDetected();   // plain lines, or <N> priorities for the journal
        PrintWriter out = Telemetry.out(spec.commandLine().getOut(), journal);
        PrintWriter err = Telemetry.err(spec.commandLine().getErr(), journal);
        if (node.skipped() != null) LogWriter.log(err, Level.WARNING, "siitdc: warning: " + node.skipped());

        StopSignal stop = new StopSignal();
        StateFile state;         // first: what a killed daemon left is undone (a running one stops this one)
        try {
            state = CrashRecovery.recoverAndStart(cfg.relay(), err);
        } catch (StartupException e) {
            err.println(e.key() != null ? cfg.error(e.key(), e.reason()).getMessage() : "siitdc: run: " + e.getMessage());
            err.flush();
            return ExitStatus.BAD_INPUT;
        }
        DaemonControl control;   // before start-up: a control socket in use stops a second daemon early
        try {
            control = DaemonControl.bind(cfg, config);
        } catch (StartupException e) {
            deleteState(state, err);
            err.println(cfg.error(e.key(), e.reason()).getMessage());
            err.flush();
            return ExitStatus.BAD_INPUT;
        }
        state.add("socket", control.socketPath().toString());
        Telemetry telemetry;     // before start-up too: a metrics port in use stops it before any change
        try {
            telemetry = Telemetry.start(cfg);
        } catch (StartupException e) {
            control.close();
            deleteState(state, err);
            err.println(cfg.error(e.key(), e.reason()).getMessage());
            err.flush();
            return ExitStatus.BAD_INPUT;
        }
        // before start-up: a signal then stops at once
        Runnable restoreSignals = Signals.install(stop, () -> control.reload(err), err);
        RelayDaemon relay;
        try {
            relay = RelayDaemon.start(cfg.relay(), cfg.translator(), stop, err, state);
        } catch (StartupException e) {
            control.close();
            telemetry.close();
            restoreSignals.run();
            deleteState(state, err);
            err.println(e.key() != null ? cfg.error(e.key(), e.reason()).getMessage() : "siitdc: run: " + e.getMessage());
            for (Throwable s : e.getSuppressed())
                err.println("siitdc: warning: while undoing the start-up: " + s.getMessage());
            err.flush();
            return ExitStatus.BAD_INPUT;
        } catch (RuntimeException | Error e) {
            control.close();
            telemetry.close();
            restoreSignals.run();
            deleteState(state, err);
            throw e;
        }
        control.start(relay, out, err);
        telemetry.attach(relay, err);

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
        List<Cleanup.Failure> undoFailures;
        try {
            boolean statsFailed = false;
            while (!stop.await(1000)) {
                statsFailed = writeStats(relay, err, statsFailed);
                relay.reportSuppressedLogs();
            }
        } catch (InterruptedException e) {
            stop.request("interrupted");
        } finally {
            control.close();
            telemetry.close();
            undoFailures = relay.shutdown();
            writeStats(relay, err, false);
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

    /** A start-up that failed undid everything: its state file goes. */
    private static void deleteState(StateFile state, PrintWriter err) {
        try {
            state.delete();
        } catch (IOException e) {
            err.println("siitdc: warning: cannot delete the state file " + state.path() + ": " + e);
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
