package dev.siitdc.dataplane.log;

import dev.siitdc.dataplane.log.Level;
import dev.siitdc.dataplane.log.LogWriter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogWriterTest {
    @Test
    void plainFormatLeavesLinesAlone() {
        StringWriter s = new StringWriter();
        LogWriter w = LogWriter.wrap(s, Level.WARNING, false);
        w.println("siitdc: warning: one");
        w.log(Level.ERROR, "siitdc: error: two");
        LogWriter.log(w, Level.INFO, "siitdc: three");
        assertThat(s.toString()).isEqualTo("siitdc: warning: one\nsiitdc: error: two\nsiitdc: three\n");
        assertThat(w.journal()).isFalse();
    }

    @Test
    void journalFormatPrefixesEveryLineWithItsPriority() {
        StringWriter s = new StringWriter();
        LogWriter w = LogWriter.wrap(s, Level.WARNING, true);
        w.println("siitdc: warning: default level");
        w.log(Level.ERROR, "siitdc: error: explicit");
        w.log(Level.NOTICE, "siitdc: border-relay on siit0");
        w.println("<6>already prefixed");
        w.print("partial ");
        w.flush();
        w.print("line");
        w.println();
        new IllegalStateException("boom").printStackTrace(w);
        w.flush();
        String[] lines = s.toString().split("\n");
        assertThat(lines[0]).isEqualTo("<4>siitdc: warning: default level");
        assertThat(lines[1]).isEqualTo("<3>siitdc: error: explicit");
        assertThat(lines[2]).isEqualTo("<5>siitdc: border-relay on siit0");
        assertThat(lines[3]).isEqualTo("<6>already prefixed");
        assertThat(lines[4]).isEqualTo("<4>partial line");
        assertThat(lines[5]).isEqualTo("<4>java.lang.IllegalStateException: boom");
        for (String l : lines) assertThat(l).matches("<[0-7]>.*");
        assertThat(s.toString()).endsWith("\n");
    }

    @Test
    void formatFromTheEnvironment(@TempDir Path dir) throws Exception {
        Path f = Files.createFile(dir.resolve("stream"));
        String devIno = Files.getAttribute(f, "unix:dev") + ":" + Files.getAttribute(f, "unix:ino");
        assertThat(LogWriter.journalDetected(Map.of(), f)).isFalse();
        assertThat(LogWriter.journalDetected(Map.of("JOURNAL_STREAM", devIno), f)).isTrue();
        assertThat(LogWriter.journalDetected(Map.of("JOURNAL_STREAM", "1:2"), f)).isFalse();
        assertThat(LogWriter.journalDetected(Map.of("JOURNAL_STREAM", devIno, "SIITDC_LOG_FORMAT", "plain"), f)).isFalse();
        assertThat(LogWriter.journalDetected(Map.of("SIITDC_LOG_FORMAT", "journal"), f)).isTrue();
        assertThat(LogWriter.journalDetected(Map.of("JOURNAL_STREAM", devIno), dir.resolve("missing"))).isFalse();
    }
}
