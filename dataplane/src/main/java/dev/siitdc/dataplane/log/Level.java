package dev.siitdc.dataplane.log;

/**
 * Severity of a log line, with its syslog(3) / sd-daemon(3) priority: under systemd a line that starts with
 * {@code <N>} is stored in the journal with priority N ({@code journalctl -p warning} shows levels 0 to 4).
 */
public enum Level {
    ERROR(3),
    WARNING(4),
    NOTICE(5),
    INFO(6),
    DEBUG(7);

    private final int priority;
    private final String prefix;

    Level(int priority) {
        this.priority = priority;
        this.prefix = "<" + priority + ">";
    }

    /** The syslog priority, 3 (err) to 7 (debug). */
    public int priority() {
        return priority;
    }

    /** The sd-daemon prefix, {@code <N>}. */
    public String prefix() {
        return prefix;
    }
}
