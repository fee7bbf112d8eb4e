package dev.siitdc.daemon.config;

import dev.siitdc.core.addr.Ipv4Prefix;
import dev.siitdc.core.addr.Ipv6Prefix;
import dev.siitdc.core.config.HairpinMode;
import dev.siitdc.core.config.TranslatorConfig;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;

/**
 * The key schema of a siitdc TOML file (docs/config-reference.md), declared once: the sections, the
 * {@code [[eamt]]} and {@code [relay]} key names, and one {@link Key} per {@code [translator]} key with its
 * TOML type, how it is read into a {@link TranslatorConfig.Builder} (the checks and reasons of a file),
 * how it is written back as a TOML value and whether "none" unsets it. {@link ConfigLoader} reads a file
 * and a {@code global update} value with it; {@link dev.siitdc.daemon.LiveConfig} and {@code global display}
 * write the running values with it. The defaults are those of {@link TranslatorConfig#builder()}.
 */
public final class ConfigSchema {
    /**
     * Top-level sections the file may have. Any other top-level key or table is refused. {@code [relay]}
     * is the daemon's ({@code siitdc run}): only {@link DaemonConfigLoader} reads its keys.
     */
    public static final Set<String> SECTIONS = Set.of("translator", "eamt", "relay");

    /** The sections, as messages name them. */
    static final String SECTION_LIST = "[translator], [[eamt]] and [relay]";

    /** The keys of an {@code [[eamt]]} entry (RFC 7757 s3.1: an IPv4 prefix and an IPv6 prefix). */
    static final List<String> EAM_KEYS = List.of("ipv4", "ipv6");

    /** The {@code [relay]} keys. */
    public static final List<String> RELAY_KEYS = List.of(
            "role", "tun-name", "queues", "stats-file", "icmp-errors-per-second", "icmp-errors-burst",
            "service-addresses", "upstream-interface", "offload", "control-socket", "metrics", "metrics-address",
            "metrics-port", "segment-interface", "segment-address", "segment-next-hops", "segment-bridge", "dhcp",
            "dhcp-lease-file", "dhcp-lease-time", "dhcp-static", "dhcp-dns-servers", "fast-path", "fast-path-interfaces");

    /** The {@code [relay]} keys of a network-based Edge Relay (RFC 7756 s3.2): all need segment-interface. */
    static final List<String> SEGMENT_KEYS = List.of("segment-interface", "segment-address", "segment-next-hops",
            "segment-bridge", "dhcp", "dhcp-lease-file", "dhcp-lease-time", "dhcp-static", "dhcp-dns-servers");

    /** The TOML type of a {@code [translator]} value. */
    public enum Type { STRING, BOOLEAN, INTEGER, INTEGER_ARRAY }

    /** One {@code [translator]} value being read, typed and checked; failures carry the file's reasons. */
    public interface Value {
        boolean bool() throws ConfigError;

        int integer() throws ConfigError;

        int[] integers() throws ConfigError;

        Ipv4Prefix ipv4Prefix() throws ConfigError;

        Ipv6Prefix ipv6Prefix() throws ConfigError;

        int ipv4Address() throws ConfigError;

        Ipv6Prefix ipv6Address() throws ConfigError;

        HairpinMode hairpinMode() throws ConfigError;
    }

    /** Sets a builder's field from a checked value. */
    @FunctionalInterface
    public interface Reader {
        void read(Value v, TranslatorConfig.Builder b) throws ConfigError;
    }

    /**
     * A {@code [translator]} key: its name, its TOML type, how a value is read into a builder, how the value
     * of a configuration is written as TOML ({@code "64:ff9b::/96"}, {@code 1500}, {@code true},
     * {@code [1500, 1280]}; null when unset) and, for a key that may be unset, how to unset it.
     */
    public record Key(String name, Type type, Reader reader, Function<TranslatorConfig, String> writer,
            Consumer<TranslatorConfig.Builder> unsetter) {
        /** Whether {@code global update KEY none} unsets the key. */
        public boolean unsettable() {
            return unsetter != null;
        }

        /** The value of {@code c} as TOML, or null when unset. */
        public String toml(TranslatorConfig c) {
            return writer.apply(c);
        }
    }

    /** The {@code [translator]} keys, in the order of docs/config-reference.md (and of {@code global display}). */
    public static final List<Key> TRANSLATOR = List.of(
            new Key("pool6", Type.STRING, (v, b) -> b.pool6 = v.ipv6Prefix(),
                    c -> quoted(c.pool6()), b -> b.pool6 = null),
            new Key("eam-hairpin-mode", Type.STRING, (v, b) -> b.eamHairpinMode = v.hairpinMode(),
                    c -> c.eamHairpinMode() == null ? null : quoted(c.eamHairpinMode().configName()), null),
            new Key("rfc6791v4-prefix", Type.STRING, (v, b) -> b.rfc6791v4Prefix = v.ipv4Prefix(),
                    c -> quoted(c.rfc6791v4Prefix()), b -> b.rfc6791v4Prefix = null),
            new Key("rfc6791v6-prefix", Type.STRING, (v, b) -> b.rfc6791v6Prefix = v.ipv6Prefix(),
                    c -> quoted(c.rfc6791v6Prefix()), b -> b.rfc6791v6Prefix = null),
            bool("randomize-rfc6791-addresses", (b, on) -> b.randomizeRfc6791Addresses = on,
                    TranslatorConfig::randomizeRfc6791Addresses),
            new Key("own-ipv4-address", Type.STRING, (v, b) -> b.ownIpv4Address = v.ipv4Address(),
                    c -> c.ownIpv4Address() == null ? null : quoted(Ipv4Prefix.format(c.ownIpv4Address())),
                    b -> b.ownIpv4Address = null),
            new Key("own-ipv6-address", Type.STRING, (v, b) -> b.ownIpv6Address = v.ipv6Address(),
                    c -> c.ownIpv6Address() == null ? null
                            : quoted(Ipv6Prefix.format(c.ownIpv6Address().hi(), c.ownIpv6Address().lo())),
                    b -> b.ownIpv6Address = null),
            integer("lowest-ipv6-mtu", (b, n) -> b.lowestIpv6Mtu = n, TranslatorConfig::lowestIpv6Mtu),
            integer("ipv4-mtu", (b, n) -> b.ipv4Mtu = n, TranslatorConfig::ipv4Mtu),
            integer("ipv6-mtu", (b, n) -> b.ipv6Mtu = n, TranslatorConfig::ipv6Mtu),
            new Key("mtu-plateaus", Type.INTEGER_ARRAY, (v, b) -> b.mtuPlateaus = v.integers(),
                    c -> Arrays.toString(c.mtuPlateaus()), null),
            bool("amend-udp-checksum-zero", (b, on) -> b.amendUdpChecksumZero = on,
                    TranslatorConfig::amendUdpChecksumZero),
            bool("forward-udp-checksum-zero", (b, on) -> b.forwardUdpChecksumZero = on,
                    TranslatorConfig::forwardUdpChecksumZero),
            bool("zeroize-traffic-class", (b, on) -> b.zeroizeTrafficClass = on, TranslatorConfig::zeroizeTrafficClass),
            bool("override-tos", (b, on) -> b.overrideTos = on, TranslatorConfig::overrideTos),
            integer("tos", (b, n) -> b.tos = n, TranslatorConfig::tos),
            bool("atomic-fragments", (b, on) -> b.atomicFragments = on, TranslatorConfig::atomicFragments),
            bool("allow-special-purpose-eams", (b, on) -> b.allowSpecialPurposeEams = on,
                    TranslatorConfig::allowSpecialPurposeEams));

    /** The names of {@link #TRANSLATOR}, in its order. */
    public static final List<String> TRANSLATOR_KEYS = TRANSLATOR.stream().map(Key::name).toList();

    private static final Map<String, Key> BY_NAME =
            TRANSLATOR.stream().collect(Collectors.toUnmodifiableMap(Key::name, k -> k));

    private ConfigSchema() {
    }

    /** The {@code [translator]} key called {@code name}, or null. */
    public static Key translatorKey(String name) {
        return BY_NAME.get(name);
    }

    /** The {@code [translator]} values of {@code c} as TOML values, in {@link #TRANSLATOR_KEYS} order; null for an unset key. */
    public static Map<String, String> tomlValues(TranslatorConfig c) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Key k : TRANSLATOR) m.put(k.name(), k.toml(c));
        return m;
    }

    @FunctionalInterface
    private interface BoolField {
        void set(TranslatorConfig.Builder b, boolean on);
    }

    @FunctionalInterface
    private interface IntField {
        void set(TranslatorConfig.Builder b, int n);
    }

    private static Key bool(String name, BoolField field, Predicate<TranslatorConfig> get) {
        return new Key(name, Type.BOOLEAN, (v, b) -> field.set(b, v.bool()), c -> Boolean.toString(get.test(c)), null);
    }

    private static Key integer(String name, IntField field, ToIntFunction<TranslatorConfig> get) {
        return new Key(name, Type.INTEGER, (v, b) -> field.set(b, v.integer()),
                c -> Integer.toString(get.applyAsInt(c)), null);
    }

    private static String quoted(Object o) {
        return o == null ? null : "\"" + o + "\"";
    }
}
