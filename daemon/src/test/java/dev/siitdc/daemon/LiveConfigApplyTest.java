package dev.siitdc.daemon;

import dev.siitdc.core.addr.Ipv4Prefix;
import dev.siitdc.core.eam.Eam;
import dev.siitdc.core.xlat.Settings;
import dev.siitdc.core.xlat.SettingsRef;
import dev.siitdc.dataplane.Role;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.siitdc.daemon.LiveConfigTest.SERVICE;
import static dev.siitdc.daemon.LiveConfigTest.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link LiveConfig#applyEams}: a whole table swapped at once, all or nothing (siitdc eamt apply, add --file). */
class LiveConfigApplyTest {
    final LiveConfigTest.FakeKernel kernel = new LiveConfigTest.FakeKernel();
    static final Eam A = Eam.parse("198.51.100.1", "2001:db8:2::1"), B = Eam.parse("198.51.100.2", "2001:db8:2::2"),
            B2 = Eam.parse("198.51.100.2", "2001:db8:2::22"), C = Eam.parse("203.0.113.0/24", "2001:db8:3::/120");

    LiveConfig border(SettingsRef ref) {
        for (Eam e : ref.get().eamTable().entries()) kernel.routes.add(e.ipv4().toString());
        return new LiveConfig(Role.BORDER_RELAY, "siit0", List.of(), null, ref, kernel);
    }

    @Test
    void applySwapsTheWholeTableOnceRoutesFirstAndOldRoutesAfter() throws Exception {
        SettingsRef ref = new SettingsRef(Settings.compile(config("64:ff9b::/96", A, B)));
        LiveConfig live = border(ref);
        Settings before = ref.get();
        LiveConfig.Applied a = live.applyEams(List.of(B2, C), false, false);
        assertThat(a.diff().lines()).containsExactly("- 198.51.100.1/32 2001:db8:2::1/128",
                "~ 198.51.100.2/32 2001:db8:2::2/128 -> 2001:db8:2::22/128", "+ 203.0.113.0/24 2001:db8:3::/120");
        assertThat(a.eamCount()).isEqualTo(2);
        assertThat(ref.get()).isNotSameAs(before);
        assertThat(ref.get().eamTable().entries()).containsExactly(B2, C);
        assertThat(live.eams()).containsExactly(B2, C);
        assertThat(kernel.log).containsExactly("add 203.0.113.0/24", "del 198.51.100.1/32");
        assertThat(live.config().pool6()).isEqualTo(before.config().pool6());
    }

    @Test
    void aDryRunChecksAndChangesNothing() throws Exception {
        SettingsRef ref = new SettingsRef(Settings.compile(config("64:ff9b::/96", A, B)));
        LiveConfig live = border(ref);
        Settings before = ref.get();
        LiveConfig.Applied a = live.applyEams(List.of(C), false, true);
        assertThat(a.change()).isNull();
        assertThat(a.diff().summary()).isEqualTo("1 added, 2 removed, 0 changed, 0 unchanged");
        assertThat(ref.get()).isSameAs(before);
        assertThat(kernel.log).isEmpty();
        assertThatThrownBy(() -> live.applyEams(List.of(A, Eam.parse("198.51.100.9", "2001:db8:2::1")), false, true))
                .isInstanceOf(LiveConfigException.class).hasMessageContaining("2001:db8:2::1");
    }

    @Test
    void oneBadEntryRefusesTheWholeTable() throws Exception {
        SettingsRef ref = new SettingsRef(Settings.compile(config("64:ff9b::/96", A)));
        LiveConfig live = border(ref);
        Settings before = ref.get();
        // the same IPv6 prefix twice
        assertThatThrownBy(() -> live.applyEams(List.of(B, C, Eam.parse("198.51.100.3", "2001:db8:2::2")), false, false))
                .isInstanceOf(LiveConfigException.class)
                .satisfies(e -> assertThat(((LiveConfigException) e).kind()).isEqualTo(LiveConfigException.Kind.REFUSED));
        // the kernel refuses the second new route: the first is rolled back
        kernel.existing.add("203.0.113.0/24");
        assertThatThrownBy(() -> live.applyEams(List.of(B, C), false, false)).isInstanceOf(LiveConfigException.class)
                .hasMessageContaining("203.0.113.0/24");
        assertThat(ref.get()).isSameAs(before);
        assertThat(kernel.routes).containsExactly("198.51.100.1/32");
    }

    @Test
    void addModeAddsAllOrNone() throws Exception {
        SettingsRef ref = new SettingsRef(Settings.compile(config("64:ff9b::/96", A)));
        LiveConfig live = border(ref);
        Settings before = ref.get();
        assertThatThrownBy(() -> live.applyEams(List.of(B, C, A), true, false)).isInstanceOf(LiveConfigException.class)
                .hasMessage("EAM " + A + " already exists");
        assertThatThrownBy(() -> live.applyEams(List.of(B, B2), true, false)).isInstanceOf(LiveConfigException.class)
                .hasMessageContaining("is already mapped by the EAM " + B);
        assertThat(ref.get()).isSameAs(before);
        LiveConfig.Applied a = live.applyEams(List.of(B, C), true, false);
        assertThat(a.diff().summary()).isEqualTo("2 added, 0 removed, 0 changed, 1 unchanged");
        assertThat(live.eams()).containsExactly(A, B, C);
        // the single-entry changes still see the new table
        assertThatThrownBy(() -> live.addEam(C)).isInstanceOf(LiveConfigException.class).hasMessageContaining("already exists");
        live.removeEam(Ipv4Prefix.parse("198.51.100.2/32"), null);
        assertThat(live.eams()).containsExactly(A, C);
    }

    @Test
    void anEdgeRelaysServiceAddressKeepsItsEam() throws Exception {
        SettingsRef ref = new SettingsRef(Settings.compile(config(null, SERVICE, A)));
        var sa = dev.siitdc.dataplane.ServiceAddress.resolve(SERVICE.ipv4().address(),
                dev.siitdc.core.eam.EamTable.of(List.of(SERVICE, A)));
        LiveConfig live = new LiveConfig(Role.EDGE_RELAY, "siit0", List.of(sa), null, ref, kernel);
        assertThatThrownBy(() -> live.applyEams(List.of(A), false, false)).isInstanceOf(LiveConfigException.class)
                .hasMessageContaining("Service Address");
        assertThat(live.applyEams(List.of(SERVICE, B), false, false).diff().summary())
                .isEqualTo("1 added, 1 removed, 0 changed, 1 unchanged");
    }

    @Test
    void aHundredThousandEntriesApplyInUnderASecond() throws Exception {
        List<Eam> old = new ArrayList<>(), next = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            int v4 = (10 << 24) | i;
            old.add(new Eam(new Ipv4Prefix(v4, 32), dev.siitdc.core.addr.Ipv6Prefix.parse(
                    "2001:db8:" + Integer.toHexString(i >> 16) + ":" + Integer.toHexString(i & 0xffff) + "::/128")));
            next.add(new Eam(new Ipv4Prefix(v4, 32), dev.siitdc.core.addr.Ipv6Prefix.parse(
                    "2001:db8:1" + Integer.toHexString(i >> 16) + ":" + Integer.toHexString(i & 0xffff) + "::/128")));
        }
        SettingsRef ref = new SettingsRef(Settings.compile(config("64:ff9b::/96", old.toArray(new Eam[0]))));
        LiveConfig live = new LiveConfig(Role.EDGE_RELAY, "siit0", List.of(), null, ref, kernel);
        for (int i = 0; i < 3; i++) live.applyEams(next, false, true);   // warm up: the checks of a dry run
        // the best of three swaps (old -> next, next -> old, old -> next): the machine is shared
        long ms = Long.MAX_VALUE;
        LiveConfig.Applied a = null;
        for (int i = 0; i < 3; i++) {
            List<Eam> to = i % 2 == 0 ? next : old;
            long t0 = System.nanoTime();
            a = live.applyEams(to, false, false);
            ms = Math.min(ms, (System.nanoTime() - t0) / 1_000_000);
            assertThat(ref.get().eamTable().entries()).isEqualTo(to);
        }
        System.err.println("applyEams: 100000 entries changed in " + ms + " ms (best of 3)");
        assertThat(a.diff().changed()).hasSize(100_000);
        assertThat(ms).isLessThan(1000);
    }

    @Test
    void aBorderRelayRoutesTheCoverAndKeepsItExactThroughRemoveAndFlush() throws Exception {
        SettingsRef ref = new SettingsRef(Settings.compile(config("64:ff9b::/96", A)));
        LiveConfig live = border(ref);
        List<Eam> four = new ArrayList<>();
        for (int i = 0; i < 4; i++) four.add(Eam.parse("198.51.100." + i, "2001:db8:2::" + i));
        live.applyEams(four, false, false);
        assertThat(kernel.log).containsExactly("add 198.51.100.0/30", "del 198.51.100.1/32");
        assertThat(kernel.routes).containsExactly("198.51.100.0/30");
        kernel.log.clear();
        // one EAM of the four goes: the cover shrinks to exactly the other three, the new routes first
        live.removeEam(Ipv4Prefix.parse("198.51.100.2/32"), null);
        assertThat(kernel.log).containsExactly("add 198.51.100.0/31", "add 198.51.100.3/32", "del 198.51.100.0/30");
        kernel.log.clear();
        // an EAM added gets its own route; a flush leaves nothing routed
        live.addEam(C);
        assertThat(kernel.log).containsExactly("add 203.0.113.0/24");
        live.flushEams();
        assertThat(kernel.routes).isEmpty();
        assertThat(live.eams()).isEmpty();
    }
}
