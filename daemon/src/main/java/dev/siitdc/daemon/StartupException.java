package dev.siitdc.daemon;

/**
 * Start-up failed and everything done so far was undone. The message is operator-facing. When a
 * {@code [relay]} key is to blame (an interface that does not exist, a Service Address already in
 * use), {@link #key()} names it so that the caller can point at its line in the file.
 */
public final class StartupException extends Exception {
    private final String key;
    private final String reason;

    /**
     * @param key the {@code [relay]} key to blame, as the file names it ("upstream-interface",
     *        "service-addresses[2]", counted from 1), or null
     * @param reason what is wrong and, where possible, what to do about it
     */
    public StartupException(String key, String reason, Throwable cause) {
        super(key == null ? reason : key + ": " + reason, cause);
        this.key = key;
        this.reason = reason;
    }

    public StartupException(String key, String reason) {
        this(key, reason, null);
    }

    /** The {@code [relay]} key to blame, or null. */
    public String key() {
        return key;
    }

    /** The reason, without the key. */
    public String reason() {
        return reason;
    }
}
