package dev.siitdc.cli;

import dev.siitdc.cli.config.DaemonConfig;
import dev.siitdc.cli.config.DaemonConfigLoader;
import dev.siitdc.core.eam.Eam;
import dev.siitdc.relay.Role;
import dev.siitdc.relay.metrics.MetricsConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example configurations of examples/ pass {@code siitdc check-config} (the command itself, in-process),
 * and hold together as RFC 7756 asks of a BR and its Edge Relays.
 */
class ExamplesTest {
    static final Path EXAMPLES = Path.of("../examples");
    static final Path BR = EXAMPLES.resolve("border-relay.toml");
    static final Path ER = EXAMPLES.resolve("edge-relay-node.toml");

    @Test
    void everyExamplePassesCheckConfig() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.walk(EXAMPLES)) {
            files = s.filter(p -> p.toString().endsWith(".toml")).sorted().toList();
        }
        assertThat(files).contains(BR, ER);
        for (Path f : files) {
            MainTest.Run r = MainTest.run("check-config", f.toString());
            assertThat(r.status()).as("check-config %s: %s", f, r.err()).isZero();
            assertThat(r.out()).isEqualTo(f + ": OK\n");
        }
    }

    @Test
    void theBorderRelayAndTheEdgeRelayAgreeAsRfc7756Asks() throws Exception {
        DaemonConfig br = DaemonConfigLoader.load(BR), er = DaemonConfigLoader.load(ER);
        assertThat(br.relay().role()).isEqualTo(Role.BORDER_RELAY);
        assertThat(er.relay().role()).isEqualTo(Role.EDGE_RELAY);
        // s4.1: identical configured IPv6 path MTU, raised above 1280
        assertThat(er.translator().lowestIpv6Mtu()).isEqualTo(br.translator().lowestIpv6Mtu()).isGreaterThan(1280);
        // the ER reaches everything else through the BR's translation prefix
        assertThat(er.translator().pool6()).isEqualTo(br.translator().pool6());
        // s3: every EAM of the ER's own Service Addresses is on the BR too
        for (int sa : er.relay().serviceAddresses()) {
            Eam local = er.translator().eamt().stream().filter(e -> e.ipv4().length() == 32 && e.ipv4().address() == sa)
                    .findFirst().orElseThrow();
            assertThat(br.translator().eamt()).contains(local);
        }
        // the BR hairpins (s5.1)
        assertThat(br.translator().eamHairpinMode()).isNotEqualTo(dev.siitdc.core.config.HairpinMode.OFF);
        // metrics on, on the loopback only
        assertThat(br.metrics()).isEqualTo(MetricsConfig.DEFAULT);
        assertThat(er.metrics()).isEqualTo(MetricsConfig.DEFAULT);
    }
}
