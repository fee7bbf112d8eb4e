package dev.siitdc.lab;

import dev.siitdc.daemon.pcap.PcapReader;
import dev.siitdc.linux.LinuxException;
import dev.siitdc.linux.PacketSocket;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What replaced tcpdump in the lab: a {@link PacketSocket} (AF_PACKET, classic BPF filter) on one interface
 * of one namespace, a thread that writes what it receives to a pcap file as tcpdump -w did (Ethernet or
 * raw IP link type, cut to the snap length), and {@link #stop()}, which reads that file back as
 * {@link CapturedPacket}s through {@link PcapReader}, as before.
 *
 * <p>The namespace: the socket is opened by {@link PacketSocket#openIn}, on a thread of its own that joins
 * the namespace with setns(2) (/run/netns/NAME, which {@code ip netns add} made), rather than in a child
 * process under {@code ip netns exec}: no JVM to start, and the socket is listening when {@link #start}
 * returns. The lab's own threads never change namespace.
 *
 * <p>The filter: {@code tcpdump -dd} compiled each expression the lab uses, once, into
 * {@link CaptureFilters} (lab/capture-filters.sh); an expression that is not there is a
 * {@link LabException} that says how to add it.
 */
final class PacketCapture {
    /** The socket buffer: room for a burst while the writer thread is behind (SO_RCVBUFFORCE). */
    private static final int RECEIVE_BUFFER = 4 << 20;
    private static final int POLL_MILLIS = 100;

    private final PacketSocket socket;
    private final Path file;
    private final String where;
    private final int snapLength;
    private final OutputStream out;
    private final Thread writer;
    private volatile boolean stopping;
    private volatile Exception failure;
    private List<CapturedPacket> packets;

    private PacketCapture(PacketSocket socket, Path file, String where, int snapLength, OutputStream out) {
        this.socket = socket;
        this.file = file;
        this.where = where;
        this.snapLength = snapLength;
        this.out = out;
        this.writer = Thread.ofPlatform().daemon().name("capture " + where).unstarted(this::writeAll);
    }

    /**
     * Captures on {@code iface} of the namespace named {@code netns} what {@code filter} (a tcpdump
     * expression of {@link CaptureFilters}; null or blank: everything) passes, at most {@code snapLength}
     * bytes a packet, to {@code file}; listening when it returns. {@code where} names it in errors.
     */
    static PacketCapture start(String netns, String iface, String filter, int snapLength, Path file, String where) {
        String expression = filter == null ? "" : filter;
        PacketSocket s;
        try {
            s = PacketSocket.openIn(Path.of("/run/netns", netns), iface);
        } catch (LinuxException e) {
            throw new LabException("cannot capture on " + where + ": " + e.getMessage(), e);
        }
        try {
            int[] program = CaptureFilters.program(s.ethernet(), expression);
            if (program == null) {
                throw new LabException("cannot capture on " + where + ": no compiled filter for '" + expression.strip()
                        + "' on " + (s.ethernet() ? "an Ethernet" : "a raw IP") + " link (add it to lab/capture-filters.sh"
                        + " and run it; it has: " + CaptureFilters.expressions() + ")");
            }
            Files.createDirectories(file.getParent());
            OutputStream o = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
            o.write(fileHeader(snapLength, s.ethernet() ? PcapReader.LINKTYPE_ETHERNET : PcapReader.LINKTYPE_RAW));
            PacketCapture c = new PacketCapture(s, file, where, snapLength, o);
            s.start(program, RECEIVE_BUFFER);
            c.writer.start();
            return c;
        } catch (IOException | RuntimeException e) {
            close(s, e);
            if (e instanceof LabException le) throw le;
            throw new LabException("cannot capture on " + where + ": " + e.getMessage(), e);
        }
    }

    private static void close(PacketSocket s, Exception failure) {
        try {
            s.close();
        } catch (LinuxException e) {
            failure.addSuppressed(e);
        }
    }

    /** The writer thread: every packet until {@link #stop()}, then what is still queued, then the file closed. */
    private void writeAll() {
        byte[] buf = new byte[snapLength];
        byte[] record = new byte[16];
        try (OutputStream o = out) {
            while (!stopping) {
                int n = socket.receive(buf, 0, snapLength, POLL_MILLIS);
                if (n > 0) write(o, record, buf, n);
            }
            int n;
            while ((n = socket.receive(buf, 0, snapLength, 0)) > 0) write(o, record, buf, n);
        } catch (IOException e) {   // LinuxException included
            failure = e;
        } finally {
            close(socket, new IOException("close"));
        }
    }

    /** One pcap record: the time now, the length kept and the packet's full length, then the bytes. */
    private void write(OutputStream o, byte[] record, byte[] buf, int n) throws IOException {
        Instant now = Instant.now();
        le32(record, 0, (int) now.getEpochSecond());
        le32(record, 4, now.getNano() / 1000);
        le32(record, 8, n);
        le32(record, 12, socket.lastLength());
        o.write(record);
        o.write(buf, 0, n);
    }

    /**
     * Stops (once; later calls return the same packets) after letting the last packets arrive, and reads
     * the file back.
     */
    synchronized List<CapturedPacket> stop() {
        if (packets != null) return packets;
        Shell.sleep(300);   // let the last packets reach the socket, as tcpdump was let
        stopping = true;
        try {
            writer.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) throw new LabException("capture on " + where + " did not stop");
        if (failure != null) throw new LabException("capture on " + where + " failed: " + failure.getMessage(), failure);
        List<CapturedPacket> read = new ArrayList<>();
        try (PcapReader r = PcapReader.open(file)) {
            byte[] b = new byte[PcapReader.MAX_PACKET];
            int n;
            while ((n = r.next(b, 0)) >= 0) {
                read.add(CapturedPacket.parse(b, 0, n, (int) r.originalLength()));
            }
        } catch (IOException e) {
            throw new LabException("cannot read capture " + file + ": " + e.getMessage(), e);
        }
        packets = List.copyOf(read);
        return packets;
    }

    /**
     * Stops the capture without reading it (the lab's teardown: an open AF_PACKET socket would keep its
     * deleted namespace alive until the JVM exits). Idempotent; after {@link #stop()} it does nothing.
     */
    void abort() {
        stopping = true;
        try {
            writer.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A classic pcap file header: little-endian, version 2.4, microseconds. */
    private static byte[] fileHeader(int snapLength, int linkType) {
        byte[] h = new byte[24];
        le32(h, 0, 0xa1b2c3d4);
        h[4] = 2;
        h[6] = 4;
        le32(h, 16, snapLength);
        le32(h, 20, linkType);
        return h;
    }

    private static void le32(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }
}
