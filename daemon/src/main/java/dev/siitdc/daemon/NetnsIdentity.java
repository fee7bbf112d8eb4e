package dev.siitdc.daemon;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The network namespace this process runs in, as a path component, so that relays in several namespaces of
 * one host never share a default control socket: the {@code ip netns} name when a file in /run/netns is this
 * namespace (same device and inode as /proc/self/ns/net), else the namespace's inode number.
 *
 * <pre>
 *   ip netns exec blue siitdc run ...   ->  /run/siitdc/blue/siit0.sock
 *   siitdc run ... (the host's)         ->  /run/siitdc/4026531840/siit0.sock
 * </pre>
 */
public final class NetnsIdentity {
    private NetnsIdentity() {}

    static final Path SELF = Path.of("/proc/self/ns/net");
    static final Path NAMED = Path.of("/run/netns");

    private static volatile List<String> cached;

    /** The identities of this process's namespace, preferred first: its ip netns name(s), then its inode. */
    public static List<String> identities() {
        List<String> c = cached;
        if (c == null) cached = c = compute(SELF, NAMED);
        return c;
    }

    /** The preferred identity ({@link #identities()}' first). */
    public static String id() {
        return identities().getFirst();
    }

    static List<String> compute(Path self, Path named) {
        Object dev, ino;
        try {
            dev = Files.getAttribute(self, "unix:dev");
            ino = Files.getAttribute(self, "unix:ino");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
            return List.of("netns-unknown");   // no /proc: one namespace as far as we can tell
        }
        List<String> ids = new ArrayList<>();
        if (Files.isDirectory(named)) {
            List<String> names = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(named)) {
                for (Path p : ds) {
                    try {
                        if (Objects.equals(Files.getAttribute(p, "unix:ino"), ino)
                                && Objects.equals(Files.getAttribute(p, "unix:dev"), dev))
                            names.add(p.getFileName().toString());
                    } catch (IOException | RuntimeException e) {
                        // a name being created or deleted: not ours
                    }
                }
            } catch (IOException | RuntimeException e) {
                // no names readable: the inode alone
            }
            names.sort(null);
            ids.addAll(names);
        }
        ids.add(String.valueOf(ino));
        return List.copyOf(ids);
    }
}
