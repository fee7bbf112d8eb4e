package dev.siitdc.dataplane.fastpath;

import dev.siitdc.core.addr.Ipv6Prefix;
import dev.siitdc.core.addr.Pool6;
import dev.siitdc.core.config.HairpinMode;
import dev.siitdc.core.config.TranslatorConfig;
import dev.siitdc.core.eam.Eam;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The byte layouts of the BPF maps (struct siit_settings, eam4_key/val, eam6_key/val in
 * siitdc_fastpath.bpf.c), encoded from a core {@link TranslatorConfig}. Integers are in host order,
 * addresses in network order, as the C structs hold them.
 */
final class FastPathMaps {
    static final int F_NO_FORWARD = 1, F_POOL6 = 1 << 1, F_POOL6_WKP = 1 << 2, F_ZEROIZE_TC = 1 << 3,
            F_OVERRIDE_TOS = 1 << 4, F_HAIRPIN_OFF = 1 << 5, F_HAIRPIN_SIMPLE = 1 << 6, F_ATOMIC_FRAGS = 1 << 7,
            F_OWN4 = 1 << 8, F_OWN6 = 1 << 9, F_ENABLED = 1 << 10, F_EDGE = 1 << 11, F_NETWORK = 1 << 12;

    static final int SETTINGS_SIZE = 64;
    static final int EAM4_KEY = 8, EAM4_VAL = 24, EAM6_KEY = 20, EAM6_VAL = 12;

    private FastPathMaps() {}

    private static ByteBuffer buf(int n) { return ByteBuffer.allocate(n).order(ByteOrder.nativeOrder()); }

    /** Entry 0 of siit_settings: only the generation index is read there. */
    static byte[] control(int generation) {
        return buf(SETTINGS_SIZE).putInt(0, generation).array();
    }

    /** The settings of one generation. */
    static byte[] settings(TranslatorConfig c, boolean noForward, FastPathFilter filter) {
        ByteBuffer b = buf(SETTINGS_SIZE);
        int flags = F_ENABLED;
        if (filter.edge()) flags |= F_EDGE;
        if (filter.edge() && filter.networkBased()) flags |= F_NETWORK;
        if (noForward) flags |= F_NO_FORWARD;
        if (c.pool6() != null) {
            flags |= F_POOL6;
            if (new Pool6(c.pool6()).isWellKnown()) flags |= F_POOL6_WKP;
            b.putInt(8, c.pool6().length());
            b.position(32);
            b.put(address(c.pool6()));
        }
        if (c.zeroizeTrafficClass()) flags |= F_ZEROIZE_TC;
        if (c.overrideTos()) flags |= F_OVERRIDE_TOS;
        if (c.eamHairpinMode() == HairpinMode.OFF) flags |= F_HAIRPIN_OFF;
        if (c.eamHairpinMode() == HairpinMode.SIMPLE) flags |= F_HAIRPIN_SIMPLE;
        if (c.atomicFragments()) flags |= F_ATOMIC_FRAGS;
        if (c.ownIpv4Address() != null) {
            flags |= F_OWN4;
            b.order(ByteOrder.BIG_ENDIAN).putInt(24, c.ownIpv4Address()).order(ByteOrder.nativeOrder());
        }
        if (c.ownIpv6Address() != null) {
            flags |= F_OWN6;
            b.position(48);
            b.put(address(c.ownIpv6Address()));
        }
        b.putInt(4, flags);
        b.putInt(12, c.ipv4Mtu());
        b.putInt(16, c.ipv6Mtu());
        b.putInt(20, c.lowestIpv6Mtu());
        b.putInt(28, c.tos());
        return b.array();
    }

    /** Key of siit_sa4_*: the IPv4 address in network order. */
    static byte[] sa4Key(int v4) {
        return ByteBuffer.allocate(4).putInt(0, v4).array();
    }

    static final byte[] PRESENT = { 1 };

    static byte[] address(Ipv6Prefix p) {
        byte[] a = new byte[16];
        Ipv6Prefix.write(p.hi(), p.lo(), a, 0);
        return a;
    }

    /** LPM key of the IPv4 side of e: prefix length, then the address. */
    static byte[] eam4Key(Eam e) {
        return buf(EAM4_KEY).putInt(0, e.ipv4().length()).order(ByteOrder.BIG_ENDIAN).putInt(4, e.ipv4().address()).array();
    }

    static byte[] eam4Value(Eam e) {
        ByteBuffer b = buf(EAM4_VAL);
        b.put(address(e.ipv6()));
        b.putInt(16, e.ipv6().length());
        b.putInt(20, e.ipv4().length());
        return b.array();
    }

    static byte[] eam6Key(Eam e) {
        ByteBuffer b = buf(EAM6_KEY);
        b.putInt(0, e.ipv6().length());
        b.position(4);
        b.put(address(e.ipv6()));
        return b.array();
    }

    static byte[] eam6Value(Eam e) {
        ByteBuffer b = buf(EAM6_VAL);
        b.order(ByteOrder.BIG_ENDIAN).putInt(0, e.ipv4().address()).order(ByteOrder.nativeOrder());
        b.putInt(4, e.ipv4().length());
        b.putInt(8, e.ipv6().length());
        return b.array();
    }
}
