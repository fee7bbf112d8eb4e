package dev.siitdc.cli;

import dev.siitdc.daemon.IoErrors;
import dev.siitdc.daemon.control.ControlProtocol.Reply;
import dev.siitdc.daemon.control.ControlProtocol.Status;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code siitdc eamt add|remove|display|flush}: the running daemon's Explicit Address Mapping Table
 * (RFC 7757), as {@code jool_siit eamt} manages Jool's, through the control socket. Each change is one
 * atomic swap of the translator's table; traffic the change does not touch goes on undisturbed.
 */
@Command(name = "eamt", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Shows and changes the running daemon's EAM table (RFC 7757) through its control socket.",
                "Each change applies atomically while packets flow. " + Ctl.RUNTIME_ONLY},
        subcommands = {EamtCommand.Add.class, EamtCommand.Remove.class, EamtCommand.Display.class,
                EamtCommand.Flush.class, EamtCommand.Apply.class},
        commandListHeading = "%nCommands:%n",
        footer = {"", Ctl.EXIT_STATUS_HELP})
public final class EamtCommand extends Ctl.Group {
    @Command(name = "add", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Adds an EAM: IPV4_PREFIX <-> IPV6_PREFIX (either order; a bare address is a /32 or a /128).",
                    "The IPv4 suffix must fit the IPv6 suffix (RFC 7757 s3.2). Prefixes may overlap others' (the longest"
                    + " match wins), but neither may be another EAM's prefix exactly. A Border Relay also routes the"
                    + " IPv4 prefix into its TUN.",
                    "With --file, adds the EAMs of FILE (one \"IPV4 IPV6\" a line, blank lines and # comments"
                    + " ignored; or the [[eamt]] entries of a .toml file) all at once, as one atomic change: if one is"
                    + " refused, none is added.",
                    Ctl.RUNTIME_ONLY},
            footer = {"", "Examples:", "  siitdc eamt add 192.0.2.10 2001:db8:1::10",
                    "  siitdc eamt add 198.51.100.0/24 2001:db8:100::/120", "  siitdc eamt add --file eams.txt",
                    "", Ctl.EXIT_STATUS_HELP})
    static final class Add extends Change {
        @Parameters(arity = "0..2", paramLabel = "PREFIX", description = "the IPv4 prefix and the IPv6 prefix")
        List<String> prefixes = new ArrayList<>();

        @Option(names = "--file", paramLabel = "FILE", description = "add the EAMs listed in FILE (- for stdin)")
        Path file;

        @Override
        public Integer call() {
            if (file != null) {
                if (!prefixes.isEmpty()) throw new ParameterException(spec.commandLine(), "give --file or two prefixes, not both");
                return EamtApply.run(spec, socket, file, true, false);
            }
            return send(prefixes, null, "eamt add", 2, 2, "give --file or two prefixes, not both",
                    "give an IPv4 prefix and an IPv6 prefix (or --file)");
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Removes the EAM whose IPv4 prefix or IPv6 prefix is PREFIX (exactly: a bare address is a"
                    + " /32 or a /128); with both, they must be the same EAM's.",
                    "An Edge Relay refuses to remove the EAM of one of its own Service Addresses.",
                    "With --file, removes one EAM per line of FILE (\"PREFIX [PREFIX]\") over one connection, each"
                    + " its own atomic change.",
                    Ctl.RUNTIME_ONLY},
            footer = {"", "Examples:", "  siitdc eamt remove 192.0.2.10", "  siitdc eamt remove 2001:db8:100::/120",
                    "", Ctl.EXIT_STATUS_HELP})
    static final class Remove extends Change {
        @Parameters(arity = "0..2", paramLabel = "PREFIX", description = "the EAM's IPv4 prefix, IPv6 prefix or both")
        List<String> prefixes = new ArrayList<>();

        @Option(names = "--file", paramLabel = "FILE", description = "remove the EAMs listed in FILE (- for stdin)")
        Path file;

        @Override
        public Integer call() {
            return send(prefixes, file, "eamt remove", 1, 2, "give --file or prefixes, not both",
                    "give the EAM's IPv4 prefix, IPv6 prefix or both (or --file)");
        }
    }

    @Command(name = "display", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Lists the EAMs in force, in the order they were added.",
            footer = {"", Ctl.EXIT_STATUS_HELP})
    static final class Display extends Ctl.DaemonCommand {
        @Option(names = "--csv", description = "comma-separated values, with an \"ipv4,ipv6\" header line")
        boolean csv;

        @Override
        public Integer call() {
            return show("eamt display", (out, r) -> {
                List<String[]> rows = new ArrayList<>();
                for (String d : r.data()) rows.add(d.split(" ", 2));
                if (csv) {
                    out.println("ipv4,ipv6");
                    for (String[] row : rows) out.println(row[0] + "," + row[1]);
                } else {
                    rows.addFirst(new String[] {"IPV4 PREFIX", "IPV6 PREFIX"});
                    Ctl.columns(out, rows);
                    out.println("(" + r.text() + ")");
                }
            });
        }
    }

    @Command(name = "flush", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Removes every EAM (an Edge Relay keeps those of its own Service Addresses). Refused when"
                    + " pool6 is unset: the translator would have nothing left to translate with.", Ctl.RUNTIME_ONLY},
            footer = {"", Ctl.EXIT_STATUS_HELP})
    static final class Flush extends Ctl.DaemonCommand {
        @Override
        public Integer call() {
            return change("eamt flush");
        }
    }

    @Command(name = "apply", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Replaces the running EAMT with the table of FILE, as one atomic change, and prints the"
                    + " difference: one line per EAM removed (-), changed (~: the same IPv4 prefix, another IPv6"
                    + " prefix) or added (+), then a count line.",
                    "FILE is a .toml file (its [[eamt]] entries; the rest is ignored) or, by any other name, one"
                    + " \"IPV4 IPV6\" pair a line (# comments, blank lines ignored; commas count as spaces). Everything"
                    + " is checked first, by the command (FILE:LINE) and by the daemon (as a configuration file and"
                    + " eamt add are); then the whole table is swapped at once: all of it or nothing.",
                    "With --dry-run, prints the difference and changes nothing.", Ctl.RUNTIME_ONLY},
            footer = {"", "Examples:", "  siitdc eamt apply --file br.toml --dry-run", "  siitdc eamt apply --file eams.txt",
                    "", Ctl.EXIT_STATUS_HELP})
    static final class Apply extends Ctl.DaemonCommand {
        @Option(names = "--file", required = true, paramLabel = "FILE",
                description = "the new table: a .toml file's [[eamt]] entries, or \"IPV4 IPV6\" lines (- for stdin)")
        Path file;

        @Option(names = "--dry-run", description = "print the difference only; change nothing")
        boolean dryRun;

        @Override
        public Integer call() {
            return EamtApply.run(spec, socket, file, false, dryRun);
        }
    }

    /** What add and remove share: the EAM given as arguments, or one per line of a file. */
    abstract static class Change extends Ctl.DaemonCommand {
        /**
         * Sends {@code request} with {@code prefixes} (at least {@code min}), or with each line of {@code file}.
         *
         * @param notBoth the usage error when both are given
         * @param missing the usage error when neither is, or too few prefixes
         */
        int send(List<String> prefixes, Path file, String request, int min, int max, String notBoth, String missing) {
            if (file != null) {
                if (!prefixes.isEmpty()) throw new ParameterException(spec.commandLine(), notBoth);
                return batch(spec, socket, file, request, min, max);
            }
            if (prefixes.size() < min) throw new ParameterException(spec.commandLine(), missing);
            return change(request + " " + String.join(" ", prefixes));
        }
    }

    /**
     * Sends one request per line of {@code file} ("PREFIX PREFIX"; between {@code min} and {@code max}
     * words; commas count as spaces, so that {@code eamt display --csv} output can be read back), pipelined.
     */
    static int batch(CommandSpec spec, Ctl.SocketOptions socket, Path file, String request, int min, int max) {
        PrintWriter err = spec.commandLine().getErr();
        List<String> lines;
        try {
            lines = file.toString().equals("-")
                    ? new String(System.in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList()
                    : Files.readAllLines(file);
        } catch (IOException e) {
            err.println("siitdc: " + file + ": cannot read: " + IoErrors.describe(e));
            return Ctl.EXIT_REFUSED;
        }
        List<String> requests = new ArrayList<>();
        List<Integer> lineNumbers = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            int hash = l.indexOf('#');
            if (hash >= 0) l = l.substring(0, hash);
            l = l.replace(',', ' ').strip();
            if (l.isEmpty() || l.equals("ipv4 ipv6")) continue;
            String[] w = l.split("\\s+");
            if (w.length < min || w.length > max) {
                err.println("siitdc: " + file + ":" + (i + 1) + ": expected " + (min == max ? min : min + " or " + max)
                        + " prefixes, found " + w.length + "; nothing was sent");
                return Ctl.EXIT_REFUSED;
            }
            requests.add(request + " " + String.join(" ", w));
            lineNumbers.add(i + 1);
        }
        return Ctl.withDaemon(spec, socket, c -> {
            List<Reply> replies = c.pipeline(requests);
            int done = 0, worst = Ctl.EXIT_OK;
            String last = null;
            for (int i = 0; i < replies.size(); i++) {
                Reply r = replies.get(i);
                for (String w : r.warnings()) err.println("siitdc: warning: " + file + ":" + lineNumbers.get(i) + ": " + w);
                if (r.status() == Status.OK) {
                    done++;
                    last = r.text();
                } else {
                    err.println("siitdc: " + file + ":" + lineNumbers.get(i) + ": " + r.text());
                    int s = Ctl.exitStatus(r.status());
                    if (worst == Ctl.EXIT_OK || s == Ctl.EXIT_FAILED) worst = s;
                }
            }
            err.flush();
            String verb = request.endsWith("add") ? "added" : "removed";
            String total = last == null ? "" : last.replaceFirst("^.*\\(([0-9]+ EAMs?)\\)$", "$1");
            Ctl.changed(spec, verb + " " + done + " of " + requests.size() + " EAMs from " + file
                    + (last != null && !total.equals(last) ? " (" + total + " now)" : ""));
            return worst;
        });
    }
}
