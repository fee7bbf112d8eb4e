package dev.siitdc.daemon.control;

import dev.siitdc.daemon.StartupException;
import dev.siitdc.daemon.control.ControlProtocol.Reply;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The daemon's end of the control socket ({@link ControlProtocol}): a Unix domain stream socket, mode
 * 0600, owned by the daemon's user (root). One thread accepts, one thread serves each connection (at
 * most {@link #MAX_CONNECTIONS} at once; a connection idle for {@link #IDLE_TIMEOUT} is closed); a request
 * reaches the packet path only through what the {@link Handler} does (a {@code SettingsRef} swap, counter
 * reads).
 *
 * <p>{@link #bind} comes before the relay starts, so that a socket in use stops a second daemon before it
 * changes anything: a file at the path that a live daemon answers on is refused; a stale one (nobody
 * listening: a daemon that was killed) is replaced. The socket is bound under a temporary name in a
 * private (0700) directory beside the path, given mode 0600 and only then renamed to the path: nobody
 * else can connect at any moment. {@link #close} removes the file (if it is still this socket's).
 */
public final class ControlServer implements AutoCloseable {
    /** Handles one request line. Called from the connection's virtual thread; may block. */
    @FunctionalInterface
    public interface Handler {
        Reply handle(String request);

        /** The handler of one new connection, for requests that span several lines (eamt apply); this one by default. */
        default Handler forConnection() {
            return this;
        }
    }

    /** The longest path a Unix domain socket can have (sun_path is 108 bytes, NUL included). */
    static final int MAX_PATH_BYTES = 107;

    private final Path path;
    private final ServerSocketChannel server;
    private final Object fileKey;
    /** Connections served at once; one more is answered "failed" and closed at once. */
    public static final int MAX_CONNECTIONS = 16;
    /** A connection that sends no request for this long is closed. */
    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);
    /** The first pause after a failed accept, and the longest (the pause doubles). */
    static final long ACCEPT_BACKOFF_FIRST_MS = 10, ACCEPT_BACKOFF_MAX_MS = 1000;
    /** Accept failures are warned about at most once a minute (with the recovery that follows). */
    static final long WARN_INTERVAL_NANOS = 60_000_000_000L;

    private final Map<SocketChannel, Connection> connections = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private volatile long idleNanos = IDLE_TIMEOUT.toNanos();
    private Thread acceptor, reaper;

    private ControlServer(Path path, ServerSocketChannel server, Object fileKey) {
        this.path = path;
        this.server = server;
        this.fileKey = fileKey;
    }

    /**
     * Creates the socket at {@code path} (and its directory, if missing); it accepts connections, which
     * wait in the backlog until {@link #start}.
     *
     * @throws StartupException keyed "control-socket": another daemon answers there, the path is not a
     *         socket, or the socket cannot be created
     */
    public static ControlServer bind(Path path) throws StartupException {
        Path abs = path.toAbsolutePath().normalize();
        if (abs.toString().getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            throw new StartupException("control-socket", abs + " is too long for a Unix domain socket (at most "
                    + MAX_PATH_BYTES + " bytes)");
        }
        Path dir = abs.getParent();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StartupException("control-socket", "cannot create the directory " + dir + ": " + e, e);
        }
        replaceStale(abs);
        Path tmpDir = null;
        ServerSocketChannel server = null;
        try {
            tmpDir = Files.createTempDirectory(dir, ".siitdc-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path tmp = tmpDir.resolve("s");
            if (tmp.toString().getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
                // The temporary name is longer than the path: bind in place (the directory's mode and the
                // permissions set right after binding are what protect it then).
                tmp = abs;
            }
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(tmp), 64);
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            if (!tmp.equals(abs)) {
                try {
                    Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Object key = Files.readAttributes(abs, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            return new ControlServer(abs, server, key);
        } catch (ExceptionInInitializerError | NoClassDefFoundError e) {
            // the JDK's socket classes could not initialise: with no descriptor left (EMFILE), they cannot
            throw new StartupException("control-socket", "cannot create the control socket " + abs + ": "
                    + describe(e.getCause() != null ? e.getCause() : e), e);
        } catch (IOException | RuntimeException e) {
            if (server != null) {
                try {
                    server.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new StartupException("control-socket", "cannot create the control socket " + abs + ": " + e, e);
        } finally {
            if (tmpDir != null) {
                try {
                    Files.deleteIfExists(tmpDir.resolve("s"));
                    Files.deleteIfExists(tmpDir);
                } catch (IOException ignored) {
                    // a leftover empty private directory harms nobody
                }
            }
        }
    }

    /** Refuses a path another daemon answers on, or that is not a socket; deletes a stale socket. */
    private static void replaceStale(Path abs) throws StartupException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(abs, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw new StartupException("control-socket", "cannot look at " + abs + ": " + e, e);
        }
        if (!a.isOther()) {
            throw new StartupException("control-socket", abs + " exists and is not a socket"
                    + (a.isDirectory() ? " (it is a directory)" : "") + "; remove it or choose another path");
        }
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(abs))) {
            throw new StartupException("control-socket", "another siitdc daemon is listening on " + abs
                    + ": stop it first, or give this one another [relay] control-socket");
        } catch (ConnectException e) {
            // Connection refused: nobody listens. A stale socket, left by a daemon that was killed.
        } catch (IOException e) {
            throw new StartupException("control-socket", "cannot check whether a daemon listens on " + abs + ": " + e, e);
        }
        try {
            Files.deleteIfExists(abs);
        } catch (IOException e) {
            throw new StartupException("control-socket", "cannot remove the stale socket " + abs + ": " + e, e);
        }
    }

    public Path path() {
        return path;
    }

    /** Starts serving with the default {@link #IDLE_TIMEOUT}; warnings are dropped. */
    public void start(Handler handler) {
        start(handler, w -> { }, IDLE_TIMEOUT);
    }

    /**
     * Starts serving: one thread accepts, one per connection serves it, one closes idle connections. They
     * are platform threads: a virtual thread parks on the JDK's poller, which opens descriptors the first
     * time it is needed, and so could fail for good when the descriptors run out.
     *
     * @param warn gets one line (no "siitdc: warning: " prefix) when accepting fails (EMFILE, ENFILE...) and
     *        one when it works again
     * @param idleTimeout how long a connection may stay without a request before it is closed
     */
    public synchronized void start(Handler handler, Consumer<String> warn, Duration idleTimeout) {
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(warn, "warn");
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idle timeout must be positive: " + idleTimeout);
        }
        if (acceptor != null) {
            throw new IllegalStateException("started already");
        }
        this.idleNanos = idleTimeout.toNanos();
        acceptor = Thread.ofPlatform().name("siitdc-control").daemon(true).start(() -> acceptLoop(handler, warn));
        reaper = Thread.ofPlatform().name("siitdc-control-idle").daemon(true).start(this::closeIdle);
    }

    /**
     * Accepts until closed. A failing accept (EMFILE/ENFILE: out of descriptors; the pending connection stays
     * in the backlog, so accept would fail again at once) is retried after a pause that doubles from
     * {@link #ACCEPT_BACKOFF_FIRST_MS} to {@link #ACCEPT_BACKOFF_MAX_MS}; said at most once a minute, and
     * then said again when accepting works again. Beyond {@link #MAX_CONNECTIONS} a connection is answered
     * "failed" and closed.
     */
    private void acceptLoop(Handler handler, Consumer<String> warn) {
        long backoff = 0;
        long warnedAt = 0;          // System.nanoTime() of the last failure warning; 0: none yet
        boolean warned = false;     // the current run of failures was warned about
        while (!closed) {
            SocketChannel c;
            try {
                c = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException | RuntimeException | Error e) {
                if (closed) {
                    return;
                }
                long now = System.nanoTime();
                if (backoff == 0 && (warnedAt == 0 || now - warnedAt > WARN_INTERVAL_NANOS)) {
                    warnQuietly(warn, "control socket " + path + ": cannot accept a connection: " + describe(e)
                            + "; retrying, up to every " + ACCEPT_BACKOFF_MAX_MS + " ms");
                    warnedAt = now;
                    warned = true;
                }
                backoff = backoff == 0 ? ACCEPT_BACKOFF_FIRST_MS : Math.min(2 * backoff, ACCEPT_BACKOFF_MAX_MS);
                if (!pause(backoff)) {
                    return;
                }
                continue;
            }
            backoff = 0;
            if (warned) {
                warned = false;
                warnQuietly(warn, "control socket " + path + ": accepting connections again");
            }
            if (closed) {
                closeQuietly(c);
                return;
            }
            if (connections.size() >= MAX_CONNECTIONS) {
                refuse(c, Reply.failed(TOO_MANY));
                continue;
            }
            Connection conn = new Connection();
            connections.put(c, conn);
            try {
                Thread.ofPlatform().name("siitdc-control-connection").daemon(true).start(() -> {
                    try {
                        serve(c, handler, conn);
                    } catch (IOException e) {
                        // the client went away, or the connection was closed as idle
                    } finally {
                        connections.remove(c);
                        closeQuietly(c);
                    }
                });
            } catch (RuntimeException | Error e) {
                // no thread (out of memory or of threads): this connection cannot be served now
                connections.remove(c);
                refuse(c, Reply.failed("the daemon cannot serve a connection now: " + describe(e)));
            }
        }
    }

    /** What the connection one over {@link #MAX_CONNECTIONS} is told. */
    static final String TOO_MANY = "too many control connections open (at most " + MAX_CONNECTIONS
            + "): try again when one is closed";

    /** Answers {@code r} to a connection not served, then closes it (a client that does not read loses nothing). */
    private static void refuse(SocketChannel c, Reply r) {
        try {
            c.configureBlocking(false);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            write(out, r);
            c.write(ByteBuffer.wrap(out.toByteArray()));
        } catch (IOException e) {
            // it went away
        } finally {
            closeQuietly(c);
        }
    }

    /** Closes the connections idle (no request being read or answered) for longer than the idle timeout. */
    private void closeIdle() {
        long period = Math.max(10_000_000L, Math.min(idleNanos / 4, 1_000_000_000L));
        while (!closed) {
            if (!pause(period / 1_000_000L)) {
                return;
            }
            long now = System.nanoTime();
            for (Map.Entry<SocketChannel, Connection> e : connections.entrySet()) {
                if (now - e.getValue().lastActive > idleNanos) {
                    closeQuietly(e.getKey());
                }
            }
        }
    }

    /** Sleeps; false once closed or interrupted. */
    private boolean pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            return false;
        }
        return !closed;
    }

    /** "too many open files (EMFILE)" for the usual accept failures, else the exception. */
    static String describe(Throwable e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("Too many open files in system")) {
            return "too many open files in the system (ENFILE): raise fs.file-max, or find what holds them";
        }
        if (m.contains("Too many open files")) {
            return "too many open files (EMFILE): raise the daemon's limit (LimitNOFILE=, ulimit -n), or close"
                    + " connections";
        }
        return e.toString();
    }

    private static void warnQuietly(Consumer<String> warn, String line) {
        try {
            warn.accept(line);
        } catch (RuntimeException e) {
            // a warning that cannot be written must not stop the accept loop
        }
    }

    /** A served connection's last activity, for {@link #closeIdle}. */
    static final class Connection {
        volatile long lastActive = System.nanoTime();

        void touch() {
            lastActive = System.nanoTime();
        }
    }

    /**
     * Reads request lines and answers each; the answers to all the complete lines one read brought are
     * written together (pipelined requests cost one write per batch, not per request).
     */
    static void serve(SocketChannel c, Handler shared, Connection conn) throws IOException {
        Handler handler = shared.forConnection();
        ByteBuffer in = ByteBuffer.allocate(64 * 1024);
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean tooLong = false;
        while (c.read(in) >= 0) {
            conn.touch();
            in.flip();
            while (in.hasRemaining()) {
                byte b = in.get();
                if (b != '\n') {
                    if (line.size() < ControlProtocol.MAX_LINE) {
                        line.write(b);
                    } else {
                        tooLong = true;
                    }
                    continue;
                }
                if (tooLong) {
                    write(out, Reply.refused("request longer than " + ControlProtocol.MAX_LINE + " bytes"));
                    flush(c, out);
                    return;
                }
                String request = line.toString(StandardCharsets.UTF_8);
                line.reset();
                if (request.endsWith("\r")) {
                    request = request.substring(0, request.length() - 1);
                }
                Reply r;
                try {
                    r = handler.handle(request);
                } catch (RuntimeException e) {
                    r = Reply.failed("internal error: " + e);
                }
                write(out, r);
                conn.touch();
            }
            in.clear();
            flush(c, out);
            conn.touch();
        }
        flush(c, out);
    }

    private static void write(ByteArrayOutputStream out, Reply r) {
        for (String l : r.lines()) {
            out.writeBytes(l.getBytes(StandardCharsets.UTF_8));
            out.write('\n');
        }
    }

    private static void flush(SocketChannel c, ByteArrayOutputStream out) throws IOException {
        if (out.size() == 0) {
            return;
        }
        ByteBuffer b = ByteBuffer.wrap(out.toByteArray());
        while (b.hasRemaining()) {
            c.write(b);
        }
        out.reset();
    }

    /** Stops accepting, closes every connection, removes the socket file if it is still this one. Idempotent. */
    @Override
    public void close() {
        Thread a, r;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            a = acceptor;
            r = reaper;
        }
        closeQuietly(server);
        for (SocketChannel c : connections.keySet()) {
            closeQuietly(c);
        }
        if (r != null) {
            r.interrupt();
        }
        if (a != null) {
            try {
                a.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            Object key = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            if (Objects.equals(key, fileKey)) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // gone already, or replaced by another daemon's: not ours to remove
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
