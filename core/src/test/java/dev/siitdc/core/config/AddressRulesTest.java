package dev.siitdc.core.config;

import dev.siitdc.core.addr.Ipv4Prefix;
import dev.siitdc.core.addr.Ipv6Prefix;
import dev.siitdc.core.eam.Eam;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The address rules {@link TranslatorConfig.Builder#build()} applies ({@link AddressRules}): each value
 * refused with its key (an EAM's with its index), and the values next to them accepted.
 */
class AddressRulesTest {
    private static TranslatorConfig.Builder base() {
        TranslatorConfig.Builder b = TranslatorConfig.builder();
        b.pool6 = Ipv6Prefix.parse("64:ff9b::/96");
        return b;
    }

    private static TranslatorConfig.Builder withEam(String v4, String v6) {
        TranslatorConfig.Builder b = base();
        b.eamt = List.of(Eam.parse("198.51.100.10", "2001:db8:a::10"), Eam.parse(v4, v6));
        return b;
    }

    private static ConfigException refusal(TranslatorConfig.Builder b) {
        try {
            b.build();
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("accepted: " + b);
    }

    @Test
    void ownIpv4AddressThatCannotBeASourceIsRefused() {
        for (String a : List.of("0.0.0.0", "0.1.2.3", "127.0.0.1", "224.0.0.1", "239.255.255.255", "240.0.0.1",
                "255.255.255.255")) {
            TranslatorConfig.Builder b = base();
            b.ownIpv4Address = Ipv4Prefix.parseAddress(a);
            ConfigException e = refusal(b);
            assertThat(e.key()).as(a).isEqualTo("own-ipv4-address");
            assertThat(e.reason()).as(a).startsWith(a + " is ").contains("RFC 1812 s5.3.7");
        }
        TranslatorConfig.Builder b = base();
        b.ownIpv4Address = Ipv4Prefix.parseAddress("255.255.255.255");
        assertThat(refusal(b).reason()).contains("limited broadcast");
        b.ownIpv4Address = Ipv4Prefix.parseAddress("0.0.0.0");
        assertThat(refusal(b).reason()).contains("unspecified");
        b.ownIpv4Address = Ipv4Prefix.parseAddress("223.255.255.255");
        assertThatCode(b::build).doesNotThrowAnyException();
        b.ownIpv4Address = Ipv4Prefix.parseAddress("192.0.0.8");
        assertThatCode(b::build).doesNotThrowAnyException();
    }

    @Test
    void ownIpv6AddressUnspecifiedLoopbackOrMulticastIsRefused() {
        for (String a : List.of("::", "::1", "ff02::1", "ff0e::2")) {
            TranslatorConfig.Builder b = base();
            b.ownIpv6Address = Ipv6Prefix.parseAddress(a);
            ConfigException e = refusal(b);
            assertThat(e.key()).as(a).isEqualTo("own-ipv6-address");
            assertThat(e.reason()).as(a).startsWith(a + " is ");
        }
        TranslatorConfig.Builder b = base();
        b.ownIpv6Address = Ipv6Prefix.parseAddress("::2");
        assertThatCode(b::build).doesNotThrowAnyException();
        b.ownIpv6Address = Ipv6Prefix.parseAddress("fe80::1");   // odd, but a unicast source
        assertThatCode(b::build).doesNotThrowAnyException();
    }

    @Test
    void rfc6791PrefixesOfLengthZeroAreRefused() {
        TranslatorConfig.Builder b = base();
        b.rfc6791v4Prefix = Ipv4Prefix.parse("0.0.0.0/0");
        assertThat(refusal(b).key()).isEqualTo("rfc6791v4-prefix");
        b.rfc6791v4Prefix = Ipv4Prefix.parse("128.0.0.0/1");
        assertThatCode(b::build).doesNotThrowAnyException();
        b.rfc6791v6Prefix = Ipv6Prefix.parse("::/0");
        assertThat(refusal(b).key()).isEqualTo("rfc6791v6-prefix");
        b.rfc6791v6Prefix = Ipv6Prefix.parse("2001:db8::/32");
        assertThatCode(b::build).doesNotThrowAnyException();
    }

    @Test
    void eamsOfTheWholeAddressSpaceAreRefusedEvenWithTheOverride() {
        TranslatorConfig.Builder b = withEam("0.0.0.0/0", "2001:db8::/96");
        b.allowSpecialPurposeEams = true;
        ConfigException e = refusal(b);
        assertThat(e.key()).isEqualTo("eamt.ipv4");
        assertThat(e.eamIndex()).isEqualTo(1);
        assertThat(e.reason()).startsWith("0.0.0.0/0 would map the whole IPv4 Internet");
        b = withEam("192.0.2.1", "::/0");
        b.allowSpecialPurposeEams = true;
        e = refusal(b);
        assertThat(e.key()).isEqualTo("eamt.ipv6");
        assertThat(e.eamIndex()).isEqualTo(1);
    }

    @Test
    void anEamWhoseIpv6SideOverlapsPool6IsRefused() {
        ConfigException e = refusal(withEam("192.0.2.1", "64:ff9b::c000:201"));
        assertThat(e.key()).isEqualTo("eamt.ipv6");
        assertThat(e.eamIndex()).isEqualTo(1);
        assertThat(e.reason()).startsWith("64:ff9b::192.0.2.1/128 lies inside pool6 64:ff9b::/96");
        assertThat(refusal(withEam("192.0.2.0/24", "64:ff9b::/120")).reason()).contains("lies inside pool6");
        assertThat(refusal(withEam("192.0.0.0/16", "64:ff9b::/112")).reason()).contains("lies inside pool6");
        // covering pool6 is refused too; next to it is fine
        TranslatorConfig.Builder b = base();
        b.pool6 = Ipv6Prefix.parse("2001:db8:100::/40");
        b.eamt = List.of(Eam.parse("10.0.0.0/8", "2001:db8::/104"));
        assertThatCode(b::build).doesNotThrowAnyException();
        b.eamt = List.of(Eam.parse("192.0.2.1", "2001:db8:1ff::1"));
        assertThat(refusal(b).reason()).contains("lies inside pool6");
        b.pool6 = Ipv6Prefix.parse("2001:db8:0:1::/64");
        b.eamt = List.of(Eam.parse("10.0.0.0/8", "2001:db8::/40"));
        assertThat(refusal(b).reason()).contains("covers pool6 2001:db8:0:1::/64");
    }

    @Test
    void anEamEqualToOwnIpv4AddressIsRefusedOneAroundItIsNot() {
        TranslatorConfig.Builder b = withEam("192.0.2.1", "2001:db8::1");
        b.ownIpv4Address = Ipv4Prefix.parseAddress("192.0.2.1");
        ConfigException e = refusal(b);
        assertThat(e.key()).isEqualTo("eamt.ipv4");
        assertThat(e.eamIndex()).isEqualTo(1);
        assertThat(e.reason()).startsWith("192.0.2.1/32 is own-ipv4-address");
        // an EAM covering the own address is fine (the conformance suite's self4 is inside an EAM)
        b = withEam("192.0.2.0/24", "2001:db8::/120");
        b.ownIpv4Address = Ipv4Prefix.parseAddress("192.0.2.1");
        assertThatCode(b::build).doesNotThrowAnyException();
    }

    @Test
    void eamsOverSpecialPurposeBlocksNeedTheOverride() {
        String[][] cases = {
                {"127.0.0.1", "2001:db8::1", "eamt.ipv4", "loopback block 127.0.0.0/8"},
                {"0.0.0.0/1", "2001:db8::/97", "eamt.ipv4", "loopback block 127.0.0.0/8"},
                {"169.254.0.0/16", "2001:db8::/112", "eamt.ipv4", "link-local block 169.254.0.0/16"},
                {"169.254.3.4", "2001:db8::1", "eamt.ipv4", "link-local block 169.254.0.0/16"},
                {"224.0.0.0/4", "2001:db8::/100", "eamt.ipv4", "multicast block 224.0.0.0/4"},
                {"239.1.2.3", "2001:db8::1", "eamt.ipv4", "multicast block 224.0.0.0/4"},
                {"192.0.2.1", "::1", "eamt.ipv6", "loopback block ::1/128"},
                {"192.0.2.1", "fe80::1", "eamt.ipv6", "link-local block fe80::/10"},
                {"192.0.2.0/24", "fe80::/120", "eamt.ipv6", "link-local block fe80::/10"},
                {"192.0.2.1", "ff02::1", "eamt.ipv6", "multicast block ff00::/8"},
        };
        for (String[] c : cases) {
            ConfigException e = refusal(withEam(c[0], c[1]));
            assertThat(e.key()).as(c[0] + " " + c[1]).isEqualTo(c[2]);
            assertThat(e.eamIndex()).isEqualTo(1);
            assertThat(e.reason()).as(c[0] + " " + c[1]).contains("overlaps the " + c[3])
                    .contains("allow-special-purpose-eams = true");
            TranslatorConfig.Builder b = withEam(c[0], c[1]);
            b.allowSpecialPurposeEams = true;
            assertThatCode(b::build).as("with the override: " + c[0] + " " + c[1]).doesNotThrowAnyException();
        }
        // neighbours of the blocks are ordinary addresses
        assertThatCode(() -> withEam("126.255.255.255", "2001:db8::1").build()).doesNotThrowAnyException();
        assertThatCode(() -> withEam("169.255.0.0/16", "fec0::/112").build()).doesNotThrowAnyException();
        assertThatCode(() -> withEam("223.0.0.0/8", "fe00::/104").build()).doesNotThrowAnyException();
    }

    @Test
    void theOverrideIsPartOfTheConfiguration() throws ConfigException {
        TranslatorConfig.Builder b = withEam("127.0.0.1", "2001:db8::1");
        b.allowSpecialPurposeEams = true;
        TranslatorConfig c = b.build();
        assertThat(c.allowSpecialPurposeEams()).isTrue();
        assertThat(c.toBuilder().allowSpecialPurposeEams).isTrue();
        assertThat(c).isNotEqualTo(base().build());
        assertThat(c.toString()).contains("allow-special-purpose-eams=true");
    }
}
