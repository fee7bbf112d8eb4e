package dev.siitdc.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code siitdc completion}: picocli's bash completion script of the whole command line, and it works in bash. */
class CompletionCommandTest {
    @Test
    void printsTheScriptOfEverySubcommand() {
        CliRun r = CliRun.siitdc("completion");
        assertThat(r.exit()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).startsWith("#!/usr/bin/env bash").contains("complete -F _complete_siitdc");
        for (String sub : new CommandLine(new Main()).getSubcommands().keySet())
            assertThat(r.out()).as("subcommand %s", sub).contains(sub);
    }

    @Test
    void completesInBash(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "no /bin/bash");
        Path script = dir.resolve("siitdc.bash");
        Files.writeString(script, CliRun.siitdc("completion").out());
        String out = bash(script, "siitdc ch", "siitdc run --c", "siitdc check");
        assertThat(out.lines()).containsExactly("1: check-config", "2: --config", "3: check-config");
    }

    /** Completes each command line (the last word being the one completed) and prints N: COMPREPLY lines. */
    private static String bash(Path script, String... lines) throws Exception {
        StringBuilder sb = new StringBuilder("source '" + script + "'\n");
        int n = 0;
        for (String l : lines) {
            n++;
            String[] words = l.split(" ");
            sb.append("COMP_WORDS=(").append(String.join(" ", words)).append("); COMP_CWORD=").append(words.length - 1)
                    .append("; COMP_LINE='").append(l).append("'; COMP_POINT=${#COMP_LINE}; COMPREPLY=(); ")
                    .append("_complete_siitdc siitdc '").append(words[words.length - 1]).append("' '")
                    .append(words[words.length - 2]).append("' 2>/dev/null; for c in \"${COMPREPLY[@]}\"; do echo \"")
                    .append(n).append(": $c\"; done\n");
        }
        Process p = new ProcessBuilder(List.of("/bin/bash", "--norc", "--noprofile", "-c", sb.toString()))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
