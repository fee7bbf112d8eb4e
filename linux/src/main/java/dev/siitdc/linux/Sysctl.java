package dev.siitdc.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads and writes kernel parameters under /proc/sys, named as sysctl(8) names them:
 * {@code net.ipv6.conf.all.forwarding}. A name with a '/' is taken as a path below /proc/sys as it
 * stands, for interface names holding dots ({@code net/ipv4/conf/eth0.100/forwarding}).
 * The values are per network namespace for the net.* keys: a process sees its own namespace's.
 */
public final class Sysctl {
    private final Path root;

    /** Sysctl on /proc/sys. */
    public Sysctl() {
        this(Path.of("/proc/sys"));
    }

    /** Sysctl on another tree laid out like /proc/sys (for tests). */
    public Sysctl(Path root) {
        this.root = root;
    }

    /** The file behind {@code key}. */
    public Path path(String key) {
        if (key == null || key.isEmpty() || key.startsWith("/") || key.startsWith(".") || key.endsWith(".")
                || key.endsWith("/")) {
            throw new IllegalArgumentException("bad sysctl key: " + key);
        }
        String relative = key.indexOf('/') >= 0 ? key : key.replace('.', '/');
        for (String part : relative.split("/")) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw new IllegalArgumentException("bad sysctl key: " + key);
            }
        }
        return root.resolve(relative);
    }

    /** The current value of {@code key}, without the trailing newline. */
    public String read(String key) throws IOException {
        String text = Files.readString(path(key), StandardCharsets.UTF_8);
        return text.strip();
    }

    /**
     * Sets {@code key} to {@code value}.
     *
     * @return the previous value, to restore with another write
     * @throws java.nio.file.NoSuchFileException if there is no such key
     * @throws IOException if the kernel refuses the value (the message names the key and value)
     */
    public String write(String key, String value) throws IOException {
        String previous = read(key);
        Path p = path(key);
        try {
            Files.writeString(p, value, StandardCharsets.UTF_8, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new IOException("sysctl " + key + " = " + value + " failed: " + e.getMessage(), e);
        }
        return previous;
    }

    /**
     * Sets {@code key} to {@code value} and pushes its restoration to the previous value onto
     * {@code undo}.
     *
     * @return the previous value
     */
    public String set(String key, String value, Cleanup undo) throws IOException {
        String previous = write(key, value);
        undo.push("restore sysctl " + key + " = " + previous, () -> write(key, previous));
        return previous;
    }
}
