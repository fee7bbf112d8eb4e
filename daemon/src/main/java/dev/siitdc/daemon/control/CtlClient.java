package dev.siitdc.daemon.control;

import dev.siitdc.daemon.control.ControlProtocol.Reply;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The command line's end of the control socket ({@link ControlProtocol}): one connection, requests sent
 * one at a time ({@link #request}) or pipelined ({@link #pipeline}: all written by one virtual thread
 * while the replies are read, so that neither side waits for the other's buffer).
 */
public final class CtlClient implements AutoCloseable {
    /** The daemon cannot be reached (none listening, no permission, connection lost). */
    public static class Unreachable extends Exception {
        Unreachable(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }

    private final Path path;
    private final SocketChannel channel;
    private final BufferedReader in;
    private final BufferedWriter out;

    private CtlClient(Path path, SocketChannel channel) {
        this.path = path;
        this.channel = channel;
        this.in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8), 1 << 16);
        this.out = new BufferedWriter(new OutputStreamWriter(Channels.newOutputStream(channel), StandardCharsets.UTF_8), 1 << 16);
    }

    public static CtlClient connect(Path path) throws Unreachable {
        try {
            return new CtlClient(path, SocketChannel.open(UnixDomainSocketAddress.of(path)));
        } catch (IOException e) {
            if (permissionDenied(e)) throw new NotAllowed(path, e);
            throw new Unreachable(describe(path, e), e);
        }
    }

    /** No permission to use the control socket (mode 0600, root's; or a directory on the way this user cannot search). */
    public static final class NotAllowed extends Unreachable {
        NotAllowed(Path path, Throwable cause) {
            super("permission denied on " + path + ": the control socket is root's: run this as root", cause);
        }
    }

    static boolean permissionDenied(IOException e) {
        String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        return e instanceof java.nio.file.AccessDeniedException || m.contains("permission denied");
    }

    /** Why {@code path} could not be connected to, for the operator. */
    static String describe(Path path, IOException e) {
        String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        if (!Files.exists(path) || m.contains("connection refused") || m.contains("no such file")) {
            return "no siitdc daemon is listening on " + path + " (is `siitdc run` running?"
                    + (Files.exists(path) ? " the socket file is stale)" : ")");
        }
        return "cannot connect to " + path + ": " + e;
    }

    /** Sends one request and reads its reply. */
    public Reply request(String request) throws Unreachable {
        return pipeline(List.of(request)).getFirst();
    }

    /** Sends every request, then reads as many replies, in order. */
    public List<Reply> pipeline(List<String> requests) throws Unreachable {
        for (String r : requests) {
            if (r.indexOf('\n') >= 0 || r.indexOf('\r') >= 0) {
                throw new IllegalArgumentException("a request is one line: " + r);
            }
        }
        Thread writer = Thread.ofVirtual().name("siitdc-ctl-writer").start(() -> {
            try {
                for (String r : requests) {
                    out.write(r);
                    out.write('\n');
                }
                out.flush();
            } catch (IOException e) {
                // the daemon closed the connection: the reader sees how many replies came
            }
        });
        List<Reply> replies = new ArrayList<>(requests.size());
        ControlProtocol.ReplyReader reader = new ControlProtocol.ReplyReader();
        try {
            while (replies.size() < requests.size()) {
                String line = in.readLine();
                if (line == null) {
                    throw new Unreachable("the daemon on " + path + " closed the connection after " + replies.size()
                            + " of " + requests.size() + " replies (is it stopping?)", null);
                }
                Reply r;
                try {
                    r = reader.accept(line);
                } catch (IllegalArgumentException e) {
                    throw new Unreachable("unexpected answer from " + path + ": " + e.getMessage(), e);
                }
                if (r != null) {
                    replies.add(r);
                }
            }
            writer.join();   // every reply arrived: a write that failed after them (the daemon closed) lost nothing
        } catch (IOException e) {
            throw new Unreachable("lost the connection to the daemon on " + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable("interrupted", e);
        }
        return replies;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
