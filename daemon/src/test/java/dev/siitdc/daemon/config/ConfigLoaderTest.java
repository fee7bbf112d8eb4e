package dev.siitdc.daemon.config;

import dev.siitdc.core.addr.Ipv4Prefix;
import dev.siitdc.core.addr.Ipv6Prefix;
import dev.siitdc.core.config.HairpinMode;
import dev.siitdc.core.config.TranslatorConfig;
import dev.siitdc.core.eam.Eam;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {
    /** The example of docs/config-reference.md, verbatim. */
    static final String SPEC_EXAMPLE = """
            [translator]
            # RFC 6052 translation prefix. Lengths 32, 40, 48, 56, 64 or 96. Omit for EAM-only.
            pool6 = "2001:db8:100::/40"

            # RFC 7757 section 4.2 hairpinning: "off" | "simple" | "intrinsic" (default "intrinsic").
            eam-hairpin-mode = "intrinsic"

            # RFC 6791 pools: source of translated ICMP errors whose source has no mapping.
            # Omitted: the translator's own address of that family is used. A bare address
            # means /32 (IPv4) or /128 (IPv6).
            rfc6791v4-prefix = "203.0.113.8/32"
            rfc6791v6-prefix = "2001:db8:ffff::/64"
            randomize-rfc6791-addresses = true   # false: pick by hop limit / TTL

            # Source of the ICMP errors the translator originates itself (Time Exceeded,
            # Fragmentation Needed, Packet Too Big, Parameter Problem, unreachables).
            own-ipv4-address = "198.51.100.1"
            own-ipv6-address = "2001:db8:1c0:2:1::"

            # MTUs. lowest-ipv6-mtu is RFC 7915's configured IPv6 path MTU: IPv4 packets with
            # DF=0 are fragmented to fit min(lowest-ipv6-mtu, ipv6-mtu) (RFC 7756 section 4.1
            # recommends raising it to the real IPv6 MTU of the data centre, identical on every
            # BR and ER). DF=1 packets ignore lowest-ipv6-mtu and only have to fit ipv6-mtu.
            # ipv4-mtu / ipv6-mtu are the next-hop MTUs on each side: a DF=1 packet that does
            # not fit gets Fragmentation Needed (MTU = ipv6-mtu - 20, at least 576); a 6->4
            # result that does not fit gets Packet Too Big (MTU = ipv4-mtu + 20, at least 1280).
            lowest-ipv6-mtu = 1280
            ipv4-mtu = 1500
            ipv6-mtu = 1500
            mtu-plateaus = [65535, 32000, 17914, 8166, 4352, 2002, 1492, 1006, 508, 296, 68]

            # IPv4 UDP with checksum 0: false = drop and answer ICMPv4 3/13; true = compute it.
            amend-udp-checksum-zero = false
            # Keep a zero UDP checksum zero in both directions (tunnels that rely on it).
            forward-udp-checksum-zero = false

            # Traffic Class / TOS handling.
            zeroize-traffic-class = false
            override-tos = false
            tos = 0

            # RFC 7756 section 4.3: carry the IPv4 Identification end to end by adding an IPv6
            # Fragment Header to every DF=0 packet. Deprecated by RFC 8021; off by default.
            atomic-fragments = false

            # Explicit Address Mappings (RFC 7757), any number, in both directions,
            # longest prefix wins, and they take precedence over pool6.
            # The IPv4 suffix (32 - ipv4 length) must not be longer than the IPv6 suffix
            # (128 - ipv6 length); the IPv4 suffix bits go right after the IPv6 prefix.
            [[eamt]]
            ipv4 = "1.0.0.0/24"
            ipv6 = "2001:db8:3::/120"

            [[eamt]]
            ipv4 = "192.0.2.1"          # a bare address means /32 (and /128 on the IPv6 side)
            ipv6 = "2001:db8:a::"
            """;

    private static TranslatorConfig parse(String toml) throws ConfigError {
        return ConfigLoader.parse(toml, "t.toml");
    }

    private static String error(String toml) {
        return ConfigErrors.messageOf(() -> parse(toml), toml);
    }

    // ------------------------------------------------------------------ good files

    @Test
    void specExampleParsesToItsValues() throws ConfigError {
        TranslatorConfig c = parse(SPEC_EXAMPLE);
        assertThat(c.pool6()).isEqualTo(Ipv6Prefix.parse("2001:db8:100::/40"));
        assertThat(c.eamHairpinMode()).isEqualTo(HairpinMode.INTRINSIC);
        assertThat(c.rfc6791v4Prefix()).isEqualTo(Ipv4Prefix.parse("203.0.113.8/32"));
        assertThat(c.rfc6791v6Prefix()).isEqualTo(Ipv6Prefix.parse("2001:db8:ffff::/64"));
        assertThat(c.randomizeRfc6791Addresses()).isTrue();
        assertThat(c.ownIpv4Address()).isEqualTo(Ipv4Prefix.parseAddress("198.51.100.1"));
        assertThat(c.ownIpv6Address()).isEqualTo(Ipv6Prefix.parseAddress("2001:db8:1c0:2:1::"));
        assertThat(c.lowestIpv6Mtu()).isEqualTo(1280);
        assertThat(c.ipv4Mtu()).isEqualTo(1500);
        assertThat(c.ipv6Mtu()).isEqualTo(1500);
        assertThat(c.mtuPlateaus()).containsExactly(65535, 32000, 17914, 8166, 4352, 2002, 1492, 1006, 508, 296, 68);
        assertThat(c.amendUdpChecksumZero()).isFalse();
        assertThat(c.forwardUdpChecksumZero()).isFalse();
        assertThat(c.zeroizeTrafficClass()).isFalse();
        assertThat(c.overrideTos()).isFalse();
        assertThat(c.tos()).isZero();
        assertThat(c.atomicFragments()).isFalse();
        assertThat(c.eamt()).containsExactly(
                new Eam(Ipv4Prefix.parse("1.0.0.0/24"), Ipv6Prefix.parse("2001:db8:3::/120")),
                new Eam(Ipv4Prefix.parse("192.0.2.1/32"), Ipv6Prefix.parse("2001:db8:a::/128")));
    }

    @Test
    void specExampleIsTheOneInConfigReference() throws IOException, ConfigError {
        Path spec = Path.of("../docs/config-reference.md");
        Matcher m = Pattern.compile("```toml\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(spec));
        assertThat(m.find()).isTrue();
        assertThat(parse(m.group(1))).isEqualTo(parse(SPEC_EXAMPLE));
    }

    @Test
    void everyKeyIsOptionalAndDefaultsAreTheSpecs() throws ConfigError {
        TranslatorConfig c = parse("[translator]\npool6 = \"64:ff9b::/96\"\n");
        TranslatorConfig.Builder d = TranslatorConfig.builder();
        assertThat(c.eamHairpinMode()).isEqualTo(d.eamHairpinMode);
        assertThat(c.lowestIpv6Mtu()).isEqualTo(1280);
        assertThat(c.mtuPlateaus()).containsExactly(TranslatorConfig.DEFAULT_PLATEAUS);
        assertThat(c.randomizeRfc6791Addresses()).isTrue();
        assertThat(c.rfc6791v4Prefix()).isNull();
        assertThat(c.ownIpv4Address()).isNull();
        assertThat(c.eamt()).isEmpty();
    }

    @Test
    void eamOnlyFileNeedsNoTranslatorSection() throws ConfigError {
        TranslatorConfig c = parse("[[eamt]]\nipv4 = \"192.0.2.0/24\"\nipv6 = \"2001:db8::/120\"\n");
        assertThat(c.pool6()).isNull();
        assertThat(c.eamt()).hasSize(1);
    }

    @Test
    void bareAddressesAreSingleAddressPrefixes() throws ConfigError {
        TranslatorConfig c = parse("""
                [translator]
                pool6 = "2001:db8::/96"
                rfc6791v4-prefix = "192.0.0.8"
                rfc6791v6-prefix = "2001:db8:ffff::1"
                """);
        assertThat(c.rfc6791v4Prefix()).isEqualTo(new Ipv4Prefix(Ipv4Prefix.parseAddress("192.0.0.8"), 32));
        assertThat(c.rfc6791v6Prefix().length()).isEqualTo(128);
    }

    @Test
    void dottedKeysAndInlineTablesAreTomlToo() throws ConfigError {
        TranslatorConfig c = parse("""
                translator.pool6 = "2001:db8:100::/40"
                translator.tos = 8
                eamt = [ { ipv4 = "1.0.0.0/24", ipv6 = "2001:db8:3::/120" } ]
                """);
        assertThat(c.tos()).isEqualTo(8);
        assertThat(c.eamt()).hasSize(1);
    }

    @Test
    void loadsAFile(@TempDir Path dir) throws IOException, ConfigError {
        Path f = dir.resolve("siitdc.toml");
        Files.writeString(f, SPEC_EXAMPLE);
        assertThat(ConfigLoader.load(f)).isEqualTo(parse(SPEC_EXAMPLE));
    }

    // ------------------------------------------------------------------ bad files: FILE:LINE: KEY: REASON

    @Test
    void wrongType() {
        assertThat(error("[translator]\npool6 = \"2001:db8::/40\"\n\nipv4-mtu = \"1500\"\n"))
                .isEqualTo("t.toml:4: ipv4-mtu: must be an integer, not a string (\"1500\")");
        assertThat(error("[translator]\npool6 = 42\n"))
                .isEqualTo("t.toml:2: pool6: must be a string, not an integer (42)");
        assertThat(error("[translator]\npool6 = \"2001:db8::/40\"\noverride-tos = \"yes\"\n"))
                .isEqualTo("t.toml:3: override-tos: must be true or false, not a string (\"yes\")");
        assertThat(error("[translator]\npool6 = \"2001:db8::/40\"\nipv6-mtu = 1500.0\n"))
                .isEqualTo("t.toml:3: ipv6-mtu: must be an integer, not a float (1500.0)");
        assertThat(error("[translator]\npool6 = \"2001:db8::/40\"\nmtu-plateaus = 1500\n"))
                .isEqualTo("t.toml:3: mtu-plateaus: must be an array of integers, not an integer (1500)");
        assertThat(error("translator = 5\n"))
                .startsWith("t.toml:1: translator: must be a table");
    }

    @Test
    void wrongTypeInsideAnArrayNamesTheLineOfTheValue() {
        assertThat(error("[translator]\npool6 = \"2001:db8::/40\"\nmtu-plateaus = [\n  1500,\n  \"1280\",\n]\n"))
                .isEqualTo("t.toml:5: mtu-plateaus: value 2 must be an integer, not a string (\"1280\")");
    }

    @Test
    void unknownKey() {
        assertThat(error("[translator]\npool6 = \"2001:db8::/40\"\nlowest-ipv6-mut = 1280\n"))
                .isEqualTo("t.toml:3: lowest-ipv6-mut: unknown key in [translator] (did you mean \"lowest-ipv6-mtu\"?)");
        assertThat(error("[translator]\npool6 = \"2001:db8::/40\"\nfrobnicate = true\n"))
                .isEqualTo("t.toml:3: frobnicate: unknown key in [translator]");
        assertThat(error("[translator]\npool6 = \"2001:db8::/40\"\n[[eamt]]\nipv4 = \"1.0.0.0/24\"\nipv6 = \"2001:db8:3::/120\"\nipv5 = \"x\"\n"))
                .isEqualTo("t.toml:6: eamt[1].ipv5: unknown key in [[eamt]] (an entry has ipv4 and ipv6) (did you mean \"ipv4\"?)");
    }

    @Test
    void unknownTopLevelSectionOrKey() {
        assertThat(error("[translator]\npool6 = \"2001:db8::/40\"\n\n[daemon]\nrole = \"br\"\n"))
                .isEqualTo("t.toml:4: daemon: unknown section [daemon] (this file has [translator], [[eamt]] and [relay])");
        assertThat(error("pool6 = \"2001:db8::/40\"\n"))
                .isEqualTo("t.toml:1: pool6: belongs in the [translator] section: move it below the [translator] header");
        assertThat(error("[translater]\npool6 = \"2001:db8::/40\"\n"))
                .endsWith("(did you mean \"translator\"?)")
                .startsWith("t.toml:1: translater: unknown section [translater]");
    }

    @Test
    void prefixLengthRfc6052Forbids() {
        assertThat(error("# comment\n[translator]\npool6 = \"2001:db8::/41\"\n"))
                .startsWith("t.toml:3: pool6: ")
                .contains("/41");
        assertThat(error("[translator]\npool6 = \"2001:db8::1\"\n"))
                .startsWith("t.toml:2: pool6: ")
                .contains("/128");
    }

    @Test
    void eamWhoseSuffixesCannotPair() {
        assertThat(error("""
                [translator]
                pool6 = "2001:db8::/40"

                [[eamt]]
                ipv4 = "1.0.0.0/24"
                ipv6 = "2001:db8:3::/120"

                [[eamt]]
                ipv4 = "10.0.0.0/16"
                ipv6 = "2001:db8:2::/120"
                """)).isEqualTo("t.toml:10: eamt[2].ipv6: IPv4 suffix of 16 bits does not fit the IPv6 suffix of "
                + "8 bits (RFC 7757 s3.2)");
    }

    @Test
    void eamWithHostBitsSet() {
        assertThat(error("[[eamt]]\nipv4 = \"1.0.0.1/24\"\nipv6 = \"2001:db8:3::/120\"\n"))
                .isEqualTo("t.toml:2: eamt[1].ipv4: host bits are set after /24");
        assertThat(error("[[eamt]]\nipv4 = \"1.0.0.0/24\"\nipv6 = \"2001:db8:3::1/120\"\n"))
                .isEqualTo("t.toml:3: eamt[1].ipv6: host bits are set after /120");
    }

    @Test
    void duplicateEams() {
        String dup = """
                [[eamt]]
                ipv4 = "1.0.0.0/24"
                ipv6 = "2001:db8:3::/120"
                [[eamt]]
                ipv4 = "1.0.0.0/24"
                ipv6 = "2001:db8:4::/120"
                """;
        assertThat(error(dup)).isEqualTo("t.toml:5: eamt[2].ipv4: the same IPv4 prefix as eamt[1] (line 1)");
        assertThat(error(dup.replace("ipv4 = \"1.0.0.0/24\"\nipv6 = \"2001:db8:4::/120\"",
                "ipv4 = \"2.0.0.0/24\"\nipv6 = \"2001:db8:3::/120\"")))
                .isEqualTo("t.toml:6: eamt[2].ipv6: the same IPv6 prefix as eamt[1] (line 1)");
    }

    @Test
    void inlineEamtEntriesAreLocatedToo() {
        assertThat(error("""
                eamt = [
                  # web
                  { ipv4 = "1.0.0.0/24", ipv6 = "2001:db8:3::/120" },

                  1,
                ]
                """)).isEqualTo("t.toml:5: eamt[2]: must be a table with ipv4 and ipv6, not an integer (1)");
        assertThat(error("""
                eamt = [
                  { ipv4 = "1.0.0.0/24", ipv6 = "2001:db8:3::/120" },
                  { ipv4 = "1.0.0.0/24", ipv6 = "2001:db8:4::/120" },
                ]
                """)).isEqualTo("t.toml:3: eamt[2].ipv4: the same IPv4 prefix as eamt[1] (line 2)");
    }

    @Test
    void eamEntryProblems() {
        assertThat(error("[translator]\npool6 = \"2001:db8::/40\"\n[[eamt]]\nipv4 = \"1.0.0.0/24\"\n"))
                .isEqualTo("t.toml:3: eamt[1].ipv6: missing: every [[eamt]] entry needs both ipv4 and ipv6");
        assertThat(error("[translator]\npool6 = \"2001:db8::/40\"\n[eamt]\nipv4 = \"1.0.0.0/24\"\nipv6 = \"2001:db8:3::/120\"\n"))
                .startsWith("t.toml:3: eamt: must be an array of tables");
        assertThat(error("eamt = [1]\n")).isEqualTo("t.toml:1: eamt[1]: must be a table with ipv4 and ipv6, not an integer (1)");
        assertThat(error("[translator]\npool6 = \"2001:db8::/40\"\neamt = []\n"))
                .startsWith("t.toml:3: eamt: [[eamt]] entries are a section of their own");
    }

    @Test
    void addressThatDoesNotParse() {
        assertThat(error("[translator]\npool6 = \"2001:db8::/40\"\nown-ipv4-address = \"198.51.100.256\"\n"))
                .startsWith("t.toml:3: own-ipv4-address: ")
                .contains("198.51.100.256");
        assertThat(error("[translator]\npool6 = \"2001:db8::/40\"\nown-ipv6-address = \"2001:db8::g\"\n"))
                .startsWith("t.toml:3: own-ipv6-address: ")
                .contains("2001:db8::g");
        assertThat(error("[translator]\npool6 = \"2001:db8::/40\"\nrfc6791v4-prefix = \"203.0.113.8/33\"\n"))
                .startsWith("t.toml:3: rfc6791v4-prefix: ")
                .contains("33");
        assertThat(error("[[eamt]]\nipv4 = \"1.0.0.0/24\"\nipv6 = \"2001:db8:3:/120\"\n"))
                .startsWith("t.toml:3: eamt[1].ipv6: ")
                .contains("2001:db8:3:");
        assertThat(error("[translator]\npool6 = \"2001:db8::/40\"\nown-ipv6-address = \"2001:db8::/64\"\n"))
                .startsWith("t.toml:3: own-ipv6-address: ");
    }

    @Test
    void badEnumValue() {
        assertThat(error("[translator]\npool6 = \"2001:db8::/40\"\neam-hairpin-mode = \"on\"\n"))
                .isEqualTo("t.toml:3: eam-hairpin-mode: must be \"off\", \"simple\" or \"intrinsic\", not \"on\"");
    }

    @Test
    void numbersOutOfRange() {
        assertThat(error("[translator]\npool6 = \"2001:db8::/40\"\nipv4-mtu = 99999999999\n"))
                .isEqualTo("t.toml:3: ipv4-mtu: 99999999999 is out of range");
        assertThat(error("[translator]\npool6 = \"2001:db8::/40\"\nipv6-mtu = -1500\n"))
                .startsWith("t.toml:3: ipv6-mtu: ")
                .contains("-1500");
        assertThat(error("[translator]\npool6 = \"2001:db8::/40\"\ntos = 256\n"))
                .startsWith("t.toml:3: tos: ")
                .contains("256");
        assertThat(error("[translator]\npool6 = \"2001:db8::/40\"\nmtu-plateaus = [1500, 4294967296]\n"))
                .isEqualTo("t.toml:3: mtu-plateaus: value 2, 4294967296, is out of range");
    }

    @Test
    void syntaxError() {
        assertThat(error("[translator]\npool6 = \n"))
                .startsWith("t.toml:2: pool6: invalid TOML: ");
        assertThat(error("[translator]\npool6 = \"2001:db8::/40\"\npool6 = \"2001:db8::/48\"\n"))
                .startsWith("t.toml:3: pool6: invalid TOML: pool6 previously defined at line 2");
        assertThat(error("[translator\npool6 = \"2001:db8::/40\"\n"))
                .startsWith("t.toml:1: ")
                .contains("invalid TOML: ");
        assertThat(error("[translator]\npool6 = \"2001:db8::/40\"\n  = 3\n"))
                .startsWith("t.toml:3: syntax: invalid TOML: ");
    }

    @Test
    void missingFile(@TempDir Path dir) {
        Path f = dir.resolve("nope.toml");
        assertThatThrownBy(() -> ConfigLoader.load(f))
                .isInstanceOf(ConfigError.class)
                .hasMessage(f + ":1: file: cannot read: no such file or directory");
    }

    @Test
    void fileThatIsNotUtf8(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("latin1.toml");
        Files.write(f, new byte[] {'#', ' ', (byte) 0xe9, '\n'});
        assertThatThrownBy(() -> ConfigLoader.load(f)).hasMessage(f + ":1: file: cannot read: not valid UTF-8 text");
    }

    @Test
    void neitherPool6NorEamt() {
        assertThat(error("# nothing\n\n[translator]\ntos = 0\n"))
                .isEqualTo("t.toml:3: pool6: at least one of pool6 and [[eamt]] must be present");
        assertThat(error("")).isEqualTo("t.toml:1: pool6: at least one of pool6 and [[eamt]] must be present");
    }

    @Test
    void errorCarriesItsParts() {
        try {
            parse("[translator]\npool6 = 1\n");
        } catch (ConfigError e) {
            assertThat(List.of(e.file(), e.line(), e.key(), e.reason()))
                    .containsExactly("t.toml", 2, "pool6", "must be a string, not an integer (1)");
            return;
        }
        throw new AssertionError("accepted");
    }
}
