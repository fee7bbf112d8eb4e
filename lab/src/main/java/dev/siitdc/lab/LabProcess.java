package dev.siitdc.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A long-running process of the lab (a translator, an app, tcpdump, iperf3), started with
 * {@code ip netns exec NS ...} (which execs the command, so the process id is the command's own).
 * Its stdout and stderr go to a log file.
 */
public final class LabProcess {
    private final String name;
    private final List<String> command;
    private final Path log;
    private final Process process;

    private LabProcess(String name, List<String> command, Path log, Process process) {
        this.name = name;
        this.command = List.copyOf(command);
        this.log = log;
        this.process = process;
    }

    static LabProcess start(String name, List<String> command, Path log) {
        try {
            Files.createDirectories(log.getParent());
            Process p = Shell.withSbin(new ProcessBuilder(command))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            return new LabProcess(name, command, log, p);
        } catch (IOException e) {
            throw new LabException("cannot start " + name + " (" + String.join(" ", command) + "): " + e.getMessage(), e);
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    public List<String> command() {
        return command;
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** The log so far ("" when there is none). */
    public String output() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /** The last {@code lines} lines of the log. */
    public String tail(int lines) {
        List<String> all = output().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /**
     * Waits until a line of the log matches {@code test}; throws if the process exits first or after
     * {@code timeoutMillis}.
     */
    public String awaitLine(Predicate<String> test, long timeoutMillis, String what) {
        long end = System.nanoTime() + timeoutMillis * 1_000_000;
        while (true) {
            for (String line : output().lines().toList()) {
                if (test.test(line)) return line;
            }
            if (!process.isAlive()) {
                throw new LabException(name + " exited with status " + process.exitValue() + " before " + what
                        + "; its output:\n" + tail(30));
            }
            if (System.nanoTime() > end) {
                throw new LabException(name + " did not get " + what + " within " + timeoutMillis + " ms; its output:\n"
                        + tail(30));
            }
            Shell.sleep(50);
        }
    }

    /** Waits until {@code condition} holds, failing as soon as the process exits. */
    public void await(java.util.function.BooleanSupplier condition, long timeoutMillis, String what) {
        long end = System.nanoTime() + timeoutMillis * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new LabException(name + " exited with status " + process.exitValue() + " before " + what
                        + "; its output:\n" + tail(30));
            }
            if (System.nanoTime() > end) {
                throw new LabException(name + ": no " + what + " within " + timeoutMillis + " ms; its output:\n" + tail(30));
            }
            Shell.sleep(50);
        }
    }

    /** Waits for the process to exit by itself; returns its status, or -1 (and kills it) after the timeout. */
    public int waitFor(long timeoutMillis) {
        return exitWithin(timeoutMillis);
    }

    /**
     * SIGTERM, then SIGKILL if it has not exited after {@code graceMillis}. Returns its exit status
     * (143 for a JVM or a C program that died of the SIGTERM itself), or -1 if it had to be killed.
     */
    public int stop(long graceMillis) {
        if (!process.isAlive()) return process.exitValue();
        process.destroy();
        return exitWithin(graceMillis);
    }

    /** The exit status once the process exits within {@code millis}; else kills it and returns -1. */
    private int exitWithin(long millis) {
        try {
            if (process.waitFor(millis, TimeUnit.MILLISECONDS)) return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        kill();
        return -1;
    }

    /** How long {@link #stopAll} gives each process to exit after SIGTERM. */
    private static final long STOP_ALL_GRACE_MILLIS = 2000;

    /** Stops every process of {@code processes} (a synchronized list, copied under its lock first). */
    static void stopAll(List<LabProcess> processes) {
        List<LabProcess> ps;
        synchronized (processes) {
            ps = new ArrayList<>(processes);
        }
        for (LabProcess p : ps) p.stop(STOP_ALL_GRACE_MILLIS);
    }

    /** SIGINT (tcpdump and iperf3 flush and summarise on it). */
    public void interrupt() {
        if (process.isAlive()) Shell.run(5, "kill", "-INT", Long.toString(process.pid()));
    }

    public void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public int exitValue() {
        return process.exitValue();
    }

    @Override
    public String toString() {
        return name + " (pid " + pid() + ")";
    }
}
