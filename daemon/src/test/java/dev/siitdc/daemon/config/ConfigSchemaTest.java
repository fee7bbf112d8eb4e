package dev.siitdc.daemon.config;

import dev.siitdc.core.config.TranslatorConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The one {@code [translator]} schema: what it writes, the loader reads back, from a file and as an update. */
class ConfigSchemaTest {
    private static final String FILE = """
            [translator]
            pool6 = "64:ff9b::/96"
            eam-hairpin-mode = "simple"
            rfc6791v4-prefix = "192.0.2.0/24"
            rfc6791v6-prefix = "2001:db8:ffff::/64"
            randomize-rfc6791-addresses = false
            own-ipv4-address = "198.51.100.1"
            own-ipv6-address = "2001:db8::1"
            lowest-ipv6-mtu = 1400
            ipv4-mtu = 1400
            ipv6-mtu = 1500
            mtu-plateaus = [1500, 1280]
            amend-udp-checksum-zero = true
            forward-udp-checksum-zero = false
            zeroize-traffic-class = true
            override-tos = true
            tos = 8
            atomic-fragments = false
            allow-special-purpose-eams = true
            """;

    @Test
    void everyKeyIsWrittenAsTheFileHoldsItInTheDocumentedOrder() throws Exception {
        Map<String, String> values = ConfigSchema.tomlValues(ConfigLoader.parse(FILE, "t.toml"));
        assertThat(values.keySet()).containsExactlyElementsOf(ConfigSchema.TRANSLATOR_KEYS);
        StringBuilder sb = new StringBuilder("[translator]\n");
        values.forEach((k, v) -> sb.append(k).append(" = ").append(v).append('\n'));
        assertThat(sb.toString()).isEqualTo(FILE);
    }

    @Test
    void everyWrittenValueUpdatesToTheSameConfiguration() throws Exception {
        TranslatorConfig c = ConfigLoader.parse(FILE, "t.toml");
        TranslatorConfig defaults = ConfigLoader.parse("[translator]\npool6 = \"64:ff9b::/96\"\n", "t.toml");
        for (ConfigSchema.Key k : ConfigSchema.TRANSLATOR) {
            String v = k.toml(c);
            String cli = k.type() == ConfigSchema.Type.STRING ? v.substring(1, v.length() - 1) : v;
            assertThat(k.toml(ConfigLoader.update(defaults, k.name(), cli))).as(k.name()).isEqualTo(v);
        }
    }

    @Test
    void theUnsettableKeysAreTheOptionalAddressesAndPrefixes() throws Exception {
        assertThat(ConfigSchema.TRANSLATOR.stream().filter(ConfigSchema.Key::unsettable).map(ConfigSchema.Key::name))
                .containsExactly("pool6", "rfc6791v4-prefix", "rfc6791v6-prefix", "own-ipv4-address", "own-ipv6-address");
        TranslatorConfig c = ConfigLoader.update(ConfigLoader.parse(FILE, "t.toml"), "own-ipv6-address", "none");
        assertThat(ConfigSchema.translatorKey("own-ipv6-address").toml(c)).isNull();
        assertThat(ConfigSchema.translatorKey("no-such-key")).isNull();
    }
}
