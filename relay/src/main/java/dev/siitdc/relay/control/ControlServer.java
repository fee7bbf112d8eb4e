package dev.siitdc.relay.control;

import dev.siitdc.relay.StartupException;
import dev.siitdc.relay.control.ControlProtocol.Reply;
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
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The daemon's end of the control socket ({@link ControlProtocol}): a Unix domain stream socket, mode
 * 0600, owned by the daemon's user (root). One virtual thread accepts, one virtual thread serves each
 * connection; a request reaches the packet path only through what the {@link Handler} does (a
 * {@code SettingsRef} swap, counter reads).
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
    }

    /** The longest path a Unix domain socket can have (sun_path is 108 bytes, NUL included). */
    static final int MAX_PATH_BYTES = 107;

    private final Path path;
    private final ServerSocketChannel server;
    private final Object fileKey;
    private final Set<SocketChannel> connections = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    private Thread acceptor;

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

    /** Starts serving: one virtual thread accepts, one per connection serves it. */
    public synchronized void start(Handler handler) {
        Objects.requireNonNull(handler, "handler");
        if (acceptor != null) {
            throw new IllegalStateException("started already");
        }
        acceptor = Thread.ofVirtual().name("siitdc-control").start(() -> acceptLoop(handler));
    }

    private void acceptLoop(Handler handler) {
        while (!closed) {
            SocketChannel c;
            try {
                c = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;   // e.g. EMFILE: keep serving the connections there are
            }
            connections.add(c);
            if (closed) {
                closeQuietly(c);
                return;
            }
            Thread.ofVirtual().name("siitdc-control-connection").start(() -> {
                try {
                    serve(c, handler);
                } catch (IOException e) {
                    // the client went away
                } finally {
                    connections.remove(c);
                    closeQuietly(c);
                }
            });
        }
    }

    /**
     * Reads request lines and answers each; the answers to all the complete lines one read brought are
     * written together (pipelined requests cost one write per batch, not per request).
     */
    static void serve(SocketChannel c, Handler handler) throws IOException {
        ByteBuffer in = ByteBuffer.allocate(64 * 1024);
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean tooLong = false;
        while (c.read(in) >= 0) {
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
            }
            in.clear();
            flush(c, out);
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
        Thread a;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            a = acceptor;
        }
        closeQuietly(server);
        for (SocketChannel c : connections) {
            closeQuietly(c);
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
