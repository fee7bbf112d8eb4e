package dev.siitdc.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The two ends of the TCP stream of {@link ControlSocketTest}, each run in its own network namespace:
 * <ul>
 *   <li>{@code server PORT}: accepts one connection, checks every byte against {@link #expected} and echoes
 *       it back; prints "server OK N bytes" at the end of the stream, or "server ERROR ..." and exits 1;</li>
 *   <li>{@code client HOST PORT BYTES_PER_SECOND}: sends the pattern at about that rate until its standard
 *       input closes, then half-closes, checks the echo to the end and prints "client OK sent N echoed N",
 *       or "client ERROR ..." and exits 1 (a reset, a mismatch, a short echo).</li>
 * </ul>
 */
public final class StreamPeer {
    private StreamPeer() {}

    /** The byte at stream offset {@code k}. */
    static byte expected(long k) {
        return (byte) ((k * 2654435761L) >>> 13 ^ (k >>> 8));
    }

    public static void main(String[] args) throws Exception {
        try {
            if (args[0].equals("server")) server(Integer.parseInt(args[1]));
            else client(args[1], Integer.parseInt(args[2]), Long.parseLong(args[3]));
        } catch (Throwable t) {
            System.out.println(args[0] + " ERROR " + t);
            System.out.flush();
            System.exit(1);
        }
    }

    static void server(int port) throws IOException {
        try (ServerSocket ss = new ServerSocket()) {
            ss.bind(new InetSocketAddress(InetAddress.getByName("::"), port));
            System.out.println("listening");
            System.out.flush();
            try (Socket s = ss.accept()) {
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                byte[] buf = new byte[65536];
                long at = 0;
                for (int n; (n = in.read(buf)) >= 0; ) {
                    for (int i = 0; i < n; i++, at++)
                        if (buf[i] != expected(at)) throw new IOException("byte " + at + " is " + buf[i] + ", not " + expected(at));
                    out.write(buf, 0, n);
                }
                s.shutdownOutput();
                System.out.println("server OK " + at + " bytes");
            }
        }
    }

    static void client(String host, int port, long rate) throws Throwable {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 10_000);
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            AtomicLong echoed = new AtomicLong();
            Throwable[] readFailure = new Throwable[1];
            Thread reader = Thread.ofPlatform().start(() -> {
                byte[] buf = new byte[65536];
                long at = 0;
                try {
                    for (int n; (n = in.read(buf)) >= 0; ) {
                        for (int i = 0; i < n; i++, at++)
                            if (buf[i] != expected(at)) throw new IOException("echoed byte " + at + " is wrong");
                        echoed.set(at);
                    }
                } catch (Throwable t) {
                    readFailure[0] = t;
                }
            });
            Thread stdin = Thread.ofPlatform().daemon().start(() -> {
                try {
                    System.in.readAllBytes();
                } catch (IOException ignored) {
                    // closed either way
                }
            });
            byte[] chunk = new byte[16384];
            long sent = 0, start = System.nanoTime();
            while (stdin.isAlive()) {
                for (int i = 0; i < chunk.length; i++) chunk[i] = expected(sent + i);
                out.write(chunk);
                sent += chunk.length;
                long due = start + sent * 1_000_000_000L / rate;
                long wait = due - System.nanoTime();
                if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            s.shutdownOutput();
            reader.join(60_000);
            if (readFailure[0] != null) throw readFailure[0];
            if (echoed.get() != sent) throw new IOException("sent " + sent + " bytes, " + echoed.get() + " echoed");
            System.out.println("client OK sent " + sent + " echoed " + echoed.get());
        }
    }
}
