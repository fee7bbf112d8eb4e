package dev.siitdc.core.eam;

import dev.siitdc.core.addr.Ipv4Prefix;
import dev.siitdc.core.addr.Ipv6Prefix;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EamTableTest {

    private static int v4(String s) { return Ipv4Prefix.parseAddress(s); }

    /** 4->6 through the table, formatted; null if not covered. */
    private static String to6(EamTable t, String v4) {
        byte[] b = new byte[20];
        if (!t.translate4to6(v4(v4), b, 3)) return null;
        return Ipv6Prefix.format(Ipv6Prefix.readHi(b, 3), Ipv6Prefix.readLo(b, 3));
    }

    /** 6->4 through the table, formatted; null if not covered. */
    private static String to4(EamTable t, String v6) {
        Ipv6Prefix a = Ipv6Prefix.parseAddress(v6);
        byte[] b = new byte[21];
        Ipv6Prefix.write(a.hi(), a.lo(), b, 5);
        long r = t.translate6to4(b, 5);
        assertThat(t.translate6to4(a.hi(), a.lo())).isEqualTo(r);
        assertThat(t.covers6(b, 5)).isEqualTo(r >= 0);
        return r < 0 ? null : Ipv4Prefix.format((int) r);
    }

    @Test
    @DisplayName("RFC 7757 s3.3: Jool documentation oracle 203.0.113.8/29 <-> 2001:db8:cccc::/125")
    void joolOracle() {
        EamTable t = EamTable.of(List.of(Eam.parse("203.0.113.8/29", "2001:db8:cccc::/125")));
        assertThat(to6(t, "203.0.113.8")).isEqualTo("2001:db8:cccc::");
        assertThat(to6(t, "203.0.113.9")).isEqualTo("2001:db8:cccc::1");
        assertThat(to6(t, "203.0.113.15")).isEqualTo("2001:db8:cccc::7");
        assertThat(to6(t, "203.0.113.16")).isNull();
        assertThat(to4(t, "2001:db8:cccc::1")).isEqualTo("203.0.113.9");
        assertThat(to4(t, "2001:db8:cccc::7")).isEqualTo("203.0.113.15");
        assertThat(to4(t, "2001:db8:cccc::8")).isNull();
    }

    @Test
    @DisplayName("RFC 7757 s3.3: longest prefix match with overlapping entries, both directions")
    void longestMatch() {
        Eam a = Eam.parse("10.0.0.0/8", "2001:db8:a::/104");
        Eam b = Eam.parse("10.1.0.0/16", "2001:db8:b::/112");
        Eam c = Eam.parse("10.1.2.3/32", "2001:db8:c::1");
        EamTable t = EamTable.of(List.of(a, b, c));
        assertThat(t.size()).isEqualTo(3);
        assertThat(t.entries()).containsExactly(a, b, c);

        assertThat(to6(t, "10.1.2.3")).isEqualTo("2001:db8:c::1");
        assertThat(to6(t, "10.1.2.4")).isEqualTo("2001:db8:b::204");
        assertThat(to6(t, "10.2.3.4")).isEqualTo("2001:db8:a::2:304");
        assertThat(to6(t, "11.0.0.0")).isNull();
        assertThat(t.find4(v4("10.1.2.3"))).isEqualTo(c);
        assertThat(t.find4(v4("10.1.9.9"))).isEqualTo(b);
        assertThat(t.find4(v4("10.9.9.9"))).isEqualTo(a);
        assertThat(t.find4(v4("9.9.9.9"))).isNull();
        assertThat(t.covers4(v4("10.255.255.255"))).isTrue();
        assertThat(t.covers4(v4("9.255.255.255"))).isFalse();

        assertThat(to4(t, "2001:db8:c::1")).isEqualTo("10.1.2.3");
        assertThat(to4(t, "2001:db8:c::2")).isNull();
        assertThat(to4(t, "2001:db8:b::204")).isEqualTo("10.1.2.4");
        assertThat(to4(t, "2001:db8:a::2:304")).isEqualTo("10.2.3.4");
        Ipv6Prefix x = Ipv6Prefix.parseAddress("2001:db8:b::ffff");
        assertThat(t.find6(x.hi(), x.lo())).isEqualTo(b);
        assertThat(t.find6(0, 0)).isNull();
    }

    @Test
    @DisplayName("RFC 7757 s3.3: overlapping IPv6 prefixes, the longest wins on 6->4")
    void longestMatch6() {
        Eam wide = Eam.parse("192.0.2.0/24", "2001:db8::/120");
        Eam narrow = Eam.parse("198.51.100.0/28", "2001:db8::/124");
        EamTable t = EamTable.of(List.of(wide, narrow));
        assertThat(to4(t, "2001:db8::5")).isEqualTo("198.51.100.5");
        assertThat(to4(t, "2001:db8::15")).isEqualTo("192.0.2.21");
        assertThat(to6(t, "192.0.2.5")).isEqualTo("2001:db8::5");
    }

    @Test
    @DisplayName("RFC 7757 s3.3: unequal suffix lengths; 6->4 reads the bits right after the IPv6 prefix, ignores the rest")
    void unequalSuffixes() {
        EamTable t = EamTable.of(List.of(Eam.parse("192.0.2.0/24", "2001:db8::/64")));
        assertThat(to6(t, "192.0.2.1")).isEqualTo("2001:db8:0:0:100::");
        assertThat(to6(t, "192.0.2.255")).isEqualTo("2001:db8:0:0:ff00::");
        assertThat(to4(t, "2001:db8::100:0:0:0")).isEqualTo("192.0.2.1");
        assertThat(to4(t, "2001:db8::1ff:ffff:ffff:ffff")).isEqualTo("192.0.2.1");
        assertThat(to4(t, "2001:db8::1")).isEqualTo("192.0.2.0");

        // suffix straddling bit 64: 10.0.0.0/8 <-> /48 puts 24 bits at bits 48-71
        EamTable s = EamTable.of(List.of(Eam.parse("10.0.0.0/8", "2001:db8:1::/48")));
        assertThat(to6(s, "10.171.205.239")).isEqualTo("2001:db8:1:abcd:ef00::");
        assertThat(to4(s, "2001:db8:1:abcd:efff:ffff:ffff:ffff")).isEqualTo("10.171.205.239");
        // whole IPv4 space into a /96 (like RFC 6052 /96)
        EamTable w = EamTable.of(List.of(Eam.parse("0.0.0.0/0", "2001:db8:2::/96")));
        assertThat(to6(w, "255.1.2.3")).isEqualTo("2001:db8:2::ff01:203");
        assertThat(to4(w, "2001:db8:2::ff01:203")).isEqualTo("255.1.2.3");
        // /32 <-> short IPv6 prefix: the IPv4 side has no suffix, anything in the IPv6 prefix maps to it
        EamTable h = EamTable.of(List.of(Eam.parse("192.0.2.7", "2001:db8:3::/64")));
        assertThat(to6(h, "192.0.2.7")).isEqualTo("2001:db8:3::");
        assertThat(to4(h, "2001:db8:3::1234")).isEqualTo("192.0.2.7");
    }

    @Test
    @DisplayName("RFC 7757 s3.2: a refused pairing cannot enter a table")
    void refusedPairing() {
        assertThatThrownBy(() -> EamTable.of(List.of(Eam.parse("10.0.0.0/8", "2001:db8::/120"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("RFC 7757 s3.2");
    }

    @Test
    @DisplayName("RFC 7757 s3.1: exact duplicate prefixes are refused, naming them; overlaps are fine")
    void duplicates() {
        Eam a = Eam.parse("192.0.2.0/24", "2001:db8:1::/120");
        assertThatThrownBy(() -> EamTable.of(List.of(a, Eam.parse("192.0.2.0/24", "2001:db8:2::/120"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("duplicate IPv4 prefix 192.0.2.0/24 in two EAMs: 192.0.2.0/24 <-> 2001:db8:1::/120"
                        + " and 192.0.2.0/24 <-> 2001:db8:2::/120");
        assertThatThrownBy(() -> EamTable.of(List.of(a, Eam.parse("198.51.100.0/24", "2001:db8:1::/120"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("duplicate IPv6 prefix 2001:db8:1::/120 in two EAMs");
        assertThatThrownBy(() -> EamTable.of(List.of(a, a)))
                .hasMessageStartingWith("duplicate IPv4 prefix 192.0.2.0/24");
        assertThat(EamTable.of(List.of(a, Eam.parse("192.0.2.0/25", "2001:db8:1::/121"))).size()).isEqualTo(2);
    }

    @Test
    @DisplayName("RFC 7757 s3.1: empty table, with() and without() return new tables")
    void emptyWithWithout() {
        assertThat(EamTable.EMPTY.size()).isZero();
        assertThat(EamTable.EMPTY.entries()).isEmpty();
        assertThat(EamTable.EMPTY.translate4to6(0, new byte[16], 0)).isFalse();
        assertThat(EamTable.EMPTY.translate6to4(new byte[16], 0)).isEqualTo(-1);
        assertThat(EamTable.of(List.of())).isSameAs(EamTable.EMPTY);

        Eam a = Eam.parse("10.0.0.0/8", "2001:db8:a::/104");
        Eam b = Eam.parse("10.0.0.0/16", "2001:db8:b::/112");
        EamTable t1 = EamTable.EMPTY.with(a);
        EamTable t2 = t1.with(b);
        assertThat(t1.entries()).containsExactly(a);
        assertThat(t2.entries()).containsExactly(a, b);
        assertThat(to6(t2, "10.0.0.1")).isEqualTo("2001:db8:b::1");
        EamTable t3 = t2.without(a);
        assertThat(t3.entries()).containsExactly(b);
        assertThat(to6(t3, "10.1.0.1")).isNull();
        assertThat(t2.entries()).containsExactly(a, b);
        assertThatThrownBy(() -> t2.with(Eam.parse("10.0.0.0/8", "2001:db8:c::/104")))
                .hasMessageStartingWith("duplicate IPv4 prefix 10.0.0.0/8");
        assertThatThrownBy(() -> t3.without(a))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("EAM 10.0.0.0/8 <-> 2001:db8:a::/104 is not in the table");
        assertThatThrownBy(() -> t2.without(Eam.parse("10.0.0.0/8", "2001:db8:f::/104")))
                .hasMessageContaining("is not in the table");
        assertThatThrownBy(() -> t2.entries().add(a)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    @DisplayName("RFC 7757 s3.3 at scale: 1,000,000 entries build and answer sampled hits and misses")
    void millionEntries() {
        // 999,000 /32 <-> /128 host entries in 10.0.0.0/8 and 1,000 /24 <-> /120 entries in 100.0.0.0/14
        int hosts = 999_000, nets = 1_000;
        List<Eam> list = new ArrayList<>(hosts + nets);
        for (int i = 0; i < hosts; i++) {
            int a = 0x0a000000 + i * 7;                          // spread over 10/8
            list.add(new Eam(new Ipv4Prefix(a, 32), new Ipv6Prefix(0x20010db800000000L, 0x1000000000L + i, 128)));
        }
        for (int i = 0; i < nets; i++) {
            int a = 0x64000000 + (i << 8);
            list.add(new Eam(new Ipv4Prefix(a, 24),
                    new Ipv6Prefix(0x20010db8ffff0000L | i, 0, 120)));
        }
        EamTable t = EamTable.of(list);
        assertThat(t.size()).isEqualTo(1_000_000);

        SplittableRandom r = new SplittableRandom(42);
        byte[] b = new byte[16];
        for (int n = 0; n < 200_000; n++) {
            int i = r.nextInt(hosts);
            int a = 0x0a000000 + i * 7;
            assertThat(t.translate4to6(a, b, 0)).isTrue();
            assertThat(Ipv6Prefix.readHi(b, 0)).isEqualTo(0x20010db800000000L);
            assertThat(Ipv6Prefix.readLo(b, 0)).isEqualTo(0x1000000000L + i);
            assertThat(t.translate6to4(b, 0)).isEqualTo(a & 0xffffffffL);
            // a miss between two hosts
            assertThat(t.covers4(a + 1 + r.nextInt(6))).isFalse();
            Ipv6Prefix.write(0x20010db800000000L, 0x1000000000L + hosts + r.nextInt(1 << 20), b, 0);
            assertThat(t.translate6to4(b, 0)).isEqualTo(-1);
        }
        for (int n = 0; n < 50_000; n++) {
            int i = r.nextInt(nets), host = r.nextInt(256);
            int a = 0x64000000 + (i << 8) + host;
            assertThat(t.translate4to6(a, b, 0)).isTrue();
            assertThat(Ipv6Prefix.readHi(b, 0)).isEqualTo(0x20010db8ffff0000L | i);
            assertThat(Ipv6Prefix.readLo(b, 0)).isEqualTo(host);
            assertThat(t.translate6to4(b, 0)).isEqualTo(a & 0xffffffffL);
            assertThat(t.find4(a)).isSameAs(list.get(hosts + i));
        }
        assertThat(t.covers4(0x64000000 + (nets << 8))).isFalse();
        assertThat(t.covers4(0x0b000000)).isFalse();
        assertThat(t.find4(0x0a000000 + 7 * 123)).isSameAs(list.get(123));
    }
}
