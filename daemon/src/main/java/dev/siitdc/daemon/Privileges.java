package dev.siitdc.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Whether this process may do what {@code siitdc run} does (create a TUN, change routes, addresses and
 * sysctls): it needs CAP_NET_ADMIN in its effective set, which root has unless a container dropped it.
 * Read from /proc/self/status, before anything is changed.
 */
public final class Privileges {
    /** linux/capability.h */
    static final int CAP_NET_ADMIN = 12;

    private Privileges() {}

    /** Why this process cannot run the daemon, in one line; null when it can (or /proc cannot tell). */
    public static String problem() {
        try {
            return problem(Files.readAllLines(Path.of("/proc/self/status")));
        } catch (IOException | RuntimeException e) {
            return null;   // cannot tell: the kernel's own EPERM will say it
        }
    }

    /** {@link #problem()} from the lines of a /proc/PID/status. */
    public static String problem(List<String> status) {
        String uid = null, capEff = null;
        for (String l : status) {
            if (l.startsWith("Uid:")) uid = l.split("\\s+")[2];
            else if (l.startsWith("CapEff:")) capEff = l.split("\\s+")[1];
        }
        if (capEff == null) return null;
        long caps = Long.parseUnsignedLong(capEff, 16);
        if ((caps & (1L << CAP_NET_ADMIN)) != 0) return null;
        return "permission denied: siitdc run needs root (CAP_NET_ADMIN) to create its TUN and change routes, "
                + ("0".equals(uid) ? "and this root has no CAP_NET_ADMIN (a container that drops it?)"
                        : "but runs as uid " + uid + ": run it as root (sudo, or the systemd unit)");
    }
}
