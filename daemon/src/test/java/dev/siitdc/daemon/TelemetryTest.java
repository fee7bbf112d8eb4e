package dev.siitdc.daemon;

import dev.siitdc.daemon.config.DaemonConfig;
import dev.siitdc.daemon.config.DaemonConfigLoader;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The metrics endpoint as siitdc run starts it, before the relay: what a port it cannot have gives. */
class TelemetryTest {
    static DaemonConfig config(String metrics) throws Exception {
        return DaemonConfigLoader.parse("[[eamt]]\nipv4 = \"192.0.2.1\"\nipv6 = \"2001:db8::1\"\n[relay]\n"
                + "role = \"border-relay\"\n" + metrics, "t.toml");
    }

    @Test
    void offStartsNothing() throws Exception {
        try (Telemetry t = Telemetry.start(config("metrics = false\n"))) {
            assertThat(t.config().on()).isFalse();
        }
    }

    @Test
    void aPortInUseBlamesMetricsPortAndTheFileLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            DaemonConfig cfg = config("metrics-port = " + port + "\n");
            assertThatThrownBy(() -> Telemetry.start(cfg)).isInstanceOfSatisfying(StartupException.class, e -> {
                assertThat(e.key()).isEqualTo("metrics-port");
                assertThat(cfg.error(e.key(), e.reason()).getMessage()).startsWith("t.toml:6: relay.metrics-port: cannot"
                        + " listen on http://127.0.0.1:" + port + "/metrics: ").contains("give each its own metrics-port");
            });
        }
    }

    @Test
    void anAddressThisNodeDoesNotHaveBlamesMetricsAddress() throws Exception {
        DaemonConfig cfg = config("metrics-address = \"192.0.2.77\"\nmetrics-port = 19464\n");
        assertThatThrownBy(() -> Telemetry.start(cfg)).isInstanceOfSatisfying(StartupException.class,
                e -> assertThat(e.key()).isEqualTo("metrics-address"));
    }

    @Test
    void logStreams() {
        StringWriter s = new StringWriter();
        PrintWriter err = Telemetry.err(new PrintWriter(s), true);
        err.println("siitdc: warning: x");
        err.flush();
        assertThat(s.toString()).isEqualTo("<4>siitdc: warning: x\n");
        StringWriter o = new StringWriter();
        PrintWriter out = Telemetry.out(new PrintWriter(o), false);
        out.println("translated-4to6 1");
        assertThat(o.toString()).isEqualTo("translated-4to6 1\n");
    }
}
