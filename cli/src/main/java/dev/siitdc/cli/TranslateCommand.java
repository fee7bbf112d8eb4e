package dev.siitdc.cli;

import dev.siitdc.core.xlat.Translator;
import dev.siitdc.daemon.ExitStatus;
import dev.siitdc.daemon.config.ConfigLoader;
import dev.siitdc.daemon.pcap.PcapTranslation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code siitdc translate}: the offline translation of docs/config-reference.md, {@link PcapTranslation}.
 */
@Command(name = "translate", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Translates the packets of a pcap file offline.",
                "Each packet of IN is translated as if it had arrived on the side of its IP version; every "
                + "packet the translator emits for it is written to OUT, in emission order.",
                "IN: classic pcap, link type RAW (101), IPv4 (228), IPv6 (229), Ethernet (1) or Linux cooked "
                + "(113, 276). OUT: classic pcap, link type RAW (101).",
                "A one-line summary goes to stderr."},
        footer = {"", ExitStatus.HELP})
final class TranslateCommand implements Callable<Integer> {
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
        Translator translator = new Translator(ConfigLoader.load(config));
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        PcapTranslation.Summary summary = PcapTranslation.run(translator, in, out, print ? stdout : null, stderr);
        stdout.flush();
        stderr.println(summary.line());
        if (stats) translator.counters().forEachNonZero((c, v) -> stderr.printf("  %-40s %d%n", c.operatorName(), v));
        return ExitStatus.OK;
    }
}
