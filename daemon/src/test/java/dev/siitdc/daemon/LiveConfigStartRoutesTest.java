package dev.siitdc.daemon;

import dev.siitdc.core.addr.Ipv4Prefix;
import dev.siitdc.core.eam.Eam;
import dev.siitdc.core.eam.Ipv4Cover;
import dev.siitdc.core.xlat.Settings;
import dev.siitdc.core.xlat.SettingsRef;
import dev.siitdc.dataplane.Role;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.siitdc.daemon.LiveConfigTest.config;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link LiveConfig} started from the covering routes a Border Relay's start-up made ({@link NetworkSetup}, RFC 7755
 * s4): later single changes keep the routed addresses exactly those of the EAMs' IPv4 prefixes.
 */
class LiveConfigStartRoutesTest {
    final LiveConfigTest.FakeKernel kernel = new LiveConfigTest.FakeKernel();
    static final Eam A = Eam.parse("198.51.100.0", "2001:db8:2::"), B = Eam.parse("198.51.100.1", "2001:db8:2::1"),
            C = Eam.parse("198.51.100.2", "2001:db8:2::2"), D = Eam.parse("198.51.100.3", "2001:db8:2::3");

    /** As start-up leaves the kernel: the cover of the EAMs' IPv4 prefixes routed, handed to LiveConfig. */
    LiveConfig startedWith(Eam... eams) throws Exception {
        List<Ipv4Prefix> p = new ArrayList<>();
        for (Eam e : eams) p.add(e.ipv4());
        List<Ipv4Prefix> cover = Ipv4Cover.of(p);
        for (Ipv4Prefix c : cover) kernel.routes.add(c.toString());
        SettingsRef ref = new SettingsRef(Settings.compile(config("64:ff9b::/96", eams)));
        return new LiveConfig(Role.BORDER_RELAY, "siit0", List.of(), null, ref, kernel, null, null, cover);
    }

    @Test
    void removingAnEamFromTheStartUpCoverRoutesTheRestFirstThenDropsTheCover() throws Exception {
        LiveConfig live = startedWith(A, B, C, D);
        assertThat(kernel.routes).containsExactly("198.51.100.0/30");
        live.removeEam(D.ipv4(), null);
        assertThat(kernel.log).containsExactly("add 198.51.100.0/31", "add 198.51.100.2/32", "del 198.51.100.0/30");
        assertThat(kernel.routes).containsExactlyInAnyOrder("198.51.100.0/31", "198.51.100.2/32");
    }

    @Test
    void addingAndFlushingAfterStartUpLeaveNoStrayRoute() throws Exception {
        LiveConfig live = startedWith(A, B);
        assertThat(kernel.routes).containsExactly("198.51.100.0/31");
        live.addEam(C);
        assertThat(kernel.routes).containsExactlyInAnyOrder("198.51.100.0/31", "198.51.100.2/32");
        live.applyEams(List.of(A, B, C, D), false, false);
        assertThat(kernel.routes).containsExactly("198.51.100.0/30");
        live.flushEams();
        assertThat(kernel.routes).isEmpty();
    }

    @Test
    void routesOnePerEamWhenNothingMerges() throws Exception {
        LiveConfig live = startedWith(A, C);
        live.removeEam(C.ipv4(), null);
        assertThat(kernel.log).containsExactly("del 198.51.100.2/32");
        assertThat(kernel.routes).containsExactly("198.51.100.0/32");
    }
}
