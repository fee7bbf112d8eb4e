package dev.siitdc.core.xlat;

/**
 * Where the translated packets go: the sink of the packet being translated, and the two scratch
 * buffers a translation is built in when it cannot be done in place (ICMP errors, fragments).
 */
final class PacketOutput {
    /** Room past the largest packet. */
    static final int TAILROOM = 64;

    private final byte[] scratchA = new byte[Translator.HEADROOM + Translator.MAX_PACKET + TAILROOM];
    private final byte[] scratchB = new byte[Translator.HEADROOM + Translator.MAX_PACKET + TAILROOM];
    private PacketSink sink;
    private boolean originating;

    void begin(PacketSink sink) { this.sink = sink; }

    void emit(byte[] b, int off, int len) { sink.emit(b, off, len); }

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
