package dev.siitdc.dataplane.log;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Log lines that may come in floods (a warning per packet, per-packet drop logging), limited by a small
 * token bucket per kind: {@code burst} lines at once, then {@code perMinute} a minute. What the bucket
 * refuses is counted, and reported as one line when the kind may log again:
 *
 * <pre>
 * siitdc: warning: 1234 similar messages suppressed (drop reason=drop-4to6-ttl-expired)
 * </pre>
 *
 * either just before the kind's next line or from {@link #reportSuppressed()}, which the daemon calls
 * every second so that the count of a flood that has stopped is not held back.
 *
 * <p>Thread-safe. {@link #permit} allocates nothing once a kind has been seen (kinds should be constant
 * strings), so that a caller can test it on the packet path and build its line only when it is permitted.
 */
public final class RateLimitedLog {
    private final PrintWriter out;
    private final long nanosPerToken;
    private final int burst;
    private final LongSupplier clock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    private static final class Bucket {
        final Level level;
        long tokensNanos;   // tokens * nanosPerToken, so refills stay exact
        long last;
        long suppressed;

        Bucket(Level level, long tokensNanos, long now) {
            this.level = level;
            this.tokensNanos = tokensNanos;
            this.last = now;
        }
    }

    /**
     * @param out where lines go (a {@link LogWriter} gives them their level)
     * @param perMinute lines of one kind a minute, after the burst, at least 1
     * @param burst lines of one kind at once, at least 1
     * @param nanoClock {@link System#nanoTime} but in tests
     */
    public RateLimitedLog(PrintWriter out, int perMinute, int burst, LongSupplier nanoClock) {
        if (perMinute < 1 || burst < 1) {
            throw new IllegalArgumentException("perMinute and burst must be at least 1: " + perMinute + ", " + burst);
        }
        this.out = out;
        this.nanosPerToken = 60_000_000_000L / perMinute;
        this.burst = burst;
        this.clock = nanoClock;
    }

    public RateLimitedLog(PrintWriter out, int perMinute, int burst) {
        this(out, perMinute, burst, System::nanoTime);
    }

    /** Where the lines go. */
    public PrintWriter out() {
        return out;
    }

    /**
     * Takes a token of {@code kind}: true if a line of that kind may be written now (after the count of
     * those suppressed before it, if any, has been reported); false counts one more suppressed line.
     */
    public boolean permit(String kind, Level level) {
        Bucket b = buckets.get(kind);
        if (b == null) {
            b = buckets.computeIfAbsent(kind, k -> new Bucket(level, burst * nanosPerToken, clock.getAsLong()));
        }
        long suppressed;
        synchronized (b) {
            refill(b);
            if (b.tokensNanos < nanosPerToken) {
                b.suppressed++;
                return false;
            }
            b.tokensNanos -= nanosPerToken;
            suppressed = b.suppressed;
            b.suppressed = 0;
        }
        if (suppressed > 0) {
            report(kind, b.level, suppressed);
        }
        return true;
    }

    /** Writes {@code line} at {@code level} if {@link #permit} allows; returns whether it was written. */
    public boolean log(String kind, Level level, String line) {
        if (!permit(kind, level)) {
            return false;
        }
        LogWriter.log(out, level, line);
        return true;
    }

    /** Reports the suppressed lines of every kind whose bucket would allow a line again. */
    public void reportSuppressed() {
        for (Map.Entry<String, Bucket> e : buckets.entrySet()) {
            Bucket b = e.getValue();
            long n;
            synchronized (b) {
                if (b.suppressed == 0) {
                    continue;
                }
                refill(b);
                if (b.tokensNanos < nanosPerToken) {
                    continue;
                }
                n = b.suppressed;
                b.suppressed = 0;
            }
            report(e.getKey(), b.level, n);
        }
    }

    /** The lines of {@code kind} suppressed and not reported yet. */
    public long suppressed(String kind) {
        Bucket b = buckets.get(kind);
        if (b == null) {
            return 0;
        }
        synchronized (b) {
            return b.suppressed;
        }
    }

    private void refill(Bucket b) {
        long now = clock.getAsLong();
        long elapsed = now - b.last;
        if (elapsed > 0) {
            long max = burst * nanosPerToken;
            b.tokensNanos = elapsed >= max ? max : Math.min(max, b.tokensNanos + elapsed);
            b.last = now;
        }
    }

    private void report(String kind, Level level, long n) {
        String what = level == Level.WARNING || level == Level.ERROR ? "siitdc: warning: " : "siitdc: ";
        LogWriter.log(out, level, what + n + (n == 1 ? " similar message" : " similar messages") + " suppressed ("
                + kind + ")");
    }
}
