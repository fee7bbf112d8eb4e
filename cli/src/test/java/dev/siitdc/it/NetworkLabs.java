package dev.siitdc.it;

import dev.siitdc.cli.lab.Lab;
import dev.siitdc.cli.lab.NetworkLab;
import dev.siitdc.cli.lab.NetworkPlan.Variant;
import dev.siitdc.cli.lab.Shell;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The set-up and teardown that the tests of the network-based ER lab ({@link NetworkLab}) share. */
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

    /** Closes {@code nl} (if built) and checks that nothing of it is left: no namespace, no directory. */
    static void closeAndCheck(NetworkLab nl) {
        if (nl == null) return;
        String prefix = nl.prefix();
        nl.close();
        assertThat(Lab.existingLabs()).as("namespaces left after close()").doesNotContain(prefix);
        assertThat(Shell.run(10, "ip", "netns", "list").out()).as("no namespace of " + prefix + " left").doesNotContain(prefix + "-");
        assertThat(Files.exists(nl.dir())).as(nl.dir() + " left after close()").isFalse();
    }
}
