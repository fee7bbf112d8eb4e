package dev.siitdc.daemon;

import dev.siitdc.core.config.TranslatorConfig;

/** The MTUs a relay gives its TUN and, on an Edge Relay, its IPv4 default route. */
public final class RelayMtu {
    static final int MAX_TUN_MTU = 65535;

    private RelayMtu() {}

    /** The TUN's MTU: full-size packets of both families must fit. */
    public static int tun(TranslatorConfig tc) {
        return Math.min(MAX_TUN_MTU, Math.max(tc.ipv6Mtu(), tc.ipv4Mtu() + 20));
    }

    /** RFC 7756 s4.2: the IPv4 MTU offered to the applications is the configured IPv6 path MTU - 20. */
    public static int edgeIpv4Route(TranslatorConfig tc) {
        return Math.min(tun(tc), tc.lowestIpv6Mtu() - 20);
    }
}
