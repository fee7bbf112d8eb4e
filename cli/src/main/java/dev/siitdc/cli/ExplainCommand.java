package dev.siitdc.cli;

import dev.siitdc.daemon.ExitStatus;
import dev.siitdc.daemon.explain.Addr;
import dev.siitdc.daemon.explain.Explainer;
import dev.siitdc.daemon.explain.Node;
import dev.siitdc.daemon.explain.Probe;

import dev.siitdc.daemon.config.ConfigError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import dev.siitdc.core.eam.Eam;
import dev.siitdc.daemon.control.ControlProtocol.Reply;
import dev.siitdc.daemon.control.ControlProtocol.Status;
import dev.siitdc.daemon.control.CtlClient;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code siitdc explain --config FILE... SRC DST [PROTO [PORT]]}: how a packet from SRC to DST is
 * translated along a path of translators, hop by hop, drawn as RFC 7756 Figures 5 and 6 draw it. See
 * {@link Explainer} for how the path is followed.
 */
@Command(name = "explain", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Explains, hop by hop, how a packet from SRC to DST is translated.",
                "The packet (IPv4 or IPv6, by the family of SRC and DST) goes through the real translator of each "
                + "configuration, after the relay's RFC 7756 s6 filter for an edge-relay. The output draws the "
                + "packets as RFC 7756 Figures 5 and 6 do, then names the EAM or pool6 rule behind every address, "
                + "the reason of a drop and the MTU that applies.",
                "Give one --config per translator on the path, in path order (e.g. --config er-a.toml --config "
                + "br.toml --config er-b.toml): the packet starts at the first; each packet a translator emits goes "
                + "to the translator it is routed to (an Edge Relay's IPv6 Service Addresses, a Border Relay's "
                + "pool6 and EAM IPv4 prefixes).",
                "With --live, each translator's EAMT is the one its running daemon holds (siitdc eamt changes it),"
                + " asked through the control socket its file names.",
                "Exit status 0 when the explanation is printed (whether the packet is delivered or dropped), 2 for "
                + "a bad configuration file or argument, 3 when --live finds no daemon."},
        footer = {"", ExitStatus.HELP})
public final class ExplainCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "[LABEL=]FILE",
            description = "a translator's TOML file, once per translator on the path, in path order; LABEL names it "
                    + "in the output (default: the file's name, \"er-a.toml\" -> \"ER A\")")
    List<String> configs;

    @Parameters(index = "0", paramLabel = "SRC", description = "source address of the packet")
    String src;

    @Parameters(index = "1", paramLabel = "DST", description = "destination address")
    String dst;

    @Parameters(index = "2", arity = "0..1", paramLabel = "PROTO", description = "udp (default), tcp or icmp")
    String proto;

    @Parameters(index = "3", arity = "0..1", paramLabel = "PORT",
            description = "destination port for udp (default 53) or tcp (default 80)")
    String port;

    @Option(names = "--size", paramLabel = "BYTES",
            description = "total length of the first packet (default: its headers and 20 bytes of data)")
    Integer size;

    @Option(names = "--live", description = "take each translator's EAMT from its running daemon, through the control"
            + " socket its file names ([relay] control-socket, or /run/siitdc/TUN-NAME.sock), instead of the file's"
            + " [[eamt]]; the other keys still come from the file")
    boolean live;

    @Option(names = "--df", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "set Don't Fragment in an IPv4 packet (default; --no-df clears it)")
    boolean df;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws ConfigError {
        PrintWriter err = spec.commandLine().getErr();
        Addr.Parsed s, d;
        try {
            s = address("SRC", src);
            d = address("DST", dst);
        } catch (BadArgument e) {
            return bad(err, e.getMessage());
        }
        if (s.version() != d.version())
            return bad(err, "DST: \"" + dst + "\" is an IPv" + d.version() + " address and SRC \"" + src + "\" an IPv"
                    + s.version() + " one: give the two addresses of one packet, as it leaves its source");
        Probe.Proto p = Probe.Proto.UDP;
        if (proto != null) {
            p = Probe.Proto.parse(proto);
            if (p == null) return bad(err, "PROTO: \"" + proto + "\" is not udp, tcp or icmp");
        }
        int dport = p.defaultPort;
        if (port != null) {
            if (p == Probe.Proto.ICMP) return bad(err, "PORT: icmp has no ports; leave PORT out");
            try {
                dport = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                dport = -1;
            }
            if (dport < 1 || dport > 65535) return bad(err, "PORT: \"" + port + "\" is not a port number (1 to 65535)");
        }
        int v = s.version();
        int len = size == null ? Probe.defaultSize(v, p) : size;
        if (len < Probe.minimumSize(v, p) || len > Probe.maximumSize(v))
            return bad(err, "--size: " + len + " does not fit an IPv" + v + " " + p.text(v) + " packet: give "
                    + Probe.minimumSize(v, p) + " to " + Probe.maximumSize(v) + " bytes");

        List<Node> nodes = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String c : configs) {
            Node n = Node.load(c);
            if (live) {
                Node l = liveNode(n, err);
                if (l == null) return noDaemon ? Ctl.EXIT_NO_DAEMON : ExitStatus.BAD_INPUT;
                n = l;
            }
            int k = seen.merge(n.label, 1, Integer::sum);
            nodes.add(k == 1 ? n : n.relabel(n.label + " #" + k));
        }
        byte[] packet = Probe.build(s.bytes(), d.bytes(), p, dport, len, df);
        Explainer.Result r = new Explainer(nodes).run(packet);
        PrintWriter o = spec.commandLine().getOut();
        o.print(r.text());
        o.flush();
        return ExitStatus.OK;
    }

    private boolean noDaemon;

    /** {@code n} with its running daemon's EAMT, or null (said on {@code err}). */
    private Node liveNode(Node n, PrintWriter err) {
        Path sock = n.controlSocket();
        if (sock == null) {
            bad(err, "--live: " + n + " has no [relay] section, so no daemon to ask");
            return null;
        }
        try (CtlClient c = CtlClient.connect(sock)) {
            Reply r = c.request("eamt display");
            if (r.status() != Status.OK) {
                bad(err, "--live: the daemon on " + sock + ": " + r.text());
                return null;
            }
            List<Eam> eams = new ArrayList<>(r.data().size());
            for (String d : r.data()) {
                String[] w = d.split(" ");
                eams.add(Eam.parse(w[0], w[1]));
            }
            return n.withLiveEamt(eams);
        } catch (CtlClient.Unreachable e) {
            noDaemon = !(e instanceof CtlClient.NotAllowed);
            bad(err, "--live: " + e.getMessage());
            return null;
        } catch (IllegalArgumentException e) {
            bad(err, "--live: the daemon on " + sock + " answered a table " + n.label + "'s file cannot hold: " + e.getMessage());
            return null;
        }
    }

    private static final class BadArgument extends Exception {
        BadArgument(String m) { super(m, null, false, false); }
    }

    private static Addr.Parsed address(String name, String text) throws BadArgument {
        try {
            return Addr.parse(text);
        } catch (IllegalArgumentException e) {
            String m = e.getMessage() == null ? "" : e.getMessage();
            int at = m.indexOf(" address: ");
            String why = at >= 0 ? m.substring(at + " address: ".length()) : m;
            if (m.contains("is a prefix")) throw new BadArgument(name + ": " + m);
            throw new BadArgument(name + ": \"" + text + "\" is not an IP address (" + why + ")");
        }
    }

    private static int bad(PrintWriter err, String message) {
        err.println("siitdc explain: " + message);
        err.flush();
        return ExitStatus.BAD_INPUT;
    }
}
