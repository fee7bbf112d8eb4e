package dev.siitdc.core.eam;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EamDiffTest {
    private static Eam e(String v4, String v6) {
        return Eam.parse(v4, v6);
    }

    @Test
    @DisplayName("added, removed, changed (same IPv4 prefix, other IPv6) and unchanged, one line each")
    void addedRemovedChanged() {
        List<Eam> before = List.of(e("192.0.2.1", "2001:db8::1"), e("192.0.2.2", "2001:db8::2"),
                e("198.51.100.0/24", "2001:db8:100::/120"));
        List<Eam> after = List.of(e("198.51.100.0/24", "2001:db8:100::/120"), e("192.0.2.2", "2001:db8::22"),
                e("203.0.113.0/28", "2001:db8:113::/124"));
        EamDiff d = EamDiff.of(before, after);
        assertThat(d.added()).containsExactly(e("203.0.113.0/28", "2001:db8:113::/124"));
        assertThat(d.removed()).containsExactly(e("192.0.2.1", "2001:db8::1"));
        assertThat(d.changed()).containsExactly(new EamDiff.Change(e("192.0.2.2", "2001:db8::2"),
                e("192.0.2.2", "2001:db8::22")));
        assertThat(d.unchanged()).isEqualTo(1);
        assertThat(d.none()).isFalse();
        assertThat(d.lines()).containsExactly(
                "- 192.0.2.1/32 2001:db8::1/128",
                "~ 192.0.2.2/32 2001:db8::2/128 -> 2001:db8::22/128",
                "+ 203.0.113.0/28 2001:db8:113::/124");
        assertThat(d.summary()).isEqualTo("1 added, 1 removed, 1 changed, 1 unchanged");
    }

    @Test
    @DisplayName("the same entries in another order are no difference")
    void orderIsNoDifference() {
        List<Eam> a = List.of(e("192.0.2.1", "2001:db8::1"), e("192.0.2.2", "2001:db8::2"));
        EamDiff d = EamDiff.of(a, a.reversed());
        assertThat(d.none()).isTrue();
        assertThat(d.lines()).isEmpty();
        assertThat(d.summary()).isEqualTo("0 added, 0 removed, 0 changed, 2 unchanged");
    }

    @Test
    @DisplayName("from and to an empty table; an IPv4 prefix listed twice is refused")
    void emptyAndTwice() {
        List<Eam> a = List.of(e("192.0.2.1", "2001:db8::1"));
        assertThat(EamDiff.of(List.of(), a).added()).isEqualTo(a);
        assertThat(EamDiff.of(a, List.of()).removed()).isEqualTo(a);
        assertThatThrownBy(() -> EamDiff.of(List.of(), List.of(e("192.0.2.1", "2001:db8::1"), e("192.0.2.1", "2001:db8::9"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("192.0.2.1/32 is listed twice");
    }

    @Test
    @DisplayName("100,000 entries, a tenth of them changed, diff in well under a second")
    void large() {
        List<Eam> before = new ArrayList<>(), after = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            String v4 = "10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255);
            before.add(e(v4, "2001:db8::" + Integer.toHexString(i >> 16) + ":" + Integer.toHexString(i & 0xffff)));
            after.add(i % 10 == 0 ? e(v4, "2001:db8:1::" + Integer.toHexString(i >> 16) + ":" + Integer.toHexString(i & 0xffff))
                    : before.getLast());
        }
        long t0 = System.nanoTime();
        EamDiff d = EamDiff.of(before, after);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(d.changed()).hasSize(10_000);
        assertThat(d.unchanged()).isEqualTo(90_000);
        assertThat(ms).isLessThan(1000);
    }
}
