package dev.siitdc.lab;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs short commands (ip, sysctl...) to completion and returns their status and output. */
public final class Shell {
    private Shell() {}

    /** Exit status and the merged stdout + stderr of a finished command. */
    public record Result(List<String> command, int exit, String out) {
        public boolean ok() {
            return exit == 0;
        }

        /** Returns this result, or throws a {@link LabException} naming the command and its output. */
        public Result check() {
            if (exit != 0) {
                throw new LabException(String.join(" ", command) + " failed (exit " + exit + "): " + out.strip());
            }
            return this;
        }
    }

    /** Runs {@code cmd}, killing it after {@code timeoutSeconds}; a killed command has exit status -1. */
    public static Result run(List<String> cmd, int timeoutSeconds) {
        Process p;
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(
                    new java.io.File("/dev/null")));
            withSbin(pb);
            p = pb.start();
        } catch (IOException e) {
            return new Result(cmd, 127, "cannot start " + cmd.getFirst() + ": " + e.getMessage());
        }
        StringBuilder out = new StringBuilder();
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try {
                String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                synchronized (out) {
                    out.append(s);
                }
            } catch (IOException e) {
                synchronized (out) {
                    out.append("(output lost: ").append(e).append(')');
                }
            }
        });
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                reader.join(2000);
                synchronized (out) {
                    return new Result(cmd, -1, out + "\n(killed after " + timeoutSeconds + " s)");
                }
            }
            reader.join(5000);
        } catch (InterruptedException e) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while running " + String.join(" ", cmd), e);
        }
        synchronized (out) {
            return new Result(cmd, p.exitValue(), out.toString());
        }
    }

    public static Result run(int timeoutSeconds, String... cmd) {
        return run(List.of(cmd), timeoutSeconds);
    }

    /** Runs {@code cmd} and throws unless it exits 0. */
    public static Result ok(String... cmd) {
        return run(List.of(cmd), 30).check();
    }

    /**
     * Adds the sbin directories to the PATH of {@code pb} (ip, tcpdump and tayga live there, and a user's
     * PATH or sudo's may lack them); {@code ip netns exec} passes that PATH on to the command it runs.
     */
    static ProcessBuilder withSbin(ProcessBuilder pb) {
        String path = pb.environment().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        StringBuilder b = new StringBuilder(path);
        for (String d : List.of("/usr/local/sbin", "/usr/sbin", "/sbin")) {
            if (!List.of(path.split(":")).contains(d)) b.append(':').append(d);
        }
        pb.environment().put("PATH", b.toString());
        if (!cmdIsAbsolute(pb) && pb.command().getFirst().equals("ip")) {
            for (String d : List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin")) {
                if (new java.io.File(d, "ip").canExecute()) {
                    List<String> c = new ArrayList<>(pb.command());
                    c.set(0, d + "/ip");
                    pb.command(c);
                    break;
                }
            }
        }
        return pb;
    }

    private static boolean cmdIsAbsolute(ProcessBuilder pb) {
        return pb.command().getFirst().startsWith("/");
    }

    /** True if {@code tool} is an executable on the PATH (or an absolute path to one). */
    public static boolean has(String tool) {
        if (tool.startsWith("/")) return new java.io.File(tool).canExecute();
        String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        List<String> dirs = new ArrayList<>(List.of(path.split(":")));
        // root's tools (ip, tcpdump, tayga) live in sbin, which a user's PATH may lack
        dirs.addAll(List.of("/usr/local/sbin", "/usr/sbin", "/sbin"));
        for (String d : dirs) {
            if (!d.isEmpty() && new java.io.File(d, tool).canExecute()) return true;
        }
        return false;
    }

    /** True when this process runs as root (uid 0), which the lab needs. */
    public static boolean isRoot() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[1].equals("0");
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted", new InterruptedIOException());
        }
    }
}
