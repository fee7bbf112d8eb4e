package dev.siitdc.daemon.control;

import dev.siitdc.daemon.config.ConfigError;
import dev.siitdc.daemon.config.ConfigLoader;
import dev.siitdc.daemon.config.DaemonConfig;
import dev.siitdc.daemon.config.DaemonConfigLoader;
import dev.siitdc.daemon.config.NodeAddresses;
import dev.siitdc.core.addr.Ipv4Prefix;
import dev.siitdc.core.config.TranslatorConfig;
import dev.siitdc.daemon.LiveConfig;
import dev.siitdc.daemon.LiveConfigException;
import dev.siitdc.daemon.RelayDaemon;
import dev.siitdc.daemon.RelayConfig;
import dev.siitdc.daemon.StartupException;
import dev.siitdc.daemon.SystemdNotifier;
import dev.siitdc.daemon.control.ControlProtocol.Reply;
import dev.siitdc.daemon.control.ControlProtocol.Status;
import dev.siitdc.dataplane.log.Level;
import dev.siitdc.dataplane.log.LogWriter;

import java.io.PrintWriter;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The daemon's ({@code siitdc run}'s) side of run-time management: the control socket
 * ({@link ControlServer}, {@link ControlService}) and the reload of the configuration file (SIGHUP, or the
 * control socket's {@code reload}: {@code siitdc reload}).
 *
 * <pre>{@code
 * DaemonControl control = DaemonControl.bind(cfg);   // before start-up: a socket in use stops it early
 * RelayDaemon relay = RelayDaemon.start(...);
 * control.start(relay, out, err, notifier);           // serves the socket; reload() works from now on
 * ...
 * control.close();                                    // before relay.shutdown(): the socket file goes
 * }</pre>
 *
 * <p>A reload re-reads the file with {@link DaemonConfigLoader}: a file it refuses is reported on stderr
 * ({@code FILE:LINE: KEY: REASON}) and the running configuration stays; otherwise {@code [translator]} and
 * {@code [[eamt]]} replace the running ones in one atomic change (run-time changes made through the socket
 * are dropped: the file is the reference) and stdout says what changed. {@code [relay]} keys are set up at
 * start: a change there is reported as needing a restart and ignored.
 */
public final class DaemonControl implements AutoCloseable {
    private final DaemonConfig startConfig;
    private final Path file;
    private final ControlServer server;
    private final Object reloadLock = new Object();
    private volatile RelayDaemon relay;
    private PrintWriter out, err;
    private SystemdNotifier notifier;

    private DaemonControl(DaemonConfig startConfig, Path file, ControlServer server) {
        this.startConfig = startConfig;
        this.file = file;
        this.server = server;
    }

    /**
     * Creates the control socket of {@code cfg}'s {@code [relay]} section.
     *
     * @param file the configuration file, re-read by {@link #reload(PrintWriter)}
     * @throws StartupException keyed "control-socket" (another daemon answers there...)
     */
    public static DaemonControl bind(DaemonConfig cfg, Path file) throws StartupException {
        return new DaemonControl(cfg, file, ControlServer.bind(cfg.relay().effectiveControlSocket()));
    }

    public Path socketPath() {
        return server.path();
    }

    /** Serves the socket for {@code relay}; from now on {@link #reload(PrintWriter)} replaces its configuration. */
    public void start(RelayDaemon relay, PrintWriter out, PrintWriter err) {
        start(relay, out, err, null);
    }

    /**
     * {@link #start(RelayDaemon, PrintWriter, PrintWriter)}, and each reload is announced to systemd
     * ({@code notifier}: RELOADING=1 before, READY=1 after; null for none).
     */
    public void start(RelayDaemon relay, PrintWriter out, PrintWriter err, SystemdNotifier notifier) {
        synchronized (reloadLock) {
            this.out = out;
            this.err = err;
            this.notifier = notifier;
            this.relay = relay;
        }
        server.start(new ControlService(relay, DaemonControl::globalUpdate).withReload(() -> reload(err).reply()),
                w -> LogWriter.log(err, Level.WARNING, "siitdc: warning: " + w),
                idleTimeout(System.getenv(IDLE_TIMEOUT_VARIABLE), err));
    }

    /** Overrides {@link ControlServer#IDLE_TIMEOUT}: whole seconds, 1 or more. */
    public static final String IDLE_TIMEOUT_VARIABLE = "SIITDC_CONTROL_IDLE_TIMEOUT";

    /** The idle timeout {@code value} ({@value #IDLE_TIMEOUT_VARIABLE}) gives; the default if unset or bad (said on err). */
    public static Duration idleTimeout(String value, PrintWriter err) {
        if (value == null || value.isEmpty()) return ControlServer.IDLE_TIMEOUT;
        try {
            long s = Long.parseLong(value.strip());
            if (s >= 1 && s <= 86_400) return Duration.ofSeconds(s);
        } catch (NumberFormatException e) {
            // said below
        }
        LogWriter.log(err, Level.WARNING, "siitdc: warning: " + IDLE_TIMEOUT_VARIABLE + "=" + value + " is not a number of"
                + " seconds from 1 to 86400; using " + ControlServer.IDLE_TIMEOUT.toSeconds());
        return ControlServer.IDLE_TIMEOUT;
    }

    /** {@code global update KEY VALUE}, checked by the configuration loader. */
    static TranslatorConfig globalUpdate(TranslatorConfig current, String key, String value) throws LiveConfigException {
        try {
            // the node's addresses are read only for the key whose rule needs them
            return ConfigLoader.update(current, key, value,
                    key.equals("own-ipv4-address") ? NodeAddresses.read() : null);
        } catch (ConfigError e) {
            throw LiveConfigException.refused(e.key() + ": " + e.reason());
        }
    }

    /**
     * How a reload ended: {@link Status#OK} with what changed (and warnings: [relay] keys that need a
     * restart), {@link Status#REFUSED} with the reason (the previous configuration still runs) or
     * {@link Status#FAILED} (still starting, or an internal error).
     */
    public record ReloadResult(Status status, String text, List<String> warnings) {
        public ReloadResult {
            warnings = List.copyOf(warnings);
        }

        /** The control protocol's reply to "reload". */
        public Reply reply() {
            return new Reply(status, text, List.of(), warnings);
        }
    }

    /**
     * SIGHUP and the control socket's "reload": re-reads the configuration file (see the class comment).
     * Serialized; never throws. Told to systemd as RELOADING=1, then READY=1 whatever the outcome (the
     * daemon runs on; {@code siitdc reload} reports a refusal).
     */
    public ReloadResult reload(PrintWriter fallbackErr) {
        synchronized (reloadLock) {
            if (relay == null) {
                fallbackErr.println("siitdc: reload ignored: the daemon is still starting");
                fallbackErr.flush();
                return new ReloadResult(Status.FAILED, "the daemon is still starting", List.of());
            }
            if (notifier != null) notifier.reloading();
            try {
                return reloadNow();
            } catch (Throwable e) {
                // Nothing may end the reload thread: whatever went wrong, the previous configuration stays.
                LogWriter.log(err, Level.ERROR, "siitdc: reload failed: " + e
                        + " (still running the previous configuration)");
                if (!(e instanceof StackOverflowError)) e.printStackTrace(err);
                return new ReloadResult(Status.FAILED, "reload failed: " + e + " (still running the previous"
                        + " configuration)", List.of());
            } finally {
                if (notifier != null) notifier.reloaded();
                out.flush();
                err.flush();
            }
        }
    }

    private ReloadResult reloadNow() {
        DaemonConfig next;
        try {
            next = DaemonConfigLoader.load(file, NodeAddresses.read());   // check-config's validation
            if (next.relay() == null)
                throw new ConfigError(next.file(), 1, "relay", "missing: siitdc run needs a [relay] section");
        } catch (ConfigError e) {
            return refused(e.getMessage());
        }
        List<String> restart = relayChanges(startConfig.relay(), next.relay());
        LiveConfig.Change change;
        try {
            change = relay.live().edit(current -> next.translator());
        } catch (LiveConfigException e) {
            return refused(file + ": " + e.getMessage());
        }
        String done = "reloaded " + file + ": " + change.describe();
        LogWriter.log(out, Level.NOTICE, "siitdc: " + done);
        List<String> warnings = new ArrayList<>();
        for (String w : change.warnings()) {
            LogWriter.log(err, Level.WARNING, "siitdc: warning: reload: " + w);
            warnings.add(w);
        }
        for (String r : restart) {
            LogWriter.log(out, Level.WARNING, "siitdc: reload: " + r + ": needs a restart, ignored");
            warnings.add(r + ": needs a restart, ignored");
        }
        return new ReloadResult(Status.OK, done, warnings);
    }

    private ReloadResult refused(String reason) {
        LogWriter.log(err, Level.ERROR, "siitdc: reload refused: " + reason);
        LogWriter.log(err, Level.ERROR, "siitdc: reload: still running the previous configuration");
        return new ReloadResult(Status.REFUSED, reason + " (still running the previous configuration)", List.of());
    }

    /** The {@code [relay]} keys that differ, as "[relay] KEY OLD -> NEW". */
    public static List<String> relayChanges(RelayConfig running, RelayConfig next) {
        List<String> changes = new ArrayList<>();
        for (RecordComponent c : RelayConfig.class.getRecordComponents()) {
            Object a, b;
            try {
                a = c.getAccessor().invoke(running);
                b = c.getAccessor().invoke(next);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            if (!Objects.equals(a, b)) {
                String key = c.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
                changes.add("[relay] " + key + " " + show(key, a) + " -> " + show(key, b));
            }
        }
        return changes;
    }

    private static String show(String key, Object v) {
        if (v == null) return "(unset)";
        if (key.equals("service-addresses") && v instanceof List<?> l)
            return l.stream().map(o -> o instanceof Integer i ? Ipv4Prefix.format(i) : String.valueOf(o))
                    .collect(Collectors.joining(", ", "[", "]"));
        return v instanceof String s ? "\"" + s + "\"" : String.valueOf(v);
    }

    /** Stops serving and removes the socket file. Idempotent. */
    @Override
    public void close() {
        server.close();
    }
}
