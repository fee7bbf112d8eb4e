package dev.siitdc.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code siitdc global display|update}: the running daemon's {@code [translator]} values. */
@Command(name = "global", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Shows and changes the running daemon's [translator] values through its control socket.",
                Ctl.RUNTIME_ONLY},
        subcommands = {GlobalCommand.Display.class, GlobalCommand.Update.class},
        commandListHeading = "%nCommands:%n",
        footer = {"", Ctl.EXIT_STATUS_HELP})
public final class GlobalCommand extends Ctl.Group {
    @Command(name = "display", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Prints the [translator] values in force, one \"key = value\" line each (TOML, as the"
                    + " configuration file holds them; unset keys as comments).",
            footer = {"", Ctl.EXIT_STATUS_HELP})
    static final class Display extends Ctl.DaemonCommand {
        @Override
        public Integer call() {
            return show("global display", (out, r) -> {
                r.data().forEach(out::println);
                out.println("# " + r.text());
            });
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Sets one [translator] key of the running daemon. Every key can change at run time: pool6,"
                    + " eam-hairpin-mode, rfc6791v4-prefix, rfc6791v6-prefix, randomize-rfc6791-addresses,"
                    + " own-ipv4-address, own-ipv6-address, lowest-ipv6-mtu, ipv4-mtu, ipv6-mtu, mtu-plateaus,"
                    + " amend-udp-checksum-zero, forward-udp-checksum-zero, zeroize-traffic-class, override-tos,"
                    + " tos, atomic-fragments.",
                    "VALUE is checked exactly as in the configuration file, with the same messages; it is written"
                    + " without TOML quotes (64:ff9b::/96, 1400, true); mtu-plateaus takes 1500,1280 or"
                    + " [1500, 1280]; \"none\" unsets pool6, the rfc6791 prefixes and the own addresses.",
                    "The kernel follows: a Border Relay's pool6 route, the TUN MTU (max(ipv6-mtu, ipv4-mtu + 20)),"
                    + " an Edge Relay's IPv4 default route MTU (lowest-ipv6-mtu - 20).",
                    Ctl.RUNTIME_ONLY},
            footer = {"", "Examples:", "  siitdc global update pool6 64:ff9b::/96",
                    "  siitdc global update lowest-ipv6-mtu 1400", "  siitdc global update mtu-plateaus 1500,1280",
                    "", Ctl.EXIT_STATUS_HELP})
    static final class Update extends Ctl.DaemonCommand {
        @Parameters(index = "0", paramLabel = "KEY", description = "a [translator] key")
        String key;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "VALUE", description = "its new value")
        List<String> value;

        @Override
        public Integer call() {
            String v = String.join(" ", value);
            if (key.contains(" ") || key.isEmpty() || v.contains("\n") || v.contains("\r"))
                throw new ParameterException(spec.commandLine(), "a key is one word and a value one line");
            return change("global update " + key + " " + v);
        }
    }
}
