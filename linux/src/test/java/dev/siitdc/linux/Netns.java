package dev.siitdc.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/** A throw-away network namespace ({@code ip netns add}), deleted by {@link #close()}. */
final class Netns implements AutoCloseable {
    record Result(int exit, String out) {
    }

    private final String name;

    private Netns(String name) {
        this.name = name;
    }

    static Netns create() throws IOException, InterruptedException {
        String name = "siitdc-test-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        Result r = run(List.of("ip", "netns", "add", name), 20);
        if (r.exit() != 0) {
            throw new IOException("ip netns add " + name + " failed: " + r.out());
        }
        Netns ns = new Netns(name);
        // lo up: the JDK only offers IPv6 sockets when /proc/net/if_inet6 lists an address at start-up.
        Result lo = ns.exec(List.of("ip", "link", "set", "lo", "up"), 20);
        if (lo.exit() != 0) {
            ns.close();
            throw new IOException("ip link set lo up in " + name + " failed: " + lo.out());
        }
        return ns;
    }

    String name() {
        return name;
    }

    /** Runs {@code cmd} inside the namespace. */
    Result exec(List<String> cmd, int timeoutSeconds) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(cmd);
        return run(full, timeoutSeconds);
    }

    /** Runs {@link NetnsScenarios} {@code scenario} in a child JVM inside the namespace. */
    Result scenario(String scenario, String... args) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xshare:auto",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                NetnsScenarios.class.getName(), scenario));
        cmd.addAll(List.of(args));
        return exec(cmd, 60);
    }

    static Result run(List<String> cmd, int timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        // Read in the background so a chatty child cannot block on a full pipe.
        StringBuilder out = new StringBuilder();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                out.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                out.append("(output lost: ").append(e).append(')');
            }
        });
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
            reader.join(5000);
            return new Result(-1, out + "\n(killed after " + timeoutSeconds + " s: " + String.join(" ", cmd) + ")");
        }
        reader.join(5000);
        return new Result(p.exitValue(), out.toString());
    }

    /** Kills whatever still runs in the namespace and deletes it. */
    @Override
    public void close() throws IOException, InterruptedException {
        Result pids = run(List.of("ip", "netns", "pids", name), 10);
        for (String pid : pids.out().split("\\s+")) {
            if (pid.matches("\\d+")) {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        Result r = run(List.of("ip", "netns", "delete", name), 20);
        if (r.exit() != 0) {
            throw new IOException("ip netns delete " + name + " failed: " + r.out());
        }
    }
}
