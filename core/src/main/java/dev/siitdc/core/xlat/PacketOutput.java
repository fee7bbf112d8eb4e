package dev.siitdc.core.xlat;

import dev.siitdc.core.packet.Bytes;
import dev.siitdc.core.packet.Ipv4Header;
import dev.siitdc.core.packet.Ipv6FragmentHeader;
import dev.siitdc.core.packet.Ipv6Header;

/**
 * Where the translated packets go: the sink of the packet being translated, and the two scratch
 * buffers a translation is built in when it cannot be done in place (ICMP errors, fragments).
 */
final class PacketOutput {
    /** Room past the largest packet. */
    static final int TAILROOM = 64;

    private final byte[] scratchA = new byte[Translator.HEADROOM + Translator.MAX_PACKET + TAILROOM];
    private final byte[] scratchB = new byte[Translator.HEADROOM + Translator.MAX_PACKET + TAILROOM];
    private final Counters counters;
    private PacketSink sink;
    private boolean originating;

    PacketOutput(Counters counters) { this.counters = counters; }

    void begin(PacketSink sink) { this.sink = sink; }

    /** Emits a translated packet, counted in {@code bytes}. */
    void emit(byte[] b, int off, int len, Counter bytes) {
        counters.add(bytes, len);
        sink.emit(b, off, len);
    }

    /**
     * Emits b[p, p+len) as fragments of at most {@code mtu} bytes, each a copy of its header with its
     * own length and offset: IPv4 (RFC 791 s3.2), or IPv6 with the Fragment header at p+40 (RFC 7915
     * s4, RFC 8200 s4.5). Every fragment but the last carries 8-byte units; M is kept on the last one.
     */
    void fragment(byte[] b, int p, int len, int mtu, boolean ipv6, Counter bytes) {
        byte[] o = scratchFor(b);
        int q = Translator.HEADROOM;
        int hdr = ipv6 ? Ipv6Header.LENGTH + Ipv6FragmentHeader.LENGTH : Ipv4Header.MIN_LENGTH;
        int payload = len - hdr;
        int chunkMax = (mtu - hdr) & ~7;
        int field = ipv6 ? Ipv6FragmentHeader.offsetFlags(b, p + Ipv6Header.LENGTH) : Ipv4Header.flagsFragmentOffset(b, p);
        int baseOffset = ipv6 ? field & Ipv6FragmentHeader.OFFSET_MASK : (field & Ipv4Header.FRAGMENT_OFFSET_MASK) << 3;
        boolean lastMore = (field & (ipv6 ? Ipv6FragmentHeader.FLAG_M : Ipv4Header.FLAG_MF)) != 0;
        for (int pos = 0; pos < payload; ) {
            int chunk = Math.min(chunkMax, payload - pos);
            boolean more = pos + chunk < payload || lastMore;
            System.arraycopy(b, p, o, q, hdr);
            if (ipv6) {
                Ipv6Header.payloadLength(o, q, Ipv6FragmentHeader.LENGTH + chunk);
                Bytes.put16(o, q + Ipv6Header.LENGTH + Ipv6FragmentHeader.OFFSET_FLAGS,
                        (baseOffset + pos) | (more ? Ipv6FragmentHeader.FLAG_M : 0));
            } else {
                Bytes.put16(o, q + Ipv4Header.TOTAL_LENGTH, hdr + chunk);
                Bytes.put16(o, q + Ipv4Header.FLAGS_FRAGMENT_OFFSET, ((baseOffset + pos) >>> 3) | (more ? Ipv4Header.FLAG_MF : 0));
                Ipv4Header.updateChecksum(o, q);
            }
            System.arraycopy(b, p + hdr + pos, o, q + hdr, chunk);
            emit(o, q, hdr + chunk, bytes);
            pos += chunk;
        }
    }

    /**
     * Emits a packet the translator built itself (an ICMP error, an echo reply, a RST): complete, with
     * no offload of the packet that caused it ({@link #isOriginating()} is true meanwhile).
     */
    void emitOriginated(byte[] b, int off, int len) {
        originating = true;
        try {
            sink.emit(b, off, len);
        } finally {
            originating = false;
        }
    }

    boolean isOriginating() { return originating; }

    /** A scratch buffer that is not {@code in}. */
    byte[] scratchFor(byte[] in) { return in == scratchA ? scratchB : scratchA; }
}
