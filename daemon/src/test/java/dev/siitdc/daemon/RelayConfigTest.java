package dev.siitdc.daemon;

import dev.siitdc.dataplane.Role;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RelayConfigTest {
    static RelayConfig cfg(Role role, String tun, int queues, java.nio.file.Path stats, List<Integer> sas, String up) {
        return new RelayConfig(role, tun, queues, stats, sas, up, RelayConfig.DEFAULT_ICMP_ERRORS_PER_SECOND,
                RelayConfig.DEFAULT_ICMP_ERRORS_BURST);
    }

    @Test
    void icmpErrorBudgetIsSharedByTheWorkers() {
        var mx = RelayConfig.borderRelay("siit0", 3);
        assertThat(mx.icmpErrorsPerSecond()).isEqualTo(1000);
        assertThat(mx.icmpErrorsBurst()).isEqualTo(50);
        // 1000/s over 3 workers: 334/s each, burst 17 each; a fresh bucket lets exactly the burst through
        var limiter = mx.icmpRateLimiter(3);
        int sent = 0;
        for (int i = 0; i < 100; i++) if (limiter.tryAcquire(1_000_000_000L)) sent++;
        assertThat(sent).isEqualTo(17);
        assertThat(limiter.tryAcquire(1_000_000_000L + 3_000_000L)).isTrue();   // 3 ms later: one more token
        RelayConfig off = new RelayConfig(Role.BORDER_RELAY, "siit0", 1, null, List.of(), null, 0, 1);
        assertThat(off.icmpRateLimiter(1)).isSameAs(dev.siitdc.core.xlat.IcmpRateLimiter.NEVER);
        RelayConfig unlimited = new RelayConfig(Role.BORDER_RELAY, "siit0", 1, null, List.of(), null, -1, 1);
        assertThat(unlimited.icmpRateLimiter(4)).isSameAs(dev.siitdc.core.xlat.IcmpRateLimiter.UNLIMITED);
        assertThatThrownBy(() -> new RelayConfig(Role.BORDER_RELAY, "siit0", 1, null, List.of(), null, -2, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RelayConfig(Role.BORDER_RELAY, "siit0", 1, null, List.of(), null, 10, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
    @Test
    void offloadIsOnByDefault() {
        RelayConfig br = RelayConfig.borderRelay("siit0", 1);
        assertThat(br.offload()).isTrue();
        assertThat(cfg(Role.BORDER_RELAY, "siit0", 1, null, List.of(), null).offload()).isTrue();
        RelayConfig off = br.withOffload(false);
        assertThat(off.offload()).isFalse();
        assertThat(off.withOffload(true)).isEqualTo(br);
    }

    @Test
    void interfaceNames() {
        assertThat(RelayConfig.interfaceNameProblem("siit0")).isNull();
        assertThat(RelayConfig.interfaceNameProblem("eth0.100")).isNull();
        assertThat(RelayConfig.interfaceNameProblem("a23456789012345")).isNull();
        assertThat(RelayConfig.interfaceNameProblem("a234567890123456")).contains("longer than 15 bytes");
        assertThat(RelayConfig.interfaceNameProblem("")).contains("empty");
        assertThat(RelayConfig.interfaceNameProblem("..")).contains("not a valid");
        assertThat(RelayConfig.interfaceNameProblem("a/b")).contains("'/'");
        assertThat(RelayConfig.interfaceNameProblem("a:b")).contains("':'");
        assertThat(RelayConfig.interfaceNameProblem("siit%d")).contains("'%'");
        assertThat(RelayConfig.interfaceNameProblem("a b")).contains("white space");
    }

    @Test
    void queues() {
        RelayConfig auto = cfg(Role.BORDER_RELAY, "siit0", 0, null, List.of(), null);
        assertThat(auto.effectiveQueues()).isEqualTo(Math.min(256, Runtime.getRuntime().availableProcessors()));
        assertThat(cfg(Role.BORDER_RELAY, "siit0", 3, null, List.of(), null).effectiveQueues()).isEqualTo(3);
        assertThatThrownBy(() -> cfg(Role.BORDER_RELAY, "siit0", 257, null, List.of(), null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cfg(Role.BORDER_RELAY, "siit0", -1, null, List.of(), null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void roleSpecificKeys() {
        assertThatThrownBy(() -> cfg(Role.EDGE_RELAY, "siit0", 1, null, List.of(), null))
                .hasMessageContaining("at least one service address");
        assertThatThrownBy(() -> cfg(Role.BORDER_RELAY, "siit0", 1, null, List.of(1), null))
                .hasMessageContaining("edge relays");
        assertThatThrownBy(() -> cfg(Role.BORDER_RELAY, "siit0", 1, null, List.of(), "eth0"))
                .hasMessageContaining("edge relays");
        assertThat(cfg(Role.EDGE_RELAY, "siit0", 1, null, List.of(1), "eth0").upstreamInterface())
                .isEqualTo("eth0");
    }

    @Test
    void roleNames() {
        assertThat(Role.fromConfigName("border-relay")).isEqualTo(Role.BORDER_RELAY);
        assertThat(Role.fromConfigName("edge-relay")).isEqualTo(Role.EDGE_RELAY);
        assertThat(Role.fromConfigName("br")).isNull();
        assertThat(Role.EDGE_RELAY).hasToString("edge-relay");
    }
}
