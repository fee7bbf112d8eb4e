package dev.siitdc.daemon;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PrivilegesTest {
    @Test
    void rootWithCapNetAdminMayRun() {
        assertThat(Privileges.problem(List.of("Uid:\t0\t0\t0\t0", "CapEff:\t000001ffffffffff"))).isNull();
        assertThat(Privileges.problem(List.of("Uid:\t1000\t1000\t1000\t1000", "CapEff:\t0000000000001000")))
                .as("a user given CAP_NET_ADMIN only").isNull();
    }

    @Test
    void aUserWithoutCapNetAdminIsToldInOneLine() {
        assertThat(Privileges.problem(List.of("Uid:\t65534\t65534\t65534\t65534", "CapEff:\t0000000000000000")))
                .isEqualTo("permission denied: siitdc run needs root (CAP_NET_ADMIN) to create its TUN and change routes,"
                        + " but runs as uid 65534: run it as root (sudo, or the systemd unit)");
        assertThat(Privileges.problem(List.of("Uid:\t0\t0\t0\t0", "CapEff:\t00000000a80425fb")))
                .as("root in a container without CAP_NET_ADMIN (docker's default set)")
                .endsWith("and this root has no CAP_NET_ADMIN (a container that drops it?)");
    }

    @Test
    void withoutCapEffItCannotTell() {
        assertThat(Privileges.problem(List.of("Uid:\t65534\t65534\t65534\t65534"))).isNull();
    }
}
