package dev.siitdc.cli;

import dev.siitdc.cli.config.ConfigError;
import dev.siitdc.cli.config.ConfigLoader;
import dev.siitdc.cli.config.DaemonConfigLoader;
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
                "A file with a [relay] section is checked as the daemon (siitdc run) reads it."})
final class CheckConfigCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "the TOML configuration file")
    Path file;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws ConfigError {
        String text = ConfigLoader.readText(file);
        // a daemon configuration ([relay]) is checked whole, as `siitdc run` would read it
        if (org.tomlj.Toml.parse(text).isTable("relay")) DaemonConfigLoader.parse(text, file.toString());
        else ConfigLoader.parse(text, file.toString());
        spec.commandLine().getOut().println(file + ": OK");
        return Main.EXIT_OK;
    }
}
