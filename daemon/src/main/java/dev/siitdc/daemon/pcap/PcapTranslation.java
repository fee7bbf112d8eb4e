package dev.siitdc.daemon.pcap;

import dev.siitdc.core.xlat.PacketSink;
import dev.siitdc.core.xlat.Translator;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The offline translation of docs/config-reference.md: every packet of IN is translated as if it had
 * arrived on the side of its IP version; every packet the translator emits for it is written to OUT
 * (link type RAW) with the input packet's timestamp, in emission order, input after input.
 */
public final class PcapTranslation {
    private PcapTranslation() {}

    /** Room after the packet: the translator works in place and may grow it. */
    static final int TAILROOM = 1024;

    /** What a run read and wrote. */
    public record Summary(long packetsIn, long packetsOut, long nonIpSkipped, long cutByCapture) {
        /** The one-line summary {@code siitdc translate} prints to stderr. */
        public String line() {
            StringBuilder line = new StringBuilder("translate: ").append(packetsIn).append(" packets in, ")
                    .append(packetsOut).append(" packets out");
            if (nonIpSkipped > 0) line.append(", ").append(nonIpSkipped).append(" non-IP frames skipped");
            if (cutByCapture > 0) line.append(", ").append(cutByCapture).append(" cut by the capture");
            return line.toString();
        }
    }

    /**
     * Translates IN into OUT. {@code printer}, if not null, gets one {@link PacketSummary} line per emitted
     * packet; {@code warnings} gets the first cut-by-the-capture warning. A bad IN leaves OUT alone.
     */
    public static Summary run(Translator translator, Path in, Path out, PrintWriter printer, PrintWriter warnings)
            throws IOException {
        if (Files.exists(out) && Files.exists(in) && Files.isSameFile(in, out))
            throw new PcapException(out + ": is also the input file; write the output elsewhere");
        long packetsIn = 0, truncated = 0;
        Emitter sink;
        PcapReader reader = PcapReader.open(in);  // before creating OUT: a bad IN leaves OUT alone
        try (reader; PcapWriter writer = PcapWriter.create(out)) {
            sink = new Emitter(writer, printer);
            byte[] buf = new byte[Translator.HEADROOM + PcapReader.MAX_PACKET + TAILROOM];
            int len;
            while ((len = reader.next(buf, Translator.HEADROOM)) >= 0) {
                packetsIn++;
                if (reader.capturedLength() < reader.originalLength() && truncated++ == 0)
                    warnings.println("siitdc: warning: " + in + ": record " + reader.recordNumber() + " holds "
                            + reader.capturedLength() + " of its " + reader.originalLength()
                            + " bytes (capture snaplen); cut packets are translated as they are");
                sink.seconds = reader.timestampSeconds();
                sink.nanos = reader.timestampNanos();
                try {
                    translator.translate(buf, Translator.HEADROOM, len, sink);
                } catch (UncheckedIOException e) {
                    throw e.getCause();
                }
            }
        }
        return new Summary(packetsIn, sink.written, reader.skipped(), truncated);
    }

    /** Writes each emitted packet with the current input's timestamp. One instance per run. */
    private static final class Emitter implements PacketSink {
        private final PcapWriter writer;
        private final PrintWriter printer;
        long seconds;
        long nanos;
        long written;

        Emitter(PcapWriter writer, PrintWriter printer) {
            this.writer = writer;
            this.printer = printer;
        }

        @Override
        public void emit(byte[] buf, int off, int len) {
            try {
                writer.write(buf, off, len, seconds, nanos);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            written++;
            if (printer != null) printer.println(PacketSummary.describe(buf, off, len));
        }
    }
}
