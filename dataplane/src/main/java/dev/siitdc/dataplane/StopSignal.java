package dev.siitdc.dataplane;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The one-way "stop now" flag the workers poll and the main thread waits on. Anyone may raise it
 * (a signal handler, a shutdown hook, a failing worker); the first reason given is kept.
 */
public final class StopSignal {
    private final CountDownLatch latch = new CountDownLatch(1);
    private volatile boolean requested;
    private String reason;

    /** Raises the flag; the first call's {@code why} is kept, later calls change nothing. */
    public void request(String why) {
        synchronized (this) {
            if (requested) {
                return;
            }
            reason = why;
            requested = true;
        }
        latch.countDown();
    }

    /** Whether the flag is up (one volatile read). */
    public boolean requested() {
        return requested;
    }

    /** Why the stop was asked for, or null while it was not. */
    public synchronized String reason() {
        return reason;
    }

    /** Waits at most {@code millis} for the flag; returns whether it is up. */
    public boolean await(long millis) throws InterruptedException {
        return latch.await(millis, TimeUnit.MILLISECONDS);
    }
}
