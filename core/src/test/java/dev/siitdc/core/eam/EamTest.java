package dev.siitdc.core.eam;

import dev.siitdc.core.addr.Ipv4Prefix;
import dev.siitdc.core.addr.Ipv6Prefix;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EamTest {

    @Test
    @DisplayName("RFC 7757 s3.2: parse, bare addresses are /32 and /128, toString")
    void parse() {
        Eam e = Eam.parse("1.0.0.0/24", "2001:db8:3::/120");
        assertThat(e.ipv4()).isEqualTo(Ipv4Prefix.parse("1.0.0.0/24"));
        assertThat(e.ipv6()).isEqualTo(Ipv6Prefix.parse("2001:db8:3::/120"));
        assertThat(e).hasToString("1.0.0.0/24 <-> 2001:db8:3::/120");
        assertThat(Eam.parse("192.0.2.1", "2001:db8::5")).hasToString("192.0.2.1/32 <-> 2001:db8::5/128");
    }

    @Test
    @DisplayName("RFC 7757 s3.2: the IPv4 suffix must fit the IPv6 suffix")
    void suffixMustFit() {
        assertThatThrownBy(() -> Eam.parse("10.0.0.0/8", "2001:db8::/112"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("IPv4 suffix of 24 bits does not fit the IPv6 suffix of 16 bits (RFC 7757 s3.2)");
        assertThatThrownBy(() -> Eam.parse("0.0.0.0/0", "2001:db8::/97"))
                .hasMessage("IPv4 suffix of 32 bits does not fit the IPv6 suffix of 31 bits (RFC 7757 s3.2)");
        assertThat(Eam.parse("0.0.0.0/0", "2001:db8::/96").ipv6().length()).isEqualTo(96);
        assertThat(Eam.parse("192.0.2.0/24", "2001:db8::/120").ipv4().length()).isEqualTo(24);
    }

    @Test
    @DisplayName("RFC 7757 s3.2: prefixes with host bits are refused")
    void hostBitsRefused() {
        assertThatThrownBy(() -> Eam.parse("192.0.2.1/24", "2001:db8::/120"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("IPv4 prefix 192.0.2.1/24 has host bits set after /24");
        assertThatThrownBy(() -> Eam.parse("192.0.2.0/24", "2001:db8::1/120"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("IPv6 prefix 2001:db8::1/120 has host bits set after /120");
    }

    @Test
    @DisplayName("RFC 7757 s3.3: single-entry mapping both ways (Jool oracle 203.0.113.8/29 <-> 2001:db8:cccc::/125)")
    void singleEntryMapping() {
        Eam e = Eam.parse("203.0.113.8/29", "2001:db8:cccc::/125");
        byte[] b = new byte[16];
        e.translate4to6(Ipv4Prefix.parseAddress("203.0.113.9"), b, 0);
        assertThat(Ipv6Prefix.format(Ipv6Prefix.readHi(b, 0), Ipv6Prefix.readLo(b, 0))).isEqualTo("2001:db8:cccc::1");
        Ipv6Prefix a = Ipv6Prefix.parseAddress("2001:db8:cccc::7");
        assertThat(Ipv4Prefix.format(e.translate6to4(a.hi(), a.lo()))).isEqualTo("203.0.113.15");
    }
}
