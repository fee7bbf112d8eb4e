package dev.siitdc.cli;

import dev.siitdc.daemon.control.ControlProtocol.Reply;
import dev.siitdc.daemon.control.ControlProtocol.Status;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * {@code siitdc reload}: the running daemon re-reads its configuration file (as on SIGHUP) and answers when
 * done; a refused reload (a bad file) is said on stderr with its reason and exits non-zero. The unit's
 * ExecReload, so that {@code systemctl reload} fails when the reload does.
 */
@Command(name = "reload", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Asks the running daemon to re-read its configuration file, waits for the result and says"
                + " what changed. [translator] and [[eamt]] are replaced (run-time changes made through the control"
                + " socket are dropped); a changed [relay] key needs a restart and is reported. A file the daemon"
                + " refuses changes nothing: the reason is printed and the exit status is 2."},
        footer = {"", Ctl.EXIT_STATUS_HELP})
public final class ReloadCommand extends Ctl.DaemonCommand {
    @Override
    public Integer call() {
        return Ctl.withDaemon(spec, socket, c -> {
            Reply r = c.request("reload");
            if (r.status() == Status.OK) {
                PrintWriter out = spec.commandLine().getOut();
                out.println(r.text());
                out.flush();
            }
            return Ctl.report(spec, r);
        });
    }
}
