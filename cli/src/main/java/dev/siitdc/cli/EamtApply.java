package dev.siitdc.cli;

import dev.siitdc.core.eam.Eam;
import dev.siitdc.daemon.config.ConfigError;
import dev.siitdc.daemon.config.ConfigLoader;
import dev.siitdc.daemon.config.EamtLines;
import dev.siitdc.daemon.control.ControlProtocol;
import dev.siitdc.daemon.control.ControlProtocol.Reply;
import dev.siitdc.daemon.control.ControlProtocol.Status;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code siitdc eamt apply --file} and {@code eamt add --file}: the file is read and checked here (FILE:LINE), its
 * entries streamed to the daemon over one connection ({@code eamt apply begin}, {@code entries} lines, then
 * {@code commit}, {@link ControlProtocol}), and the daemon swaps the whole table at once.
 */
final class EamtApply {
    private static final Pattern ENTRY = Pattern.compile("^entry ([0-9]+): (.*)$");
    private static final Pattern COUNT = Pattern.compile("\\(([0-9]+ EAMs?)\\)");

    private EamtApply() {}

    /** The entries of {@code file}: a .toml file's [[eamt]], or "IPV4 IPV6" lines. */
    static EamtLines.Entries read(Path file) throws ConfigError {
        if (file.toString().endsWith(".toml")) {
            List<Eam> eams = ConfigLoader.load(file).eamt();
            return new EamtLines.Entries(eams, new int[0]);
        }
        return EamtLines.read(file, "eamt");
    }

    /** The request lines: begin, the entries in lines of at most {@link ControlProtocol#MAX_LINE} bytes, commit. */
    static List<String> requests(List<Eam> eams, boolean add, boolean dryRun) {
        List<String> out = new ArrayList<>(2 + eams.size() / 100);
        out.add("eamt apply begin");
        String head = "eamt apply entries";
        StringBuilder sb = new StringBuilder(head);
        for (Eam e : eams) {
            String pair = " " + e.ipv4() + " " + e.ipv6();
            if (sb.length() + pair.length() > ControlProtocol.MAX_LINE - 16) {
                out.add(sb.toString());
                sb.setLength(0);
                sb.append(head);
            }
            sb.append(pair);
        }
        if (sb.length() > head.length()) out.add(sb.toString());
        out.add("eamt apply commit" + (add ? " add" : "") + (dryRun ? " dry-run" : ""));
        return out;
    }

    static int run(CommandSpec spec, Ctl.SocketOptions socket, Path file, boolean add, boolean dryRun) {
        PrintWriter err = spec.commandLine().getErr();
        EamtLines.Entries entries;
        try {
            entries = read(file);
        } catch (ConfigError e) {
            err.println("siitdc: " + e.getMessage() + "; nothing was sent");
            err.flush();
            return Ctl.EXIT_REFUSED;
        }
        List<String> requests = requests(entries.eams(), add, dryRun);
        return Ctl.withDaemon(spec, socket, c -> {
            List<Reply> replies = c.pipeline(requests);
            for (int i = 0; i < replies.size() - 1; i++) {
                Reply r = replies.get(i);
                if (r.status() != Status.OK) {
                    Matcher m = ENTRY.matcher(r.text());
                    String where = file.toString();
                    String why = r.text();
                    if (m.matches()) {
                        int n = Integer.parseInt(m.group(1));
                        int line = entries.lineOf(n - 1);
                        where += line > 0 ? ":" + line : ": eamt[" + n + "]";
                        why = m.group(2);
                    }
                    err.println("siitdc: " + where + ": " + why + "; nothing was changed");
                    err.flush();
                    return Ctl.exitStatus(r.status());
                }
            }
            Reply r = replies.getLast();
            if (r.status() != Status.OK) return Ctl.report(spec, r);
            for (String w : r.warnings()) err.println("siitdc: warning: " + w);
            err.flush();
            PrintWriter out = spec.commandLine().getOut();
            if (add) {
                Matcher m = COUNT.matcher(r.text());
                int n = entries.eams().size();
                Ctl.changed(spec, "added " + n + " of " + n + " EAMs from " + file + (m.find() ? " (" + m.group(1) + " now)" : ""));
                return Ctl.EXIT_OK;
            }
            for (String d : r.data()) out.println(d);
            if (dryRun || r.text().startsWith("no change")) {
                out.println(r.text());
                out.flush();
            } else {
                Ctl.changed(spec, r.text());
            }
            return Ctl.EXIT_OK;
        });
    }
}
