package dev.siitdc.daemon;

import dev.siitdc.daemon.config.DaemonConfig;
import dev.siitdc.dataplane.log.Level;
import dev.siitdc.dataplane.log.LogWriter;
import dev.siitdc.daemon.metrics.MetricsConfig;
import dev.siitdc.daemon.metrics.MetricsExporter;
import dev.siitdc.daemon.metrics.RelayMetrics;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;

/**
 * What {@code siitdc run} offers for watching the relay, besides the stats file and the control socket:
 *
 * <ul>
 *   <li>the output streams in the daemon's log format ({@link #out}, {@link #err}: plain, or sd-daemon
 *       priorities under systemd, see {@link LogWriter});</li>
 *   <li>the Prometheus endpoint ({@code [relay] metrics}, {@code metrics-address}, {@code metrics-port}),
 *       bound before start-up so that a port in use stops the daemon before it changes anything;</li>
 *   <li>SIGUSR1, which switches per-packet drop logging on and off ({@link RelayDaemon#toggleDropLogging}).</li>
 * </ul>
 */
public final class Telemetry implements AutoCloseable {
    private final MetricsConfig config;
    private final RelayMetrics source;
    private final MetricsExporter exporter;
    private Runnable restoreUsr1 = () -> {};
    private boolean usr1;
    private boolean closed;

    private Telemetry(MetricsConfig config, RelayMetrics source, MetricsExporter exporter) {
        this.config = config;
        this.source = source;
        this.exporter = exporter;
    }

    /** {@code out} (stdout: information) in the log format the environment asks for. */
    public static PrintWriter out(PrintWriter out, boolean journal) {
        return LogWriter.wrap(out, Level.INFO, journal);
    }

    /** {@code err} (stderr: warnings and errors) in the log format the environment asks for. */
    public static PrintWriter err(PrintWriter err, boolean journal) {
        return LogWriter.wrap(err, Level.WARNING, journal);
    }

    /**
     * Starts the metrics endpoint of {@code cfg} if it is on; its counters read 0 until {@link #attach}.
     *
     * @throws StartupException naming metrics-port or metrics-address when the endpoint cannot listen
     */
    public static Telemetry start(DaemonConfig cfg) throws StartupException {
        MetricsConfig mc = cfg.metrics();
        RelayMetrics source = new RelayMetrics(cfg.relay());
        if (!mc.on()) {
            return new Telemetry(mc, source, null);
        }
        try {
            return new Telemetry(mc, source, MetricsExporter.start(mc, source));
        } catch (BindException e) {
            boolean inUse = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("in use");
            throw new StartupException(inUse ? "metrics-port" : "metrics-address", "cannot listen on " + mc.url()
                    + ": " + e.getMessage() + (inUse ? " (another siitdc on this node? give each its own metrics-port,"
                    + " or set metrics = false)" : " (is " + mc.address() + " an address of this node?)"), e);
        } catch (IOException | RuntimeException e) {
            String why = String.valueOf(e.getMessage());
            boolean outOfFds = why.toLowerCase(java.util.Locale.ROOT).contains("too many open files");
            throw new StartupException("metrics-port", "cannot listen on " + mc.url() + ": "
                    + (outOfFds ? "too many open files (EMFILE): raise the daemon's limit (LimitNOFILE=, ulimit -n)"
                    : e instanceof IOException ? why : e.toString()), e);
        }
    }

    /** From now on the endpoint reports {@code relay}'s counters, and SIGUSR1 toggles its drop logging. */
    public void attach(RelayDaemon relay, PrintWriter err) {
        source.attach(relay);
        try {
            sun.misc.Signal sig = new sun.misc.Signal("USR1");
            sun.misc.SignalHandler previous = sun.misc.Signal.handle(sig, s -> relay.toggleDropLogging());
            restoreUsr1 = () -> sun.misc.Signal.handle(sig, previous);
            usr1 = true;
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            LogWriter.log(err, Level.WARNING, "siitdc: warning: cannot handle SIGUSR1 (" + e.getMessage()
                    + "): drop logging can only be switched through the control socket");
        }
    }

    /** The start-up summary's part: {@code , metrics URL, drop logging off (SIGUSR1 toggles)}. */
    public String summary(RelayDaemon relay) {
        return ", metrics " + (exporter != null ? exporter.url() : "off") + ", drop logging "
                + (relay.dropLogging() ? "on" : "off") + (usr1 ? " (SIGUSR1 toggles)" : "");
    }

    /** The endpoint's configuration. */
    MetricsConfig config() {
        return config;
    }

    /** Stops the endpoint and gives SIGUSR1 back. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        restoreUsr1.run();
        if (exporter != null) {
            exporter.close();
        }
    }
}
