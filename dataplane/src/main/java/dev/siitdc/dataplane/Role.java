package dev.siitdc.dataplane;

/** What the daemon is, as {@code [relay] role} names it. */
public enum Role {
    /** RFC 7755: translates at the border between the IPv4 Internet and the IPv6-only data centre. */
    BORDER_RELAY("border-relay"),
    /**
     * RFC 7756 s3.1, node-based: gives the applications of an IPv6-only node "native" IPv4 on local
     * IPv4 Service Addresses by reversing the Border Relay's translation.
     */
    EDGE_RELAY("edge-relay");

    private final String configName;

    Role(String configName) {
        this.configName = configName;
    }

    /** The name in the configuration file. */
    public String configName() {
        return configName;
    }

    /** The role named {@code name} in the configuration file, or null. */
    public static Role fromConfigName(String name) {
        for (Role r : values()) {
            if (r.configName.equals(name)) {
                return r;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return configName;
    }
}
