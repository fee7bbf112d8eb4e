package dev.siitdc.cli;

import dev.siitdc.daemon.ExitStatus;
import dev.siitdc.daemon.config.ConfigError;
import dev.siitdc.daemon.config.DaemonConfigLoader;
import dev.siitdc.daemon.config.NodeAddresses;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code siitdc check-config FILE}: prints "FILE: OK", or the first problem as FILE:LINE: KEY: REASON. */
@Command(name = "check-config", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Checks a configuration file without changing anything.",
                "Prints 'FILE: OK' (exit status 0) or the first problem as FILE:LINE: KEY: REASON (exit status 2).",
                "A file with a [relay] section is checked as the daemon (siitdc run) reads it.",
                "own-ipv4-address is checked against the addresses of the node check-config runs on."},
        footer = {"", ExitStatus.HELP})
final class CheckConfigCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "the TOML configuration file")
    Path file;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws ConfigError {
        NodeAddresses node = NodeAddresses.read();   // own-ipv4-address must not be one of them
        DaemonConfigLoader.check(file, node);
        if (node.skipped() != null) spec.commandLine().getErr().println("siitdc: check-config: note: " + node.skipped());
        spec.commandLine().getOut().println(file + ": OK");
        return ExitStatus.OK;
    }
}
