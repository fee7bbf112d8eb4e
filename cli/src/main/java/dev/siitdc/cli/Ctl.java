package dev.siitdc.cli;

import dev.siitdc.daemon.ExitStatus;
import dev.siitdc.daemon.control.CtlClient;

import dev.siitdc.daemon.RelayConfig;
import dev.siitdc.daemon.control.ControlProtocol.Reply;
import dev.siitdc.daemon.control.ControlProtocol.Status;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;

/**
 * What the control commands ({@code siitdc eamt}, {@code global}, {@code stats}) share: the options that
 * find the daemon's control socket, the exit statuses and how a reply is shown.
 *
 * <p>Exit status ({@link ExitStatus}, the same for every command): {@link #EXIT_OK} 0 done; {@link #EXIT_FAILED} 1
 * the daemon could not carry out the request (or an internal error, or it already serves as many connections as
 * it takes); {@link #EXIT_REFUSED} 2 bad usage or a request the daemon refused (a bad address, a duplicate EAM, an
 * EAM whose suffixes cannot pair, a bad value) - nothing changed; {@link #EXIT_NO_DAEMON} 3 no daemon could be
 * reached (none listening on the socket, or the connection was lost); {@link #EXIT_PARTIAL} 4 partly done;
 * {@link #EXIT_NOT_ALLOWED} 5 no permission to use the control socket (not root).
 */
public final class Ctl {
    private Ctl() {}

    public static final int EXIT_OK = ExitStatus.OK;
    public static final int EXIT_FAILED = ExitStatus.INTERNAL;
    public static final int EXIT_REFUSED = ExitStatus.BAD_INPUT;
    public static final int EXIT_NO_DAEMON = ExitStatus.NO_DAEMON;
    public static final int EXIT_PARTIAL = ExitStatus.PARTIAL;
    public static final int EXIT_NOT_ALLOWED = ExitStatus.PERMISSION_DENIED;

    /** The help footer of every control command: {@link ExitStatus#HELP}. */
    static final String EXIT_STATUS_HELP = ExitStatus.HELP;

    /** Said after every change, and in the changing commands' help. */
    static final String RUNTIME_ONLY = "The change is runtime-only: it is lost when siitdc restarts or reloads its"
            + " configuration file (SIGHUP), unless you also write it to the configuration file.";

    /** The options that name the daemon's control socket. */
    public static final class SocketOptions {
        @Option(names = "--socket", paramLabel = "PATH",
                description = "the daemon's control socket ([relay] control-socket; default /run/siitdc/NETNS/siit0.sock,"
                        + " NETNS this network namespace's ip netns name or inode)")
        Path socket;

        @Option(names = "--tun", paramLabel = "NAME",
                description = "the daemon's TUN ([relay] tun-name): use its default socket in this network namespace,"
                        + " /run/siitdc/NETNS/NAME.sock")
        String tun;

        Path path(CommandSpec spec) {
            if (socket != null && tun != null)
                throw new ParameterException(spec.commandLine(), "give --socket or --tun, not both");
            if (socket != null) return socket;
            if (tun != null) {
                String why = RelayConfig.interfaceNameProblem(tun);
                if (why != null) throw new ParameterException(spec.commandLine(), "--tun: " + why);
                return RelayConfig.findDefaultControlSocket(tun);
            }
            return RelayConfig.findDefaultControlSocket(RelayConfig.DEFAULT_TUN_NAME);
        }
    }

    /** A control command's top level ({@code siitdc eamt}): only its subcommands do anything. */
    abstract static class Group implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        /** Refuses, naming the subcommands: "no command given: use display or update". */
        @Override
        public Integer call() {
            List<String> names = List.copyOf(spec.subcommands().keySet());
            String last = names.getLast();
            String use = names.size() == 1 ? last
                    : String.join(", ", names.subList(0, names.size() - 1)) + " or " + last;
            throw new ParameterException(spec.commandLine(), "no command given: use " + use);
        }
    }

    /** A subcommand that sends requests to the daemon, found with the {@link SocketOptions}. */
    abstract static class DaemonCommand implements Callable<Integer> {
        @Mixin
        SocketOptions socket;

        @Spec
        CommandSpec spec;

        /** Sends a change; prints its result when done. */
        int change(String request) {
            return withDaemon(spec, socket, c -> {
                Reply r = c.request(request);
                if (r.status() == Status.OK) changed(spec, r.text());
                return report(spec, r);
            });
        }

        /** Sends a query; {@code print} shows a successful reply on stdout. */
        int show(String request, BiConsumer<PrintWriter, Reply> print) {
            return withDaemon(spec, socket, c -> {
                Reply r = c.request(request);
                if (r.status() == Status.OK) {
                    PrintWriter out = spec.commandLine().getOut();
                    print.accept(out, r);
                    out.flush();
                }
                return report(spec, r);
            });
        }
    }

    /** Something to do with a connection to the daemon. */
    @FunctionalInterface
    interface Session {
        int run(CtlClient client) throws CtlClient.Unreachable;
    }

    /** Connects and runs {@code session}; an unreachable daemon is reported here (exit 3; no permission: 5). */
    static int withDaemon(CommandSpec spec, SocketOptions options, Session session) {
        Path path = options.path(spec);
        PrintWriter err = spec.commandLine().getErr();
        try (CtlClient c = CtlClient.connect(path)) {
            return session.run(c);
        } catch (CtlClient.Unreachable e) {
            spec.commandLine().getOut().flush();
            err.println("siitdc: " + e.getMessage());
            err.flush();
            return e instanceof CtlClient.NotAllowed ? EXIT_NOT_ALLOWED : EXIT_NO_DAEMON;
        }
    }

    /**
     * Shows a reply: its warnings on stderr; a refusal or failure on stderr as "siitdc: COMMAND: REASON".
     *
     * @return the exit status it means
     */
    static int report(CommandSpec spec, Reply r) {
        PrintWriter err = spec.commandLine().getErr();
        for (String w : r.warnings()) err.println("siitdc: warning: " + w);
        if (r.status() != Status.OK) err.println("siitdc: " + spec.qualifiedName(" ").replaceFirst("^siitdc ", "")
                + ": " + r.text());
        err.flush();
        return exitStatus(r.status());
    }

    static int exitStatus(Status s) {
        return switch (s) {
            case OK -> EXIT_OK;
            case REFUSED -> EXIT_REFUSED;
            case FAILED -> EXIT_FAILED;
        };
    }

    /** Prints the result of a change and the runtime-only note. */
    static void changed(CommandSpec spec, String what) {
        PrintWriter out = spec.commandLine().getOut();
        out.println(what);
        if (!what.startsWith("no change")) out.println("note: " + RUNTIME_ONLY);
        out.flush();
    }

    /** Left-aligned columns, two spaces apart. */
    static void columns(PrintWriter out, List<String[]> rows) {
        if (rows.isEmpty()) return;
        int[] w = new int[rows.getFirst().length];
        for (String[] r : rows)
            for (int i = 0; i < r.length; i++) w[i] = Math.max(w[i], r[i].length());
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                sb.append(r[i]);
                if (i < r.length - 1) sb.append(" ".repeat(w[i] - r[i].length() + 2));
            }
            out.println(sb.toString().stripTrailing());
        }
    }
}
