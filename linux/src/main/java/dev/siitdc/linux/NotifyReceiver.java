package dev.siitdc.linux;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The receiving end of {@link SdNotify}: what systemd binds for a Type=notify service, for tests that play
 * systemd. An AF_UNIX SOCK_DGRAM socket bound to a path (removed on close) or an "@abstract" name.
 */
public final class NotifyReceiver implements AutoCloseable {
    private final String name;
    private final int fd;
    private boolean closed;

    private NotifyReceiver(String name, int fd) {
        this.name = name;
        this.fd = fd;
    }

    /** Binds {@code name}: an absolute path (that must not exist) or "@abstract". */
    public static NotifyReceiver bind(String name) throws LinuxException {
        int fd = Libc.socket(Libc.AF_UNIX, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
        try (Arena arena = Arena.ofConfined()) {
            Libc.bind(fd, SdNotify.sockaddrUn(arena, name));
            return new NotifyReceiver(name, fd);
        } catch (LinuxException | RuntimeException e) {
            Libc.closeAfter(fd, e);
            throw e;
        }
    }

    public String name() {
        return name;
    }

    /** The next datagram's text, waiting at most {@code millis} (at least 1); null when none came. */
    public String receive(long millis) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment tv = arena.allocate(16, 8);   // struct timeval
            long ms = Math.max(1, millis);
            tv.set(JAVA_LONG, 0, ms / 1000);
            tv.set(JAVA_LONG, 8, (ms % 1000) * 1000);
            Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, tv, "SO_RCVTIMEO");
            MemorySegment buf = arena.allocate(4096);
            long n;
            try {
                n = Libc.recv(fd, buf, 0, name);
            } catch (LinuxException e) {
                if (e.errno() == Errno.EAGAIN) return null;
                throw e;
            }
            byte[] b = buf.asSlice(0, Math.min(n, buf.byteSize())).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            return new String(b, StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            Libc.close(fd);
        } catch (LinuxException ignored) {
            // released anyway
        }
        if (!name.startsWith("@")) {
            try {
                Files.deleteIfExists(Path.of(name));
            } catch (java.io.IOException ignored) {
                // a test's temporary directory
            }
        }
    }
}
