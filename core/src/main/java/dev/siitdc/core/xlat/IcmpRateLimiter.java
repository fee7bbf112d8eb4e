package dev.siitdc.core.xlat;

/**
 * Token bucket for the ICMP errors a translator originates (RFC 7915 s4.4 and s5.4: send,
 * rate-limit or do not send; RFC 4443 s2.4 (f); RFC 1812 s4.3.2.8). Time is passed in, so the
 * core stays free of clocks; one instance per translator (single thread).
 */
public final class IcmpRateLimiter {
    /** No limit: every error is sent. */
    public static final IcmpRateLimiter UNLIMITED = new IcmpRateLimiter(-1, 0);
    /** Never send. */
    public static final IcmpRateLimiter NEVER = new IcmpRateLimiter(0, 0);

    private final long perSecond;
    private final long burst;
    private double tokens;
    private long last = Long.MIN_VALUE;

    /**
     * @param perSecond errors per second; negative = unlimited, 0 = never
     * @param burst     bucket size (errors that may be sent at once)
     */
    public IcmpRateLimiter(long perSecond, long burst) {
        this.perSecond = perSecond;
        this.burst = Math.max(1, burst);
        this.tokens = this.burst;
    }

    /** A fresh limiter with the same parameters (each translator needs its own bucket). */
    public IcmpRateLimiter copy() {
        return perSecond < 0 ? UNLIMITED : perSecond == 0 ? NEVER : new IcmpRateLimiter(perSecond, burst);
    }

    /** True if an error may be sent at time {@code nanos}; consumes a token. */
    public boolean tryAcquire(long nanos) {
        if (perSecond < 0) return true;
        if (perSecond == 0) return false;
        if (last != Long.MIN_VALUE && nanos > last) {
            tokens = Math.min(burst, tokens + (nanos - last) * 1e-9 * perSecond);
        }
        last = nanos;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
