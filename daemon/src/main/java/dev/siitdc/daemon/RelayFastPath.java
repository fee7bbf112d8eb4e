package dev.siitdc.daemon;

import java.util.List;
import java.util.Locale;

/**
 * {@code [relay] fast-path} and {@code fast-path-interfaces}: whether the kernel fast path (the tc eBPF
 * program of {@link dev.siitdc.dataplane.fastpath.FastPath}) is attached to the ingress of the named
 * interfaces of a Border Relay (RFC 7755). What it does not translate it passes, unchanged, to the TUN.
 *
 * @param mode auto (use it when it loads, else the TUN alone), ebpf (refuse to start without it), off
 * @param interfaces the interfaces whose ingress it is attached to; none: the fast path is not used
 */
public record RelayFastPath(Mode mode, List<String> interfaces) {
    public enum Mode {
        AUTO, EBPF, OFF;

        public String configName() { return name().toLowerCase(Locale.ROOT); }

        /** The mode of a config value, or null. */
        public static Mode fromConfigName(String s) {
            for (Mode m : values()) if (m.configName().equals(s)) return m;
            return null;
        }
    }

    /** The default: auto, no interfaces (so nothing is attached). */
    public static final RelayFastPath DEFAULT = new RelayFastPath(Mode.AUTO, List.of());

    public RelayFastPath {
        interfaces = List.copyOf(interfaces);
        if (mode == Mode.EBPF && interfaces.isEmpty())
            throw new IllegalArgumentException("fast-path = \"ebpf\" needs fast-path-interfaces");
    }

    /** Whether start-up tries to load and attach the program. */
    public boolean wanted() {
        return mode != Mode.OFF && !interfaces.isEmpty();
    }
}
