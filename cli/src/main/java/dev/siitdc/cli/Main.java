package dev.siitdc.cli;

import dev.siitdc.daemon.ExitStatus;
import dev.siitdc.daemon.IoErrors;

import dev.siitdc.daemon.config.ConfigError;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code siitdc}: the command line. Exit statuses: {@link ExitStatus} (0 on success, 2 for a bad configuration,
 * bad usage or an unreadable input file, one message on stderr, no stack trace; 1 for an unexpected internal
 * failure; 3 no daemon; 4 partly done; 5 permission denied).
 */
@Command(name = "siitdc", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Stateless IPv4/IPv6 translator for SIIT-DC (RFC 7915, 7757, 6052, 7755, 7756).",
        subcommands = {TranslateCommand.class, CheckConfigCommand.class, RunCommand.class,
                DemoCommand.class, ExplainCommand.class, EamtCommand.class,
                GlobalCommand.class, StatsCommand.class, ReloadCommand.class, CompletionCommand.class},
        commandListHeading = "%nCommands:%n",
        footer = {"", "Run 'siitdc COMMAND --help' for a command's options.", "", ExitStatus.HELP})
public final class Main implements Callable<Integer> {
    public static final int EXIT_OK = ExitStatus.OK;
    public static final int EXIT_INTERNAL = ExitStatus.INTERNAL;
    public static final int EXIT_BAD_INPUT = ExitStatus.BAD_INPUT;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "no command given: use run, demo, explain, eamt, global, stats, reload, translate or check-config (siitdc --help lists them)");
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command line with the given streams and returns the exit status (never calls System.exit). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        PrintWriter o = new PrintWriter(out, false);
        PrintWriter e = new PrintWriter(err, true);
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(o);
        cl.setErr(e);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            o.flush();
            return report(ex, cmd.getErr());
        });
        try {
            return cl.execute(args);
        } finally {
            o.flush();
            e.flush();
        }
    }

    private static int report(Exception ex, PrintWriter err) {
        if (ex instanceof ConfigError c) {
            err.println(c.getMessage());
            return EXIT_BAD_INPUT;
        }
        if (ex instanceof IOException io) {  // PcapException and friends already name the file
            err.println("siitdc: " + (io.getMessage() != null ? io.getMessage() : IoErrors.describe(io)));
            return EXIT_BAD_INPUT;
        }
        err.println("siitdc: internal error: " + ex);
        ex.printStackTrace(err);
        return EXIT_INTERNAL;
    }
}
