package dev.siitdc.dataplane.log;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * One of the daemon's two output streams (stdout for information, stderr for warnings and errors), one
 * line per event. Two formats:
 *
 * <ul>
 *   <li><b>plain</b> (a terminal, a file, a test): each line as written, e.g.
 *       {@code siitdc: warning: cannot write the stats file ...};</li>
 *   <li><b>journal</b> (under systemd, stdout or stderr connected to the journal): each line starts with its
 *       sd-daemon(3) priority, {@code <4>siitdc: warning: ...}, which journald strips and stores as the
 *       entry's priority ({@code journalctl -u siitdc -p warning}). A line written without an explicit
 *       level (println) gets this stream's default level; {@link #log(Level, String)} gives one. A line that
 *       already starts with {@code <N>} is left alone.</li>
 * </ul>
 *
 * The format is chosen by {@link #journalDetected}: {@code SIITDC_LOG_FORMAT=journal} or {@code plain} if
 * set, else journal exactly when {@code $JOURNAL_STREAM} names the device and inode of stdout or stderr
 * (what systemd sets for a service whose output goes to the journal).
 *
 * <p>Thread-safe: every line is written whole under the writer's lock.
 */
public final class LogWriter extends PrintWriter {
    /** The environment variable that forces a format: "journal" or "plain". */
    public static final String FORMAT_VARIABLE = "SIITDC_LOG_FORMAT";

    private final Prefixer prefixer;

    private LogWriter(Prefixer p, boolean autoFlush) {
        super(p, autoFlush);
        this.prefixer = p;
    }

    /**
     * Wraps {@code out}.
     *
     * @param defaultLevel the level of lines written without one (println, printStackTrace)
     * @param journal true for the journal format, false for plain
     */
    public static LogWriter wrap(Writer out, Level defaultLevel, boolean journal) {
        if (out instanceof LogWriter lw) {
            out = lw.prefixer.out;
        }
        return new LogWriter(new Prefixer(out, defaultLevel, journal), true);
    }

    /** Whether lines carry an sd-daemon priority prefix. */
    public boolean journal() {
        return prefixer.journal;
    }

    /** Writes one line at {@code level} and flushes. */
    public void log(Level level, String line) {
        synchronized (lock) {
            if (prefixer.journal) {
                prefixer.lineLevel = level;
            }
            println(line);
            flush();
        }
    }

    /**
     * Writes one line at {@code level} to {@code w}, with its priority if {@code w} is a journal-format
     * {@link LogWriter}, as it is otherwise; then flushes.
     */
    public static void log(PrintWriter w, Level level, String line) {
        if (w instanceof LogWriter lw) {
            lw.log(level, line);
        } else {
            w.println(line);
            w.flush();
        }
    }

    /** The format the environment asks for: see the class comment. */
    public static boolean journalDetected() {
        return journalDetected(System.getenv(), Path.of("/proc/self/fd/1"), Path.of("/proc/self/fd/2"));
    }

    /** {@link #journalDetected()} with the environment and the standard streams' paths given. */
    static boolean journalDetected(Map<String, String> env, Path... streams) {
        String forced = env.get(FORMAT_VARIABLE);
        if (forced != null && !forced.isBlank()) {
            return forced.trim().equalsIgnoreCase("journal");
        }
        String js = env.get("JOURNAL_STREAM");
        if (js == null || js.isBlank()) {
            return false;
        }
        for (Path p : streams) {
            try {
                Object dev = Files.getAttribute(p, "unix:dev");
                Object ino = Files.getAttribute(p, "unix:ino");
                if (js.trim().equals(dev + ":" + ino)) {
                    return true;
                }
            } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
                // not a stream we can look at: not the journal's
            }
        }
        return false;
    }

    /** Buffers each line and writes it whole, with its prefix in journal format. */
    private static final class Prefixer extends Writer {
        final Writer out;
        final Level defaultLevel;
        final boolean journal;
        /** The level of the line being written (journal format), reset to the default after each line. */
        Level lineLevel;
        private final StringBuilder line = new StringBuilder();
        /** A partial line was flushed: its prefix is out already. */
        private boolean midLine;

        Prefixer(Writer out, Level defaultLevel, boolean journal) {
            this.out = out;
            this.defaultLevel = defaultLevel;
            this.journal = journal;
            this.lineLevel = defaultLevel;
        }

        @Override
        public void write(char[] cbuf, int off, int len) throws IOException {
            synchronized (lock) {
                if (!journal) {
                    out.write(cbuf, off, len);
                    return;
                }
                int end = off + len;
                for (int i = off; i < end; i++) {
                    char c = cbuf[i];
                    if (c == '\n') {
                        emit(true);
                    } else {
                        line.append(c);
                    }
                }
            }
        }

        @Override
        public void write(String s, int off, int len) throws IOException {
            synchronized (lock) {
                if (!journal) {
                    out.write(s, off, len);
                    return;
                }
                int end = off + len;
                for (int i = off; i < end; i++) {
                    char c = s.charAt(i);
                    if (c == '\n') {
                        emit(true);
                    } else {
                        line.append(c);
                    }
                }
            }
        }

        /** Writes the buffered (part of a) line, with its prefix unless it has one. */
        private void emit(boolean newline) throws IOException {
            if (!midLine && !hasPrefix(line)) {
                out.write(lineLevel.prefix());
            }
            int n = line.length();
            if (n > 0 && line.charAt(n - 1) == '\r') {
                line.setLength(n - 1);
            }
            out.write(line.toString());
            line.setLength(0);
            if (newline) {
                out.write('\n');
                midLine = false;
                lineLevel = defaultLevel;
            } else {
                midLine = true;
            }
        }

        private static boolean hasPrefix(CharSequence s) {
            return s.length() >= 3 && s.charAt(0) == '<' && s.charAt(1) >= '0' && s.charAt(1) <= '7' && s.charAt(2) == '>';
        }

        @Override
        public void flush() throws IOException {
            synchronized (lock) {
                if (journal && !line.isEmpty()) {
                    emit(false);
                }
                out.flush();
            }
        }

        @Override
        public void close() throws IOException {
            synchronized (lock) {
                flush();
                out.close();
            }
        }
    }
}
