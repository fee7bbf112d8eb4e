package dev.siitdc.lab;

import dev.siitdc.lab.Lab.Impl;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@code siitdc demo} does (docs/lab.md): checks that it can run (root, the tools), then runs
 * {@link HostDemo} (RFC 7756 Figure 5 with node-based Edge Relays) or {@link NetworkDemo} (a network-based
 * Edge Relay, RFC 7756 Appendix A.1), or removes labs left behind. Prints to {@code out}; problems to
 * {@code err}.
 */
public final class Demo {
    /** How a demo ended. */
    public enum Outcome {
        /** Every step passed (or --keep / --clean did as asked). */
        DONE,
        /** A step failed (named on stderr). */
        STEP_FAILED,
        /** Not run: a tool is missing or an option is bad. */
        CANNOT_RUN,
        /** Not run: not root. */
        NOT_ROOT
    }

    private final PrintWriter out;
    private final PrintWriter err;

    public Demo(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    /** {@code --clean}: removes labs left by --keep or by killed runs. */
    public Outcome clean() {
        if (!root()) return Outcome.NOT_ROOT;
        List<String> removed = Lab.cleanupStale(true);
        out.println(removed.isEmpty() ? "siitdc demo: no lab to remove" : "siitdc demo: removed " + String.join(", ", removed));
        out.flush();
        return Outcome.DONE;
    }

    /** The node-based demo with {@code br} ("siitdc" or "tayga") as the Border Relay; {@code keep}: leave it up. */
    public Outcome hostBased(String br, boolean keep) {
        if (!root()) return Outcome.NOT_ROOT;
        Impl brImpl = switch (br.toLowerCase(Locale.ROOT)) {
            case "siitdc" -> Impl.SIITDC;
            case "tayga" -> Impl.TAYGA;
            default -> null;
        };
        if (brImpl == null) {
            err.println("siitdc demo: --br must be siitdc or tayga, not " + br);
            return Outcome.CANNOT_RUN;
        }
        List<String> tools = new ArrayList<>(List.of("ip", "sysctl"));
        if (brImpl == Impl.TAYGA) tools.add("tayga");
        if (missing("siitdc demo", tools, "iproute2 procps" + (brImpl == Impl.TAYGA ? " tayga" : ""))) {
            return Outcome.CANNOT_RUN;
        }
        return new HostDemo(out, err, brImpl, keep).run();
    }

    /** {@code --network}: the network-based Edge Relay demo; {@code keep}: leave it up. */
    public Outcome networkBased(boolean keep) {
        if (!root()) return Outcome.NOT_ROOT;
        if (missing("siitdc demo --network", List.of("ip", "sysctl", "busybox", "python3", "tc"),
                "iproute2 procps busybox python3")) {
            return Outcome.CANNOT_RUN;
        }
        return new NetworkDemo(out, err, keep).run();
    }

    private boolean root() {
        if (Shell.isRoot()) return true;
        err.println("siitdc demo: needs root: it creates network namespaces, veth links and TUN devices"
                + " (run it as root, e.g. sudo bin/siitdc demo)");
        return false;
    }

    /** True (said on stderr, with the Debian packages) if one of {@code tools} is not installed. */
    private boolean missing(String who, List<String> tools, String debianPackages) {
        List<String> missing = tools.stream().filter(t -> !Shell.has(t)).toList();
        if (missing.isEmpty()) return false;
        err.println(who + ": missing tool(s): " + String.join(", ", missing) + " (Debian: apt-get install " + debianPackages + ")");
        return true;
    }
}
