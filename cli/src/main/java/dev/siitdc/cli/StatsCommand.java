package dev.siitdc.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** {@code siitdc stats display}: the running daemon's counters. */
@Command(name = "stats", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Shows the running daemon's counters through its control socket.",
        subcommands = {StatsCommand.Display.class},
        commandListHeading = "%nCommands:%n",
        footer = {"", Ctl.EXIT_STATUS_HELP})
public final class StatsCommand extends Ctl.Group {
    @Command(name = "display", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Prints the counters, summed over the worker threads: the translator's, then the relay's"
                    + " (TUN reads and writes, filters). Only the non-zero ones unless --all."},
            footer = {"", Ctl.EXIT_STATUS_HELP})
    static final class Display extends Ctl.DaemonCommand {
        @Option(names = "--all", description = "every counter, zeros included")
        boolean all;

        @Option(names = "--json", description = "one JSON object, {\"counter\": value, ...}")
        boolean json;

        @Override
        public Integer call() {
            return show(all ? "stats display all" : "stats display", (out, r) -> {
                List<String[]> rows = new ArrayList<>();
                for (String d : r.data()) rows.add(d.split(" ", 2));
                if (json) {
                    StringBuilder sb = new StringBuilder("{");
                    for (int i = 0; i < rows.size(); i++) {
                        sb.append(i == 0 ? "\n  \"" : ",\n  \"").append(rows.get(i)[0]).append("\": ")
                                .append(rows.get(i)[1]);
                    }
                    out.println(sb.append(rows.isEmpty() ? "}" : "\n}"));
                } else if (rows.isEmpty()) {
                    out.println("(all zero)");
                } else {
                    Ctl.columns(out, rows);
                }
            });
        }
    }
}
