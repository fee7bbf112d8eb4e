package dev.siitdc.dataplane.log;

import dev.siitdc.dataplane.log.Level;
import dev.siitdc.dataplane.log.LogWriter;
import dev.siitdc.dataplane.log.RateLimitedLog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimitedLogTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final StringWriter s = new StringWriter();
    /** 6 a minute (one every 10 s), 3 at once. */
    private final RateLimitedLog log = new RateLimitedLog(LogWriter.wrap(s, Level.WARNING, false), 6, 3, now::get);

    private String[] lines() {
        return s.toString().lines().toArray(String[]::new);
    }

    @Test
    void burstThenSuppressedThenCountedWhenTheBucketRefills() {
        for (int i = 0; i < 10; i++) log.log("tun write", Level.WARNING, "siitdc: warning: write failed " + i);
        assertThat(lines()).containsExactly("siitdc: warning: write failed 0", "siitdc: warning: write failed 1",
                "siitdc: warning: write failed 2");
        assertThat(log.suppressed("tun write")).isEqualTo(7);

        // Another kind has a bucket of its own.
        assertThat(log.log("other", Level.WARNING, "siitdc: warning: other")).isTrue();

        // Nothing to report before a token is back.
        now.addAndGet(9_000_000_000L);
        log.reportSuppressed();
        assertThat(lines()).hasSize(4);

        now.addAndGet(1_000_000_000L);
        log.reportSuppressed();
        assertThat(lines()[4]).isEqualTo("siitdc: warning: 7 similar messages suppressed (tun write)");
        assertThat(log.suppressed("tun write")).isZero();
        log.reportSuppressed();
        assertThat(lines()).hasSize(5);
    }

    @Test
    void theCountComesBeforeTheNextLineOfItsKind() {
        for (int i = 0; i < 4; i++) log.log("k", Level.INFO, "siitdc: line " + i);
        now.addAndGet(10_000_000_000L);
        log.log("k", Level.INFO, "siitdc: line 4");
        assertThat(lines()).containsExactly("siitdc: line 0", "siitdc: line 1", "siitdc: line 2",
                "siitdc: 1 similar message suppressed (k)", "siitdc: line 4");
    }

    @Test
    void refillIsCappedAtTheBurst() {
        now.addAndGet(3_600_000_000_000L);
        for (int i = 0; i < 5; i++) log.log("k", Level.INFO, "x");
        assertThat(lines()).hasSize(3);
    }
}
