package dev.siitdc.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The lab's small apps, one JVM each, run inside a namespace by {@link Lab}. Run with
 * {@code -Djava.net.preferIPv4Stack=true} they are IPv4-only programs: every socket is AF_INET, as
 * RFC 7756 s3.1's IPv4-only application behind a node-based ER.
 *
 * <pre>
 * serve [--tcp ADDR:PORT]... [--udp ADDR:PORT]...
 *     TCP: to each connection, "seen REMOTE-IP REMOTE-PORT at LOCAL-IP LOCAL-PORT\n", then echoes.
 *     UDP: to each datagram, "seen REMOTE-IP REMOTE-PORT at LOCAL-IP LOCAL-PORT len N sha256 X"
 *          (not to datagrams starting with "noreply"). Logs every connection and datagram on stdout;
 *          prints "ready" once every socket is bound.
 * tcp-client ADDR:PORT [--bind ADDR] [--timeout-ms N]
 *     prints "server: LINE" (the server's first line) and "local LOCAL-IP LOCAL-PORT".
 * bulk ADDR:PORT --bytes N [--bind ADDR] [--stall-s S] [--timeout-s S]
 *     TCP to a serve --tcp echo: sends N bytes while reading the N echoed bytes back (so N each way at once);
 *     prints "bulk sent N received N sha256 ok|MISMATCH S seconds M Mbit/s each way"; exit 1 when the echo is
 *     short or differs, when nothing arrives for S seconds (a black hole: default 20) or after the timeout.
 * udp-client ADDR:PORT [--bind ADDR] [--size N] [--df on|off] [--count N] [--noreply] [--tries N] [--timeout-ms N]
 *     sends datagrams of N bytes (DF as asked: off makes IP_PMTUDISC_DONT), prints "sent len N sha256 X" and,
 *     unless --noreply, "reply: TEXT" of the first reply.
 * </pre>
 * Exit status 0 on success, 1 on a network failure, 2 on bad usage.
 */
public final class LabApp {
    private LabApp() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) usage("no mode");
        List<String> rest = new ArrayList<>(List.of(args).subList(1, args.length));
        int status = switch (args[0]) {
            case "serve" -> serve(rest);
            case "tcp-client" -> tcpClient(rest);
            case "udp-client" -> udpClient(rest);
            case "bulk" -> bulk(rest);
            default -> usage("unknown mode " + args[0]);
        };
        System.out.flush();
        System.exit(status);
    }

    private static int usage(String why) {
        System.err.println("LabApp: " + why + "; modes: serve, tcp-client, udp-client (see the class comment)");
        System.exit(2);
        return 2;
    }

    // ------------------------------------------------------------------------------------------------

    private static int serve(List<String> args) throws IOException {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        List<Runnable> loops = new ArrayList<>();
        for (int i = 0; i < args.size(); i += 2) {
            if (i + 1 >= args.size()) usage("missing value after " + args.get(i));
            InetSocketAddress at = endpoint(args.get(i + 1));
            switch (args.get(i)) {
                case "--tcp" -> {
                    ServerSocket ss = new ServerSocket();
                    ss.setReuseAddress(true);
                    ss.bind(at, 64);
                    out.println("listening tcp " + text(at));
                    loops.add(() -> acceptLoop(ss, out));
                }
                case "--udp" -> {
                    DatagramSocket ds = new DatagramSocket(null);
                    ds.setReuseAddress(true);
                    ds.bind(at);
                    out.println("listening udp " + text(at));
                    loops.add(() -> udpLoop(ds, out));
                }
                default -> usage("unknown option " + args.get(i));
            }
        }
        List<Thread> threads = loops.stream().map(r -> Thread.ofPlatform().start(r)).toList();
        out.println("ready");
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                return 0;
            }
        }
        return 0;
    }

    private static void acceptLoop(ServerSocket ss, PrintStream out) {
        while (true) {
            Socket s;
            try {
                s = ss.accept();
            } catch (IOException e) {
                out.println("accept failed: " + e);
                return;
            }
            Thread.ofVirtual().start(() -> {
                try (s) {
                    InetSocketAddress r = (InetSocketAddress) s.getRemoteSocketAddress();
                    InetSocketAddress l = (InetSocketAddress) s.getLocalSocketAddress();
                    String seen = "seen " + addr(r.getAddress()) + " " + r.getPort() + " at "
                            + addr(l.getAddress()) + " " + l.getPort();
                    out.println("tcp " + seen);
                    OutputStream o = s.getOutputStream();
                    o.write((seen + "\n").getBytes(StandardCharsets.US_ASCII));
                    o.flush();
                    InputStream in = s.getInputStream();
                    byte[] buf = new byte[65536];
                    int n;
                    while ((n = in.read(buf)) >= 0) o.write(buf, 0, n);
                } catch (IOException e) {
                    out.println("tcp connection: " + e);
                }
            });
        }
    }

    private static void udpLoop(DatagramSocket ds, PrintStream out) {
        byte[] buf = new byte[65536];
        while (true) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                ds.receive(p);
                InetSocketAddress r = (InetSocketAddress) p.getSocketAddress();
                InetSocketAddress l = (InetSocketAddress) ds.getLocalSocketAddress();
                String seen = "seen " + addr(r.getAddress()) + " " + r.getPort() + " at "
                        + addr(l.getAddress()) + " " + l.getPort() + " len " + p.getLength() + " sha256 "
                        + sha(p.getData(), p.getOffset(), p.getLength());
                String head = new String(p.getData(), p.getOffset(), Math.min(p.getLength(), 32), StandardCharsets.US_ASCII)
                        .replaceAll("[^ -~]", ".");
                out.println("udp " + seen + " text " + head);
                if (!head.startsWith("noreply")) {
                    byte[] reply = seen.getBytes(StandardCharsets.US_ASCII);
                    ds.send(new DatagramPacket(reply, reply.length, r));
                }
            } catch (IOException e) {
                out.println("udp: " + e);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------

    private static int tcpClient(List<String> args) {
        if (args.isEmpty()) usage("tcp-client ADDR:PORT");
        InetSocketAddress to = endpoint(args.getFirst());
        String bind = option(args, "--bind", null);
        int timeout = Integer.parseInt(option(args, "--timeout-ms", "5000"));
        try (Socket s = new Socket()) {
            if (bind != null) s.bind(new InetSocketAddress(InetAddress.getByName(bind), 0));
            s.connect(to, timeout);
            s.setSoTimeout(timeout);
            BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            String line = r.readLine();
            InetSocketAddress l = (InetSocketAddress) s.getLocalSocketAddress();
            System.out.println("server: " + line);
            System.out.println("local " + addr(l.getAddress()) + " " + l.getPort());
            return line != null ? 0 : 1;
        } catch (IOException e) {
            System.out.println("tcp-client " + text(to) + ": " + e);
            return 1;
        }
    }

    private static int bulk(List<String> args) {
        if (args.isEmpty()) usage("bulk ADDR:PORT --bytes N");
        InetSocketAddress to = endpoint(args.getFirst());
        String bind = option(args, "--bind", null);
        long bytes = sizeOf(option(args, "--bytes", "100M"));
        int stall = Integer.parseInt(option(args, "--stall-s", "20"));
        long timeout = Long.parseLong(option(args, "--timeout-s", "170"));
        long start = System.nanoTime();
        try (Socket s = new Socket()) {
            if (bind != null) s.bind(new InetSocketAddress(InetAddress.getByName(bind), 0));
            s.setReceiveBufferSize(1 << 20);
            s.setSendBufferSize(1 << 20);
            s.connect(to, 5000);
            s.setSoTimeout(stall * 1000);
            InputStream in = s.getInputStream();
            // the server's greeting line first
            for (int c; (c = in.read()) != '\n'; ) if (c < 0) throw new IOException("closed before the greeting");
            MessageDigest sent = MessageDigest.getInstance("SHA-256");
            Thread writer = Thread.ofPlatform().start(() -> {
                byte[] buf = new byte[65536];
                try {
                    OutputStream o = s.getOutputStream();
                    for (long left = bytes; left > 0; ) {
                        int n = (int) Math.min(buf.length, left);
                        for (int i = 0; i < n; i++) buf[i] = (byte) ((bytes - left + i) * 7 + 3);
                        synchronized (sent) {
                            sent.update(buf, 0, n);
                        }
                        o.write(buf, 0, n);
                        left -= n;
                    }
                    s.shutdownOutput();
                } catch (IOException e) {
                    System.out.println("bulk write: " + e);
                }
            });
            MessageDigest got = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[65536];
            long received = 0;
            long deadline = start + timeout * 1_000_000_000L;
            int n;
            while (received < bytes && (n = in.read(buf)) >= 0) {
                got.update(buf, 0, n);
                received += n;
                if (System.nanoTime() > deadline) throw new IOException("timeout after " + timeout + " s");
            }
            writer.join();
            double secs = (System.nanoTime() - start) / 1e9;
            boolean same;
            synchronized (sent) {
                same = received == bytes && MessageDigest.isEqual(sent.digest(), got.digest());
            }
            System.out.printf(java.util.Locale.ROOT, "bulk sent %d received %d sha256 %s %.1f seconds %.0f Mbit/s each way%n",
                    bytes, received, same ? "ok" : "MISMATCH", secs, received * 8 / secs / 1e6);
            return same ? 0 : 1;
        } catch (SocketTimeoutException e) {
            System.out.println("bulk " + text(to) + ": nothing for " + stall + " s (black hole?) after "
                    + (System.nanoTime() - start) / 1_000_000_000 + " s");
            return 1;
        } catch (IOException | InterruptedException | NoSuchAlgorithmException e) {
            System.out.println("bulk " + text(to) + ": " + e);
            return 1;
        }
    }

    /** "100M" (MiB), "64K", "1G" or bytes. */
    static long sizeOf(String s) {
        long unit = switch (s.charAt(s.length() - 1)) {
            case 'K', 'k' -> 1L << 10;
            case 'M', 'm' -> 1L << 20;
            case 'G', 'g' -> 1L << 30;
            default -> 1;
        };
        return Long.parseLong(unit == 1 ? s : s.substring(0, s.length() - 1)) * unit;
    }

    private static int udpClient(List<String> args) throws IOException {
        if (args.isEmpty()) usage("udp-client ADDR:PORT");
        InetSocketAddress to = endpoint(args.getFirst());
        String bind = option(args, "--bind", null);
        int size = Integer.parseInt(option(args, "--size", "0"));
        String df = option(args, "--df", null);
        int count = Integer.parseInt(option(args, "--count", "1"));
        int tries = Integer.parseInt(option(args, "--tries", "3"));
        int timeout = Integer.parseInt(option(args, "--timeout-ms", "2000"));
        boolean noreply = args.contains("--noreply");
        String text = option(args, "--text", noreply ? "noreply" : "hello");

        byte[] data = payload(text, size);
        StandardProtocolFamily family = to.getAddress() instanceof java.net.Inet4Address
                ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6;
        try (DatagramChannel ch = DatagramChannel.open(family)) {
            if (df != null) ch.setOption(jdk.net.ExtendedSocketOptions.IP_DONTFRAGMENT, df.equals("on"));
            ch.bind(bind != null ? new InetSocketAddress(InetAddress.getByName(bind), 0) : null);
            ch.connect(to);
            System.out.println("sent len " + data.length + " sha256 " + sha(data, 0, data.length));
            if (noreply) {
                for (int i = 0; i < count; i++) ch.write(ByteBuffer.wrap(data));
                return 0;
            }
            DatagramSocket sock = ch.socket();
            sock.setSoTimeout(timeout);
            for (int attempt = 1; attempt <= tries; attempt++) {
                for (int i = 0; i < count; i++) ch.write(ByteBuffer.wrap(data));
                DatagramPacket p = new DatagramPacket(new byte[65536], 65536);
                try {
                    sock.receive(p);
                    System.out.println("reply: " + new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII));
                    return 0;
                } catch (SocketTimeoutException e) {
                    System.out.println("no reply after " + timeout + " ms (attempt " + attempt + ")");
                }
            }
            return 1;
        } catch (IOException e) {
            System.out.println("udp-client " + text(to) + ": " + e);
            return 1;
        }
    }

    /** {@code size} bytes (at least the text): the text, then a fixed pattern. */
    static byte[] payload(String text, int size) {
        byte[] t = text.getBytes(StandardCharsets.US_ASCII);
        byte[] b = new byte[Math.max(size, t.length)];
        System.arraycopy(t, 0, b, 0, t.length);
        for (int i = t.length; i < b.length; i++) b[i] = (byte) (i * 31 + 7);
        return b;
    }

    static String sha(byte[] b, int off, int len) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(b, off, len);
            return HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String option(List<String> args, String name, String dflt) {
        int i = args.indexOf(name);
        if (i < 0) return dflt;
        if (i + 1 >= args.size()) usage("missing value after " + name);
        return args.get(i + 1);
    }

    /** "198.51.100.10:7" or "[2001:db8::1]:7". */
    static InetSocketAddress endpoint(String s) {
        int colon = s.lastIndexOf(':');
        if (colon < 0) usage("not ADDR:PORT: " + s);
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        try {
            return new InetSocketAddress(InetAddress.getByName(host), Integer.parseInt(s.substring(colon + 1)));
        } catch (IOException | NumberFormatException e) {
            usage("bad endpoint " + s + ": " + e.getMessage());
            return null;
        }
    }

    /** RFC 5952 text for IPv6 (2001:db8:46::c000:264), dotted quad for IPv4. */
    static String addr(InetAddress a) {
        byte[] b = a.getAddress();
        if (b.length == 4) return a.getHostAddress();
        return dev.siitdc.core.addr.Ipv6Prefix.format(dev.siitdc.core.addr.Ipv6Prefix.readHi(b, 0),
                dev.siitdc.core.addr.Ipv6Prefix.readLo(b, 0));
    }

    private static String text(InetSocketAddress a) {
        String h = addr(a.getAddress());
        return (h.contains(":") ? "[" + h + "]" : h) + ":" + a.getPort();
    }
}
