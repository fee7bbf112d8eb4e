package dev.siitdc.cli;

import dev.siitdc.daemon.config.ConfigLoader;
import dev.siitdc.daemon.config.DaemonConfig;
import dev.siitdc.daemon.config.DaemonConfigLoader;
import dev.siitdc.core.config.TranslatorConfig;
import dev.siitdc.daemon.RelayConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/config-reference.md against the loaders: every key of {@link ConfigLoader#TRANSLATOR_KEYS}, the
 * [[eamt]] keys and {@link DaemonConfigLoader#RELAY_KEYS} has a row in its section, every row is a key the
 * loader knows, and the default column says what the loader does when the key is left out.
 */
class ConfigReferenceTest {
    static final Path DOC = Path.of("../docs/config-reference.md");
    private static final Pattern SECTION = Pattern.compile("^## `(\\[\\[?[a-z]+]]?)`\\s*$");
    private static final Pattern ROW = Pattern.compile("^\\| `([a-z0-9-]+)` \\|([^|]*)\\|([^|]*)\\|(.*)\\|\\s*$");

    record Row(String type, String dflt, String meaning) {}

    /** Section header ("[translator]") -> key -> row, in file order. */
    static Map<String, Map<String, Row>> rows() throws Exception {
        Map<String, Map<String, Row>> out = new LinkedHashMap<>();
        String section = null;
        for (String line : Files.readAllLines(DOC)) {
            Matcher s = SECTION.matcher(line);
            if (s.matches()) {
                section = s.group(1);
                out.put(section, new LinkedHashMap<>());
                continue;
            }
            if (line.startsWith("## ")) section = null;
            Matcher r = ROW.matcher(line);
            if (section != null && r.matches()) {
                Row previous = out.get(section).put(r.group(1), new Row(r.group(2).strip(), r.group(3).strip(),
                        r.group(4).strip()));
                assertThat(previous).as("%s %s documented twice", section, r.group(1)).isNull();
            }
        }
        return out;
    }

    @Test
    void everyKeyIsDocumentedAndEveryDocumentedKeyExists() throws Exception {
        Map<String, Map<String, Row>> doc = rows();
        assertThat(doc).containsOnlyKeys("[translator]", "[[eamt]]", "[relay]");
        assertThat(doc.get("[translator]").keySet()).as("[translator] keys of docs/config-reference.md")
                .containsExactlyInAnyOrderElementsOf(ConfigLoader.TRANSLATOR_KEYS);
        assertThat(doc.get("[[eamt]]").keySet()).containsExactlyInAnyOrderElementsOf(ConfigLoader.EAM_KEYS);
        assertThat(doc.get("[relay]").keySet()).as("[relay] keys of docs/config-reference.md")
                .containsExactlyInAnyOrderElementsOf(DaemonConfigLoader.RELAY_KEYS);
        for (Map<String, Row> section : doc.values())
            section.forEach((k, r) -> {
                assertThat(r.type()).as("type of %s", k).isNotBlank();
                assertThat(r.dflt()).as("default of %s", k).isNotBlank();
                assertThat(r.meaning()).as("meaning of %s", k).hasSizeGreaterThan(20);
            });
    }

    @Test
    void defaultsAreTheLoadersDefaults() throws Exception {
        Map<String, Map<String, Row>> doc = rows();
        // [translator]: what the loader builds from a file that sets nothing but one EAM
        TranslatorConfig t = ConfigLoader.parse("[[eamt]]\nipv4 = \"192.0.2.1\"\nipv6 = \"2001:db8::1\"\n", "t.toml");
        Map<String, String> translator = new LinkedHashMap<>();
        translator.put("eam-hairpin-mode", "`\"" + t.eamHairpinMode().configName() + "\"`");
        translator.put("randomize-rfc6791-addresses", "`" + t.randomizeRfc6791Addresses() + "`");
        translator.put("lowest-ipv6-mtu", "`" + t.lowestIpv6Mtu() + "`");
        translator.put("ipv4-mtu", "`" + t.ipv4Mtu() + "`");
        translator.put("ipv6-mtu", "`" + t.ipv6Mtu() + "`");
        translator.put("mtu-plateaus", "`" + Arrays.stream(t.mtuPlateaus()).mapToObj(Integer::toString)
                .collect(Collectors.joining(", ", "[", "]")) + "`");
        translator.put("amend-udp-checksum-zero", "`" + t.amendUdpChecksumZero() + "`");
        translator.put("forward-udp-checksum-zero", "`" + t.forwardUdpChecksumZero() + "`");
        translator.put("zeroize-traffic-class", "`" + t.zeroizeTrafficClass() + "`");
        translator.put("override-tos", "`" + t.overrideTos() + "`");
        translator.put("tos", "`" + t.tos() + "`");
        translator.put("atomic-fragments", "`" + t.atomicFragments() + "`");
        translator.put("allow-special-purpose-eams", "`" + t.allowSpecialPurposeEams() + "`");
        assertThat(t.pool6()).isNull();
        translator.put("pool6", "unset");
        assertThat(t.ownIpv4Address()).isNull();
        translator.put("own-ipv4-address", "unset");
        assertThat(t.ownIpv6Address()).isNull();
        translator.put("own-ipv6-address", "unset");
        assertThat(t.rfc6791v4Prefix()).isNull();
        translator.put("rfc6791v4-prefix", "unset");
        assertThat(t.rfc6791v6Prefix()).isNull();
        translator.put("rfc6791v6-prefix", "unset");
        assertThat(translator.keySet()).containsExactlyInAnyOrderElementsOf(ConfigLoader.TRANSLATOR_KEYS);
        translator.forEach((k, v) -> assertThat(doc.get("[translator]").get(k).dflt()).as("default of %s", k).startsWith(v));

        // [relay]: what the loader reads from a [relay] section with only its required keys
        DaemonConfig br = DaemonConfigLoader.parse("[[eamt]]\nipv4 = \"192.0.2.1\"\nipv6 = \"2001:db8::1\"\n"
                + "[relay]\nrole = \"border-relay\"\n", "t.toml");
        DaemonConfig er = DaemonConfigLoader.parse("[[eamt]]\nipv4 = \"192.0.2.1\"\nipv6 = \"2001:db8::1\"\n"
                + "[relay]\nrole = \"edge-relay\"\nservice-addresses = [\"192.0.2.1\"]\n", "t.toml");
        RelayConfig r = br.relay();
        Map<String, String> relay = new LinkedHashMap<>();
        relay.put("role", "required");
        relay.put("service-addresses", "required for `edge-relay`");
        relay.put("tun-name", "`\"" + r.tunName() + "\"`");
        relay.put("queues", "`" + r.queues() + "`");
        assertThat(r.statsFile()).isNull();
        relay.put("stats-file", "unset");
        relay.put("icmp-errors-per-second", "`" + r.icmpErrorsPerSecond() + "`");
        relay.put("icmp-errors-burst", "`" + r.icmpErrorsBurst() + "`");
        assertThat(er.relay().upstreamInterface()).isNull();
        relay.put("upstream-interface", "unset");
        relay.put("offload", "`" + r.offload() + "`");
        assertThat(r.controlSocket()).isNull();
        assertThat(r.effectiveControlSocket().toString())
                .isEqualTo("/run/siitdc/" + dev.siitdc.daemon.NetnsIdentity.id() + "/" + r.tunName() + ".sock");
        relay.put("control-socket", "`\"/run/siitdc/NETNS/TUN-NAME.sock\"`");
        relay.put("metrics", "`" + br.metrics().enabled() + "`");
        relay.put("metrics-address", "`\"" + br.metrics().address() + "\"`");
        relay.put("metrics-port", "`" + br.metrics().port() + "`");
        assertThat(er.relay().segment()).isNull();
        relay.put("segment-interface", "unset");
        relay.put("segment-address", "required with `segment-interface`");
        relay.put("segment-next-hops", "unset");
        relay.put("segment-bridge", "unset");
        relay.put("dhcp-static", "unset");
        relay.put("dhcp-dns-servers", "unset");
        DaemonConfig net = DaemonConfigLoader.parse("[[eamt]]\nipv4 = \"192.0.2.26\"\nipv6 = \"2001:db8::1\"\n"
                + "[relay]\nrole = \"edge-relay\"\nservice-addresses = [\"192.0.2.26\"]\n"
                + "segment-interface = \"eth1\"\nsegment-address = \"192.0.2.25/29\"\n", "t.toml");
        var seg = net.relay().segment();
        assertThat(seg.dhcp()).isTrue();
        assertThat(seg.nextHops()).isEmpty();
        assertThat(seg.bridge()).isNull();
        assertThat(seg.staticBindings()).isEmpty();
        assertThat(seg.dnsServers()).isEmpty();
        assertThat(seg.leaseFile()).isNull();
        assertThat(seg.effectiveLeaseFile("siit0").toString()).isEqualTo("/var/lib/siitdc/siit0.leases");
        relay.put("dhcp", "`true` when the segment subnet encloses a Service Address");
        relay.put("dhcp-lease-file", "`\"/var/lib/siitdc/TUN-NAME.leases\"`");
        relay.put("dhcp-lease-time", "`" + seg.leaseSeconds() + "`");
        // (a [relay] key added later needs only its row: the test above asks for it)
        assertThat(DaemonConfigLoader.RELAY_KEYS).containsAll(relay.keySet());
        relay.forEach((k, v) -> assertThat(doc.get("[relay]").get(k).dflt()).as("default of %s", k).startsWith(v));
    }
}
