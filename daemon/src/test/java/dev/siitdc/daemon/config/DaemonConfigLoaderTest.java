package dev.siitdc.daemon.config;

import dev.siitdc.core.addr.Ipv4Prefix;
import dev.siitdc.daemon.RelayConfig;
import dev.siitdc.dataplane.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DaemonConfigLoaderTest {
    static final String TRANSLATOR = """
            # a test file
            [translator]
            pool6 = "2001:db8:46::/96"

            [[eamt]]
            ipv4 = "198.51.100.10"
            ipv6 = "2001:db8:a::"

            [[eamt]]
            ipv4 = "198.51.100.11"
            ipv6 = "2001:db8:a::b"

            [[eamt]]
            ipv4 = "192.0.2.0/24"
            ipv6 = "2001:db8:c::/120"
            """;  // 15 lines; [relay] starts on line 16 below

    /** The [relay] header (line 16) and role (line 17) of each kind. */
    static final String BORDER_RELAY = "[relay]\nrole = \"border-relay\"\n";
    static final String EDGE_RELAY = "[relay]\nrole = \"edge-relay\"\n";

    static DaemonConfig parse(String relay) throws ConfigError {
        return DaemonConfigLoader.parse(TRANSLATOR + relay, "t.toml");
    }

    static String error(String relay) {
        return ConfigErrors.messageOf(() -> parse(relay), relay);
    }

    @Test
    void borderRelayDefaults() throws ConfigError {
        DaemonConfig c = parse("[relay]\nrole = \"border-relay\"\n");
        RelayConfig r = c.relay();
        assertThat(r.role()).isEqualTo(Role.BORDER_RELAY);
        assertThat(r.tunName()).isEqualTo("siit0");
        assertThat(r.queues()).isZero();
        assertThat(r.statsFile()).isNull();
        assertThat(r.serviceAddresses()).isEmpty();
        assertThat(r.upstreamInterface()).isNull();
        assertThat(r.icmpErrorsPerSecond()).isEqualTo(1000);
        assertThat(r.icmpErrorsBurst()).isEqualTo(50);
        assertThat(c.translator().eamt()).hasSize(3);
        assertThat(c.line("role")).isEqualTo(17);
        assertThat(c.line("")).isEqualTo(16);
        assertThat(c.error("upstream-interface", "no interface").getMessage())
                .isEqualTo("t.toml:16: relay.upstream-interface: no interface");
    }

    @Test
    void edgeRelayWithEveryKey() throws ConfigError {
        DaemonConfig c = parse("""
                [relay]
                role = "edge-relay"
                tun-name = "er0"
                queues = 4
                stats-file = "/run/siitdc/er0.stats"
                service-addresses = [
                    "198.51.100.10",
                    "198.51.100.11",
                ]
                upstream-interface = "eth0"
                icmp-errors-per-second = -1
                icmp-errors-burst = 7
                """);
        RelayConfig r = c.relay();
        assertThat(r.icmpErrorsPerSecond()).isEqualTo(-1);
        assertThat(r.icmpErrorsBurst()).isEqualTo(7);
        assertThat(r.role()).isEqualTo(Role.EDGE_RELAY);
        assertThat(r.tunName()).isEqualTo("er0");
        assertThat(r.queues()).isEqualTo(4);
        assertThat(r.statsFile()).isEqualTo(Path.of("/run/siitdc/er0.stats"));
        assertThat(r.serviceAddresses()).containsExactly(ip("198.51.100.10"), ip("198.51.100.11"));
        assertThat(r.upstreamInterface()).isEqualTo("eth0");
        // lines for errors found at start-up
        assertThat(c.error("service-addresses[2]", "in use").getMessage())
                .isEqualTo("t.toml:23: relay.service-addresses[2]: in use");
        assertThat(c.error("upstream-interface", "no interface named \"eth0\"").getMessage())
                .isEqualTo("t.toml:25: relay.upstream-interface: no interface named \"eth0\"");
        assertThat(c.error("tun-name", "exists").getMessage()).isEqualTo("t.toml:18: relay.tun-name: exists");
    }

    @Test
    void noRelaySectionIsFineForTheLoader() throws ConfigError {
        DaemonConfig c = DaemonConfigLoader.parse(TRANSLATOR, "t.toml");
        assertThat(c.relay()).isNull();
        assertThat(c.translator().pool6()).isNotNull();
    }

    @Test
    void theTranslatorContractStillComesFirst() {
        assertThat(error("[relay]\nrole = \"border-relay\"\n[translator.x]\n")).startsWith("t.toml:");
        assertThatThrownBy(() -> DaemonConfigLoader.parse("[translator]\npool6 = \"2001:db8::/41\"\n[relay]\nrole = \"x\"\n", "t.toml"))
                .hasMessageStartingWith("t.toml:2: pool6: ");
    }

    @Test
    void translateAndCheckConfigAcceptTheRelaySection() throws ConfigError {
        assertThat(ConfigLoader.parse(TRANSLATOR + "[relay]\nrole = \"edge-relay\"\nservice-addresses = [\"198.51.100.10\"]\n",
                "t.toml").eamt()).hasSize(3);
        assertThatThrownBy(() -> ConfigLoader.parse("relay = \"border-relay\"\n" + TRANSLATOR, "t.toml"))
                .hasMessage("t.toml:1: relay: must be a table: put its keys below a [relay] header");
        assertThatThrownBy(() -> ConfigLoader.parse("role = \"border-relay\"\n" + TRANSLATOR, "t.toml"))
                .hasMessage("t.toml:1: role: belongs in the [relay] section: move it below the [relay] header");
    }

    @Test
    void unknownRole() {
        assertThat(error("[relay]\nrole = \"bridge\"\n"))
                .isEqualTo("t.toml:17: relay.role: must be \"border-relay\" or \"edge-relay\", not \"bridge\"");
        assertThat(error("[relay]\nrole = \"edge_relay\"\n"))
                .isEqualTo("t.toml:17: relay.role: must be \"border-relay\" or \"edge-relay\", not \"edge_relay\""
                        + " (did you mean \"edge-relay\"?)");
        assertThat(error("[relay]\nrole = 1\n"))
                .isEqualTo("t.toml:17: relay.role: must be a string, not an integer (1)");
        assertThat(error("[relay]\ntun-name = \"siit1\"\n"))
                .isEqualTo("t.toml:16: relay.role: missing: say role = \"border-relay\" or role = \"edge-relay\"");
    }

    @Test
    void serviceAddressWithoutEam() {
        assertThat(error("""
                [relay]
                role = "edge-relay"
                service-addresses = [
                    "198.51.100.10",
                    "203.0.113.9",
                ]
                """)).isEqualTo("t.toml:20: relay.service-addresses[2]: 203.0.113.9 has no EAM: add an [[eamt]] entry"
                + " with ipv4 = \"203.0.113.9\" and its IPv6 Service Address as ipv6 (RFC 7756 s3: the Edge Relay needs"
                + " the Border Relay's EAM for each of its Service Addresses)");
        assertThat(error("[relay]\nrole = \"edge-relay\"\nservice-addresses = [\"198.51.100.10\", \"192.0.2.7\"]\n"))
                .startsWith("t.toml:18: relay.service-addresses[2]: 192.0.2.7 is covered by the EAM"
                        + " 192.0.2.0/24 <-> 2001:db8:c::/120, but a Service Address needs an EAM of its own");
    }

    /** A bad service-addresses below an edge-relay's role (so on line 18): refused with its line, key and reason. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            service-addresses = "198.51.100.10"      | is     | t.toml:18: relay.service-addresses: must be an array of IPv4 addresses, e.g. ["192.0.2.1"], not a string ("198.51.100.10")
            service-addresses = []                   | is     | t.toml:18: relay.service-addresses: must list at least one IPv4 Service Address
            service-addresses = ["198.51.100.10/32", "198.51.100.10"] | is | t.toml:18: relay.service-addresses[2]: "198.51.100.10" is listed twice (also service-addresses[1])
            service-addresses = ["192.0.2.0/24"]     | is     | t.toml:18: relay.service-addresses[1]: "192.0.2.0/24" is a prefix; a Service Address is one address
            service-addresses = ["2001:db8:a::"]     | starts | 't.toml:18: relay.service-addresses[1]: "2001:db8:a::": '
            service-addresses = ["127.0.0.1"]        | starts | t.toml:18: relay.service-addresses[1]: "127.0.0.1" cannot be a Service Address
            service-addresses = [1]                  | is     | t.toml:18: relay.service-addresses[1]: must be a string holding an IPv4 address, not an integer (1)
            """)
    void serviceAddressValues(String line, String match, String expected) {
        ConfigErrors.assertMessage(error(EDGE_RELAY + line + "\n"), match, expected);
    }

    @Test
    void serviceAddressesMissing() {
        assertThat(error(EDGE_RELAY))
                .startsWith("t.toml:16: relay.service-addresses: missing: an edge-relay needs its IPv4 Service Addresses");
    }

    @Test
    void edgeRelayKeysOnABorderRelay() {
        assertThat(error("[relay]\nrole = \"border-relay\"\nservice-addresses = [\"198.51.100.10\"]\n"))
                .isEqualTo("t.toml:18: relay.service-addresses: only an edge-relay has service addresses"
                        + " (role is \"border-relay\")");
        assertThat(error("[relay]\nrole = \"border-relay\"\nupstream-interface = \"eth0\"\n"))
                .isEqualTo("t.toml:18: relay.upstream-interface: only an edge-relay has an upstream interface"
                        + " (role is \"border-relay\")");
    }

    /** A bad upstream-interface below an edge-relay's role and service-addresses (so on line 19). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            upstream-interface = "siit0"  | starts | t.toml:19: relay.upstream-interface: is the TUN's own name
            upstream-interface = "eth0:1" | starts | t.toml:19: relay.upstream-interface: "eth0:1" holds ':'
            upstream-interface = ""       | is     | t.toml:19: relay.upstream-interface: must not be empty
            """)
    void upstreamInterface(String line, String match, String expected) {
        String head = EDGE_RELAY + "service-addresses = [\"198.51.100.10\"]\n";
        ConfigErrors.assertMessage(error(head + line + "\n"), match, expected);
    }

    /** A bad [relay] line below a border-relay's role (so on line 18): refused with its line, key and reason. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            tun_name = "x"                | is     | t.toml:18: relay.tun_name: unknown key in [relay] (did you mean "tun-name"?)
            atomic-fragments = true       | is     | t.toml:18: relay.atomic-fragments: belongs in the [translator] section: move it below the [translator] header
            queues = 257                  | is     | t.toml:18: relay.queues: must be between 0 (one per CPU) and 256, not 257
            queues = -1                   | starts | t.toml:18: relay.queues: must be between 0
            queues = "2"                  | is     | t.toml:18: relay.queues: must be an integer, not a string ("2")
            tun-name = "a-very-long-name0" | is    | t.toml:18: relay.tun-name: "a-very-long-name0" is longer than 15 bytes (IFNAMSIZ - 1)
            tun-name = "siit%d"           | starts | t.toml:18: relay.tun-name: "siit%d" holds '%'
            stats-file = ""               | is     | t.toml:18: relay.stats-file: must not be empty (leave the key out for no stats file)
            icmp-errors-per-second = -2   | is     | t.toml:18: relay.icmp-errors-per-second: must be -1 (no limit), 0 (none) or a number of errors per second, not -2
            icmp-errors-burst = 0         | is     | t.toml:18: relay.icmp-errors-burst: must be at least 1, not 0
            icmp-errors-burst = 1.5       | is     | t.toml:18: relay.icmp-errors-burst: must be an integer, not a float (1.5)
            stats-file = 3                | is     | t.toml:18: relay.stats-file: must be a string, not an integer (3)
            """)
    void otherKeys(String line, String match, String expected) {
        ConfigErrors.assertMessage(error(BORDER_RELAY + line + "\n"), match, expected);
    }

    @Test
    void loadNamesTheFile(@TempDir Path dir) throws IOException, ConfigError {
        Path f = dir.resolve("d.toml");
        Files.writeString(f, TRANSLATOR + "[relay]\nrole = \"border-relay\"\nqueues = 2\n");
        assertThat(DaemonConfigLoader.load(f).relay().queues()).isEqualTo(2);
        assertThatThrownBy(() -> DaemonConfigLoader.load(dir.resolve("missing.toml")))
                .hasMessage(dir.resolve("missing.toml") + ":1: file: cannot read: no such file or directory");
    }

    static int ip(String s) {
        return Ipv4Prefix.parseAddress(s);
    }

    @Test
    void keysList() {
        assertThat(DaemonConfigLoader.RELAY_KEYS).containsExactly("role", "tun-name", "queues", "stats-file",
                "icmp-errors-per-second", "icmp-errors-burst", "service-addresses", "upstream-interface", "offload",
                "control-socket", "metrics", "metrics-address", "metrics-port", "segment-interface", "segment-address",
                "segment-next-hops", "segment-bridge", "dhcp", "dhcp-lease-file", "dhcp-lease-time", "dhcp-static",
                "dhcp-dns-servers", "fast-path", "fast-path-interfaces");
        assertThat(ConfigLoader.SECTIONS).contains("relay");
    }

    @Test
    void offloadDefaultsToTrueAndCanBeTurnedOff() throws ConfigError {
        assertThat(parse("[relay]\nrole = \"border-relay\"\n").relay().offload()).isTrue();
        assertThat(parse("[relay]\nrole = \"border-relay\"\noffload = false\n").relay().offload()).isFalse();
        assertThat(parse("[relay]\nrole = \"border-relay\"\noffload = true\n").relay().offload()).isTrue();
        assertThat(error("[relay]\nrole = \"border-relay\"\noffload = \"no\"\n"))
                .endsWith("relay.offload: must be true or false, not a string (\"no\")");
    }

    @Test
    void fastPathDefaultsToAutoWithNoInterfacesAndIsCheckedForTheBorderRelayOnly() throws ConfigError {
        String br = "[relay]\nrole = \"border-relay\"\n";
        assertThat(parse(br).relay().fastPath()).isEqualTo(dev.siitdc.daemon.RelayFastPath.DEFAULT);
        assertThat(parse(br).relay().fastPath().wanted()).isFalse();
        var fp = parse(br + "fast-path = \"ebpf\"\nfast-path-interfaces = [\"v4\", \"v6\"]\n").relay().fastPath();
        assertThat(fp.mode()).isEqualTo(dev.siitdc.daemon.RelayFastPath.Mode.EBPF);
        assertThat(fp.interfaces()).containsExactly("v4", "v6");
        assertThat(parse(br + "fast-path = \"off\"\nfast-path-interfaces = [\"v4\"]\n").relay().fastPath().wanted()).isFalse();
        assertThat(error(br + "fast-path = \"bpf\"\n"))
                .endsWith(": relay.fast-path: must be \"auto\", \"ebpf\" or \"off\", not \"bpf\" (did you mean \"ebpf\"?)");
        assertThat(error(br + "fast-path = \"ebpf\"\n"))
                .endsWith("relay.fast-path: \"ebpf\" needs fast-path-interfaces: the interfaces whose ingress it serves");
        assertThat(error(br + "fast-path-interfaces = [\"siit0\"]\n"))
                .endsWith("relay.fast-path-interfaces[0]: is the TUN (tun-name): name the IPv4- and IPv6-facing interfaces");
        assertThat(error(br + "fast-path-interfaces = [\"v4\", \"v4\"]\n"))
                .endsWith("relay.fast-path-interfaces[1]: \"v4\" is listed twice");
        assertThat(error(br + "fast-path-interfaces = \"v4\"\n"))
                .endsWith("relay.fast-path-interfaces: must be a list of interface names, not a string (\"v4\")");
    }
}
