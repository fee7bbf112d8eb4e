package dev.siitdc.cli;

import dev.siitdc.daemon.control.ControlProtocol.Reply;
import dev.siitdc.daemon.control.ControlProtocol.Status;
import dev.siitdc.daemon.control.ControlServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.siitdc.cli.CliRun.siitdc;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code siitdc explain --live}: the EAMT comes from the running daemon the file names, not from the file. */
class ExplainLiveTest {
    @TempDir
    Path dir;

    private Path config(Path sock) throws Exception {
        return Files.writeString(dir.resolve("br.toml"), """
                [translator]
                pool6 = "2001:db8:46::/96"

                [[eamt]]
                ipv4 = "192.0.2.1"
                ipv6 = "2001:db8:a::"

                [relay]
                role = "border-relay"
                control-socket = "%s"
                """.formatted(sock));
    }

    @Test
    void theRunningTableAnswersAndTheFilesDoesNot() throws Exception {
        Path sock = dir.resolve("br.sock");
        Path cfg = config(sock);
        try (ControlServer s = ControlServer.bind(sock)) {
            s.start(req -> req.equals("eamt display")
                    ? new Reply(Status.OK, "2 EAMs", List.of("192.0.2.1/32 2001:db8:a::/128", "192.0.2.20/32 2001:db8:c::20/128"),
                            List.of())
                    : Reply.refused("unexpected " + req));
            CliRun live = siitdc("explain", "--config", cfg.toString(), "--live", "2001:db8:46::c633:6402", "2001:db8:c::20");
            assertThat(live.exit()).as(live.err()).isZero();
            assertThat(live.out()).contains("192.0.2.20").contains("eamt[2] 192.0.2.20/32 <-> 2001:db8:c::20/128 (the running"
                    + " daemon's table, " + sock + ")");
            CliRun file = siitdc("explain", "--config", cfg.toString(), "2001:db8:46::c633:6402", "2001:db8:c::20");
            assertThat(file.exit()).as(file.err()).isZero();
            assertThat(file.out()).doesNotContain("192.0.2.20").doesNotContain("running daemon");
        }
    }

    @Test
    void noDaemonIsExit3AndAFileWithoutRelayIsExit2() throws Exception {
        Path sock = dir.resolve("none.sock");
        CliRun r = siitdc("explain", "--config", config(sock).toString(), "--live", "198.51.100.2", "192.0.2.1");
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err()).isEqualTo("siitdc explain: --live: no siitdc daemon is listening on " + sock
                + " (is `siitdc run` running?)\n");
        Path plain = Files.writeString(dir.resolve("t.toml"), "[translator]\npool6 = \"2001:db8:46::/96\"\n");
        r = siitdc("explain", "--config", plain.toString(), "--live", "198.51.100.2", "192.0.2.1");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--live: ").contains("has no [relay] section");
    }
}
