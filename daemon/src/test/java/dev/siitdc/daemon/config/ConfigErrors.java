package dev.siitdc.daemon.config;

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
}
