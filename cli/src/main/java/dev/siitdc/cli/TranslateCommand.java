package dev.siitdc.cli;

import dev.siitdc.daemon.config.ConfigLoader;
import dev.siitdc.daemon.pcap.PacketSummary;
import dev.siitdc.daemon.pcap.PcapException;
import dev.siitdc.daemon.pcap.PcapReader;
import dev.siitdc.daemon.pcap.PcapWriter;
import dev.siitdc.core.config.TranslatorConfig;
import dev.siitdc.core.xlat.Counters;
import dev.siitdc.core.xlat.PacketSink;
import dev.siitdc.core.xlat.Translator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code siitdc translate}: the offline translation of docs/config-reference.md. Every packet of IN is translated
 * as if it had arrived on the side of its IP version; every packet the translator emits for it is written
 * to OUT (link type RAW) with the input packet's timestamp, in emission order, input after input.
 */
@Command(name = "translate", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Translates the packets of a pcap file offline.",
                "Each packet of IN is translated as if it had arrived on the side of its IP version; every "
                + "packet the translator emits for it is written to OUT, in emission order.",
                "IN: classic pcap, link type RAW (101), IPv4 (228), IPv6 (229), Ethernet (1) or Linux cooked "
                + "(113, 276). OUT: classic pcap, link type RAW (101).",
                "A one-line summary goes to stderr."})
final class TranslateCommand implements Callable<Integer> {
    /** Room after the packet: the translator works in place and may grow it. */
    static final int TAILROOM = 1024;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "the TOML configuration file")
    Path config;

    @Option(names = "--in", required = true, paramLabel = "IN.pcap", description = "packets to translate")
    Path in;

    @Option(names = "--out", required = true, paramLabel = "OUT.pcap", description = "where to write the emitted packets")
    Path out;

    @Option(names = "--stats", description = "after the run, print the non-zero translator counters to stderr")
    boolean stats;

    @Option(names = "--print", description = "print one line per emitted packet to stdout (family, addresses, "
            + "ports, protocol, length)")
    boolean print;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        TranslatorConfig cfg = ConfigLoader.load(config);
        Translator translator = new Translator(cfg);
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        if (Files.exists(out) && Files.exists(in) && Files.isSameFile(in, out))
            throw new PcapException(out + ": is also the input file; write the output elsewhere");

        long packetsIn = 0, truncated = 0;
        Emitter sink;
        PcapReader reader = PcapReader.open(in);  // before creating OUT: a bad IN leaves OUT alone
        try (reader; PcapWriter writer = PcapWriter.create(out)) {
            sink = new Emitter(writer, print ? stdout : null);
            byte[] buf = new byte[Translator.HEADROOM + PcapReader.MAX_PACKET + TAILROOM];
            int len;
            while ((len = reader.next(buf, Translator.HEADROOM)) >= 0) {
                packetsIn++;
                if (reader.capturedLength() < reader.originalLength() && truncated++ == 0)
                    stderr.println("siitdc: warning: " + in + ": record " + reader.recordNumber() + " holds "
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
        stdout.flush();
        StringBuilder line = new StringBuilder("translate: ").append(packetsIn).append(" packets in, ")
                .append(sink.written).append(" packets out");
        if (reader.skipped() > 0) line.append(", ").append(reader.skipped()).append(" non-IP frames skipped");
        if (truncated > 0) line.append(", ").append(truncated).append(" cut by the capture");
        stderr.println(line);
        if (stats) printCounters(translator.counters(), stderr);
        return ExitStatus.OK;
    }

    private static void printCounters(Counters counters, PrintWriter err) {
        counters.forEachNonZero((c, v) -> err.printf("  %-40s %d%n", c.operatorName(), v));
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
