package dev.siitdc.daemon.config;

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
        super(oneLine(file + ":" + line + ": " + key + ": " + reason), null, false, false);
        this.file = file;
        this.line = line;
        this.key = key;
        this.reason = reason;
    }

    /** The message on one line whatever a key or value quoted in it holds: control characters escaped. */
    private static String oneLine(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean control = c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029' || c == '\u0085';
            if (control && sb == null) sb = new StringBuilder(s.substring(0, i));
            if (sb != null) {
                if (control) sb.append(c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t"
                        : String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
                else sb.append(c);
            }
        }
        return sb == null ? s : sb.toString();
    }

    public String file() { return file; }

    public int line() { return line; }

    public String key() { return key; }

    public String reason() { return reason; }
}
