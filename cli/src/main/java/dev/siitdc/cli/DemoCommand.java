package dev.siitdc.cli;

import dev.siitdc.daemon.ExitStatus;
import dev.siitdc.lab.Demo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * {@code siitdc demo}: builds the SIIT-DC lab in network namespaces (docs/lab.md), runs siitdc as the
 * Border Relay and as two node-based Edge Relays, connects an IPv4 Internet client to an IPv4-only app
 * behind ER A and shows, from its own captures (AF_PACKET), the addresses at each hop: what RFC 7756 Figure 5 draws.
 * The options, then one call of {@link Demo}, which does all that.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Shows SIIT-DC end to end in a throw-away lab of network namespaces (RFC 7756 Figure 5).",
                "Builds the lab (an IPv4 client, the BR, an IPv6-only IDC router, ER A and ER B with IPv4-only apps, "
                + "an IPv6 server; docs/lab.md), runs siitdc as BR and ERs, connects the client to the app behind "
                + "ER A and shows what the app saw and the addresses at each hop (its own AF_PACKET captures), as RFC 7756 Figure 5 "
                + "draws them; then tears everything down.",
                "With --network: the same BR and IDC, and a network-based Edge Relay (RFC 7756 Appendix A.1) whose "
                + "DHCPv4 server leases a Service Address to an IPv4-only node running busybox udhcpc.",
                "Needs root, ip (iproute2) and sysctl (procps); --network also busybox (udhcpc), python3 and tc. Exit status: 0 when every step passed, 1 when one failed "
                + "(named on stderr), 2 when a tool is missing, 5 when not root."},
        footer = {"", ExitStatus.HELP})
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--keep", description = "leave the lab running for exploration (prints how to enter and remove it)")
    boolean keep;

    @Option(names = "--clean", description = "remove labs left by --keep or by killed runs, then exit")
    boolean clean;

    @Option(names = "--network", description = "a network-based Edge Relay instead (RFC 7756 s3.2, Appendix A.1): siitdc's"
            + " DHCPv4 server gives an IPv4-only node (busybox udhcpc) its Service Address, router and MTU; the IPv4"
            + " client then connects to the node's app, which sees the client's own address")
    boolean network;

    @Option(names = "--br", paramLabel = "IMPL", defaultValue = "siitdc",
            description = "what runs the Border Relay: siitdc (default) or tayga")
    String br;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Demo demo = new Demo(spec.commandLine().getOut(), spec.commandLine().getErr());
        Demo.Outcome outcome = clean ? demo.clean() : network ? demo.networkBased(keep) : demo.hostBased(br, keep);
        return switch (outcome) {
            case DONE -> ExitStatus.OK;
            case STEP_FAILED -> ExitStatus.INTERNAL;
            case CANNOT_RUN -> ExitStatus.BAD_INPUT;
            case NOT_ROOT -> ExitStatus.PERMISSION_DENIED;
        };
    }
}
