package dev.siitdc.cli;

import dev.siitdc.daemon.ExitStatus;

import dev.siitdc.daemon.DaemonProcess;
import dev.siitdc.daemon.config.ConfigError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code siitdc run --config FILE}: the daemon, {@link DaemonProcess}. */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Runs the translator as a daemon: a SIIT-DC Border Relay (RFC 7755) or a node-based "
                + "Edge Relay (RFC 7756) on a multi-queue TUN interface, as the [relay] section says.",
                "Prints a one-line summary when it is ready; SIGTERM or SIGINT stops it, undoes every change "
                + "it made (TUN, routes, addresses, proxy NDP entries, sysctls) and prints the counters.",
                "While it runs, siitdc eamt, global and stats manage it through its control socket ([relay] "
                + "control-socket, default /run/siitdc/NETNS/TUN-NAME.sock, NETNS the network namespace's ip netns name or inode, root only), and SIGHUP reloads the "
                + "[translator] and [[eamt]] sections of FILE (a file with a problem is refused and the running "
                + "configuration kept; [relay] changes need a restart).",
                "Needs root (CAP_NET_ADMIN). Exit status: 0 after a signal, 2 for a bad configuration or a failed"
                + " start-up, 5 without root, 1 when a worker failed or a change could not be undone."},
        footer = {"", ExitStatus.HELP})
public final class RunCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "the TOML configuration file")
    Path config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws ConfigError {
        return DaemonProcess.run(config, spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
