package dev.siitdc.core.testutil;

import dev.siitdc.core.xlat.Counter;
import dev.siitdc.core.xlat.Translator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs one packet through a {@link Translator} the way the daemon does (the packet at offset
 * {@link Translator#HEADROOM} of a buffer with 64 bytes of tail room), copies every emitted
 * packet, and records which counters moved. Every emitted packet is checked for basic
 * well-formedness (length fields agree with the emitted length, valid IPv4 header checksum).
 */
public final class XlatRun {
    public static final int TAILROOM = 64;

    /** Copies of the emitted packets, in emission order. */
    public final List<byte[]> packets;
    public final List<PacketView> views;
    /** Counters that changed, with their increments. */
    public final Map<Counter, Long> delta;
    public final byte[] input;

    private XlatRun(byte[] input, List<byte[]> packets, Map<Counter, Long> delta) {
        this.input = input;
        this.packets = packets;
        this.views = packets.stream().map(PacketView::of).toList();
        this.delta = delta;
    }

    public static XlatRun run(Translator t, byte[] packet) {
        byte[] buf = new byte[Translator.HEADROOM + packet.length + TAILROOM];
        System.arraycopy(packet, 0, buf, Translator.HEADROOM, packet.length);
        Map<Counter, Long> before = snapshot(t);
        List<byte[]> out = new ArrayList<>();
        t.translate(buf, Translator.HEADROOM, packet.length, (b, off, len) -> {
            byte[] copy = Arrays.copyOfRange(b, off, off + len);
            String why = malformation(copy);
            if (why != null)
                throw new AssertionError("emitted packet #" + out.size() + " is malformed: " + why
                        + "\n  input:   " + hex(packet) + "\n  emitted: " + hex(copy));
            out.add(copy);
        });
        Map<Counter, Long> after = snapshot(t);
        Map<Counter, Long> d = new EnumMap<>(Counter.class);
        for (Counter c : Counter.values()) {
            long x = after.get(c) - before.get(c);
            if (x != 0) d.put(c, x);
        }
        return new XlatRun(packet, out, d);
    }

    private static Map<Counter, Long> snapshot(Translator t) {
        Map<Counter, Long> m = new EnumMap<>(Counter.class);
        for (Counter c : Counter.values()) m.put(c, t.counters().get(c));
        return m;
    }

    /** Why an emitted packet is not a well-formed IP packet, or null. */
    public static String malformation(byte[] p) {
        if (p.length < 1) return "empty";
        int v = (p[0] & 0xff) >>> 4;
        if (v == 4) {
            if (p.length < 20) return "shorter than an IPv4 header";
            if ((p[0] & 0xf) != 5) return "IHL " + (p[0] & 0xf) + " (the translator never emits options)";
            if (Pkt.u16(p, 2) != p.length) return "Total Length " + Pkt.u16(p, 2) + " != " + p.length;
            if (!RefChecksum.ipv4HeaderValid(p)) return "bad IPv4 header checksum";
            return null;
        }
        if (v == 6) {
            if (p.length < 40) return "shorter than an IPv6 header";
            if (Pkt.u16(p, 4) + 40 != p.length) return "Payload Length " + Pkt.u16(p, 4) + " + 40 != " + p.length;
            return null;
        }
        return "version " + v;
    }

    public long delta(Counter c) { return delta.getOrDefault(c, 0L); }

    /** Sum of the increments of every counter whose name starts with DROP. */
    public long drops() {
        return delta.entrySet().stream().filter(e -> e.getKey().name().startsWith("DROP"))
                .mapToLong(Map.Entry::getValue).sum();
    }

    /** The drop counters that moved. */
    public Map<Counter, Long> dropCounters() {
        return delta.entrySet().stream().filter(e -> e.getKey().name().startsWith("DROP"))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /** Asserts that nothing was emitted and that the drop counters moved exactly {@code counter}, by one. */
    public void assertDropped(Counter counter) {
        assertThat(packets).as("emitted packets").isEmpty();
        assertThat(dropCounters()).isEqualTo(Map.of(counter, 1L));
    }

    /** Asserts that nothing was emitted and that {@code counter} is the only drop counter that moved. */
    public void assertDroppedBy(Counter counter) {
        assertThat(packets).as("emitted packets").isEmpty();
        assertThat(dropCounters()).containsOnlyKeys(counter);
    }

    /** The single emitted packet (fails if there is not exactly one). */
    public PacketView only() {
        if (packets.size() != 1)
            throw new AssertionError("expected exactly one emitted packet, got " + packets.size() + ": " + views
                    + "\n  counters: " + delta + "\n  input: " + hex(input));
        return views.get(0);
    }

    public byte[] onlyBytes() {
        only();
        return packets.get(0);
    }

    @Override
    public String toString() { return "emitted " + views + ", counters " + delta; }

    public static String hex(byte[] b) { return java.util.HexFormat.of().formatHex(b); }
}
