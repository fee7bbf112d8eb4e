package dev.siitdc.it;

import dev.siitdc.lab.Shell;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.util.List;

/**
 * The lab tests need root and some tools. Missing them, a test is skipped with a loud message on stderr;
 * but under CI (CI=true, where .ci/run installs everything) it fails instead, so that CI never passes by
 * skipping.
 */
final class LabPrerequisites {
    private LabPrerequisites() {}

    static void require(String testClass, List<String> tools) {
        String missing = null;
        if (!Shell.isRoot()) {
            missing = "root (the lab creates network namespaces)";
        } else if (!new java.io.File("/dev/net/tun").exists()) {
            missing = "/dev/net/tun";
        } else {
            List<String> absent = tools.stream().filter(t -> !Shell.has(t)).toList();
            if (!absent.isEmpty()) {
                missing = "tool(s) " + String.join(", ", absent)
                        + " (Debian: apt-get install iproute2 tcpdump iputils-ping iputils-tracepath iperf3 tayga)";
            }
        }
        if (missing == null) return;
        String msg = testClass + ": needs " + missing;
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(msg + " -- and CI=true, where .ci/run installs everything: failing instead of skipping");
        }
        System.err.println("\n*** SKIPPED " + msg + " ***\n");
        Assumptions.abort(msg);
    }

    /** Skips (or fails under CI) one test that needs {@code tool}. */
    static void requireTool(String test, String tool) {
        if (Shell.has(tool)) return;
        String msg = test + ": needs " + tool + " (apt-get install " + tool + ")";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) Assertions.fail(msg + " -- and CI=true");
        System.err.println("\n*** SKIPPED " + msg + " ***\n");
        Assumptions.abort(msg);
    }
}
