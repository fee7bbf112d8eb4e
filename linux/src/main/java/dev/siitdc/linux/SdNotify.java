package dev.siitdc.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * The sender side of systemd's notification protocol (sd_notify(3)): one datagram of newline-separated
 * {@code KEY=VALUE} lines to the AF_UNIX SOCK_DGRAM socket named by {@code $NOTIFY_SOCKET}, a file system
 * path ("/run/systemd/notify") or, with a leading '@', an abstract name. No libsystemd: socket(2) and
 * sendto(2) through {@link Libc}.
 *
 * <pre>{@code
 * SdNotify n = SdNotify.fromEnvironment();   // null when NOTIFY_SOCKET is unset: send nothing
 * if (n != null) n.send("READY=1\nSTATUS=ready");
 * }</pre>
 */
public final class SdNotify implements AutoCloseable {
    /** The environment variable systemd sets for Type=notify services. */
    public static final String SOCKET_VARIABLE = "NOTIFY_SOCKET";
    /** sizeof(sun_path) in struct sockaddr_un. */
    static final int SUN_PATH_MAX = 108;

    private final String name;
    private final int fd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment address;
    private boolean closed;

    private SdNotify(String name) throws LinuxException {
        this.name = name;
        this.address = sockaddrUn(arena, name);
        this.fd = Libc.socket(Libc.AF_UNIX, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
    }

    /** The socket of {@code $NOTIFY_SOCKET}, or null when it is unset or empty. */
    public static SdNotify fromEnvironment() throws LinuxException {
        return of(System.getenv(SOCKET_VARIABLE));
    }

    /** A sender to {@code name} (a path, or "@abstract"); null for null or "". */
    public static SdNotify of(String name) throws LinuxException {
        return name == null || name.isEmpty() ? null : new SdNotify(name);
    }

    /** The socket's name as given ("/run/systemd/notify", "@..."). */
    public String name() {
        return name;
    }

    /** sendto(2)'s MSG_DONTWAIT: a full socket queue (a busy systemd) fails at once instead of blocking. */
    static final int MSG_DONTWAIT = 0x40;

    /**
     * Sends {@code message} (lines "KEY=VALUE") as one datagram, never blocking: when the receiver's queue is
     * full it fails with EAGAIN.
     */
    public synchronized void send(String message) throws LinuxException {
        if (closed) throw new IllegalStateException("closed");
        byte[] b = message.getBytes(StandardCharsets.UTF_8);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(Math.max(1, b.length));
            MemorySegment.copy(b, 0, buf, JAVA_BYTE, 0, b.length);
            Libc.sendto(fd, buf, b.length, MSG_DONTWAIT, address, name);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            Libc.close(fd);
        } catch (LinuxException ignored) {
            // the descriptor is released anyway
        }
        arena.close();
    }

    /**
     * A struct sockaddr_un for {@code name}, exactly as long as the name needs (the length sendto(2) and
     * bind(2) are given): a path with its NUL, an abstract name ('@' becomes the leading NUL) without one.
     *
     * @throws IllegalArgumentException for a name longer than sun_path or a relative path
     */
    static MemorySegment sockaddrUn(Arena arena, String name) {
        boolean abstractName = name.startsWith("@");
        if (!abstractName && !name.startsWith("/"))
            throw new IllegalArgumentException(SOCKET_VARIABLE + " must be an absolute path or start with '@': " + name);
        byte[] b = (abstractName ? name.substring(1) : name).getBytes(StandardCharsets.UTF_8);
        int pathLen = b.length + 1;   // the path's NUL, or the abstract name's leading NUL
        if (pathLen > SUN_PATH_MAX)
            throw new IllegalArgumentException("socket name longer than " + (SUN_PATH_MAX - 1) + " bytes: " + name);
        MemorySegment sa = arena.allocate(2 + pathLen, 2);
        sa.set(JAVA_SHORT, 0, (short) Libc.AF_UNIX);
        MemorySegment.copy(b, 0, sa, JAVA_BYTE, abstractName ? 3 : 2, b.length);   // zero-filled otherwise
        return sa;
    }
}
