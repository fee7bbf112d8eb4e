package dev.siitdc.core.prop;

import dev.siitdc.core.xlat.Translator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Runs one packet through a translator and collects copies of everything it emits. */
public final class Xlat {
    private Xlat() {}

    /**
     * Translates a copy of {@code packet} (placed at {@link Translator#HEADROOM} of a buffer with no
     * tail room) and returns copies of the emitted packets. Every emitted packet is checked with
     * {@link PacketKit#malformation}; a malformed one fails with the input in hex.
     */
    public static List<byte[]> translate(Translator t, byte[] packet) {
        byte[] buf = new byte[Translator.HEADROOM + packet.length];
        System.arraycopy(packet, 0, buf, Translator.HEADROOM, packet.length);
        List<byte[]> out = new ArrayList<>();
        t.translate(buf, Translator.HEADROOM, packet.length, (b, off, len) -> {
            String why = PacketKit.malformation(b, off, len);
            if (why != null)
                throw new AssertionError("emitted packet #" + out.size() + " is malformed: " + why
                        + "\n  input:   " + PacketKit.hex(packet)
                        + "\n  emitted: " + (off >= 0 && len >= 0 && off + len <= b.length ? PacketKit.hex(b, off, len) : "?"));
            out.add(Arrays.copyOfRange(b, off, off + len));
        });
        return out;
    }
}
