package dev.siitdc.cli.config;

/**
 * A configuration file that cannot be accepted. The message is one line, {@code FILE:LINE: KEY: REASON},
 * where KEY is a bare {@code [translator]} key ({@code pool6}), an {@code [[eamt]]} entry's key counted
 * from 1 ({@code eamt[2].ipv6}), or {@code file} / {@code syntax} for an unreadable file or broken TOML
 * that names no key.
 */
public final class ConfigError extends Exception {
    private final String file;
    private final int line;
    private final String key;
    private final String reason;

    public ConfigError(String file, int line, String key, String reason) {
        super(file + ":" + line + ": " + key + ": " + reason, null, false, false);
        this.file = file;
        this.line = line;
        this.key = key;
        this.reason = reason;
    }

    public String file() { return file; }

    public int line() { return line; }

    public String key() { return key; }

    public String reason() { return reason; }
}
