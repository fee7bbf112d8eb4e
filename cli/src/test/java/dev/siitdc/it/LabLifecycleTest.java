package dev.siitdc.it;

import dev.siitdc.lab.Lab;
import dev.siitdc.lab.LabException;
import dev.siitdc.lab.LabProcess;
import dev.siitdc.lab.Shell;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The lab's own life cycle, without translators: every namespace, process and file goes at close(), at a
 * failed start, on SIGTERM (shutdown hook), and after a SIGKILL through cleanupStale().
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LabLifecycleTest {
    @BeforeAll
    static void prerequisites() {
        LabPrerequisites.require("LabLifecycleTest", List.of("ip", "sysctl", "ping"));
    }

    @Test
    void closeRemovesNamespacesProcessesAndFiles() {
        Lab lab = Lab.create(Lab.Options.defaults());
        String prefix = lab.prefix();
        LabProcess sleeper;
        try {
            assertThat(prefix).matches("sdc-" + ProcessHandle.current().pid() + "-\\d+");
            assertThat(namespaces(prefix)).containsExactlyInAnyOrder(prefix + "-client", prefix + "-br",
                    prefix + "-idc", prefix + "-era", prefix + "-erb", prefix + "-v6srv");
            assertThat(lab.dir()).isDirectory();
            sleeper = lab.spawn(Lab.Node.IDC, "sleeper", List.of("sleep", "600"));
            assertThat(sleeper.alive()).isTrue();
        } finally {
            lab.close();
        }
        assertThat(namespaces(prefix)).isEmpty();
        assertThat(sleeper.alive()).isFalse();
        assertThat(lab.dir()).doesNotExist();
    }

    @Test
    void aRelayThatFailsToStartLeavesNothingAfterClose() {
        Lab.Options o = Lab.Options.defaults();
        Lab lab = Lab.create(new Lab.Options(o.br(), o.er(), o.lowestIpv6Mtu(), o.queues(), "/bin/false",
                o.classpath(), o.daemonJvm(), null));
        String prefix = lab.prefix();
        try {
            assertThatThrownBy(lab::startRelays).isInstanceOf(LabException.class).hasMessageContaining("exited with status 1");
        } finally {
            lab.close();
        }
        assertThat(namespaces(prefix)).isEmpty();
    }

    @Test
    void sigtermRunsTheShutdownHookSigkillLeavesWhatCleanupStaleRemoves() throws Exception {
        // SIGTERM: the JVM's shutdown hook tears the lab down
        Child term = Child.start();
        term.process.destroy();
        assertThat(term.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(namespaces(term.prefix)).isEmpty();
        assertThat(Lab.ROOT.resolve(term.prefix)).doesNotExist();

        // SIGKILL: nothing runs the hook; the next lab (here cleanupStale itself) removes the leftovers
        Child kill = Child.start();
        kill.process.destroyForcibly();
        assertThat(kill.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(namespaces(kill.prefix)).hasSize(6);
        assertThat(Lab.cleanupStale(false)).contains(kill.prefix);
        assertThat(namespaces(kill.prefix)).isEmpty();
        assertThat(Lab.ROOT.resolve(kill.prefix)).doesNotExist();
    }

    @Test
    void cleanupStaleSparesLiveAndKeptLabs() throws Exception {
        Lab live = Lab.create(Lab.Options.defaults());
        try {
            Child kept = Child.start("keep");
            kept.process.destroyForcibly();
            kept.process.waitFor(30, TimeUnit.SECONDS);
            try {
                List<String> removed = Lab.cleanupStale(false);
                assertThat(removed).doesNotContain(live.prefix(), kept.prefix);
                assertThat(namespaces(live.prefix())).hasSize(6);
                assertThat(namespaces(kept.prefix)).hasSize(6);
            } finally {
                Lab.remove(kept.prefix);   // not cleanupStale(true): that would also remove a developer's kept demo
            }
            assertThat(namespaces(kept.prefix)).isEmpty();
        } finally {
            live.close();
        }
    }

    private static List<String> namespaces(String prefix) {
        return Shell.run(10, "ip", "netns", "list").out().lines().map(l -> l.split("\\s+")[0])
                .filter(n -> n.startsWith(prefix + "-")).toList();
    }

    /** A JVM running {@link LabChild}: it builds a lab, prints its prefix and waits. */
    private record Child(Process process, String prefix) {
        static Child start(String... args) throws Exception {
            List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                    LabChild.class.getName()));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("lab ")) {
                    String prefix = line.substring(4).strip();
                    Thread.ofVirtual().start(() -> {
                        try {
                            r.transferTo(java.io.Writer.nullWriter());
                        } catch (java.io.IOException e) {
                            // the child is gone
                        }
                    });
                    return new Child(p, prefix);
                }
            }
            throw new AssertionError("the child JVM exited (" + p.waitFor() + ") without building a lab");
        }
    }
}
