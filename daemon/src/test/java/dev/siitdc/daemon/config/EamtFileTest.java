package dev.siitdc.daemon.config;

import dev.siitdc.core.config.TranslatorConfig;
import dev.siitdc.core.eam.Eam;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The top-level {@code eamt-file}: a stream of "IPV4 IPV6" lines ({@link EamtLines}), after the [[eamt]] entries. */
class EamtFileTest {
    @TempDir
    Path dir;

    private static EamtLines.Entries lines(String text) throws Exception {
        return EamtLines.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "m.txt", "eamt-file");
    }

    private static String error(String text) {
        try {
            lines(text);
        } catch (ConfigError e) {
            return e.getMessage();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("no error");
    }

    @Test
    void linesCommentsEitherOrderAndTheirLineNumbers() throws Exception {
        EamtLines.Entries e = lines("""
                ipv4,ipv6
                # a comment
                192.0.2.1 2001:db8::1   # trailing
                2001:db8:100::/120, 198.51.100.0/24

                203.0.113.0/28\t2001:db8:113::/124
                """);
        assertThat(e.eams()).containsExactly(Eam.parse("192.0.2.1", "2001:db8::1"),
                Eam.parse("198.51.100.0/24", "2001:db8:100::/120"), Eam.parse("203.0.113.0/28", "2001:db8:113::/124"));
        assertThat(e.lines()).containsExactly(3, 4, 6);
    }

    @Test
    void badLinesAreFileLineKeyReason() {
        assertThat(error("192.0.2.1 2001:db8::1\n192.0.2.2\n")).isEqualTo("m.txt:2: eamt-file: expected an IPv4 prefix and"
                + " an IPv6 prefix, found 1 word");
        assertThat(error("192.0.2.300 2001:db8::1\n")).startsWith("m.txt:1: eamt-file: ").contains("octet 300");
        assertThat(error("192.0.2.1/24 2001:db8::/120\n")).isEqualTo("m.txt:1: eamt-file: \"192.0.2.1/24\": host bits are"
                + " set after /24");
        assertThat(error("10.0.0.0/8 2001:db8::/112\n")).isEqualTo("m.txt:1: eamt-file: cannot pair 10.0.0.0/8 with"
                + " 2001:db8::/112: IPv4 suffix of 24 bits does not fit the IPv6 suffix of 16 bits (RFC 7757 s3.2)");
        assertThat(error("192.0.2.1 2001:db8::1\n\n192.0.2.1 2001:db8::2\n")).isEqualTo("m.txt:3: eamt-file: the IPv4"
                + " prefix 192.0.2.1/32 is on line 1 already");
        assertThat(error("192.0.2.1 2001:db8::1\n192.0.2.2 2001:db8::1\n")).isEqualTo("m.txt:2: eamt-file: the IPv6"
                + " prefix 2001:db8::1/128 is on line 1 already");
        assertThat(error("192.0.2.1 2001:db8::1\n\u00ff\n".replace('\u00ff', '\u00e9')))
                .startsWith("m.txt:2: eamt-file: ");
    }

    @Test
    void theConfigurationFileNamesItRelativeToItself() throws Exception {
        Files.writeString(dir.resolve("map.txt"), "192.0.2.2 2001:db8::2\n192.0.2.3 2001:db8::3\n");
        Path cfg = Files.writeString(dir.resolve("br.toml"), """
                eamt-file = "map.txt"

                [translator]
                pool6 = "64:ff9b::/96"

                [[eamt]]
                ipv4 = "192.0.2.1"
                ipv6 = "2001:db8::1"
                """);
        TranslatorConfig tc = ConfigLoader.load(cfg);
        assertThat(tc.eamt()).containsExactly(Eam.parse("192.0.2.1", "2001:db8::1"), Eam.parse("192.0.2.2", "2001:db8::2"),
                Eam.parse("192.0.2.3", "2001:db8::3"));
    }

    @Test
    void errorsNameTheLineOfTheEamtFile() throws Exception {
        Path map = Files.writeString(dir.resolve("map.txt"), "192.0.2.2 2001:db8::2\n# x\n192.0.2.3 64:ff9b::1\n");
        Path cfg = Files.writeString(dir.resolve("br.toml"), "eamt-file = \"map.txt\"\n[translator]\npool6 = \"64:ff9b::/96\"\n");
        // a rule of the translator (an EAM inside pool6): the line of the eamt-file
        assertThatThrownBy(() -> ConfigLoader.load(cfg)).isInstanceOf(ConfigError.class)
                .hasMessageStartingWith(map + ":3: eamt-file: 192.0.2.3/32 <-> ").hasMessageContaining("lies inside pool6");
        // the same prefix as an [[eamt]] entry
        Files.writeString(map, "192.0.2.1 2001:db8::9\n");
        Files.writeString(cfg, "eamt-file = \"map.txt\"\n[translator]\npool6 = \"64:ff9b::/96\"\n[[eamt]]\nipv4 = \"192.0.2.1\"\n"
                + "ipv6 = \"2001:db8::1\"\n");
        assertThatThrownBy(() -> ConfigLoader.load(cfg)).isInstanceOf(ConfigError.class)
                .hasMessage(map + ":1: eamt-file: 192.0.2.1/32 <-> 2001:db8::9/128 has the IPv4 prefix of eamt[1] (line 4) of "
                        + cfg);
        // missing, not a string
        Files.writeString(cfg, "eamt-file = \"nope.txt\"\n[translator]\npool6 = \"64:ff9b::/96\"\n");
        assertThatThrownBy(() -> ConfigLoader.load(cfg)).hasMessage(cfg + ":1: eamt-file: \"nope.txt\": no such file");
        Files.writeString(cfg, "eamt-file = 3\n[translator]\npool6 = \"64:ff9b::/96\"\n");
        assertThatThrownBy(() -> ConfigLoader.load(cfg)).hasMessageStartingWith(cfg + ":1: eamt-file: must be a string");
    }
}
