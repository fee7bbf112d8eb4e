package dev.siitdc.daemon.config;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.siitdc.core.config.ConfigException;
import dev.siitdc.core.config.TranslatorConfig;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * Jazzer fuzz target of the configuration reader: whatever the text, {@link DaemonConfigLoader#parse} (which
 * reads {@code [translator]} and {@code [[eamt]]} through {@link ConfigLoader} and then {@code [relay]}) and
 * {@link ConfigLoader#update} ({@code global update KEY VALUE}) throw nothing but a {@link ConfigError}.
 *
 * <p>Input layout: byte 0 below 0xe0 means the rest is a configuration file (UTF-8, malformed sequences
 * replaced as {@code Files.readString} would refuse them: the reader sees text); from 0xe0 on, the rest
 * is the VALUE of {@code global update KEY VALUE}, KEY being {@link ConfigLoader#TRANSLATOR_KEYS}[byte 0 -
 * 0xe0] (modulo their number), applied to a small valid configuration.
 *
 * <p>Oracles: no other exception or error (no {@link StackOverflowError} on deep nesting); a refusal's
 * message is one line {@code FILE:LINE: KEY: REASON} whose LINE is a line of the text (1 to its line count
 * + 1) and whose reason is not empty; an accepted configuration is one {@link TranslatorConfig.Builder#build()}
 * accepts again (the loader applied every rule of the one validation function).
 *
 * <p>{@code ./mvnw test} replays src/test/resources/dev/siitdc/daemon/config/ConfigFuzzTestInputs/fuzzConfig/;
 * {@code .ci/fuzz.sh} fuzzes it (JAZZER_FUZZ=1).
 */
class ConfigFuzzTest {
    static final String FILE = "fuzz.toml";
    private static final Pattern FILE_MESSAGE = message(FILE), UPDATE_MESSAGE = message("global update");
    private static final TranslatorConfig BASE = base();

    private static Pattern message(String file) {
        return Pattern.compile(Pattern.quote(file) + ":(\\d+): [^\\n\\r]*: [^\\n\\r]+");
    }

    private static TranslatorConfig base() {
        try {
            return ConfigLoader.parse("[translator]\npool6 = \"64:ff9b::/96\"\n\n[[eamt]]\nipv4 = \"198.51.100.0/24\"\n"
                    + "ipv6 = \"2001:db8:a::/120\"\n", FILE);
        } catch (ConfigError e) {
            throw new AssertionError(e);
        }
    }

    @FuzzTest(maxDuration = "60s")
    void fuzzConfig(byte[] data) {
        if (data.length < 1) return;
        int mode = data[0] & 0xff;
        String text = new String(Arrays.copyOfRange(data, 1, data.length), StandardCharsets.UTF_8);
        if (mode < 0xe0) {
            try {
                DaemonConfig c = DaemonConfigLoader.parse(text, FILE);
                rebuilds(c.translator(), text);
            } catch (ConfigError e) {
                checkMessage(e, FILE_MESSAGE, text);
            }
        } else {
            String key = ConfigLoader.TRANSLATOR_KEYS.get((mode - 0xe0) % ConfigLoader.TRANSLATOR_KEYS.size());
            try {
                rebuilds(ConfigLoader.update(BASE, key, text), key + " " + text);
            } catch (ConfigError e) {
                checkMessage(e, UPDATE_MESSAGE, "");   // the value is line 1
            }
        }
    }

    private static void rebuilds(TranslatorConfig c, String input) {
        try {
            if (!c.toBuilder().build().equals(c)) throw new AssertionError("rebuilt differently: " + c + "\n" + input);
        } catch (ConfigException e) {
            throw new AssertionError("accepted, but build() refuses it again: " + e.getMessage() + "\n" + input, e);
        }
    }

    private static void checkMessage(ConfigError e, Pattern message, String text) {
        String m = e.getMessage();
        var matcher = message.matcher(m);
        if (!matcher.matches()) throw new AssertionError("not one FILE:LINE: KEY: REASON line: " + m);
        long line = Long.parseLong(matcher.group(1));
        long lines = text.lines().count() + 1;
        if (line < 1 || line > lines) throw new AssertionError("line " + line + " outside 1.." + lines + ": " + m);
        if (e.reason() == null || e.reason().isBlank()) throw new AssertionError("no reason: " + m);
    }
}
