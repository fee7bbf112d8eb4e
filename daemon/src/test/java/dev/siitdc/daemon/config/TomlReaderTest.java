package dev.siitdc.daemon.config;

import dev.siitdc.core.addr.Ipv4Prefix;
import dev.siitdc.core.config.TranslatorConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The TOML reader never throws anything but a {@link ConfigError}: nesting is bounded before tomlj sees
 * the text ({@link TomlNesting}), a byte order mark is accepted, and the same holds for {@code global
 * update} values; with the node's rule of {@link NodeAddresses}.
 */
class TomlReaderTest {
    private static final String POOL6 = "[translator]\npool6 = \"64:ff9b::/96\"\n";

    private static String error(String toml) {
        return ConfigErrors.messageOf(() -> DaemonConfigLoader.parse(toml, "t.toml"), toml);
    }

    @Test
    void deepNestingIsAConfigErrorWithItsLine() {
        assertThat(error(POOL6 + "x = " + "[".repeat(100_000))).isEqualTo(
                "t.toml:3: syntax: invalid TOML: arrays and inline tables are nested more than 64 deep");
        assertThat(error(POOL6 + "\nx = " + "{a = ".repeat(100_000))).startsWith("t.toml:4: syntax: ");
        assertThat(error(POOL6 + "x = [\n" + "[\n".repeat(100) + "]\n".repeat(101))).startsWith("t.toml:67: syntax: ");
        assertThat(error("[".repeat(100_000))).startsWith("t.toml:1: syntax: ");
        assertThat(error(POOL6 + "[relay]\nrole = \"border-relay\"\ndhcp-static = " + "{ a = ".repeat(5000)))
                .startsWith("t.toml:5: syntax: ");
    }

    @Test
    void theBoundIsSixtyFourLevelsAndTomljParsesThemOnAVirtualThread() throws Exception {
        String ok = POOL6 + "x = " + "[".repeat(TomlNesting.MAX_DEPTH) + "]".repeat(TomlNesting.MAX_DEPTH) + "\n";
        assertThat(TomlNesting.tooDeepAt(ok)).isZero();
        // at the bound tomlj parses it (then the loader refuses the unknown key); on a virtual thread, as a reload
        AtomicReference<Object> result = new AtomicReference<>();
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                result.set(error(ok));
            } catch (Throwable e) {
                result.set(e);
            }
        });
        t.join();
        assertThat(result.get()).isEqualTo("t.toml:3: x: unknown key in [translator]");
        String deeper = POOL6 + "x = " + "[".repeat(TomlNesting.MAX_DEPTH + 1) + "]".repeat(TomlNesting.MAX_DEPTH + 1);
        assertThat(TomlNesting.tooDeepAt(deeper)).isEqualTo(3);
    }

    @Test
    void bracketsInStringsAndCommentsDoNotCount() {
        String many = "[".repeat(200) + "{".repeat(200);
        String[] texts = {
                "a = \"" + many + "\"\n",
                "a = \"\\\"" + many + "\"\n",
                "a = '" + many + "'\n",
                "a = \"\"\"\n" + many + "\n\"\"\"\n",
                "a = \"\"\"x\"\"" + many + "\"\"\"\"\n",
                "a = '''\n" + many + "\n''''\n",
                "# " + many + "\n",
                "\"" + many + "\" = 1\n",
                "a = [\"]\", '}', \"\"\"]]]\"\"\"]  # ]]]\n",
        };
        for (String t : texts) assertThat(TomlNesting.tooDeepAt(t)).as(t).isZero();
        // ... and what follows them does
        assertThat(TomlNesting.tooDeepAt("a = \"x\"\n# c\nb = '''\n\n'''\nc = " + many)).isEqualTo(6);
        assertThat(TomlNesting.tooDeepAt("a = \"unterminated\nb = " + many)).isEqualTo(2);
    }

    @Test
    void aByteOrderMarkIsAccepted() throws ConfigError {
        TranslatorConfig c = ConfigLoader.parse("\uFEFF" + POOL6, "t.toml");
        assertThat(c.pool6().toString()).isEqualTo("64:ff9b::/96");
        DaemonConfig d = DaemonConfigLoader.parse("\uFEFF" + POOL6 + "[relay]\nrole = \"border-relay\"\n", "t.toml");
        assertThat(d.line("role")).isEqualTo(4);
        assertThat(error("\uFEFF" + POOL6 + "tos = 300\n")).startsWith("t.toml:3: tos: ");
    }

    @Test
    void globalUpdateValuesGoThroughTheSameReader() {
        TranslatorConfig current;
        try {
            current = ConfigLoader.parse(POOL6, "t.toml");
        } catch (ConfigError e) {
            throw new AssertionError(e);
        }
        assertThatThrownBy(() -> ConfigLoader.update(current, "mtu-plateaus", "[".repeat(100_000)))
                .isInstanceOf(ConfigError.class).hasMessageContaining("nested more than 64 deep");
        assertThatThrownBy(() -> ConfigLoader.update(current, "mtu-plateaus", "{a=".repeat(100_000)))
                .isInstanceOf(ConfigError.class);
    }

    @Test
    void globalUpdateAppliesTheAddressRules() throws ConfigError {
        TranslatorConfig current = ConfigLoader.parse(POOL6 + "\n[[eamt]]\nipv4 = \"192.0.2.1\"\nipv6 = \"2001:db8::1\"\n",
                "t.toml");
        assertThatThrownBy(() -> ConfigLoader.update(current, "own-ipv4-address", "192.0.2.1"))
                .isInstanceOf(ConfigError.class)
                .hasMessageStartingWith("global update:1: eamt[1].ipv4: 192.0.2.1/32 is own-ipv4-address");
        assertThatThrownBy(() -> ConfigLoader.update(current, "own-ipv6-address", "::"))
                .hasMessageStartingWith("global update:1: own-ipv6-address: :: is the unspecified address");
        assertThatThrownBy(() -> ConfigLoader.update(current, "pool6", "2001:db8::/96"))
                .hasMessageStartingWith("global update:1: eamt[1].ipv6: 2001:db8::1/128 lies inside pool6");
        assertThatThrownBy(() -> ConfigLoader.update(current, "rfc6791v4-prefix", "0.0.0.0/0"))
                .hasMessageStartingWith("global update:1: rfc6791v4-prefix: /0");
        TranslatorConfig on = ConfigLoader.update(current, "allow-special-purpose-eams", "true");
        assertThat(on.allowSpecialPurposeEams()).isTrue();
    }

    @Test
    void theNodesRuleNamesTheInterfaceAndLine() throws ConfigError {
        NodeAddresses node = NodeAddresses.of(Map.of(Ipv4Prefix.parseAddress("203.0.113.7"), "eth0"));
        String toml = POOL6 + "own-ipv4-address = \"203.0.113.7\"\n";
        assertThatThrownBy(() -> ConfigLoader.parse(toml, "t.toml", node)).isInstanceOf(ConfigError.class)
                .hasMessageStartingWith("t.toml:3: own-ipv4-address: 203.0.113.7 is an address of this node (on eth0)");
        assertThatThrownBy(() -> DaemonConfigLoader.parse(toml + "[relay]\nrole = \"border-relay\"\n", "t.toml", node))
                .hasMessageStartingWith("t.toml:3: own-ipv4-address: 203.0.113.7 is an address of this node");
        // without the node (translate, explain) the file is fine, and another address is fine on the node
        assertThat(ConfigLoader.parse(toml, "t.toml").ownIpv4Address()).isEqualTo(Ipv4Prefix.parseAddress("203.0.113.7"));
        ConfigLoader.parse(POOL6 + "own-ipv4-address = \"203.0.113.8\"\n", "t.toml", node);
        TranslatorConfig current = ConfigLoader.parse(POOL6, "t.toml");
        assertThatThrownBy(() -> ConfigLoader.update(current, "own-ipv4-address", "203.0.113.7", node))
                .hasMessageStartingWith("global update:1: own-ipv4-address: 203.0.113.7 is an address of this node");
        assertThat(node.skipped()).isNull();
    }

    @Test
    void unreadableAddressesSkipTheNodesRuleAndSaySo() throws ConfigError {
        NodeAddresses node = NodeAddresses.unreadable("cannot read this node's addresses (EPERM)");
        TranslatorConfig c = ConfigLoader.parse(POOL6 + "own-ipv4-address = \"203.0.113.7\"\n", "t.toml", node);
        assertThat(c.ownIpv4Address()).isEqualTo(Ipv4Prefix.parseAddress("203.0.113.7"));
        assertThat(node.skipped()).isEqualTo("own-ipv4-address was not checked against this node's addresses: cannot"
                + " read this node's addresses (EPERM)");
    }

    @Test
    void readingThisNodeFindsItsLoopbackAddress() {
        NodeAddresses node = NodeAddresses.read();
        assertThat(node.skipped()).isNull();
        assertThat(node.ownIpv4Problem(Ipv4Prefix.parseAddress("127.0.0.1"))).contains("(on lo)");
    }
}
