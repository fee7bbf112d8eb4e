package dev.siitdc.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What a suite of kernel tests needs (root, iproute2, a network namespace, for some /dev/net/tun), the
 * loud skip when something is missing, the fresh namespaces every test runs in (deleted afterwards, even
 * when the test fails, and checked gone) and the run of one of its scenarios. A test class registers one
 * as a static {@code @RegisterExtension} field.
 */
final class KernelSuite implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback {
    private final String name;
    private final String needs;
    private final boolean tun;
    private final int namespaces;
    private final List<Netns> current = new ArrayList<>();

    /**
     * @param name what the skip message calls the suite ("kernel tests")
     * @param needs what the skip message says it needs ("root and iproute2")
     * @param tun whether /dev/net/tun is required
     * @param namespaces how many fresh namespaces each test gets ({@link #ns(int)})
     */
    KernelSuite(String name, String needs, boolean tun, int namespaces) {
        this.name = name;
        this.needs = needs;
        this.tun = tun;
        this.namespaces = namespaces;
    }

    /** The current test's namespace {@code i} (0: the one its scenarios run in). */
    Netns ns(int i) {
        return current.get(i);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException, InterruptedException {
        require();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException, InterruptedException {
        for (int i = 0; i < namespaces; i++) {
            current.add(Netns.create());
        }
    }

    /** Deletes the test's namespaces (each, past a failure to delete another) and checks that they are gone. */
    @Override
    public void afterEach(ExtensionContext context) throws IOException, InterruptedException {
        List<Netns> created = List.copyOf(current);
        current.clear();
        deleteAll(created, 0);
        String left = Netns.run(List.of("ip", "netns", "list"), 10).out();
        for (Netns ns : created) {
            assertThat(left).doesNotContain(ns.name());
        }
    }

    private static void deleteAll(List<Netns> created, int from) throws IOException, InterruptedException {
        if (from < created.size()) {
            try {
                created.get(from).close();
            } finally {
                deleteAll(created, from + 1);
            }
        }
    }

    /** Skips the suite loudly unless it runs as root with iproute2 (and /dev/net/tun) and can create a namespace. */
    void require() throws IOException, InterruptedException {
        String uid = effectiveUid();
        skipLoudly(!"0".equals(uid), "not root (effective uid " + uid + ")");
        if (tun) {
            skipLoudly(!Files.exists(Path.of("/dev/net/tun")), "/dev/net/tun does not exist");
        }
        skipLoudly(Netns.run(List.of("ip", "-V"), 10).exit() != 0, "iproute2's ip is not installed");
        String probeFailure = null;
        try (Netns probe = Netns.create()) {
            probe.name();
        } catch (IOException e) {
            probeFailure = e.getMessage();
        }
        skipLoudly(probeFailure != null, "cannot create a network namespace: " + probeFailure);
    }

    /** Aborts the test (or the suite, from a @BeforeAll) with a message on stderr when {@code skip}. */
    void skipLoudly(boolean skip, String why) {
        if (skip) {
            String msg = "!!!!! SKIPPING the siitdc-linux " + name + ": " + why
                    + ". They need " + needs + " (they run in throw-away network namespaces). !!!!!";
            System.err.println(msg);
            Assumptions.abort(msg);
        }
    }

    /** Whether {@code command} is not on the PATH. */
    static boolean missing(String command) throws IOException, InterruptedException {
        return Netns.run(List.of("sh", "-c", "command -v " + command), 10).exit() != 0;
    }

    /** The effective uid from /proc/self/status ("Uid: real effective saved fs"). */
    static String effectiveUid() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("Uid:"))
                .map(l -> l.split("\\s+")[2])
                .findFirst().orElse("?");
    }

    /**
     * Runs scenario {@code scenario} in the test's first namespace, prints its output and asserts that it exited 0 and
     * said it passed.
     *
     * @return its output
     */
    String scenario(TestInfo info, String scenario, String... args) throws IOException, InterruptedException {
        Netns ns = ns(0);
        long t0 = System.nanoTime();
        Netns.Result r = ns.scenario(scenario, args);
        System.out.printf("---- %s in %s (%d ms)%n%s", info.getDisplayName(), ns.name(),
                (System.nanoTime() - t0) / 1_000_000, r.out());
        assertThat(r.exit()).as("scenario %s exit status; output:%n%s", scenario, r.out()).isZero();
        assertThat(r.out()).contains("SCENARIO " + scenario + " PASSED");
        return r.out();
    }
}
