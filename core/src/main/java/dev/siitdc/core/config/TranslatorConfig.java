package dev.siitdc.core.config;

import dev.siitdc.core.addr.Ipv4Prefix;
import dev.siitdc.core.addr.Ipv6Prefix;
import dev.siitdc.core.eam.Eam;

import java.util.Arrays;
import java.util.List;

/**
 * The {@code [translator]} and {@code [[eamt]]} contract of docs/config-reference.md, as plain values.
 * Nullable fields are "unset". Build with {@link #builder()}; {@link Builder#build()} validates.
 */
public record TranslatorConfig(
        Ipv6Prefix pool6,
        HairpinMode eamHairpinMode,
        Ipv4Prefix rfc6791v4Prefix,
        Ipv6Prefix rfc6791v6Prefix,
        boolean randomizeRfc6791Addresses,
        Integer ownIpv4Address,
        Ipv6Prefix ownIpv6Address,
        int lowestIpv6Mtu,
        int ipv4Mtu,
        int ipv6Mtu,
        int[] mtuPlateaus,
        boolean amendUdpChecksumZero,
        boolean forwardUdpChecksumZero,
        boolean zeroizeTrafficClass,
        boolean overrideTos,
        int tos,
        boolean atomicFragments,
        boolean allowSpecialPurposeEams,
        List<Eam> eamt) {

    public static final int[] DEFAULT_PLATEAUS = {65535, 32000, 17914, 8166, 4352, 2002, 1492, 1006, 508, 296, 68};

    public TranslatorConfig {
        mtuPlateaus = mtuPlateaus.clone();
        eamt = List.copyOf(eamt);
    }

    @Override
    public int[] mtuPlateaus() { return mtuPlateaus.clone(); }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.pool6 = pool6; b.eamHairpinMode = eamHairpinMode; b.rfc6791v4Prefix = rfc6791v4Prefix;
        b.rfc6791v6Prefix = rfc6791v6Prefix; b.randomizeRfc6791Addresses = randomizeRfc6791Addresses;
        b.ownIpv4Address = ownIpv4Address; b.ownIpv6Address = ownIpv6Address; b.lowestIpv6Mtu = lowestIpv6Mtu;
        b.ipv4Mtu = ipv4Mtu; b.ipv6Mtu = ipv6Mtu; b.mtuPlateaus = mtuPlateaus.clone();
        b.amendUdpChecksumZero = amendUdpChecksumZero; b.forwardUdpChecksumZero = forwardUdpChecksumZero;
        b.zeroizeTrafficClass = zeroizeTrafficClass; b.overrideTos = overrideTos; b.tos = tos;
        b.atomicFragments = atomicFragments; b.allowSpecialPurposeEams = allowSpecialPurposeEams;
        b.eamt = List.copyOf(eamt);
        return b;
    }

    public static Builder builder() { return new Builder(); }

    @Override
    public boolean equals(Object o) {
        return o instanceof TranslatorConfig c && toString().equals(c.toString());
    }

    @Override
    public int hashCode() { return toString().hashCode(); }

    @Override
    public String toString() {
        return "TranslatorConfig[pool6=" + pool6 + ", eam-hairpin-mode=" + eamHairpinMode
                + ", rfc6791v4-prefix=" + rfc6791v4Prefix + ", rfc6791v6-prefix=" + rfc6791v6Prefix
                + ", randomize-rfc6791-addresses=" + randomizeRfc6791Addresses
                + ", own-ipv4-address=" + (ownIpv4Address == null ? null : Ipv4Prefix.format(ownIpv4Address))
                + ", own-ipv6-address=" + ownIpv6Address + ", lowest-ipv6-mtu=" + lowestIpv6Mtu
                + ", ipv4-mtu=" + ipv4Mtu + ", ipv6-mtu=" + ipv6Mtu + ", mtu-plateaus=" + Arrays.toString(mtuPlateaus)
                + ", amend-udp-checksum-zero=" + amendUdpChecksumZero
                + ", forward-udp-checksum-zero=" + forwardUdpChecksumZero
                + ", zeroize-traffic-class=" + zeroizeTrafficClass + ", override-tos=" + overrideTos
                + ", tos=" + tos + ", atomic-fragments=" + atomicFragments
                + ", allow-special-purpose-eams=" + allowSpecialPurposeEams + ", eamt=" + eamt + "]";
    }

    /** Mutable builder holding the docs/config-reference.md defaults. */
    public static final class Builder {
        public Ipv6Prefix pool6;
        public HairpinMode eamHairpinMode = HairpinMode.INTRINSIC;
        public Ipv4Prefix rfc6791v4Prefix;
        public Ipv6Prefix rfc6791v6Prefix;
        public boolean randomizeRfc6791Addresses = true;
        public Integer ownIpv4Address;
        /** A /128. */
        public Ipv6Prefix ownIpv6Address;
        public int lowestIpv6Mtu = 1280;
        public int ipv4Mtu = 1500;
        public int ipv6Mtu = 1500;
        public int[] mtuPlateaus = DEFAULT_PLATEAUS.clone();
        public boolean amendUdpChecksumZero;
        public boolean forwardUdpChecksumZero;
        public boolean zeroizeTrafficClass;
        public boolean overrideTos;
        public int tos;
        public boolean atomicFragments;
        /** Lets EAMs overlap the loopback, link-local and multicast blocks (RFC 6890); off by default. */
        public boolean allowSpecialPurposeEams;
        public List<Eam> eamt = List.of();

        /** Validates the values against docs/config-reference.md; the key names the offending key. */
        public TranslatorConfig build() throws ConfigException {
            if (pool6 == null && eamt.isEmpty())
                throw new ConfigException("pool6", "at least one of pool6 and [[eamt]] must be present");
            if (pool6 != null) {
                int l = pool6.length();
                if (l != 32 && l != 40 && l != 48 && l != 56 && l != 64 && l != 96)
                    throw new ConfigException("pool6", "prefix length /" + l
                            + " is not one RFC 6052 section 2.2 allows (32, 40, 48, 56, 64 or 96)");
                if (l == 96 && ((pool6.lo() >>> 56) & 0xff) != 0)
                    throw new ConfigException("pool6", "bits 64 to 71 (the u octet) must be zero (RFC 6052 section 2.2)");
                if (!pool6.isNetworkAddress())
                    throw new ConfigException("pool6", "host bits are set after /" + l);
            }
            if (eamHairpinMode == null)
                throw new ConfigException("eam-hairpin-mode", "must be \"off\", \"simple\" or \"intrinsic\"");
            if (rfc6791v6Prefix != null && !rfc6791v6Prefix.isNetworkAddress())
                throw new ConfigException("rfc6791v6-prefix", "host bits are set after /" + rfc6791v6Prefix.length());
            if (rfc6791v4Prefix != null && !rfc6791v4Prefix.isNetworkAddress())
                throw new ConfigException("rfc6791v4-prefix", "host bits are set after /" + rfc6791v4Prefix.length());
            if (ownIpv6Address != null && ownIpv6Address.length() != 128)
                throw new ConfigException("own-ipv6-address", "must be a single address, not a prefix");
            if (lowestIpv6Mtu < 1280 || lowestIpv6Mtu > 65575)
                throw new ConfigException("lowest-ipv6-mtu", "must be between 1280 (RFC 8200) and 65575, got " + lowestIpv6Mtu);
            if (ipv6Mtu < 1280 || ipv6Mtu > 65575)
                throw new ConfigException("ipv6-mtu", "must be between 1280 (RFC 8200) and 65575, got " + ipv6Mtu);
            if (ipv4Mtu < 68 || ipv4Mtu > 65535)
                throw new ConfigException("ipv4-mtu", "must be between 68 (RFC 791) and 65535, got " + ipv4Mtu);
            if (mtuPlateaus.length == 0)
                throw new ConfigException("mtu-plateaus", "must list at least one MTU");
            for (int p : mtuPlateaus)
                if (p < 68 || p > 65535)
                    throw new ConfigException("mtu-plateaus", "plateau " + p + " is outside 68..65535");
            if (tos < 0 || tos > 255)
                throw new ConfigException("tos", "must be between 0 and 255, got " + tos);
            AddressRules.check(pool6, rfc6791v4Prefix, rfc6791v6Prefix, ownIpv4Address, ownIpv6Address, eamt,
                    allowSpecialPurposeEams);
            return new TranslatorConfig(pool6, eamHairpinMode, rfc6791v4Prefix, rfc6791v6Prefix,
                    randomizeRfc6791Addresses, ownIpv4Address, ownIpv6Address, lowestIpv6Mtu, ipv4Mtu, ipv6Mtu,
                    mtuPlateaus, amendUdpChecksumZero, forwardUdpChecksumZero, zeroizeTrafficClass, overrideTos,
                    tos, atomicFragments, allowSpecialPurposeEams, eamt);
        }
    }
}
