package dev.siitdc.daemon.control;

import dev.siitdc.daemon.StartupException;
import dev.siitdc.daemon.control.ControlProtocol.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ControlServerTest {
    @TempDir
    Path dir;

    @Test
    void theSocketIsPrivateAnswersPipelinedRequestsInOrderAndIsRemovedAtClose() throws Exception {
        Path path = dir.resolve("run/siit0.sock");
        AtomicInteger n = new AtomicInteger();
        try (ControlServer s = ControlServer.bind(path)) {
            assertThat(Files.getPosixFilePermissions(path)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Files.list(path.getParent()).map(p -> p.getFileName().toString()).toList())
                    .as("no temporary directory left").containsExactly("siit0.sock");
            s.start(req -> req.equals("boom") ? Reply.failed("no")
                    : new Reply(ControlProtocol.Status.OK, "#" + n.incrementAndGet(), List.of("echo " + req),
                            List.of()));
            try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
                OutputStream out = Channels.newOutputStream(c);
                StringBuilder batch = new StringBuilder();
                for (int i = 0; i < 5000; i++) batch.append("req ").append(i).append('\n');
                batch.append("boom\n");
                Thread w = Thread.ofVirtual().start(() -> {
                    try {
                        out.write(batch.toString().getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(c), StandardCharsets.UTF_8));
                ControlProtocol.ReplyReader rr = new ControlProtocol.ReplyReader();
                List<Reply> replies = new ArrayList<>();
                while (replies.size() < 5001) {
                    Reply r = rr.accept(in.readLine());
                    if (r != null) replies.add(r);
                }
                w.join();
                assertThat(replies.get(0).data()).containsExactly("echo req 0");
                assertThat(replies.get(4999).text()).isEqualTo("#5000");
                assertThat(replies.get(4999).data()).containsExactly("echo req 4999");
                assertThat(replies.get(5000).status()).isEqualTo(ControlProtocol.Status.FAILED);
                assertThat(replies.get(5000).text()).isEqualTo("no");
            }
        }
        assertThat(path).doesNotExist();
    }

    @Test
    void aLiveDaemonsSocketIsRefusedAStaleOneReplaced() throws Exception {
        Path path = dir.resolve("siit0.sock");
        try (ControlServer first = ControlServer.bind(path)) {
            assertThatThrownBy(() -> ControlServer.bind(path)).isInstanceOf(StartupException.class)
                    .hasMessage("control-socket: another siitdc daemon is listening on " + path
                            + ": stop it first, or give this one another [relay] control-socket");
            assertThat(path).exists();
        }
        // a stale socket: bound, then its server gone without removing the file
        ServerSocketChannel stale = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        stale.bind(UnixDomainSocketAddress.of(path));
        stale.close();
        assertThat(path).exists();
        try (ControlServer s = ControlServer.bind(path)) {
            s.start(req -> Reply.ok("hi"));
            try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
                Channels.newOutputStream(c).write("hello\n".getBytes(StandardCharsets.UTF_8));
                assertThat(new BufferedReader(new InputStreamReader(Channels.newInputStream(c))).readLine()).isEqualTo("ok hi");
            }
        }
    }

    @Test
    void aFileThatIsNotASocketIsRefused() throws Exception {
        Path path = dir.resolve("siit0.sock");
        Files.writeString(path, "x");
        assertThatThrownBy(() -> ControlServer.bind(path)).isInstanceOf(StartupException.class)
                .hasMessageContaining("exists and is not a socket");
        assertThat(Files.readString(path)).isEqualTo("x");
    }

    @Test
    void anOverlongRequestIsRefusedAndTheConnectionClosed() throws Exception {
        Path path = dir.resolve("s.sock");
        try (ControlServer s = ControlServer.bind(path)) {
            s.start(req -> Reply.ok(""));
            try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
                Channels.newOutputStream(c).write(("x".repeat(ControlProtocol.MAX_LINE + 10) + "\n").getBytes(StandardCharsets.UTF_8));
                BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(c)));
                assertThat(in.readLine()).isEqualTo("refused request longer than 8192 bytes");
                assertThat(in.readLine()).isNull();
            }
        }
    }

    @Test
    void connectionsBeyondTheCapAreToldWhyAndClosedAndTheServerServesAgainAfterwards() throws Exception {
        Path path = dir.resolve("cap.sock");
        List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (ControlServer s = ControlServer.bind(path)) {
            s.start(req -> Reply.ok("hi " + req), warnings::add, ControlServer.IDLE_TIMEOUT);
            List<SocketChannel> open = new ArrayList<>();
            try {
                for (int i = 0; i < ControlServer.MAX_CONNECTIONS; i++) {
                    SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(path));
                    open.add(c);
                    assertThat(ask(c, "n" + i)).as("connection %d is served", i).isEqualTo("ok hi n" + i);
                }
                try (SocketChannel extra = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
                    BufferedReader in = reader(extra);
                    assertThat(in.readLine()).isEqualTo("failed too many control connections open (at most 16): try"
                            + " again when one is closed");
                    assertThat(in.readLine()).as("then closed").isNull();
                }
                assertThat(ask(open.getFirst(), "again")).as("the first ones are still served").isEqualTo("ok hi again");
                open.removeFirst().close();
                long deadline = System.nanoTime() + 5_000_000_000L;
                String answer;
                do {
                    try (SocketChannel next = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
                        answer = ask(next, "next");
                    } catch (java.io.IOException e) {
                        answer = e.toString();   // still refused (the server has not seen the close yet): EPIPE
                    }
                } while (!answer.equals("ok hi next") && System.nanoTime() < deadline);
                assertThat(answer).as("one closed: a new one is served").isEqualTo("ok hi next");
            } finally {
                for (SocketChannel c : open) c.close();
            }
        }
        assertThat(warnings).as("the cap is not an accept failure").isEmpty();
    }

    @Test
    void anIdleConnectionIsClosedAfterTheTimeoutAnActiveOneIsNot() throws Exception {
        Path path = dir.resolve("idle.sock");
        try (ControlServer s = ControlServer.bind(path)) {
            s.start(req -> Reply.ok(req), w -> { }, java.time.Duration.ofMillis(400));
            try (SocketChannel idle = SocketChannel.open(UnixDomainSocketAddress.of(path));
                 SocketChannel active = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
                assertThat(ask(idle, "first")).isEqualTo("ok first");
                long t0 = System.nanoTime();
                for (int i = 0; i < 12; i++) {
                    Thread.sleep(100);
                    assertThat(ask(active, "r" + i)).as("a request every 100 ms keeps it open").isEqualTo("ok r" + i);
                }
                assertThat(reader(idle).readLine()).as("the idle one was closed").isNull();
                assertThat((System.nanoTime() - t0) / 1_000_000).as("after at least the timeout").isGreaterThanOrEqualTo(300);
            }
        }
    }

    private static BufferedReader reader(SocketChannel c) {
        return new BufferedReader(new InputStreamReader(Channels.newInputStream(c), StandardCharsets.UTF_8));
    }

    /** Sends one request line, returns the status line of its answer (no data lines here). */
    private static String ask(SocketChannel c, String request) throws Exception {
        c.write(java.nio.ByteBuffer.wrap((request + "\n").getBytes(StandardCharsets.UTF_8)));
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4096);
        StringBuilder sb = new StringBuilder();
        while (sb.indexOf("\n") < 0) {
            b.clear();
            if (c.read(b) < 0) return "(closed)";
            sb.append(new String(b.array(), 0, b.position(), StandardCharsets.UTF_8));
        }
        return sb.substring(0, sb.indexOf("\n"));
    }
}
