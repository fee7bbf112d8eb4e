package dev.siitdc.daemon.config;

import dev.siitdc.daemon.metrics.MetricsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.siitdc.daemon.config.DaemonConfigLoaderTest.error;
import static dev.siitdc.daemon.config.DaemonConfigLoaderTest.parse;
import static org.assertj.core.api.Assertions.assertThat;

/** The [relay] keys of the Prometheus endpoint: metrics, metrics-address, metrics-port. */
class MetricsKeysTest {
    static final String BR = "[relay]\nrole = \"border-relay\"\n";   // [relay] on line 16, role on 17

    @Test
    void onByDefaultOnTheLoopback() throws ConfigError {
        MetricsConfig m = parse(BR).metrics();
        assertThat(m).isEqualTo(MetricsConfig.DEFAULT);
        assertThat(m.on()).isTrue();
        assertThat(m.url()).isEqualTo("http://127.0.0.1:9464/metrics");
        assertThat(DaemonConfigLoader.parse(DaemonConfigLoaderTest.TRANSLATOR, "t.toml").metrics())
                .isEqualTo(MetricsConfig.DEFAULT);
    }

    @Test
    void offWithMetricsFalseOrPortZero() throws ConfigError {
        assertThat(parse(BR + "metrics = false\n").metrics().on()).isFalse();
        assertThat(parse(BR + "metrics-port = 0\n").metrics().on()).isFalse();
        assertThat(parse(BR + "metrics = true\nmetrics-port = 0\n").metrics().on()).isFalse();
    }

    @Test
    void addressAndPort() throws ConfigError {
        MetricsConfig m = parse(BR + "metrics-address = \"2001:db8:ff::5\"\nmetrics-port = 9100\n").metrics();
        assertThat(m).isEqualTo(new MetricsConfig(true, "2001:db8:ff::5", 9100));
        assertThat(m.url()).isEqualTo("http://[2001:db8:ff::5]:9100/metrics");
        assertThat(parse(BR + "metrics-address = \"0.0.0.0\"\n").metrics().address()).isEqualTo("0.0.0.0");
    }

    /** A bad line below {@link #BR} (so on line 18): refused with its line, key and reason. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            metrics = "yes"               | is       | t.toml:18: relay.metrics: must be true or false, not a string ("yes")
            metrics-port = 70000          | is       | t.toml:18: relay.metrics-port: must be a TCP port, 1 to 65535 (0 switches the endpoint off), not 70000
            metrics-port = -1             | starts   | t.toml:18: relay.metrics-port: must be a TCP port
            metrics-port = "9464"         | starts   | t.toml:18: relay.metrics-port: must be an integer
            metrics-address = "224.0.0.1" | ends     | is a multicast address
            metrics-adress = "127.0.0.1"  | contains | relay.metrics-adress: unknown key in [relay]
            """)
    void badValuesNameTheirLine(String line, String match, String expected) {
        ConfigErrors.assertMessage(error(BR + line + "\n"), match, expected);
    }

    @Test
    void badValuesNameTheirLineAfterABlankLine() {
        assertThat(error(BR + "\nmetrics-address = \"localhost\"\n"))
                .isEqualTo("t.toml:19: relay.metrics-address: \"localhost\" is not an IPv4 or IPv6 address (names are"
                        + " not resolved: give an address)");
    }
}
