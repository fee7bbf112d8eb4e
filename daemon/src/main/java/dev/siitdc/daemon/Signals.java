package dev.siitdc.daemon;


import dev.siitdc.dataplane.StopSignal;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * SIGTERM and SIGINT raise the {@link StopSignal} instead of starting the JVM's shutdown: the daemon then
 * stops its workers, undoes its configuration, prints its counters and exits with status 0. (Through the
 * JVM's default handlers the exit status would be 128 + the signal number.) SIGHUP reloads the
 * configuration file (see {@link dev.siitdc.daemon.control.DaemonControl}). Other ways the JVM can end
 * (System.exit elsewhere) are covered by the shutdown hook that {@code siitdc run} adds.
 */
public final class Signals {
    private Signals() {}

    /**
     * Installs the handlers; if the JVM refuses one (e.g. with -Xrs), says so and relies on the hook.
     *
     * @return puts the previous handlers back (for a start-up that failed)
     */
    public static Runnable install(StopSignal stop, PrintWriter err) {
        return install(stop, null, err);
    }

    /**
     * {@link #install(StopSignal, PrintWriter)}, and SIGHUP runs {@code hangup} (on a virtual thread of its
     * own: the reload of the configuration file) instead of ending the JVM; null leaves SIGHUP alone.
     */
    public static Runnable install(StopSignal stop, Runnable hangup, PrintWriter err) {
        List<Runnable> restore = new ArrayList<>();
        if (hangup != null) {
            try {
                sun.misc.Signal hup = new sun.misc.Signal("HUP");
                sun.misc.SignalHandler previous = sun.misc.Signal.handle(hup,
                        s -> Thread.ofVirtual().name("siitdc-reload").start(hangup));
                restore.add(() -> sun.misc.Signal.handle(hup, previous));
                if (previous == sun.misc.SignalHandler.SIG_IGN) {
                    // Inherited as ignored (nohup): the JVM leaves it ignored, the handler never runs.
                    err.println("siitdc: warning: SIGHUP is ignored (started under nohup?): reload is available only"
                            + " through the control socket (siitdc reload, siitdc eamt, siitdc global update)");
                    err.flush();
                }
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                err.println("siitdc: warning: cannot handle SIGHUP (" + e.getMessage() + "): it will stop the daemon"
                        + " instead of reloading the configuration");
                err.flush();
            }
        }
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal sig = new sun.misc.Signal(name);
                sun.misc.SignalHandler previous = sun.misc.Signal.handle(sig, s -> stop.request("SIG" + s.getName()));
                restore.add(() -> sun.misc.Signal.handle(sig, previous));
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                err.println("siitdc: warning: cannot handle SIG" + name + " (" + e.getMessage()
                        + "); the shutdown hook will undo the configuration, exit status 128 + signal");
                err.flush();
            }
        }
        return () -> restore.forEach(Runnable::run);
    }
}
