package dev.siitdc.linux;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The C library functions this package calls, bound with the FFM API (no JNI).
 *
 * <p>Every binding that can fail captures errno ({@code Linker.Option.captureCallState("errno")}) and
 * each wrapper turns a failure into a {@link LinuxException} naming the call. EINTR is retried where
 * that is the right thing to do. The capture-state and pollfd scratch buffers are per thread,
 * allocated from an automatic arena (freed by the GC with the thread), so the hot path allocates
 * no native memory; everything else uses confined arenas closed before the call returns.
 */
final class Libc {
    // fcntl.h / poll.h / sys/socket.h values for Linux (identical on x86-64, arm64, riscv64).
    static final int O_RDWR = 0x2;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;
    static final int F_GETFL = 3;
    static final int F_SETFL = 4;
    static final short POLLIN = 0x1;
    static final short POLLERR = 0x8;
    static final short POLLHUP = 0x10;
    static final short POLLNVAL = 0x20;
    static final int AF_UNIX = 1;
    static final int AF_NETLINK = 16;
    static final int IFNAMSIZ = 16;
    /** sizeof(struct ifreq): the name, then a union whose first int is ifr_ifindex. */
    static final int IFREQ_SIZE = 40;
    static final long SIOCGIFINDEX = 0x8933;
    static final int SOCK_RAW = 3;
    static final int AF_INET = 2;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_NONBLOCK = 0x800;
    static final int SO_REUSEADDR = 2;
    static final int SO_BROADCAST = 6;
    static final int SO_BINDTODEVICE = 25;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SOL_SOCKET = 1;
    static final int SO_RCVTIMEO = 20;
    static final int MSG_TRUNC = 0x20;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LOOKUP = LINKER.defaultLookup();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final long ERRNO_OFFSET = CALL_STATE.byteOffset(groupElement("errno"));
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    /** Short, non-blocking calls that may read and write Java heap arrays directly. */
    private static final Linker.Option HEAP = Linker.Option.critical(true);

    private static final MethodHandle OPEN = bind("open",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), ERRNO, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle CLOSE = bind("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT), ERRNO);
    private static final MethodHandle IOCTL_PTR = bind("ioctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), ERRNO, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle FCNTL = bind("fcntl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), ERRNO, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle READ = bind("read",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), ERRNO, HEAP);
    private static final MethodHandle WRITE = bind("write",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), ERRNO, HEAP);
    private static final MethodHandle POLL = bind("poll",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), ERRNO);
    private static final MethodHandle SOCKET = bind("socket",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), ERRNO);
    private static final MethodHandle BIND = bind("bind",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), ERRNO);
    private static final MethodHandle GETSOCKNAME = bind("getsockname",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), ERRNO);
    private static final MethodHandle SETSOCKOPT = bind("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), ERRNO);
    private static final MethodHandle SENDTO = bind("sendto",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT), ERRNO);
    private static final MethodHandle RECVFROM = bind("recvfrom",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS), ERRNO);
    private static final MethodHandle RECV = bind("recv",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), ERRNO);
    private static final MethodHandle IF_NAMETOINDEX = bind("if_nametoindex",
            FunctionDescriptor.of(JAVA_INT, ADDRESS), ERRNO);
    private static final MethodHandle STRERROR = bind("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));

    /** Per-thread native scratch: the errno capture state and one struct pollfd. */
    private record Scratch(MemorySegment state, MemorySegment pollfd) {
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(() -> {
        Arena auto = Arena.ofAuto();
        return new Scratch(auto.allocate(CALL_STATE), auto.allocate(8, 8));
    });

    private Libc() {
    }

    private static MethodHandle bind(String name, FunctionDescriptor fd, Linker.Option... options) {
        MemorySegment symbol = LOOKUP.find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc symbol not found: " + name));
        return LINKER.downcallHandle(symbol, fd, options);
    }

    private static MemorySegment state() {
        return SCRATCH.get().state();
    }

    private static int errno(MemorySegment state) {
        return state.get(JAVA_INT, ERRNO_OFFSET);
    }

    /** What {@link #result} returns after EINTR: the caller calls again. */
    private static final long RETRY = Long.MIN_VALUE;

    /**
     * The errno check after a call that is retried on EINTR: {@code n} itself when it is not negative,
     * {@link #RETRY} after EINTR, -1 after EAGAIN when {@code eagainIsEmpty}; otherwise a LinuxException.
     */
    private static long result(long n, MemorySegment st, boolean eagainIsEmpty, String call, String detail)
            throws LinuxException {
        if (n >= 0) {
            return n;
        }
        int err = errno(st);
        if (err == Errno.EINTR) {
            return RETRY;
        }
        if (err == Errno.EAGAIN && eagainIsEmpty) {
            return -1;
        }
        throw new LinuxException(call, err, detail);
    }

    /** The errno check after a call that is not retried: a negative {@code rc} is a LinuxException. */
    private static int check(int rc, MemorySegment st, String call, String detail) throws LinuxException {
        if (rc < 0) {
            throw new LinuxException(call, errno(st), detail);
        }
        return rc;
    }

    /** A downcall that returns an int, given the errno capture state as its first argument. */
    @FunctionalInterface
    private interface IntCall {
        int invoke(MemorySegment state) throws Throwable;
    }

    /**
     * Runs {@code c}, not retried: a negative result is a LinuxException naming {@code call}. For the
     * set-up calls (socket, bind, ioctl, fcntl, setsockopt); the packet path has its own loops.
     */
    private static int checked(IntCall c, String call, String detail) throws LinuxException {
        try {
            MemorySegment st = state();
            return check(c.invoke(st), st, call, detail);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    /** What a native call threw: a LinuxException as it is, anything else unchecked. */
    private static RuntimeException failure(Throwable t) throws LinuxException {
        if (t instanceof LinuxException e) {
            throw e;
        }
        return unexpected(t);
    }

    private static RuntimeException unexpected(Throwable t) {
        if (t instanceof RuntimeException re) {
            return re;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("native call failed", t);
    }

    static int open(String path, int flags) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cPath = arena.allocateFrom(path);
            MemorySegment st = state();
            long fd;
            do {
                fd = result((int) OPEN.invokeExact(st, cPath, flags, 0), st, false, "open", path);
            } while (fd == RETRY);
            return (int) fd;
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    static void close(int fd) throws LinuxException {
        try {
            MemorySegment st = state();
            int rc = (int) CLOSE.invokeExact(st, fd);
            // On Linux the descriptor is released even when close reports EINTR: never retry.
            if (rc < 0 && errno(st) != Errno.EINTR) {
                throw new LinuxException("close", errno(st), "fd " + fd);
            }
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    /**
     * Closes {@code fd} after {@code failure} stopped the set-up that owned it; a failure to close is
     * added to {@code failure} as suppressed. The caller rethrows {@code failure}.
     */
    static void closeAfter(int fd, Throwable failure) {
        try {
            close(fd);
        } catch (LinuxException closeFailure) {
            failure.addSuppressed(closeFailure);
        }
    }

    static int ioctl(int fd, long request, MemorySegment arg, String what, String detail) throws LinuxException {
        return checked(st -> (int) IOCTL_PTR.invokeExact(st, fd, request, arg), "ioctl(" + what + ")", detail);
    }

    /** ioctl(2) whose argument is a number: glibc reads it as a {@code void *}, so it goes as one. */
    static int ioctl(int fd, long request, long arg, String what, String detail) throws LinuxException {
        return ioctl(fd, request, MemorySegment.ofAddress(arg), what, detail);
    }

    static int fcntl(int fd, int cmd, int arg, String what) throws LinuxException {
        return checked(st -> (int) FCNTL.invokeExact(st, fd, cmd, arg), "fcntl(" + what + ")", "fd " + fd);
    }

    /**
     * read(2) into {@code buf}, which may be a heap segment (critical downcall, no copy).
     *
     * @return bytes read, or -1 when the non-blocking descriptor has nothing (EAGAIN)
     */
    static int read(int fd, MemorySegment buf, String detail) throws LinuxException {
        return transfer(false, fd, buf, buf.byteSize(), detail);
    }

    /** read(2) of at most {@code count} bytes into the start of {@code buf}. */
    static int read(int fd, MemorySegment buf, long count, String detail) throws LinuxException {
        return transfer(false, fd, buf, count, detail);
    }

    /**
     * write(2) from {@code buf}, which may be a heap segment (critical downcall, no copy).
     *
     * @return bytes written, or -1 when the non-blocking descriptor cannot take it now (EAGAIN)
     */
    static int write(int fd, MemorySegment buf, String detail) throws LinuxException {
        return transfer(true, fd, buf, buf.byteSize(), detail);
    }

    /** write(2) of {@code count} bytes from the start of {@code buf}. */
    static int write(int fd, MemorySegment buf, long count, String detail) throws LinuxException {
        return transfer(true, fd, buf, count, detail);
    }

    /** read(2) or write(2): EINTR retried, -1 on EAGAIN. */
    private static int transfer(boolean write, int fd, MemorySegment buf, long count, String detail)
            throws LinuxException {
        try {
            MemorySegment st = state();
            long n;
            do {
                n = write
                        ? result((long) WRITE.invokeExact(st, fd, buf, count), st, true, "write", detail)
                        : result((long) READ.invokeExact(st, fd, buf, count), st, true, "read", detail);
            } while (n == RETRY);
            return (int) n;
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    /**
     * poll(2) one descriptor for {@code events}.
     *
     * @return the revents bits, 0 on timeout
     */
    static int pollOne(int fd, short events, int timeoutMs, String detail) throws LinuxException {
        Scratch scratch = SCRATCH.get();
        MemorySegment pfd = scratch.pollfd();
        MemorySegment st = scratch.state();
        long deadline = timeoutMs < 0 ? Long.MAX_VALUE : System.nanoTime() + timeoutMs * 1_000_000L;
        int timeout = timeoutMs;
        try {
            while (true) {
                pfd.set(JAVA_INT, 0, fd);
                pfd.set(JAVA_SHORT, 4, events);
                pfd.set(JAVA_SHORT, 6, (short) 0);
                long n = result((int) POLL.invokeExact(st, pfd, 1L, timeout), st, false, "poll", detail);
                if (n > 0) {
                    return pfd.get(JAVA_SHORT, 6) & 0xffff;
                }
                if (n == 0) {
                    return 0;
                }
                if (timeoutMs >= 0) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return 0;
                    }
                    timeout = (int) Math.max(1, left / 1_000_000L);
                }
            }
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    static int socket(int domain, int type, int protocol) throws LinuxException {
        return checked(st -> (int) SOCKET.invokeExact(st, domain, type, protocol), "socket",
                "domain " + domain + " protocol " + protocol);
    }

    static void bind(int fd, MemorySegment addr) throws LinuxException {
        checked(st -> (int) BIND.invokeExact(st, fd, addr, (int) addr.byteSize()), "bind", "fd " + fd);
    }

    /** getsockname(2) into {@code addr}; returns the address length the kernel reported. */
    static int getsockname(int fd, MemorySegment addr) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment len = arena.allocateFrom(JAVA_INT, (int) addr.byteSize());
            MemorySegment st = state();
            check((int) GETSOCKNAME.invokeExact(st, fd, addr, len), st, "getsockname", "fd " + fd);
            return len.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    static void setsockopt(int fd, int level, int name, MemorySegment value, String what) throws LinuxException {
        checked(st -> (int) SETSOCKOPT.invokeExact(st, fd, level, name, value, (int) value.byteSize()),
                "setsockopt(" + what + ")", "fd " + fd);
    }

    static long sendto(int fd, MemorySegment buf, int flags, MemorySegment addr, String detail)
            throws LinuxException {
        return sendto(fd, buf, buf.byteSize(), flags, addr, detail);
    }

    /** sendto(2) of {@code count} bytes from the start of {@code buf}; EINTR retried, EAGAIN thrown. */
    static long sendto(int fd, MemorySegment buf, long count, int flags, MemorySegment addr, String detail)
            throws LinuxException {
        try {
            MemorySegment st = state();
            long n;
            do {
                n = result((long) SENDTO.invokeExact(st, fd, buf, count, flags, addr, (int) addr.byteSize()), st,
                        false, "sendto", detail);
            } while (n == RETRY);
            return n;
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    /**
     * recvfrom(2) of at most {@code count} bytes into the start of {@code buf}; the sender's address goes
     * to {@code addr}, its length (in and out, a socklen_t) to {@code addrLen}. EINTR is retried.
     *
     * @return the datagram's length (its full length with MSG_TRUNC), or -1 when there is none (EAGAIN)
     */
    static long recvfrom(int fd, MemorySegment buf, long count, int flags, MemorySegment addr,
            MemorySegment addrLen, String detail) throws LinuxException {
        try {
            MemorySegment st = state();
            long n;
            do {
                addrLen.set(JAVA_INT, 0, (int) addr.byteSize());
                n = result((long) RECVFROM.invokeExact(st, fd, buf, count, flags, addr, addrLen), st, true,
                        "recvfrom", detail);
            } while (n == RETRY);
            return n;
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    /** recv(2); EAGAIN (a receive timeout) is an error here, reported as such. */
    static long recv(int fd, MemorySegment buf, int flags, String detail) throws LinuxException {
        try {
            MemorySegment st = state();
            long n;
            do {
                n = result((long) RECV.invokeExact(st, fd, buf, buf.byteSize(), flags), st, true, "recv", detail);
            } while (n == RETRY);
            if (n < 0) {
                throw new LinuxException("recv", Errno.EAGAIN, detail + " (no answer before the receive timeout)");
            }
            return n;
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    /**
     * if_nametoindex(3), done here (ioctl SIOCGIFINDEX on a socket of our own) because glibc's reports a
     * socket it cannot open (EMFILE: out of descriptors) as 0 with an unrelated errno; here that is the
     * socket call's own error. A missing interface is a LinuxException with ENODEV.
     */
    static int ifNameToIndex(String name) throws LinuxException {
        byte[] bytes = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (bytes.length == 0 || bytes.length > IFNAMSIZ - 1) {
            throw new LinuxException("if_nametoindex", Errno.ENODEV, name);
        }
        int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ifr = arena.allocate(IFREQ_SIZE, 8);
            MemorySegment.copy(bytes, 0, ifr, ValueLayout.JAVA_BYTE, 0, bytes.length);
            MemorySegment st = state();
            int rc = (int) IOCTL_PTR.invokeExact(st, fd, SIOCGIFINDEX, ifr);
            if (rc < 0) {
                throw new LinuxException("if_nametoindex", errno(st), name);
            }
            return ifr.get(JAVA_INT, IFNAMSIZ);
        } catch (Throwable t) {
            throw failure(t);
        } finally {
            try {
                close(fd);
            } catch (LinuxException ignored) {
                // the index is known; the descriptor is released anyway
            }
        }
    }

    /** strerror(3); glibc's is thread-safe (thread-local buffer for unknown numbers). */
    static String strerror(int errno) {
        try {
            MemorySegment p = (MemorySegment) STRERROR.invokeExact(errno);
            if (p.equals(MemorySegment.NULL)) {
                return "Unknown error " + errno;
            }
            return p.reinterpret(1024).getString(0);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }
}
