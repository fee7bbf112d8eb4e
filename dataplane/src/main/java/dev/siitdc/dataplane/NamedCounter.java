package dev.siitdc.dataplane;

/**
 * A counter the relay shows by name ({@link RelayCounter}, {@link dev.siitdc.daemon.dhcp.DhcpCounter}): in
 * the stats file, at exit, through the control socket and in the metrics.
 */
public interface NamedCounter {
    /** A counter's name and description, as its enum constant declares them. */
    record Label(String operatorName, String description) {
    }

    Label label();

    /** The name an operator sees, e.g. {@code tun-packets-read}. */
    default String operatorName() {
        return label().operatorName();
    }

    /** What it counts, in one line. */
    default String description() {
        return label().description();
    }
}
