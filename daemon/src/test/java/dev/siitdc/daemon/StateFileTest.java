package dev.siitdc.daemon;

import dev.siitdc.linux.Route;
import dev.siitdc.linux.Rtnetlink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StateFileTest {
    @TempDir
    Path dir;

    @Test
    void besideTheControlSocketNamedAfterIt() {
        assertThat(StateFile.pathFor(RelayConfig.borderRelay("siit0", 1))).isEqualTo(Path.of("/run/siitdc", NetnsIdentity.id(), "siit0.state"));
        assertThat(StateFile.pathFor(Path.of("/tmp/x/br.sock"))).isEqualTo(Path.of("/tmp/x/br.state"));
        assertThat(StateFile.pathFor(Path.of("/tmp/x/control"))).isEqualTo(Path.of("/tmp/x/control.state"));
    }

    @Test
    void eachChangeIsWrittenAtOnceAndALineUndoneAtRunTimeGoes() throws Exception {
        Path p = dir.resolve("siit0.state");
        StateFile s = StateFile.create(p);
        assertThat(Files.readString(p)).startsWith("siitdc-state 1\npid " + ProcessHandle.current().pid() + " ");
        s.add("tun", "siit0");
        Route r = Route.to(Rtnetlink.AF_INET6, new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0x46, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
                96).dev(7).mtu(1280);
        s.add(StateFile.words("route-added", StateFile.route(r, "siit0")));
        s.add("proxy", "eth0", "2001:db8::1");
        s.addLines(List.of("sysctl net.ipv4.ip_forward 0", "sysctl net.ipv6.conf.all.forwarding 0"));
        s.remove("proxy", "eth0", "2001:db8::1");
        assertThat(Files.readAllLines(p)).hasSize(6).element(3).isEqualTo("route-added inet6 2001:db8:46::/96 dev siit0 mtu 1280");
        assertThat(Files.readString(p)).doesNotContain("proxy").endsWith("sysctl net.ipv6.conf.all.forwarding 0\n");
        assertThat(dir.resolve("siit0.state.tmp")).doesNotExist();
        s.delete();
        assertThat(p).doesNotExist();
    }

    @Test
    void aDeadPidOrAnotherProgramIsNotARunningDaemon() throws Exception {
        Process sleep = new ProcessBuilder("sleep", "30").start();
        try {
            String started = sleep.toHandle().info().startInstant().orElseThrow().toString();
            assertThat(CrashRecovery.alive(sleep.pid(), started)).as("not a siitdc").isFalse();
        } finally {
            sleep.destroyForcibly();
            sleep.waitFor();
        }
        assertThat(CrashRecovery.alive(sleep.pid(), "-")).as("dead").isFalse();
        assertThat(CrashRecovery.alive(ProcessHandle.current().pid(), "-")).as("this process").isFalse();
    }

    @Test
    void noneRecordsNothing() throws Exception {
        StateFile s = StateFile.none();
        s.add("tun", "siit0");
        s.delete();
        assertThat(s.path()).isNull();
    }
}
