package dev.siitdc.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The watchdog interval the daemon takes from systemd's WATCHDOG_USEC and WATCHDOG_PID (sd_watchdog_enabled(3)). */
class SystemdNotifierTest {
    @Test
    void halfOfWatchdogUsecWhenThePidIsOursOrUnset() {
        assertThat(SystemdNotifier.watchdogInterval("30000000", null, 42)).isEqualTo(Duration.ofSeconds(15));
        assertThat(SystemdNotifier.watchdogInterval("400000", "42", 42)).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void noWatchdogForAnotherPidOrNoOrBadValue() {
        assertThat(SystemdNotifier.watchdogInterval("30000000", "43", 42)).isNull();
        assertThat(SystemdNotifier.watchdogInterval(null, null, 42)).isNull();
        assertThat(SystemdNotifier.watchdogInterval("0", null, 42)).isNull();
        assertThat(SystemdNotifier.watchdogInterval("soon", null, 42)).isNull();
    }
}
