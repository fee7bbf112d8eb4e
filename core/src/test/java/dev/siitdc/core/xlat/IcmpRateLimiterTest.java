package dev.siitdc.core.xlat;

import dev.siitdc.core.testutil.Pkt;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IcmpRateLimiterTest {

    @Test
    @DisplayName("RFC 7915 s4.4/s5.4, RFC 4443 s2.4(f): a token bucket allows the burst, then the rate")
    void bucket() {
        IcmpRateLimiter l = new IcmpRateLimiter(10, 3);
        long t = 1_000_000_000L;
        assertThat(l.tryAcquire(t)).isTrue();
        assertThat(l.tryAcquire(t)).isTrue();
        assertThat(l.tryAcquire(t)).isTrue();
        assertThat(l.tryAcquire(t)).as("burst of 3 used up").isFalse();
        assertThat(l.tryAcquire(t + 50_000_000L)).as("half a token after 50 ms at 10/s").isFalse();
        assertThat(l.tryAcquire(t + 100_000_000L)).as("one token after 100 ms").isTrue();
        assertThat(l.tryAcquire(t + 10_000_000_000L)).isTrue();
        assertThat(l.tryAcquire(t + 10_000_000_000L)).isTrue();
        assertThat(l.tryAcquire(t + 10_000_000_000L)).isTrue();
        assertThat(l.tryAcquire(t + 10_000_000_000L)).as("refill is capped at the burst").isFalse();
    }

    @Test
    @DisplayName("RFC 7915 s4.4/s5.4: the choices send / do not send")
    void unlimitedAndNever() {
        assertThat(IcmpRateLimiter.UNLIMITED.tryAcquire(0)).isTrue();
        assertThat(IcmpRateLimiter.NEVER.tryAcquire(0)).isFalse();
        assertThat(new IcmpRateLimiter(0, 5).copy().tryAcquire(0)).isFalse();
    }

    @Test
    @DisplayName("RFC 7915 s4.4: the translator's own ICMP errors obey its rate limit, and the rest are counted")
    void translatorHonoursTheLimit() {
        Translator t = Net.translator();
        long[] now = {5_000_000_000L};
        t.setIcmpRateLimit(new IcmpRateLimiter(1, 1), () -> now[0]);
        byte[] expired = Pkt.v4(Net.CLIENT4, Net.SERVER_A4).ttl(1).tcp(40000, 80).payload(20).build();
        int emitted = 0;
        for (int i = 0; i < 3; i++) emitted += Net.run(t, expired).views.size();
        assertThat(emitted).as("one Time Exceeded in the same instant").isEqualTo(1);
        assertThat(t.counters().get(Counter.ICMP_ERRORS_RATE_LIMITED)).isEqualTo(2);
        now[0] += 1_000_000_000L;
        assertThat(Net.run(t, expired).views).as("a token again after one second").hasSize(1);
    }
}
