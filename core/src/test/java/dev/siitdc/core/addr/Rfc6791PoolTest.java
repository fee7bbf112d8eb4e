package dev.siitdc.core.addr;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Rfc6791PoolTest {

    @Test
    @DisplayName("RFC 6791 s5: a /32 pool always yields its address, random or not")
    void single4() {
        Ipv4Prefix p = Ipv4Prefix.parse("198.51.100.7");
        for (boolean random : new boolean[] {true, false}) {
            Rfc6791Pool4 pool = new Rfc6791Pool4(p, random);
            for (int ttl = 0; ttl < 300; ttl++) assertThat(pool.pick(ttl)).isEqualTo(p.address());
        }
    }

    @Test
    @DisplayName("RFC 6791 s5: non-random IPv4 pick is base + (TTL mod size), inside the prefix")
    void deterministic4() {
        Ipv4Prefix p = Ipv4Prefix.parse("198.51.100.0/28");
        Rfc6791Pool4 pool = new Rfc6791Pool4(p, false);
        for (int ttl = 0; ttl <= 255; ttl++) {
            int a = pool.pick(ttl);
            assertThat(p.contains(a)).isTrue();
            assertThat(a).isEqualTo(p.address() + ttl % 16).isEqualTo(pool.pick(ttl));
        }
        Rfc6791Pool4 wide = new Rfc6791Pool4(Ipv4Prefix.parse("10.0.0.0/8"), false);
        assertThat(wide.pick(64)).isEqualTo(Ipv4Prefix.parseAddress("10.0.0.64"));
    }

    @Test
    @DisplayName("RFC 6791 s5: random IPv4 pick stays inside the prefix and varies")
    void random4() {
        Ipv4Prefix p = Ipv4Prefix.parse("198.51.100.0/24");
        Rfc6791Pool4 pool = new Rfc6791Pool4(p, true);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            int a = pool.pick(64);
            assertThat(p.contains(a)).isTrue();
            seen.add(a);
        }
        assertThat(seen.size()).isGreaterThan(50);
        Rfc6791Pool4 all = new Rfc6791Pool4(new Ipv4Prefix(0, 0), true);
        all.pick(1);
    }

    @Test
    @DisplayName("RFC 6791 s5: pools refuse prefixes with host bits")
    void refusesHostBits() {
        assertThatThrownBy(() -> new Rfc6791Pool4(Ipv4Prefix.parse("198.51.100.1/24"), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host bits");
        assertThatThrownBy(() -> new Rfc6791Pool6(Ipv6Prefix.parse("2001:db8::1/64"), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host bits");
    }

    @Test
    @DisplayName("RFC 6791 s5: a /128 pool always yields its address, random or not")
    void single6() {
        Ipv6Prefix p = Ipv6Prefix.parse("2001:db8::7");
        byte[] b = new byte[18];
        for (boolean random : new boolean[] {true, false}) {
            Rfc6791Pool6 pool = new Rfc6791Pool6(p, random);
            for (int hl = 0; hl < 300; hl++) {
                pool.pick(hl, b, 1);
                assertThat(Ipv6Prefix.readHi(b, 1)).isEqualTo(p.hi());
                assertThat(Ipv6Prefix.readLo(b, 1)).isEqualTo(p.lo());
            }
        }
    }

    @Test
    @DisplayName("RFC 6791 s5: non-random IPv6 pick is base + (hop limit mod size), inside the prefix")
    void deterministic6() {
        Ipv6Prefix p = Ipv6Prefix.parse("2001:db8::/124");
        Rfc6791Pool6 pool = new Rfc6791Pool6(p, false);
        byte[] b = new byte[16];
        for (int hl = 0; hl <= 255; hl++) {
            pool.pick(hl, b, 0);
            assertThat(p.contains(b, 0)).isTrue();
            assertThat(Ipv6Prefix.readLo(b, 0)).isEqualTo(hl % 16);
        }
        Rfc6791Pool6 wide = new Rfc6791Pool6(Ipv6Prefix.parse("2001:db8::/32"), false);
        wide.pick(200, b, 0);
        assertThat(Ipv6Prefix.readHi(b, 0)).isEqualTo(0x20010db800000000L);
        assertThat(Ipv6Prefix.readLo(b, 0)).isEqualTo(200);
    }

    @Test
    @DisplayName("RFC 6791 s5: random IPv6 pick stays inside the prefix and varies, also across the 64-bit boundary")
    void random6() {
        for (String s : new String[] {"2001:db8::/120", "2001:db8:aa00::/40", "::/0"}) {
            Ipv6Prefix p = Ipv6Prefix.parse(s);
            Rfc6791Pool6 pool = new Rfc6791Pool6(p, true);
            byte[] b = new byte[16];
            Set<Long> seen = new HashSet<>();
            for (int i = 0; i < 1000; i++) {
                pool.pick(64, b, 0);
                assertThat(p.contains(b, 0)).as(s).isTrue();
                seen.add(Ipv6Prefix.readLo(b, 0) ^ Ipv6Prefix.readHi(b, 0));
            }
            assertThat(seen.size()).as(s).isGreaterThan(50);
        }
    }
}
