package dev.siitdc.core.addr;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Ipv4PrefixTest {

    @Test
    @DisplayName("RFC 791 s3.1 dotted quad: bare address is a /32, a/n is a prefix")
    void parsesAddressesAndPrefixes() {
        assertThat(Ipv4Prefix.parse("192.0.2.1")).isEqualTo(new Ipv4Prefix(0xc0000201, 32));
        assertThat(Ipv4Prefix.parse("10.0.0.0/8")).isEqualTo(new Ipv4Prefix(0x0a000000, 8));
        assertThat(Ipv4Prefix.parse("0.0.0.0/0")).isEqualTo(new Ipv4Prefix(0, 0));
        assertThat(Ipv4Prefix.parse("255.255.255.255/32")).isEqualTo(new Ipv4Prefix(-1, 32));
        assertThat(Ipv4Prefix.parseAddress("0.0.0.0")).isZero();
        assertThat(Ipv4Prefix.parseAddress("1.2.3.4")).isEqualTo(0x01020304);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @DisplayName("RFC 791 s3.1 strict parser: refuses malformed text with the reason")
    @CsvSource(delimiter = '|', value = {
            "1.2.3|'1.2.3' is not an IPv4 address: expected 4 dot-separated decimal octets, found 3",
            "1.2.3.4.5|'1.2.3.4.5' is not an IPv4 address: expected 4 dot-separated decimal octets, found 5",
            "1.2.3.256|'1.2.3.256' is not an IPv4 address: octet 256 is greater than 255",
            "1.2.3.1000|'1.2.3.1000' is not an IPv4 address: octet 1000 is greater than 255",
            "01.2.3.4|'01.2.3.4' is not an IPv4 address: octet '01' has a leading zero",
            "1..3.4|'1..3.4' is not an IPv4 address: empty octet",
            "1.2.3.4.|'1.2.3.4.' is not an IPv4 address: empty octet",
            "0x1.2.3.4|'0x1.2.3.4' is not an IPv4 address: unexpected character 'x'",
            "1.2.3.-4|'1.2.3.-4' is not an IPv4 address: unexpected character '-'",
            "localhost|'localhost' is not an IPv4 address: unexpected character 'l'",
            "2001:db8::1|'2001:db8::1' is not an IPv4 address: contains ':' (is it an IPv6 address?)",
            "1.2.3.4/33|prefix length 33 is out of range 0..32",
            "1.2.3.4/1000|prefix length 1000 is out of range 0..32",
            "1.2.3.4/|prefix length is missing after '/'",
            "1.2.3.4/x|prefix length 'x' is not a decimal number",
            "1.2.3.4/-1|prefix length '-1' is not a decimal number",
            "1.2.3.4/8/8|prefix length '8/8' is not a decimal number",
    })
    void refusesMalformed(String in, String message) {
        assertThatThrownBy(() -> Ipv4Prefix.parse(in))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    @DisplayName("RFC 791 s3.1: empty string and surrounding spaces are refused")
    void refusesEmptyAndSpaces() {
        assertThatThrownBy(() -> Ipv4Prefix.parse("")).hasMessage("'' is not an IPv4 address: empty string");
        assertThatThrownBy(() -> Ipv4Prefix.parse(" 1.2.3.4")).hasMessageContaining("unexpected character ' '");
        assertThatThrownBy(() -> new Ipv4Prefix(0, 33)).hasMessage("prefix length 33 is out of range 0..32");
        assertThatThrownBy(() -> new Ipv4Prefix(0, -1)).hasMessage("prefix length -1 is out of range 0..32");
    }

    @Test
    @DisplayName("RFC 4632 s3.1 prefix: mask, contains, network address, format")
    void prefixOperations() {
        Ipv4Prefix p = Ipv4Prefix.parse("192.0.2.0/24");
        assertThat(p.mask()).isEqualTo(0xffffff00);
        assertThat(p.contains(Ipv4Prefix.parseAddress("192.0.2.255"))).isTrue();
        assertThat(p.contains(Ipv4Prefix.parseAddress("192.0.3.0"))).isFalse();
        assertThat(p.isNetworkAddress()).isTrue();
        assertThat(Ipv4Prefix.parse("192.0.2.1/24").isNetworkAddress()).isFalse();
        assertThat(p.toString()).isEqualTo("192.0.2.0/24");
        assertThat(Ipv4Prefix.parse("1.2.3.4").toString()).isEqualTo("1.2.3.4/32");
        assertThat(Ipv4Prefix.format(0xffffffff)).isEqualTo("255.255.255.255");
        Ipv4Prefix all = new Ipv4Prefix(0, 0);
        assertThat(all.mask()).isZero();
        assertThat(all.contains(-1)).isTrue();
        assertThat(all.size()).isEqualTo(1L << 32);
        assertThat(new Ipv4Prefix(-1, 32).contains(-2)).isFalse();
    }

    @Test
    @DisplayName("RFC 791 s3.1 byte order: read and write big-endian at an offset")
    void readWrite() {
        byte[] b = new byte[10];
        Ipv4Prefix.write(0xc0000221, b, 3);
        assertThat(b).containsExactly(0, 0, 0, 0xc0 - 256, 0, 2, 0x21, 0, 0, 0);
        assertThat(Ipv4Prefix.read(b, 3)).isEqualTo(0xc0000221);
    }
}
