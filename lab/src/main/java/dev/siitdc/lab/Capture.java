package dev.siitdc.lab;

import dev.siitdc.lab.Lab.Node;
import dev.siitdc.daemon.pcap.PcapReader;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;

/** tcpdump on one interface of one namespace, read back as {@link CapturedPacket}s. */
public final class Capture {
    private static final AtomicInteger SEQ = new AtomicInteger();

    private final Node node;
    private final String iface;
    private final Path file;
    private final LabProcess tcpdump;
    private List<CapturedPacket> packets;

    private Capture(Node node, String iface, Path file, LabProcess tcpdump) {
        this.node = node;
        this.iface = iface;
        this.file = file;
        this.tcpdump = tcpdump;
    }

    static Capture start(Lab lab, Node node, String iface, String filter) {
        String name = "cap" + SEQ.incrementAndGet() + "-" + node.id + "-" + iface;
        Path file = lab.dir().resolve("captures").resolve(name + ".pcap");
        try {
            java.nio.file.Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new LabException("cannot create " + file.getParent() + ": " + e.getMessage(), e);
        }
        LabProcess p = tcpdump(cmd -> lab.spawn(node, "tcpdump-" + name, cmd), iface, 256, file, filter);
        return new Capture(node, iface, file, p);
    }

    /**
     * Starts tcpdump on {@code iface} with {@code spawn}, writing at most {@code snapLength} bytes a packet of
     * what {@code filter} (null or blank: everything) passes to {@code file}; returns once it listens. Also
     * {@link NetworkLab#capture}'s.
     */
    static LabProcess tcpdump(Function<List<String>, LabProcess> spawn, String iface, int snapLength, Path file,
            String filter) {
        List<String> cmd = new ArrayList<>(List.of("tcpdump", "-i", iface, "-n", "-U", "--immediate-mode",
                "-s", Integer.toString(snapLength), "-w", file.toString()));
        if (filter != null && !filter.isBlank()) cmd.addAll(List.of(filter.split("\\s+")));
        LabProcess p = spawn.apply(cmd);
        p.awaitLine(l -> l.contains("listening on"), 10_000, "listening on " + iface);
        return p;
    }

    public Node node() {
        return node;
    }

    public String iface() {
        return iface;
    }

    public Path file() {
        return file;
    }

    /** Stops tcpdump (once; later calls return the same packets) and reads what it captured. */
    public synchronized List<CapturedPacket> stop() {
        if (packets == null) packets = stop(tcpdump, file, node.label + " " + iface);
        return packets;
    }

    /**
     * Stops {@code tcpdump} (SIGINT, after letting the last packets reach it) and reads {@code file}, what it
     * wrote; {@code where} names it in errors. Also {@link NetworkLab.NetCapture#stop()}'s.
     */
    static List<CapturedPacket> stop(LabProcess tcpdump, Path file, String where) {
        Shell.sleep(300);   // let the last packets reach tcpdump
        tcpdump.interrupt();
        if (tcpdump.waitFor(5000) < 0) throw new LabException("tcpdump on " + where + " did not stop");
        List<CapturedPacket> out = new ArrayList<>();
        try (PcapReader r = PcapReader.open(file)) {
            byte[] buf = new byte[PcapReader.MAX_PACKET];
            int n;
            while ((n = r.next(buf, 0)) >= 0) {
                out.add(CapturedPacket.parse(buf, 0, n, (int) r.originalLength()));
            }
        } catch (IOException e) {
            throw new LabException("cannot read capture " + file + ": " + e.getMessage(), e);
        }
        return List.copyOf(out);
    }

    /** The captured packets that {@code test} accepts (stops the capture first). */
    public List<CapturedPacket> packets(Predicate<CapturedPacket> test) {
        return stop().stream().filter(test).toList();
    }

    @Override
    public String toString() {
        return "capture on " + node.label + " " + iface;
    }
}
