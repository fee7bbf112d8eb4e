package dev.siitdc.daemon.config;

import static org.assertj.core.api.Assertions.assertThat;

/** What the loader tests share: the message of the {@link ConfigError} a parse refuses its input with. */
final class ConfigErrors {
    /** A parse of a test's input. */
    @FunctionalInterface
    interface Parse {
        void run() throws ConfigError;
    }

    private ConfigErrors() {
    }

    /** The message ({@code FILE:LINE: KEY: REASON}) {@code parse} fails with; the test fails if it accepts {@code input}. */
    static String messageOf(Parse parse, String input) {
        try {
            parse.run();
        } catch (ConfigError e) {
            return e.getMessage();
        }
        throw new AssertionError("accepted:\n" + input);
    }

    /**
     * Asserts {@code message} against {@code expected} as a table row says: {@code is} (the whole message),
     * {@code starts}, {@code ends} or {@code contains}.
     */
    static void assertMessage(String message, String match, String expected) {
        switch (match) {
            case "is" -> assertThat(message).isEqualTo(expected);
            case "starts" -> assertThat(message).startsWith(expected);
            case "ends" -> assertThat(message).endsWith(expected);
            case "contains" -> assertThat(message).contains(expected);
            default -> throw new IllegalArgumentException("no such match: " + match);
        }
    }
}
