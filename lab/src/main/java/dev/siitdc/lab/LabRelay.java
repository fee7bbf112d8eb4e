package dev.siitdc.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the lab's translators share, {@link HostRelay} (the BR and the node-based ERs of {@link Lab}) and
 * {@link SegmentRelay} (the network-based ERs of {@link NetworkLab}): their files (configuration, stats
 * file, control socket), their process with its start and stop, and the counters of the stats file.
 */
public abstract sealed class LabRelay permits HostRelay, SegmentRelay {
    private final String label;
    private final Path config;
    private final Path stats;
    private final Path controlSocket;
    private LabProcess process;

    LabRelay(String label, Path config, Path stats, Path controlSocket) {
        this.label = label;
        this.config = config;
        this.stats = stats;
        this.controlSocket = controlSocket;
    }

    /** The configuration file (written at each start). */
    public Path config() {
        return config;
    }

    /** The stats file siitdc rewrites every second ([relay] stats-file). */
    public Path statsFile() {
        return stats;
    }

    /** The control socket siitdc serves siitdc eamt/global/stats on ([relay] control-socket). */
    public Path controlSocket() {
        return controlSocket;
    }

    public LabProcess process() {
        return process;
    }

    public boolean running() {
        return process != null && process.alive();
    }

    /** Starts the relay and waits until it is ready. */
    public void start() {
        launch();
        awaitReady();
    }

    /** Starts the relay's process ({@link #prepare}, then {@link #started}); does not wait. */
    abstract void launch();

    /** Waits until the relay launched has configured its namespace. */
    abstract void awaitReady();

    /**
     * The first step of {@link #launch()}: throws if the relay runs already, writes {@code configText} to the
     * configuration file and removes the stats file of an earlier run.
     */
    final void prepare(String configText) {
        if (running()) throw new IllegalStateException(label + " runs already");
        try {
            Files.writeString(config, configText);
            Files.deleteIfExists(stats);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The command line of {@code siitdc run --config CONFIG} (a JVM as {@code o} says). */
    final List<String> siitdcCommand(Lab.Options o) {
        List<String> cmd = new ArrayList<>(List.of(o.java(), "--enable-native-access=ALL-UNNAMED"));
        cmd.addAll(o.daemonJvm());
        cmd.addAll(List.of("-cp", o.classpath(), Lab.SIITDC_MAIN, "run", "--config", config.toString()));
        return cmd;
    }

    /** The last step of {@link #launch()}: the relay's process, just spawned. */
    final void started(LabProcess p) {
        process = p;
    }

    /**
     * SIGTERM, then waits (10 s) for the relay to undo what it configured and exit. Returns its exit status:
     * 0 or 143 is a clean stop, -1 means it had to be killed.
     */
    public int stop() {
        if (process == null) return 0;
        return process.stop(10_000);
    }

    /** The exit status of a JVM or a C program that died of the SIGTERM itself. */
    private static final int DIED_OF_SIGTERM = 143;

    /** True for the exit status of a clean {@link #stop()}: 0, or death by the SIGTERM itself. */
    public static boolean cleanStop(int status) {
        return status == 0 || status == DIED_OF_SIGTERM;
    }

    /** Stops those of {@code relays} that run; a failure is printed (after {@code what}) and the others still stopped. */
    static void stopAll(Collection<? extends LabRelay> relays, String what) {
        for (LabRelay r : relays) {
            try {
                if (r.running()) r.stop();
            } catch (RuntimeException e) {
                System.err.println(what + ": " + e.getMessage());
            }
        }
    }

    // ------------------------------------------------------------------------------------------------
    // counters

    /** The counters of the stats file as it is now (empty when there is none, as with TAYGA). */
    public Map<String, Long> stats() {
        for (int attempt = 0; ; attempt++) {
            try {
                return parseStats(Files.exists(stats) ? Files.readAllLines(stats) : List.of());
            } catch (IOException | NumberFormatException e) {
                if (attempt == 5) throw new LabException(stats + ": unreadable: " + e.getMessage(), e);
                Shell.sleep(100);   // caught half-written
            }
        }
    }

    /** Waits until the stats file has been rewritten after this call (siitdc rewrites it every second), then reads it. */
    public Map<String, Long> freshStats() {
        try {
            FileTime before = Files.exists(stats) ? Files.getLastModifiedTime(stats) : FileTime.fromMillis(0);
            long start = System.currentTimeMillis();
            long end = System.nanoTime() + 5_000_000_000L;
            while (System.nanoTime() < end) {
                if (Files.exists(stats)) {
                    FileTime t = Files.getLastModifiedTime(stats);
                    if (t.compareTo(before) > 0 && t.toMillis() >= start) return stats();
                }
                Shell.sleep(50);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new LabException(label + ": " + stats + " was not rewritten within 5 s");
    }

    static Map<String, Long> parseStats(List<String> lines) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String line : lines) {
            String s = line.strip();
            if (s.isEmpty() || s.startsWith("#")) continue;
            String[] f = s.split("\\s+");
            if (f.length < 2) continue;
            m.put(f[0], Long.parseLong(f[1]));
        }
        return m;
    }
}
