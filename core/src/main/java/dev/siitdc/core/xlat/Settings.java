package dev.siitdc.core.xlat;

import dev.siitdc.core.addr.Ipv6Prefix;
import dev.siitdc.core.addr.Pool6;
import dev.siitdc.core.addr.Rfc6791Pool4;
import dev.siitdc.core.addr.Rfc6791Pool6;
import dev.siitdc.core.config.HairpinMode;
import dev.siitdc.core.config.TranslatorConfig;
import dev.siitdc.core.eam.EamTable;

/**
 * An immutable, compiled snapshot of the translator configuration: what the hot path reads.
 * Workers read one snapshot per packet, so a replacement is atomic for every packet.
 */
public final class Settings {
    /** RFC 7600 "IPv4 dummy address": ICMPv4 error source when no own-ipv4-address is set. */
    public static final int IPV4_DUMMY_ADDRESS = 0xc0000008;

    final TranslatorConfig config;
    final Pool6 pool6;
    final EamTable eamt;
    final HairpinMode hairpinMode;
    final Rfc6791Pool4 rfc6791v4;
    final Rfc6791Pool6 rfc6791v6;
    final int ownIpv4;
    /** 16 bytes, or null: then the translator cannot originate ICMPv6 errors. */
    final byte[] ownIpv6;
    final int lowestIpv6Mtu;
    final int ipv4Mtu;
    final int ipv6Mtu;
    final int[] plateaus;
    final boolean amendUdpChecksumZero;
    final boolean forwardUdpChecksumZero;
    final boolean zeroizeTrafficClass;
    final boolean overrideTos;
    final int tos;
    final boolean atomicFragments;

    private Settings(TranslatorConfig c, EamTable eamt) {
        this.config = c;
        this.pool6 = c.pool6() == null ? null : new Pool6(c.pool6());
        this.eamt = eamt;
        this.hairpinMode = c.eamHairpinMode();
        this.rfc6791v4 = c.rfc6791v4Prefix() == null ? null
                : new Rfc6791Pool4(c.rfc6791v4Prefix(), c.randomizeRfc6791Addresses());
        this.rfc6791v6 = c.rfc6791v6Prefix() == null ? null
                : new Rfc6791Pool6(c.rfc6791v6Prefix(), c.randomizeRfc6791Addresses());
        this.ownIpv4 = c.ownIpv4Address() == null ? IPV4_DUMMY_ADDRESS : c.ownIpv4Address();
        Ipv6Prefix own6 = c.ownIpv6Address();
        if (own6 == null) {
            this.ownIpv6 = null;
        } else {
            this.ownIpv6 = new byte[16];
            Ipv6Prefix.write(own6.hi(), own6.lo(), ownIpv6, 0);
        }
        this.lowestIpv6Mtu = c.lowestIpv6Mtu();
        this.ipv4Mtu = c.ipv4Mtu();
        this.ipv6Mtu = c.ipv6Mtu();
        int[] p = c.mtuPlateaus();
        java.util.Arrays.sort(p);
        // descending: the first plateau below the packet size is the greatest one
        for (int i = 0, j = p.length - 1; i < j; i++, j--) { int t = p[i]; p[i] = p[j]; p[j] = t; }
        this.plateaus = p;
        this.amendUdpChecksumZero = c.amendUdpChecksumZero();
        this.forwardUdpChecksumZero = c.forwardUdpChecksumZero();
        this.zeroizeTrafficClass = c.zeroizeTrafficClass();
        this.overrideTos = c.overrideTos();
        this.tos = c.tos();
        this.atomicFragments = c.atomicFragments();
    }

    /** Compiles a validated configuration (builds the EAM table). */
    public static Settings compile(TranslatorConfig config) {
        return new Settings(config, EamTable.of(config.eamt()));
    }

    /** Same configuration with another EAM table (live EAMT changes). */
    public Settings withEamTable(EamTable table) {
        return new Settings(config, table);
    }

    public TranslatorConfig config() { return config; }

    public EamTable eamTable() { return eamt; }

    public Pool6 pool6() { return pool6; }
}
