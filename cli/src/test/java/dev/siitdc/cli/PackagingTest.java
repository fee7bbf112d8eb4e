package dev.siitdc.cli;

import dev.siitdc.daemon.ExitStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** packaging/siitdc@.service: the privileges and lifecycle it promises, systemd accepts it and rates it. */
class PackagingTest {
    static final Path UNIT = Path.of("../packaging/siitdc@.service");

    @Test
    void unitIsTypeNotifyWithCapNetAdminAndCapBpfOnlyAndReloadsThroughSiitdcReload() throws Exception {
        List<String> lines = Files.readAllLines(UNIT).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertThat(lines).contains("Type=notify", "NotifyAccess=main", "CapabilityBoundingSet=CAP_NET_ADMIN CAP_BPF",
                "AmbientCapabilities=CAP_NET_ADMIN CAP_BPF", "StateDirectory=siitdc", "RuntimeDirectory=siitdc",
                "ProtectSystem=strict", "NoNewPrivileges=yes", "Restart=on-failure",
                "ExecReload=/usr/local/bin/siitdc reload --config /etc/siitdc/%i.toml",
                "ExecStart=/usr/local/bin/siitdc run --config /etc/siitdc/%i.toml",
                "Environment=SIITDC_NO_BUILD=1", "RestartPreventExitStatus=2 5", "DeviceAllow=/dev/net/tun rw");
        assertThat(lines).anyMatch(l -> l.matches("WatchdogSec=[1-9][0-9]*s"));
        // run checks the file as check-config does, before any change: no second JVM before it (start-up time)
        assertThat(lines).noneMatch(l -> l.startsWith("ExecStartPre="));
        // what would break the daemon: read-only /proc/sys (its sysctls), no /dev/net/tun, no JIT
        assertThat(lines).doesNotContain("ProtectKernelTunables=yes", "PrivateDevices=yes", "PrivateNetwork=yes",
                "MemoryDenyWriteExecute=yes");
        assertThat(lines.stream().filter(l -> l.startsWith("CapabilityBoundingSet=") || l.startsWith("AmbientCapabilities=")))
                .allMatch(l -> l.endsWith("=CAP_NET_ADMIN CAP_BPF"));   // CAP_BPF: the fast path; no CAP_SYS_ADMIN
        // the lease file's directory is writable under ProtectSystem=strict
        assertThat(lines).anyMatch(l -> l.startsWith("ReadWritePaths=") && l.contains("/var/lib/siitdc"));
        // CAP_NET_BIND_SERVICE only for a network-based Edge Relay: its DHCP server binds UDP port 67
        List<String> dropIn = Files.readAllLines(UNIT.resolveSibling("network-edge-relay.conf")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        assertThat(dropIn).containsExactly("[Service]", "CapabilityBoundingSet=CAP_NET_ADMIN CAP_NET_BIND_SERVICE",
                "AmbientCapabilities=CAP_NET_ADMIN CAP_NET_BIND_SERVICE");
    }

    @Test
    void systemdAnalyzeSecurityRatesTheUnitOkOrBetter(@TempDir Path dir) throws Exception {
        Path analyze = Path.of("/usr/bin/systemd-analyze");
        assumeTrue(Files.isExecutable(analyze), "systemd-analyze is not installed");
        Files.writeString(dir.resolve("siitdc@.service"), Files.readString(UNIT));
        Process p = new ProcessBuilder(analyze.toString(), "security", "--offline=true", "siitdc@test.service")
                .directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Overall exposure level for siitdc@test.service: ([0-9.]+)")
                .matcher(out);
        assertThat(m.find()).as("systemd-analyze security:%n%s", out).isTrue();
        // docs/operator-guide.md gives this score; 2.5 when written ("OK"; 10 is fully exposed)
        assertThat(Double.parseDouble(m.group(1))).as("exposure level").isLessThanOrEqualTo(2.5);
    }

    @Test
    void systemdAnalyzeVerifyHasNothingToSay(@TempDir Path dir) throws Exception {
        Path analyze = Path.of("/usr/bin/systemd-analyze");
        assumeTrue(Files.isExecutable(analyze), "systemd-analyze is not installed");
        // the ExecStart binary must exist for verify: point it at this checkout's launcher
        String launcher = Path.of("../bin/siitdc").toAbsolutePath().normalize().toString();
        Files.writeString(dir.resolve("siitdc@.service"), Files.readString(UNIT).replace("/usr/local/bin/siitdc", launcher));
        Process p = new ProcessBuilder(analyze.toString(), "verify", "--man=no", "siitdc@test.service").directory(dir.toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        // outside a systemd system (a container, CI) it may complain that it cannot reach the manager: not our unit
        List<String> ours = out.lines().filter(l -> l.contains("siitdc@")).toList();
        assertThat(ours).as("systemd-analyze verify:%n%s", out).isEmpty();
        assertThat(p.exitValue()).as("systemd-analyze verify:%n%s", out).isZero();
    }
}
