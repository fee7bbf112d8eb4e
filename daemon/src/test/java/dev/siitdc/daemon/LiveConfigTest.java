package dev.siitdc.daemon;

import dev.siitdc.dataplane.Role;
import dev.siitdc.dataplane.ServiceAddress;

import dev.siitdc.core.addr.Ipv4Prefix;
import dev.siitdc.core.addr.Ipv6Prefix;
import dev.siitdc.core.config.ConfigException;
import dev.siitdc.core.config.TranslatorConfig;
import dev.siitdc.core.eam.Eam;
import dev.siitdc.core.xlat.Settings;
import dev.siitdc.core.xlat.SettingsRef;
import dev.siitdc.linux.Errno;
import dev.siitdc.linux.LinuxException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LiveConfigTest {
    static final Eam SERVICE = Eam.parse("192.0.2.10", "2001:db8:1::10");

    /** Records the kernel changes; refuses routes listed in {@code existing} with EEXIST. */
    static final class FakeKernel implements LiveConfig.Kernel {
        final List<String> log = new ArrayList<>();
        final Set<String> routes = new HashSet<>();
        final Set<String> existing = new HashSet<>();
        /** The node's addresses (isLocal), as 2001:db8::1. */
        final Set<String> local = new HashSet<>();
        int failMtu;

        @Override
        public void addRoute(LiveConfig.TunRoute r) throws LinuxException {
            String p = r.text();
            if (existing.contains(p) || !routes.add(p)) throw new LinuxException("add route " + p, Errno.EEXIST);
            log.add("add " + p);
        }

        @Override
        public void deleteRoute(LiveConfig.TunRoute r) throws LinuxException {
            String p = r.text();
            if (!routes.remove(p)) throw new LinuxException("delete route " + p, Errno.ESRCH);
            log.add("del " + p);
        }

        @Override
        public void setTunMtu(int mtu) throws LinuxException {
            if (mtu == failMtu) throw new LinuxException("set mtu", Errno.EINVAL);
            log.add("tun mtu " + mtu);
        }

        @Override
        public void setIpv4DefaultRouteMtu(int mtu) {
            log.add("route mtu " + mtu);
        }

        @Override
        public boolean isLocal(byte[] address) throws LinuxException {
            return address.length == 16
                    && local.contains(Ipv6Prefix.format(Ipv6Prefix.readHi(address, 0), Ipv6Prefix.readLo(address, 0)));
        }

        @Override
        public void addProxy(Ipv6Prefix a) {
            log.add("proxy " + a);
        }

        @Override
        public void deleteProxy(Ipv6Prefix a) {
            log.add("unproxy " + a);
        }

        @Override
        public void close() {
            log.add("close");
        }
    }

    static TranslatorConfig config(String pool6, Eam... eams) throws ConfigException {
        TranslatorConfig.Builder b = TranslatorConfig.builder();
        b.pool6 = pool6 == null ? null : Ipv6Prefix.parse(pool6);
        b.eamt = List.of(eams);
        return b.build();
    }

    final FakeKernel kernel = new FakeKernel();

    LiveConfig border(TranslatorConfig c) {
        for (Eam e : c.eamt()) kernel.routes.add(e.ipv4().toString());
        if (c.pool6() != null) kernel.routes.add(c.pool6().toString());
        return new LiveConfig(Role.BORDER_RELAY, "siit0", List.of(), null, new SettingsRef(Settings.compile(c)), kernel);
    }

    LiveConfig edge(TranslatorConfig c) {
        ServiceAddress sa = ServiceAddress.resolve(SERVICE.ipv4().address(), dev.siitdc.core.eam.EamTable.of(c.eamt()));
        return new LiveConfig(Role.EDGE_RELAY, "siit0", List.of(sa), null, new SettingsRef(Settings.compile(c)), kernel);
    }

    @Test
    void addSwapsTheTableAndRoutesTheIpv4PrefixFirst() throws Exception {
        SettingsRef[] ref = new SettingsRef[1];
        TranslatorConfig c = config("64:ff9b::/96", SERVICE);
        ref[0] = new SettingsRef(Settings.compile(c));
        LiveConfig live = new LiveConfig(Role.BORDER_RELAY, "siit0", List.of(), null, ref[0], kernel);
        Settings before = ref[0].get();
        Eam e = Eam.parse("198.51.100.0/24", "2001:db8:100::/120");
        LiveConfig.Change ch = live.addEam(e);
        assertThat(ch.eamsAdded()).isEqualTo(1);
        assertThat(ch.eamCount()).isEqualTo(2);
        assertThat(ref[0].get()).isNotSameAs(before);
        assertThat(ref[0].get().eamTable().find4(Ipv4Prefix.parseAddress("198.51.100.7"))).isEqualTo(e);
        assertThat(before.eamTable().size()).as("the old snapshot is untouched").isEqualTo(1);
        assertThat(kernel.log).containsExactly("add 198.51.100.0/24");
        assertThat(live.config().eamt()).containsExactly(SERVICE, e);
    }

    @Test
    void duplicatesAndSamePrefixesAreRefusedOverlapsAllowed() throws Exception {
        LiveConfig live = border(config("64:ff9b::/96", SERVICE));
        assertThatThrownBy(() -> live.addEam(SERVICE)).isInstanceOf(LiveConfigException.class)
                .hasMessage("EAM 192.0.2.10/32 <-> 2001:db8:1::10/128 already exists")
                .extracting(e -> ((LiveConfigException) e).kind()).isEqualTo(LiveConfigException.Kind.REFUSED);
        assertThatThrownBy(() -> live.addEam(Eam.parse("192.0.2.10", "2001:db8:1::11")))
                .hasMessageContaining("the IPv4 prefix 192.0.2.10/32 is already mapped by the EAM 192.0.2.10/32");
        assertThatThrownBy(() -> live.addEam(Eam.parse("192.0.2.11", "2001:db8:1::10")))
                .hasMessageContaining("the IPv6 prefix 2001:db8:1::10/128 is already mapped");
        live.addEam(Eam.parse("192.0.2.0/24", "2001:db8:1::/120"));      // overlaps: fine
        assertThat(live.eams()).hasSize(2);
    }

    @Test
    void anAddedEamMeetsTheRulesOfAFileOrChangesNothing() throws Exception {
        TranslatorConfig.Builder b = config("64:ff9b::/96", SERVICE).toBuilder();
        b.ownIpv4Address = Ipv4Prefix.parseAddress("203.0.113.1");
        LiveConfig live = border(b.build());
        String[][] refused = {
                {"203.0.113.1", "2001:db8:1::1", "EAM 203.0.113.1/32 <-> 2001:db8:1::1/128: 203.0.113.1/32 is own-ipv4-address"},
                {"0.0.0.0/0", "2001:db8:2::/96", "EAM 0.0.0.0/0 <-> 2001:db8:2::/96: 0.0.0.0/0 would map the whole IPv4"},
                {"203.0.113.2", "::/0", "EAM 203.0.113.2/32 <-> ::/0: ::/0 would map the whole IPv6"},
                {"203.0.113.3", "64:ff9b::1", "lies inside pool6 64:ff9b::/96"},
                {"127.0.0.0/8", "2001:db8:3::/104", "overlaps the loopback block 127.0.0.0/8"},
                {"203.0.113.4", "fe80::4", "overlaps the link-local block fe80::/10"},
                {"224.0.0.0/24", "2001:db8:4::/120", "overlaps the multicast block 224.0.0.0/4"},
        };
        for (String[] r : refused) {
            assertThatThrownBy(() -> live.addEam(Eam.parse(r[0], r[1]))).as(r[0] + " " + r[1])
                    .isInstanceOf(LiveConfigException.class).hasMessageContaining(r[2])
                    .extracting(e -> ((LiveConfigException) e).kind()).isEqualTo(LiveConfigException.Kind.REFUSED);
        }
        assertThat(live.eams()).containsExactly(SERVICE);
        assertThat(kernel.log).as("no route was added for a refused EAM").isEmpty();

        // the override, set live, lets the special-purpose EAM in
        live.edit(c -> {
            TranslatorConfig.Builder o = c.toBuilder();
            o.allowSpecialPurposeEams = true;
            try {
                return o.build();
            } catch (ConfigException e) {
                throw new AssertionError(e);
            }
        });
        live.addEam(Eam.parse("127.0.0.0/8", "2001:db8:3::/104"));
        assertThat(live.eams()).hasSize(2);
    }

    @Test
    void aRouteTheKernelHasAlreadyRefusesTheAddAndChangesNothing() throws Exception {
        LiveConfig live = border(config("64:ff9b::/96", SERVICE));
        kernel.existing.add("203.0.113.0/24");
        assertThatThrownBy(() -> live.addEam(Eam.parse("203.0.113.0/24", "2001:db8:113::/120")))
                .hasMessage("cannot route EAM 203.0.113.0/24 <-> 2001:db8:113::/120 into siit0: the kernel has a route"
                        + " to 203.0.113.0/24 already (ip route show 203.0.113.0/24)");
        assertThat(live.eams()).containsExactly(SERVICE);
    }

    @Test
    void removeByEitherPrefixThenTheRouteGoes() throws Exception {
        Eam a = Eam.parse("198.51.100.0/24", "2001:db8:100::/120"), b = Eam.parse("203.0.113.0/24", "2001:db8:113::/120");
        LiveConfig live = border(config("64:ff9b::/96", SERVICE, a, b));
        live.removeEam(null, Ipv6Prefix.parse("2001:db8:100::/120"));
        live.removeEam(Ipv4Prefix.parse("203.0.113.0/24"), Ipv6Prefix.parse("2001:db8:113::/120"));
        assertThat(live.eams()).containsExactly(SERVICE);
        assertThat(kernel.log).containsExactly("del 198.51.100.0/24", "del 203.0.113.0/24");
        assertThatThrownBy(() -> live.removeEam(Ipv4Prefix.parse("203.0.113.0/24"), null))
                .hasMessage("no EAM has the IPv4 prefix 203.0.113.0/24");
        // exact prefixes only: a shorter one shadowed by a longer one is still found
        live.addEam(Eam.parse("10.0.0.0/8", "2001:db8:a00::/104"));
        live.addEam(Eam.parse("10.0.0.0/24", "2001:db8:b00::/120"));
        live.removeEam(Ipv4Prefix.parse("10.0.0.0/8"), null);
        assertThat(live.eams()).extracting(e -> e.ipv4().toString()).containsExactly("192.0.2.10/32", "10.0.0.0/24");
        assertThatThrownBy(() -> live.removeEam(Ipv4Prefix.parse("10.0.0.0/24"), Ipv6Prefix.parse("2001:db8:1::10")))
                .hasMessageContaining("belong to two different EAMs");
    }

    @Test
    void theLastEamCannotGoWithoutPool6() throws Exception {
        LiveConfig live = border(config(null, SERVICE));
        assertThatThrownBy(() -> live.removeEam(SERVICE.ipv4(), null))
                .hasMessageContaining("at least one of pool6 and [[eamt]] must be present");
        assertThatThrownBy(live::flushEams).hasMessageContaining("at least one of pool6 and [[eamt]] must be present");
    }

    @Test
    void anEdgeRelayKeepsTheEamsOfItsServiceAddresses() throws Exception {
        Eam other = Eam.parse("198.51.100.0/24", "2001:db8:100::/120");
        LiveConfig live = edge(config("64:ff9b::/96", SERVICE, other));
        assertThatThrownBy(() -> live.removeEam(SERVICE.ipv4(), null))
                .hasMessageStartingWith("EAM 192.0.2.10/32 <-> 2001:db8:1::10/128 is the one of this Edge Relay's Service"
                        + " Address 192.0.2.10");
        LiveConfig.Change c = live.flushEams();
        assertThat(c.eamsRemoved()).isEqualTo(1);
        assertThat(c.warnings()).singleElement().asString().startsWith("kept 1 EAM of this Edge Relay's Service Addresses");
        assertThat(live.eams()).containsExactly(SERVICE);
        assertThat(kernel.log).as("an Edge Relay routes no EAM").doesNotContain("del 198.51.100.0/24");
        // a whole new configuration must keep the Service Address's IPv6 Service Address
        TranslatorConfig moved = config("64:ff9b::/96", Eam.parse("192.0.2.10", "2001:db8:1::99"));
        TranslatorConfig without = config("64:ff9b::/96", other);
        assertThatThrownBy(() -> live.edit(cur -> moved))
                .hasMessageContaining("the IPv6 Service Address of 192.0.2.10 would change from 2001:db8:1::10 to"
                        + " 2001:db8:1::99: that needs a restart");
        assertThatThrownBy(() -> live.edit(cur -> without))
                .hasMessageContaining("192.0.2.10 has no EAM");
    }

    @Test
    void editReplacesEverythingAndTheKernelFollows() throws Exception {
        Eam a = Eam.parse("198.51.100.0/24", "2001:db8:100::/120"), b = Eam.parse("203.0.113.0/24", "2001:db8:113::/120");
        LiveConfig live = border(config("64:ff9b::/96", SERVICE, a));
        TranslatorConfig.Builder next = config("2001:db8:46::/96", SERVICE, b).toBuilder();
        next.ipv4Mtu = 1600;
        TranslatorConfig n = next.build();
        LiveConfig.Change c = live.edit(cur -> n);
        assertThat(c.keys()).containsExactly("pool6 \"64:ff9b::/96\" -> \"2001:db8:46::/96\"", "ipv4-mtu 1500 -> 1600");
        assertThat(c.eamsAdded()).isEqualTo(1);
        assertThat(c.eamsRemoved()).isEqualTo(1);
        assertThat(c.describe()).isEqualTo("pool6 \"64:ff9b::/96\" -> \"2001:db8:46::/96\", ipv4-mtu 1500 -> 1600; EAMT: 1"
                + " added, 1 removed, 2 EAMs");
        // additions before the swap, deletions after it
        assertThat(kernel.log).containsExactly("add 203.0.113.0/24", "add 2001:db8:46::/96", "tun mtu 1620",
                "del 198.51.100.0/24", "del 64:ff9b::/96");
        assertThat(live.config().ipv4Mtu()).isEqualTo(1600);
        assertThat(live.config().eamt()).containsExactly(SERVICE, b);
    }

    @Test
    void aKernelFailureRollsTheEditBack() throws Exception {
        Eam a = Eam.parse("198.51.100.0/24", "2001:db8:100::/120"), b = Eam.parse("203.0.113.0/24", "2001:db8:113::/120");
        LiveConfig live = border(config("64:ff9b::/96", SERVICE, a));
        kernel.failMtu = 1620;
        TranslatorConfig.Builder next = config("64:ff9b::/96", SERVICE, a, b).toBuilder();
        next.ipv4Mtu = 1600;
        TranslatorConfig n = next.build();
        assertThatThrownBy(() -> live.edit(cur -> n)).isInstanceOf(LiveConfigException.class)
                .hasMessageStartingWith("cannot set the MTU of siit0 to 1620")
                .extracting(e -> ((LiveConfigException) e).kind()).isEqualTo(LiveConfigException.Kind.FAILED);
        assertThat(kernel.log).containsExactly("add 203.0.113.0/24", "del 203.0.113.0/24");
        assertThat(live.config().ipv4Mtu()).isEqualTo(1500);
        assertThat(live.eams()).containsExactly(SERVICE, a);
    }

    @Test
    void anEdgeRelaysDefaultRouteMtuFollowsLowestIpv6Mtu() throws Exception {
        LiveConfig live = edge(config("64:ff9b::/96", SERVICE));
        TranslatorConfig.Builder next = config("64:ff9b::/96", SERVICE).toBuilder();
        next.lowestIpv6Mtu = 1400;
        TranslatorConfig n = next.build();
        live.edit(cur -> n);
        assertThat(kernel.log).containsExactly("route mtu 1380");
    }

    @Test
    void ownAddressChangesMoveTheirRoutesAndAnEdgeRelaysProxyEntry() throws Exception {
        TranslatorConfig.Builder start = config("64:ff9b::/96", SERVICE).toBuilder();
        start.ownIpv4Address = Ipv4Prefix.parseAddress("203.0.113.1");
        start.ownIpv6Address = Ipv6Prefix.parse("2001:db8:99::1/128");
        TranslatorConfig c = start.build();
        kernel.routes.addAll(List.of("64:ff9b::/96", SERVICE.ipv4().toString(), "203.0.113.1/32", "2001:db8:99::1/128"));
        kernel.local.add("2001:db8:99::5");
        LiveConfig live = new LiveConfig(Role.BORDER_RELAY, "siit0", List.of(), null, new SettingsRef(Settings.compile(c)),
                kernel, Ipv4Prefix.parse("203.0.113.1/32"), Ipv6Prefix.parse("2001:db8:99::1/128"));
        TranslatorConfig.Builder next = c.toBuilder();
        next.ownIpv4Address = Ipv4Prefix.parseAddress("203.0.113.2");
        next.ownIpv6Address = Ipv6Prefix.parse("2001:db8:99::5/128");   // an address of the node: not routed
        TranslatorConfig n = next.build();
        live.edit(cur -> n);
        assertThat(kernel.log).containsExactly("add 203.0.113.2/32", "del 203.0.113.1/32", "del 2001:db8:99::1/128");
        // and back: the IPv6 one is routed again, nothing to delete for the local one
        kernel.log.clear();
        live.edit(cur -> c);
        assertThat(kernel.log).containsExactly("add 203.0.113.1/32", "add 2001:db8:99::1/128", "del 203.0.113.2/32");

        // an Edge Relay: own-ipv6-address with its proxy NDP entry; no IPv4 route (the default route covers it)
        FakeKernel k = new FakeKernel();
        TranslatorConfig.Builder er = config("64:ff9b::/96", SERVICE).toBuilder();
        er.ownIpv6Address = Ipv6Prefix.parse("2001:db8:1::1/128");
        TranslatorConfig e = er.build();
        ServiceAddress sa = ServiceAddress.resolve(SERVICE.ipv4().address(), dev.siitdc.core.eam.EamTable.of(e.eamt()));
        LiveConfig edge = new LiveConfig(Role.EDGE_RELAY, "siit0", List.of(sa), null, new SettingsRef(Settings.compile(e)),
                k, null, Ipv6Prefix.parse("2001:db8:1::1/128"));
        k.routes.add("2001:db8:1::1/128");
        TranslatorConfig.Builder er2 = e.toBuilder();
        er2.ownIpv6Address = Ipv6Prefix.parse("2001:db8:1::5/128");
        er2.ownIpv4Address = Ipv4Prefix.parseAddress("192.0.0.9");
        TranslatorConfig e2 = er2.build();
        edge.edit(cur -> e2);
        assertThat(k.log).containsExactly("add 2001:db8:1::5/128", "proxy 2001:db8:1::5/128", "del 2001:db8:1::1/128",
                "unproxy 2001:db8:1::1/128");
    }

    @Test
    void aFailedChangeTakesTheNewOwnRouteBack() throws Exception {
        TranslatorConfig.Builder start = config("64:ff9b::/96", SERVICE).toBuilder();
        start.ownIpv4Address = Ipv4Prefix.parseAddress("203.0.113.1");
        TranslatorConfig c = start.build();
        kernel.routes.add("203.0.113.1/32");
        LiveConfig live = new LiveConfig(Role.BORDER_RELAY, "siit0", List.of(), null, new SettingsRef(Settings.compile(c)),
                kernel, Ipv4Prefix.parse("203.0.113.1/32"), null);
        TranslatorConfig.Builder next = c.toBuilder();
        next.ownIpv4Address = Ipv4Prefix.parseAddress("203.0.113.2");
        next.ipv4Mtu = 1600;
        kernel.failMtu = 1620;
        TranslatorConfig n = next.build();
        assertThatThrownBy(() -> live.edit(cur -> n)).isInstanceOf(LiveConfigException.class);
        assertThat(kernel.log).containsExactly("add 203.0.113.2/32", "del 203.0.113.2/32");
        assertThat(kernel.routes).contains("203.0.113.1/32");
    }

    @Test
    void aClosedLiveConfigRefusesChanges() throws Exception {
        LiveConfig live = border(config("64:ff9b::/96", SERVICE));
        live.close();
        assertThatThrownBy(() -> live.addEam(Eam.parse("10.0.0.1", "2001:db8::1"))).hasMessage("the daemon is stopping");
    }
}
