package dev.siitdc.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code siitdc run} in a network namespace, started by {@link Namespaces#siitdc}. Its stdout and stderr go
 * to files (a pipe read by a thread can lose its tail when the process exits), read afresh whenever asked.
 * {@code ip netns exec} execs java, so the process id is the daemon's own and signals reach it.
 */
record Daemon(Process process, Path outFile, Path errFile) {
    /**
     * The Border Relay configuration the tests of {@code siitdc run} start from: pool6 2001:db8:46::/96, own IPv6
     * address 2001:db8:1::1, EAM 192.0.2.10 &lt;-&gt; 2001:db8:1::10 and TUN siit0. The three {@code %s} are more
     * lines of [translator] (ending in a newline; the first of them is line 4), more after the EAM (line 9 on)
     * and the rest of [relay].
     */
    static final String BORDER_RELAY_CONFIG = """
            [translator]
            pool6 = "2001:db8:46::/96"
            own-ipv6-address = "2001:db8:1::1"
            %s
            [[eamt]]
            ipv4 = "192.0.2.10"
            ipv6 = "2001:db8:1::10"
            %s
            [relay]
            role = "border-relay"
            tun-name = "siit0"
            %s
            """;

    /**
     * The Edge Relay configuration the tests of {@code siitdc run} start from: pool6 2001:db8:46::/96, own IPv6
     * address 2001:db8:9::1, EAM 198.51.100.10 &lt;-&gt; 2001:db8:9::10 for its Service Address 198.51.100.10. The
     * three {@code %s} are more lines after the EAM (line 8, blank when empty), the TUN name and the rest of
     * [relay] (line 14 on).
     */
    static final String EDGE_RELAY_CONFIG = """
            [translator]
            pool6 = "2001:db8:46::/96"
            own-ipv6-address = "2001:db8:9::1"

            [[eamt]]
            ipv4 = "198.51.100.10"
            ipv6 = "2001:db8:9::10"
            %s
            [relay]
            role = "edge-relay"
            tun-name = "%s"
            queues = 1
            service-addresses = ["198.51.100.10"]
            %s
            """;

    /**
     * {@code ip netns exec NS java ... Main run --config CONFIG}, stdout to OUTPUTS.out, stderr to OUTPUTS.err;
     * {@code env} is NAME, VALUE pairs added to its environment.
     */
    static Daemon start(String ns, Path config, Path outputs, String... env) throws IOException {
        Path outFile = outputs.resolveSibling(outputs.getFileName() + ".out");
        Path errFile = outputs.resolveSibling(outputs.getFileName() + ".err");
        ProcessBuilder pb = new ProcessBuilder(Namespaces.javaCommand(ns, "dev.siitdc.cli.Main", "run", "--config",
                config.toString())).redirectOutput(outFile.toFile()).redirectError(errFile.toFile());
        for (int i = 0; i + 1 < env.length; i += 2) pb.environment().put(env[i], env[i + 1]);
        return new Daemon(pb.start(), outFile, errFile);
    }

    /** {@code command} (a {@link Namespaces#javaCommand} with something around it), output as {@link #start}'s. */
    static Daemon start(List<String> command, Path outputs) throws IOException {
        Path outFile = outputs.resolveSibling(outputs.getFileName() + ".out");
        Path errFile = outputs.resolveSibling(outputs.getFileName() + ".err");
        Process p = new ProcessBuilder(command).redirectOutput(outFile.toFile()).redirectError(errFile.toFile()).start();
        return new Daemon(p, outFile, errFile);
    }

    String out() {
        return read(outFile);
    }

    String err() {
        return read(errFile);
    }

    long pid() {
        return process.pid();
    }

    int exit() {
        return process.exitValue();
    }

    /** Sends {@code signal} ("HUP", "USR1"...), which must succeed. */
    void signal(String signal) {
        Namespaces.ok("kill", "-" + signal, Long.toString(pid()));
    }

    /** Waits (60 s) for the line of stdout that contains {@code summary}, the start-up summary; returns it. */
    String awaitStartUp(String summary) throws InterruptedException {
        return awaitOut(l -> l.contains(summary), 60, "the start-up summary");
    }

    /** Waits for a line of stdout that matches; returns it. Fails after {@code seconds} or when the daemon exits. */
    String awaitOut(Predicate<String> match, int seconds, String what) throws InterruptedException {
        return awaitLine(outFile, match, seconds, what);
    }

    /** Waits for a line of stderr that matches; returns it. Fails after {@code seconds} or when the daemon exits. */
    String awaitErr(Predicate<String> match, int seconds, String what) throws InterruptedException {
        return awaitLine(errFile, match, seconds, what);
    }

    private String awaitLine(Path file, Predicate<String> match, int seconds, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            for (String l : read(file).lines().toList()) if (match.test(l)) return l;
            if (System.nanoTime() > deadline || !process.isAlive())
                throw new AssertionError(what + " not seen within " + seconds + " s in " + file.getFileName() + "; stdout:\n"
                        + out() + "\nstderr:\n" + err() + "\n(daemon " + (process.isAlive() ? "running" : "exited "
                        + process.exitValue()) + ")");
            Thread.sleep(100);
        }
    }

    /**
     * SIGTERM; asserts that the daemon stops within 30 s with exit status 0. (Not Process.destroy(): the
     * signal goes by kill, as an operator's would.)
     */
    void stop() throws InterruptedException {
        signal("TERM");
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s after SIGTERM").isTrue();
        assertThat(process.exitValue()).as("exit status; stdout:%n%s%nstderr:%n%s", out(), err()).isZero();
    }

    /** Kills the daemon (SIGKILL): nothing is cleaned up. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    interface Check {
        boolean ok() throws Exception;
    }

    /** Waits until {@code c} holds; fails after {@code seconds}. */
    static void waitFor(Check c, int seconds, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!c.ok()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(50);
        }
    }

    /** The file's text ("" while there is none). */
    static String read(Path f) {
        try {
            return Files.exists(f) ? Files.readString(f) : "";
        } catch (IOException e) {
            return "(cannot read " + f + ": " + e + ")";
        }
    }

    @Override
    public String toString() {
        return "siitdc run (pid " + process.pid() + ")";
    }
}
