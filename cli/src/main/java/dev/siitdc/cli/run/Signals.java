package dev.siitdc.cli.run;

import dev.siitdc.relay.StopSignal;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * SIGTERM and SIGINT raise the {@link StopSignal} instead of starting the JVM's shutdown: the daemon then
 * stops its workers, undoes its configuration, prints its counters and exits with status 0. (Through the
 * JVM's default handlers the exit status would be 128 + the signal number.) Other ways the JVM can end
 * (SIGHUP, System.exit elsewhere) are covered by the shutdown hook {@link RunCommand} adds.
 */
final class Signals {
    private Signals() {}

    /**
     * Installs the handlers; if the JVM refuses one (e.g. with -Xrs), says so and relies on the hook.
     *
     * @return puts the previous handlers back (for a start-up that failed)
     */
    static Runnable install(StopSignal stop, PrintWriter err) {
        List<Runnable> restore = new ArrayList<>();
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
