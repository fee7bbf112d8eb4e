package dev.siitdc.core.config;

/**
 * A configuration value that cannot be accepted. {@code key} is the config key
 * (for example "pool6" or "eamt[2].ipv6"); the file loader adds file and line.
 */
public final class ConfigException extends Exception {
    private final String key;
    private final String reason;
    private final int eamIndex;

    public ConfigException(String key, String reason) { this(key, reason, -1); }

    /** @param eamIndex index of the offending [[eamt]] entry, or -1 */
    public ConfigException(String key, String reason, int eamIndex) {
        super(key + ": " + reason);
        this.key = key;
        this.reason = reason;
        this.eamIndex = eamIndex;
    }

    public String key() { return key; }
    public String reason() { return reason; }
    public int eamIndex() { return eamIndex; }
}
