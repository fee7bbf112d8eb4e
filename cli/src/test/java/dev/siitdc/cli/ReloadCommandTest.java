package dev.siitdc.cli;

import dev.siitdc.daemon.ExitStatus;
import dev.siitdc.daemon.control.ControlProtocol.Reply;
import dev.siitdc.daemon.control.ControlProtocol.Status;
import dev.siitdc.daemon.control.ControlServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static dev.siitdc.cli.CliRun.siitdc;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code siitdc reload} against a control socket that answers "reload" as the test says: output and exit statuses. */
class ReloadCommandTest {
    @TempDir
    Path dir;

    private final AtomicReference<Reply> answer = new AtomicReference<>();

    private ControlServer server(Path path) throws Exception {
        ControlServer s = ControlServer.bind(path);
        s.start(req -> req.equals("reload") ? answer.get() : Reply.refused("unexpected " + req));
        return s;
    }

    @Test
    void doneRefusedFailedAndNoDaemon() throws Exception {
        Path sock = dir.resolve("r.sock");
        try (ControlServer s = server(sock)) {
            answer.set(new Reply(Status.OK, "reloaded /etc/siitdc/br.toml: EAMT: 1 added, 0 removed, 2 EAMs", List.of(),
                    List.of("[relay] queues 2 -> 4: needs a restart, ignored")));
            CliRun ok = siitdc("reload", "--socket", sock.toString());
            assertThat(ok.exit()).isEqualTo(ExitStatus.OK);
            assertThat(ok.out()).isEqualTo("reloaded /etc/siitdc/br.toml: EAMT: 1 added, 0 removed, 2 EAMs\n");
            assertThat(ok.err()).isEqualTo("siitdc: warning: [relay] queues 2 -> 4: needs a restart, ignored\n");

            answer.set(Reply.refused("/etc/siitdc/br.toml:3: translator.pool6: not an IPv6 prefix (still running the"
                    + " previous configuration)"));
            CliRun refused = siitdc("reload", "--socket", sock.toString());
            assertThat(refused.exit()).isEqualTo(ExitStatus.BAD_INPUT).isEqualTo(2);
            assertThat(refused.out()).isEmpty();
            assertThat(refused.err()).isEqualTo("siitdc: reload: /etc/siitdc/br.toml:3: translator.pool6: not an IPv6"
                    + " prefix (still running the previous configuration)\n");

            answer.set(Reply.failed("the daemon is still starting"));
            assertThat(siitdc("reload", "--socket", sock.toString()).exit()).isEqualTo(ExitStatus.INTERNAL);
        }
        CliRun none = siitdc("reload", "--socket", sock.toString());
        assertThat(none.exit()).isEqualTo(ExitStatus.NO_DAEMON).isEqualTo(3);
        assertThat(none.err()).startsWith("siitdc: no siitdc daemon is listening on " + sock);
    }

    @Test
    void configFindsTheSocketAndABadFileIsRefusedWithItsReason() throws Exception {
        Path sock = dir.resolve("c.sock");
        Path cfg = Files.writeString(dir.resolve("br.toml"), """
                [translator]
                pool6 = "2001:db8:46::/96"
                [relay]
                role = "border-relay"
                control-socket = "%s"
                """.formatted(sock));
        try (ControlServer s = server(sock)) {
            answer.set(Reply.ok("reloaded " + cfg + ": no change"));
            CliRun ok = siitdc("reload", "--config", cfg.toString());
            assertThat(ok.exit()).as(ok.err()).isZero();
            assertThat(ok.out()).isEqualTo("reloaded " + cfg + ": no change\n");
        }
        Files.writeString(cfg, "[translator]\npool6 = \"nonsense\"\n[relay]\nrole = \"border-relay\"\n");
        CliRun bad = siitdc("reload", "--config", cfg.toString());
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).isEqualTo(cfg + ":2: pool6: 'nonsense' is not an IPv6 address: no ':'\n");
        CliRun both = siitdc("reload", "--config", cfg.toString(), "--socket", sock.toString());
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("give --config, --socket or --tun, not two of them");
    }
}
