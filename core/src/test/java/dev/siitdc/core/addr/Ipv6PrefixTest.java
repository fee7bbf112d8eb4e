package dev.siitdc.core.addr;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Ipv6PrefixTest {

    private static Ipv6Prefix a(String s) { return Ipv6Prefix.parseAddress(s); }

    @ParameterizedTest(name = "{0}")
    @DisplayName("RFC 4291 s2.2: the three text forms parse to the same bits")
    @CsvSource(delimiter = '|', value = {
            "2001:db8:0:0:8:800:200c:417a|20010db800000000|00080800200c417a",
            "2001:DB8::8:800:200C:417A|20010db800000000|00080800200c417a",
            "2001:0db8:0000:0000:0008:0800:200c:417a|20010db800000000|00080800200c417a",
            "::|0000000000000000|0000000000000000",
            "::1|0000000000000000|0000000000000001",
            "1::|0001000000000000|0000000000000000",
            "ff01::101|ff01000000000000|0000000000000101",
            "1:2:3:4:5:6:7::|0001000200030004|0005000600070000",
            "::2:3:4:5:6:7:8|0000000200030004|0005000600070008",
            "0:0:0:0:0:0:13.1.68.3|0000000000000000|000000000d014403",
            "::13.1.68.3|0000000000000000|000000000d014403",
            "::ffff:129.144.52.38|0000000000000000|0000ffff81903426",
            "64:ff9b::192.0.2.1|0064ff9b00000000|00000000c0000201",
            "1:2:3:4:5:6:1.2.3.4|0001000200030004|0005000601020304",
            "1::1.2.3.4|0001000000000000|0000000001020304",
    })
    void parsesTextForms(String text, String hi, String lo) {
        Ipv6Prefix p = a(text);
        assertThat(p.hi()).isEqualTo(Long.parseUnsignedLong(hi, 16));
        assertThat(p.lo()).isEqualTo(Long.parseUnsignedLong(lo, 16));
        assertThat(p.length()).isEqualTo(128);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @DisplayName("RFC 4291 s2.2 strict parser: refuses malformed text with the reason")
    @CsvSource(delimiter = '|', value = {
            "|empty string",
            ":|starts with a single ':'",
            ":::|':::' is not allowed",
            "1:::2|':::' is not allowed",
            "1::2::3|'::' may appear only once",
            ":1::2|starts with a single ':'",
            "1::2:|ends with a single ':'",
            "1:2:3:4:5:6:7|7 groups instead of 8, and no '::'",
            "1:2:3:4:5:6:7:8:9|more than 8 groups",
            "1:2:3:4:5:6:7:8::|too many groups for a '::'",
            "::1:2:3:4:5:6:7:8|too many groups for a '::'",
            "12345::|group '12345' has more than 4 hex digits",
            "g::|unexpected character 'g'",
            "1:2:3:4:5:6:7:1.2.3.4|too many groups before the embedded IPv4 address",
            "1:2:3:4:5:6::1.2.3.4|too many groups for a '::'",
            "1.2.3.4::|an embedded IPv4 address must come last",
            "::1.2.3|embedded IPv4 address '1.2.3': expected 4 dot-separated decimal octets, found 3",
            "::1.2.3.04|embedded IPv4 address '1.2.3.04': octet '04' has a leading zero",
            "fe80::1%eth0|a zone index ('%...') is not allowed here",
            "[::1]|remove the brackets",
            "192.0.2.1|no ':' (is it an IPv4 address?)",
            "abc|no ':'",
    })
    void refusesMalformed(String in, String reason) {
        String s = in == null ? "" : in;
        assertThatThrownBy(() -> Ipv6Prefix.parse(s))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'" + s + "' is not an IPv6 address: " + reason);
    }

    @Test
    @DisplayName("RFC 4291 s2.3 prefix notation: lengths and their errors")
    void parsesPrefixes() {
        Ipv6Prefix p = Ipv6Prefix.parse("2001:db8::/32");
        assertThat(p).isEqualTo(new Ipv6Prefix(0x20010db800000000L, 0, 32));
        assertThat(Ipv6Prefix.parse("::/0").length()).isZero();
        assertThat(Ipv6Prefix.parse("::1/128").length()).isEqualTo(128);
        assertThatThrownBy(() -> Ipv6Prefix.parse("::/129")).hasMessage("prefix length 129 is out of range 0..128");
        assertThatThrownBy(() -> Ipv6Prefix.parse("::/")).hasMessage("prefix length is missing after '/'");
        assertThatThrownBy(() -> Ipv6Prefix.parse("::/a")).hasMessage("prefix length 'a' is not a decimal number");
        assertThatThrownBy(() -> Ipv6Prefix.parse("zz::/64")).hasMessageStartingWith("'zz::' is not an IPv6 address");
        assertThatThrownBy(() -> new Ipv6Prefix(0, 0, 129)).hasMessage("prefix length 129 is out of range 0..128");
        assertThatThrownBy(() -> Ipv6Prefix.parse(" ::1"))
                .hasMessage("' ::1' is not an IPv6 address: unexpected character ' '");
        assertThatThrownBy(() -> Ipv6Prefix.parse("::1 ")).hasMessageContaining("unexpected character ' '");
        assertThatThrownBy(() -> Ipv6Prefix.parse("::\uff11")).hasMessageContaining("unexpected character");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @DisplayName("RFC 5952 s4: canonical text (lower case, no leading zeros, longest/first '::', no '::' for one group)")
    @CsvSource(delimiter = '|', value = {
            "2001:0db8:0000:0000:0000:0000:0002:0001|2001:db8::2:1",
            "2001:db8:0:1:1:1:1:1|2001:db8:0:1:1:1:1:1",
            "2001:db8:0:0:1:0:0:1|2001:db8::1:0:0:1",
            "2001:0:0:1:0:0:0:1|2001:0:0:1::1",
            "2001:DB8::AAAA|2001:db8::aaaa",
            "0:0:0:0:0:0:0:0|::",
            "0:0:0:0:0:0:0:1|::1",
            "1:0:0:0:0:0:0:0|1::",
            "1:0:2:0:3:0:4:0|1:0:2:0:3:0:4:0",
            "2001:db8:122:344:c0:2:2100:0|2001:db8:122:344:c0:2:2100:0",
            "2001:db8:122:3c0:0:221:0:0|2001:db8:122:3c0:0:221::",
            "2001:db8:122:344::c000:221|2001:db8:122:344::c000:221",
            "::0.0.0.1|::1",
    })
    void formatsCanonically(String in, String out) {
        Ipv6Prefix p = a(in);
        assertThat(Ipv6Prefix.format(p.hi(), p.lo())).isEqualTo(out);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @DisplayName("RFC 5952 s5: mixed notation for IPv4-mapped, IPv4-translated and the RFC 6052 Well-Known Prefix")
    @CsvSource(delimiter = '|', value = {
            "::ffff:c000:280|::ffff:192.0.2.128|::ffff:c000:280",
            "::ffff:0:c000:280|::ffff:0:192.0.2.128|::ffff:0:c000:280",
            "64:ff9b::c000:221|64:ff9b::192.0.2.33|64:ff9b::c000:221",
            "64:ff9b::|64:ff9b::0.0.0.0|64:ff9b::",
            "64:ff9b:1::c000:221|64:ff9b:1::c000:221|64:ff9b:1::c000:221",
    })
    void formatsMixed(String in, String out, String hex) {
        Ipv6Prefix p = a(in);
        assertThat(Ipv6Prefix.format(p.hi(), p.lo())).isEqualTo(out);
        assertThat(Ipv6Prefix.formatHex(p.hi(), p.lo())).isEqualTo(hex);
        assertThat(a(out)).isEqualTo(p);
    }

    @Test
    @DisplayName("RFC 4291 s2.3 prefixes: contains, network address, masks, toString")
    void prefixOperations() {
        Ipv6Prefix p = Ipv6Prefix.parse("2001:db8::/32");
        Ipv6Prefix in = a("2001:db8:ffff::1"), out = a("2001:db9::");
        assertThat(p.contains(in.hi(), in.lo())).isTrue();
        assertThat(p.contains(out.hi(), out.lo())).isFalse();
        assertThat(p.isNetworkAddress()).isTrue();
        assertThat(Ipv6Prefix.parse("2001:db8::1/64").isNetworkAddress()).isFalse();
        assertThat(Ipv6Prefix.parse("2001:db8::1/127").isNetworkAddress()).isFalse();
        assertThat(Ipv6Prefix.parse("2001:db8::/127").isNetworkAddress()).isTrue();
        assertThat(Ipv6Prefix.parse("::/0").contains(-1, -1)).isTrue();
        assertThat(Ipv6Prefix.maskHi(0)).isZero();
        assertThat(Ipv6Prefix.maskHi(1)).isEqualTo(0x8000000000000000L);
        assertThat(Ipv6Prefix.maskHi(64)).isEqualTo(-1L);
        assertThat(Ipv6Prefix.maskLo(64)).isZero();
        assertThat(Ipv6Prefix.maskLo(65)).isEqualTo(0x8000000000000000L);
        assertThat(Ipv6Prefix.maskLo(128)).isEqualTo(-1L);
        Ipv6Prefix p127 = Ipv6Prefix.parse("2001:db8::/127");
        assertThat(p127.contains(p127.hi(), 1)).isTrue();
        assertThat(p127.contains(p127.hi(), 2)).isFalse();
        assertThat(p.toString()).isEqualTo("2001:db8::/32");
        assertThat(Ipv6Prefix.parse("64:ff9b::/96").toString()).isEqualTo("64:ff9b::/96");
        assertThat(a("64:ff9b::192.0.2.1").toString()).isEqualTo("64:ff9b::192.0.2.1/128");
        assertThat(a("2001:db8::1").toString()).isEqualTo("2001:db8::1/128");
    }

    @Test
    @DisplayName("RFC 8200 s3 addresses on the wire: read and write big-endian at an offset")
    void readWrite() {
        Ipv6Prefix p = a("2001:db8:1:2:3:4:5:6");
        byte[] b = new byte[20];
        Ipv6Prefix.write(p.hi(), p.lo(), b, 2);
        assertThat(b[2]).isEqualTo((byte) 0x20);
        assertThat(b[3]).isEqualTo((byte) 0x01);
        assertThat(b[17]).isEqualTo((byte) 0x06);
        assertThat(b[18]).isZero();
        assertThat(Ipv6Prefix.readHi(b, 2)).isEqualTo(p.hi());
        assertThat(Ipv6Prefix.readLo(b, 2)).isEqualTo(p.lo());
        assertThat(Ipv6Prefix.parseAddress("2001:db8:1:2:3:4:5:6").contains(b, 2)).isTrue();
    }
}
