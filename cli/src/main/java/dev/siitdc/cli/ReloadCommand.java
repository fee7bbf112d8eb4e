package dev.siitdc.cli;

import dev.siitdc.daemon.control.ControlProtocol.Reply;
import dev.siitdc.daemon.control.ControlProtocol.Status;
import dev.siitdc.daemon.config.ConfigError;
import dev.siitdc.daemon.config.DaemonConfig;
import dev.siitdc.daemon.config.DaemonConfigLoader;
import dev.siitdc.daemon.config.NodeAddresses;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.PrintWriter;
import java.nio.file.Path;

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
    @Option(names = "--config", paramLabel = "FILE",
            description = "the daemon's configuration file: its control socket ([relay] control-socket, or the default"
                    + " for its tun-name). A file with a problem is refused here, with its reason (the daemon would"
                    + " refuse it too).")
    Path config;

    @Override
    public Integer call() throws ConfigError {
        if (config != null) {
            if (socket.socket != null || socket.tun != null)
                throw new ParameterException(spec.commandLine(), "give --config, --socket or --tun, not two of them");
            DaemonConfig cfg = DaemonConfigLoader.load(config, NodeAddresses.read());
            if (cfg.relay() == null)
                throw new ConfigError(cfg.file(), 1, "relay", "missing: siitdc run needs a [relay] section");
            socket.socket = cfg.relay().effectiveControlSocket();
        }
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
