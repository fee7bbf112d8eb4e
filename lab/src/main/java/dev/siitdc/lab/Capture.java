package dev.siitdc.lab;

import dev.siitdc.lab.Lab.Node;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A capture on one interface of one namespace of the {@link Lab} (an AF_PACKET socket with a classic BPF
 * filter, see {@link PacketCapture}: no tcpdump), read back as {@link CapturedPacket}s.
 */
public final class Capture {
    private static final AtomicInteger SEQ = new AtomicInteger();

    private final Node node;
    private final String iface;
    private final Path file;
    private final PacketCapture capture;

    private Capture(Node node, String iface, Path file, PacketCapture capture) {
        this.node = node;
        this.iface = iface;
        this.file = file;
        this.capture = capture;
    }

    /** Listening when it returns; {@code filter}: a tcpdump expression of {@link CaptureFilters}, or blank. */
    static Capture start(Lab lab, Node node, String iface, String filter) {
        String name = "cap" + SEQ.incrementAndGet() + "-" + node.id + "-" + iface;
        Path file = lab.dir().resolve("captures").resolve(name + ".pcap");
        PacketCapture c = lab.startCapture(lab.ns(node), iface, filter, 256, file, node.label + " " + iface);
        return new Capture(node, iface, file, c);
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

    /** Stops the capture (once; later calls return the same packets) and reads what it captured. */
    public List<CapturedPacket> stop() {
        return capture.stop();
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
