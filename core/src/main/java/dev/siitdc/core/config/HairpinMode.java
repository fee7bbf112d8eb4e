package dev.siitdc.core.config;

/** RFC 7757 section 4.2 hairpinning modes. */
public enum HairpinMode {
    OFF("off"), SIMPLE("simple"), INTRINSIC("intrinsic");

    private final String configName;

    HairpinMode(String configName) { this.configName = configName; }

    public String configName() { return configName; }

    /** Parses "off" | "simple" | "intrinsic"; null if unknown. */
    public static HairpinMode fromConfigName(String s) {
        for (HairpinMode m : values()) if (m.configName.equals(s)) return m;
        return null;
    }
}
