package dev.siitdc.it;

import dev.siitdc.lab.Lab;
import dev.siitdc.lab.NetworkLab;
import dev.siitdc.lab.NetworkPlan.Variant;
import dev.siitdc.lab.HostRelay;
import dev.siitdc.lab.Shell;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The set-up and teardown that the lab tests share: those of the network-based ER lab ({@link NetworkLab}) and
 * those of the node-based one ({@link Lab}).
 */
final class NetworkLabs {
    /** What every network lab test needs: the lab's tools, busybox (udhcpc, udhcpd) and ISC dhclient. */
    private static final List<String> TOOLS = List.of("ip", "sysctl", "tcpdump", "ping", "busybox", "dhclient", "python3");

    private NetworkLabs() {}

    /**
     * Skips {@code test} (or fails it under CI) without root or the tools, {@link #TOOLS} and {@code moreTools};
     * else builds the network lab of {@code variants}, progress on stdout.
     */
    static NetworkLab create(Class<?> test, Set<Variant> variants, String... moreTools) {
        List<String> tools = new ArrayList<>(TOOLS);
        tools.addAll(List.of(moreTools));
        LabPrerequisites.require(test.getSimpleName(), tools);
        return NetworkLab.create(Lab.Options.defaults().withProgress(System.out), variants);
    }

    /**
     * Skips {@code test} (or fails it under CI) without root or {@code tools}; else builds the lab of
     * {@code options}, progress on stdout, hands it to {@code beforeRelays}, then starts its relays and services.
     * Closes the lab if any of that fails.
     */
    static Lab startLab(Class<?> test, Lab.Options options, Consumer<Lab> beforeRelays, String... tools) {
        LabPrerequisites.require(test.getSimpleName(), List.of(tools));
        Lab lab = Lab.create(options.withProgress(System.out));
        try {
            beforeRelays.accept(lab);
            lab.startRelays();
            lab.startServices();
            return lab;
        } catch (RuntimeException | Error e) {
            lab.close();
            throw e;
        }
    }

    /** Closes {@code nl} (if built) and checks that nothing of it is left: no namespace, no directory. */
    static void closeAndCheck(NetworkLab nl) {
        if (nl != null) closeAndCheck(nl.prefix(), nl.dir(), nl::close);
    }

    /** Closes {@code lab} (if built) and checks that nothing of it is left: no namespace, no directory. */
    static void closeAndCheck(Lab lab) {
        if (lab != null) closeAndCheck(lab.prefix(), lab.dir(), lab::close);
    }

    private static void closeAndCheck(String prefix, Path dir, Runnable close) {
        close.run();
        assertThat(Lab.existingLabs()).as("namespaces left after close()").doesNotContain(prefix);
        assertThat(Shell.run(10, "ip", "netns", "list").out()).as("no namespace of " + prefix + " left").doesNotContain(prefix + "-");
        assertThat(Files.exists(dir)).as(dir + " left after close()").isFalse();
    }

    /** The state of {@code lab}'s relays (BR, ER A, ER B) for a failure message: running, the tail of their output. */
    static String relayDiagnostics(Lab lab, boolean withStats) {
        StringBuilder b = new StringBuilder("\n--- relays ---");
        for (Lab.Node n : List.of(Lab.Node.BR, Lab.Node.ER_A, Lab.Node.ER_B)) {
            HostRelay r = lab.relay(n);
            b.append('\n').append(r).append(r.running() ? " running" : " NOT running");
            if (r.process() != null) b.append(":\n").append(r.process().tail(8));
            if (withStats) b.append("\nstats: ").append(r.stats());
        }
        return b.toString();
    }
}
