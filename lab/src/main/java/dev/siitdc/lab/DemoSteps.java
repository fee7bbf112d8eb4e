package dev.siitdc.lab;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The numbered steps of a {@link Demo} run: each prints {@code [n/N] name}, runs its body and prints
 * {@code ok (t s)}; the first body that throws ends the run as a {@link Failed} that names its step. Also the
 * lines both demos print when a step failed.
 */
final class DemoSteps {
    /** A failed step: its name and why. */
    static final class Failed extends RuntimeException {
        final String step;

        Failed(String step, Throwable cause) {
            super(cause.getMessage(), cause);
            this.step = step;
        }
    }

    /** The body of a step. */
    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    /** How many lines of a relay's log a failure report shows. */
    private static final int TAIL_LINES = 15;

    private final PrintWriter out;
    private final PrintWriter err;
    private final String who;
    private final int total;
    private int number;

    /** Steps of the demo {@code who} ("siitdc demo"), {@code total} of them, printed to {@code out}; failures to {@code err}. */
    DemoSteps(PrintWriter out, PrintWriter err, String who, int total) {
        this.out = out;
        this.err = err;
        this.who = who;
        this.total = total;
    }

    /** Runs the next step; throws {@link Failed} if {@code body} throws. */
    void run(String name, Body body) {
        heading(name);
        out.flush();
        long t0 = System.nanoTime();
        try {
            body.run();
        } catch (Exception | AssertionError e) {
            throw new Failed(name, e);
        }
        out.printf(Locale.ROOT, "      ok (%.1f s)%n", (System.nanoTime() - t0) / 1e9);
        out.flush();
    }

    /** Prints the heading of the next step, one without a body (and so without an "ok" line). */
    void heading(String name) {
        number++;
        out.printf(Locale.ROOT, "[%d/%d] %s%n", number, total, name);
    }

    /** The last line of a run in which every step passed. */
    void passed() {
        out.println(who + ": all " + total + " steps passed");
        out.flush();
    }

    /** The failure report when {@code f} ended the run before a lab existed: which step failed and why. */
    Demo.Outcome failed(Failed f) {
        out.flush();
        err.println(who + ": step " + number + " \"" + f.step + "\" FAILED: " + f.getMessage());
        return Demo.Outcome.STEP_FAILED;
    }

    /**
     * The failure report when {@code f} ended the run of a lab whose files stay in {@code dir}: which step failed
     * and why, the last lines of the log of each of {@code logs} started (name to process, null if not started).
     */
    Demo.Outcome failed(Failed f, Map<String, LabProcess> logs, Path dir) {
        failed(f);
        logs.forEach((name, p) -> {
            if (p == null) return;
            err.println("--- " + name + (p.alive() ? " (running)" : " (exited)") + ", last lines of " + p.log() + ":");
            err.println(p.tail(TAIL_LINES));
        });
        err.println(who + ": the lab is torn down; its configurations, logs and captures stay in " + dir
                + " (bin/siitdc demo --clean removes them)");
        return Demo.Outcome.STEP_FAILED;
    }
}
