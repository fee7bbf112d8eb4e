package dev.siitdc.core.addr;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Pool6Test {
    private static final int V4 = Ipv4Prefix.parseAddress("192.0.2.33");

    private static byte[] bytes(String v6) {
        Ipv6Prefix a = Ipv6Prefix.parseAddress(v6);
        byte[] b = new byte[16];
        Ipv6Prefix.write(a.hi(), a.lo(), b, 0);
        return b;
    }

    @ParameterizedTest(name = "{0}: 192.0.2.33 <-> {1}")
    @DisplayName("RFC 6052 s2.4 example table, both ways")
    @CsvSource(delimiter = '|', value = {
            "2001:db8::/32|2001:db8:c000:221::",
            "2001:db8:100::/40|2001:db8:1c0:2:21::",
            "2001:db8:122::/48|2001:db8:122:c000:2:2100::",
            "2001:db8:122:300::/56|2001:db8:122:3c0:0:221::",
            "2001:db8:122:344::/64|2001:db8:122:344:c0:2:2100:0",
            "2001:db8:122:344::/96|2001:db8:122:344::192.0.2.33",
            "64:ff9b::/96|64:ff9b::192.0.2.33",
    })
    void rfc6052Examples(String prefix, String expected) {
        Pool6 pool = new Pool6(Ipv6Prefix.parse(prefix));
        byte[] out = new byte[20];
        pool.embed(V4, out, 2);
        Ipv6Prefix got = new Ipv6Prefix(Ipv6Prefix.readHi(out, 2), Ipv6Prefix.readLo(out, 2), 128);
        assertThat(got).isEqualTo(Ipv6Prefix.parseAddress(expected));
        assertThat(pool.matches(out, 2)).isTrue();
        assertThat(pool.extract(out, 2)).isEqualTo(V4);
        byte[] in = bytes(expected);
        assertThat(pool.matches(in, 0)).isTrue();
        assertThat(pool.extract(in, 0)).isEqualTo(V4);
        assertThat(pool.extract(got.hi(), got.lo())).isEqualTo(V4);
    }

    @ParameterizedTest(name = "/{0}")
    @DisplayName("RFC 6052 s2.2: embed/extract round-trip, u octet (bits 64-71) and suffix stay zero")
    @ValueSource(ints = {32, 40, 48, 56, 64, 96})
    void roundTrip(int len) {
        Pool6 pool = new Pool6(new Ipv6Prefix(0x20010db8_12345678L & Ipv6Prefix.maskHi(len),
                0x00abcdef_00000000L & Ipv6Prefix.maskLo(len), len));
        SplittableRandom r = new SplittableRandom(len);
        byte[] b = new byte[16];
        for (int i = 0; i < 10_000; i++) {
            int v4 = r.nextInt();
            pool.embed(v4, b, 0);
            assertThat(b[8]).as("u octet").isZero();
            if (len < 96) {
                int suffixFrom = len == 64 ? 13 : 8 + (len - 32) / 8 + 1;
                for (int k = suffixFrom; k < 16; k++) assertThat(b[k]).as("suffix byte %d", k).isZero();
            }
            assertThat(pool.matches(b, 0)).isTrue();
            assertThat(pool.extract(b, 0)).isEqualTo(v4);
        }
    }

    @Test
    @DisplayName("RFC 6052 s2.2: u octet and suffix are ignored on extraction")
    void extractionIgnoresReservedBits() {
        Pool6 pool = new Pool6(Ipv6Prefix.parse("2001:db8:122:344::/64"));
        // 2001:db8:122:344:c0:2:2100:0 with u octet 0xff and suffix 0xffffff set
        byte[] b = bytes("2001:db8:122:344:ffc0:2:21ff:ffff");
        assertThat(pool.extract(b, 0)).isEqualTo(V4);
        Pool6 p32 = new Pool6(Ipv6Prefix.parse("2001:db8::/32"));
        assertThat(p32.extract(bytes("2001:db8:c000:221:ff00:1:2:3"), 0)).isEqualTo(V4);
    }

    @Test
    @DisplayName("RFC 6052 s2.2: matches() is prefix containment")
    void matches() {
        Pool6 pool = new Pool6(Ipv6Prefix.parse("64:ff9b::/96"));
        assertThat(pool.matches(bytes("64:ff9b::1.2.3.4"), 0)).isTrue();
        assertThat(pool.matches(bytes("64:ff9b:1::1.2.3.4"), 0)).isFalse();
        assertThat(pool.matches(bytes("2001:db8::1"), 0)).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @DisplayName("RFC 6052 s2.2: only lengths 32, 40, 48, 56, 64 and 96 are allowed")
    @ValueSource(strings = {"2001:db8::/0", "2001:db8::/24", "2001:db8::/33", "2001:db8::/80", "2001:db8::/128"})
    void refusesLengths(String prefix) {
        assertThatThrownBy(() -> new Pool6(Ipv6Prefix.parse(prefix)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not one RFC 6052 section 2.2 allows");
    }

    @Test
    @DisplayName("RFC 6052 s2.2: a /96 with a non-zero u octet (bits 64-71) is refused; so are host bits")
    void refusesNonZeroUOctetAndHostBits() {
        assertThatThrownBy(() -> new Pool6(Ipv6Prefix.parse("2001:db8:0:0:100::/96")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("u octet");
        assertThatThrownBy(() -> new Pool6(Ipv6Prefix.parse("2001:db8::1/64")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("host bits");
        assertThat(new Pool6(Ipv6Prefix.parse("2001:db8:0:0:ff::/96")).prefix().length()).isEqualTo(96);
    }

    @Test
    @DisplayName("RFC 6052 s2.1 Well-Known Prefix is 64:ff9b::/96; RFC 8215 64:ff9b:1::/48 is not it")
    void wellKnownPrefix() {
        assertThat(new Pool6(Ipv6Prefix.parse("64:ff9b::/96")).isWellKnown()).isTrue();
        assertThat(new Pool6(Ipv6Prefix.parse("64:ff9b:1::/48")).isWellKnown()).isFalse();
        assertThat(new Pool6(Ipv6Prefix.parse("64:ff9b::/64")).isWellKnown()).isFalse();
        assertThat(new Pool6(Ipv6Prefix.parse("2001:db8::/96")).isWellKnown()).isFalse();
    }
}
