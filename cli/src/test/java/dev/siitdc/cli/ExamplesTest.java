package dev.siitdc.cli;

import dev.siitdc.daemon.config.DaemonConfig;
import dev.siitdc.daemon.config.DaemonConfigLoader;
import dev.siitdc.core.addr.Ipv4Prefix;
import dev.siitdc.core.eam.Eam;
import dev.siitdc.daemon.RelayConfig;
import dev.siitdc.dataplane.Role;
import dev.siitdc.daemon.SegmentConfig;
import dev.siitdc.daemon.dhcp.DhcpConfig;
import dev.siitdc.daemon.metrics.MetricsConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example configurations of examples/ pass {@code siitdc check-config} (the command itself, in-process),
 * hold together as RFC 7756 asks of a BR and its Edge Relays, and each network-based Edge Relay example is
 * the RFC 7756 s3.2 variant it claims to be.
 */
class ExamplesTest {
    static final Path EXAMPLES = Path.of("../examples");
    static final Path BR = EXAMPLES.resolve("border-relay.toml");
    static final Path ER = EXAMPLES.resolve("edge-relay-node.toml");
    /** Appendix A.1: the segment subnet encloses the Service Addresses, DHCP leases them. */
    static final Path NETWORK = EXAMPLES.resolve("edge-relay-network.toml");
    /** Appendix A.2: a private segment, the Service Addresses routed via the nodes. */
    static final Path PRIVATE = EXAMPLES.resolve("edge-relay-private-segment.toml");
    /** s3.2.1: "on a stick". */
    static final Path STICK = EXAMPLES.resolve("edge-relay-on-a-stick.toml");
    /** s3.2.2: the ER bridges IPv6. */
    static final Path BRIDGE = EXAMPLES.resolve("edge-relay-bridge.toml");

    @Test
    void everyExamplePassesCheckConfig() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.walk(EXAMPLES)) {
            files = s.filter(p -> p.toString().endsWith(".toml")).sorted().toList();
        }
        assertThat(files).contains(BR, ER, NETWORK, PRIVATE, STICK, BRIDGE);
        for (Path f : files) {
            CliRun r = CliRun.siitdc("check-config", f.toString());
            assertThat(r.exit()).as("check-config %s: %s", f, r.err()).isZero();
            assertThat(r.out()).isEqualTo(f + ": OK\n");
        }
    }

    /** Every examples/edge-relay-*.toml. */
    static List<Path> edgeRelayExamples() throws Exception {
        try (Stream<Path> s = Files.list(EXAMPLES)) {
            return s.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith("edge-relay-") && n.endsWith(".toml");
            }).sorted().toList();
        }
    }

    @Test
    void theBorderRelayAndEveryEdgeRelayAgreeAsRfc7756Asks() throws Exception {
        DaemonConfig br = DaemonConfigLoader.load(BR);
        assertThat(br.relay().role()).isEqualTo(Role.BORDER_RELAY);
        // the BR hairpins (s5.1)
        assertThat(br.translator().eamHairpinMode()).isNotEqualTo(dev.siitdc.core.config.HairpinMode.OFF);
        // metrics on, on the loopback only
        assertThat(br.metrics()).isEqualTo(MetricsConfig.DEFAULT);

        List<Path> ers = edgeRelayExamples();
        assertThat(ers).contains(ER, NETWORK, PRIVATE, STICK, BRIDGE);
        Map<Integer, Path> owner = new HashMap<>();
        for (Path f : ers) {
            DaemonConfig er = DaemonConfigLoader.load(f);
            assertThat(er.relay().role()).as("%s", f).isEqualTo(Role.EDGE_RELAY);
            // s4.1: identical configured IPv6 path MTU, raised above 1280
            assertThat(er.translator().lowestIpv6Mtu()).as("%s: lowest-ipv6-mtu", f)
                    .isEqualTo(br.translator().lowestIpv6Mtu()).isGreaterThan(1280);
            // the ER reaches everything else through the BR's translation prefix
            assertThat(er.translator().pool6()).as("%s: pool6", f).isEqualTo(br.translator().pool6());
            // s3: every EAM of the ER's own Service Addresses is on the BR too
            for (int sa : er.relay().serviceAddresses()) {
                Eam local = er.translator().eamt().stream()
                        .filter(e -> e.ipv4().length() == 32 && e.ipv4().address() == sa).findFirst().orElseThrow();
                assertThat(br.translator().eamt()).as("%s: the BR's EAMs", f).contains(local);
                // one BR serves them all: no Service Address belongs to two Edge Relays
                Path before = owner.putIfAbsent(sa, f);
                assertThat(before).as("%s: %s is a Service Address of %s too", f, Ipv4Prefix.format(sa), before)
                        .isNull();
            }
            assertThat(er.metrics()).as("%s: metrics", f).isEqualTo(MetricsConfig.DEFAULT);
            SegmentConfig seg = er.relay().segment();
            if (seg != null) {
                // Appendix A.1's drawback: the nodes would ARP for any other IPv4 Service Address inside their
                // segment subnet instead of sending it to the ER. No EAM of the BR but the ER's own is in it.
                for (Eam e : br.translator().eamt()) {
                    int a = e.ipv4().address();
                    if (seg.inSubnet(a)) {
                        assertThat(er.relay().serviceAddresses()).as("%s: %s lies in the segment subnet %s", f,
                                e.ipv4(), seg.subnet()).contains(a);
                    }
                }
            }
        }
        assertThat(DaemonConfigLoader.load(ER).relay().segment()).as("node-based").isNull();
    }

    @Test
    void eachNetworkBasedEdgeRelayIsTheVariantItClaims() throws Exception {
        // Appendix A.1: the subnet encloses the Service Addresses, DHCP leases exactly them, option 26 per s4.2.
        DaemonConfig a1 = DaemonConfigLoader.load(NETWORK);
        RelayConfig r = a1.relay();
        SegmentConfig seg = r.segment();
        assertThat(seg).isNotNull();
        assertThat(seg.bridge()).isNull();
        assertThat(seg.interfaceName()).isNotEqualTo(r.upstreamInterface());
        assertThat(seg.nextHops()).isEmpty();
        assertThat(seg.dhcp()).isTrue();
        assertThat(r.serviceAddresses()).allMatch(seg::inSubnet);
        assertThat(pool(seg, r)).containsExactlyInAnyOrderElementsOf(r.serviceAddresses());
        assertThat(seg.staticBindings()).isNotEmpty();
        assertThat(r.serviceAddresses()).containsAll(seg.staticBindings().values());
        DhcpConfig dhcp = seg.dhcpConfig(r.serviceAddresses(), a1.translator().lowestIpv6Mtu());
        assertThat(dhcp.interfaceMtu()).isEqualTo(a1.translator().lowestIpv6Mtu() - 20);
        assertThat(dhcp.router()).isEqualTo(seg.address());
        assertThat(Arrays.stream(dhcp.pool()).boxed().toList())
                .containsExactlyInAnyOrderElementsOf(r.serviceAddresses());

        // Appendix A.2: a private subnet without the Service Addresses, each routed via its node; no DHCP.
        r = DaemonConfigLoader.load(PRIVATE).relay();
        seg = r.segment();
        assertThat(seg).isNotNull();
        assertThat(seg.bridge()).isNull();
        assertThat(seg.dhcp()).isFalse();
        assertThat(r.serviceAddresses()).noneMatch(seg::inSubnet);
        assertThat(seg.nextHops().keySet()).containsExactlyInAnyOrderElementsOf(r.serviceAddresses());
        assertThat(seg.nextHops().values()).allMatch(seg::inSubnet);
        assertThat(pool(seg, r)).isEmpty();
        assertThat(seg.address() >>> 24).as("a private (RFC 1918) segment").isEqualTo(10);

        // s3.2.1: on a stick, one interface toward the data centre and the nodes.
        r = DaemonConfigLoader.load(STICK).relay();
        seg = r.segment();
        assertThat(seg).isNotNull();
        assertThat(r.upstreamInterface()).isNotNull();
        assertThat(seg.interfaceName()).isEqualTo(r.upstreamInterface());
        assertThat(seg.bridge()).isNull();
        assertThat(seg.dhcp()).isTrue();
        assertThat(pool(seg, r)).containsExactlyInAnyOrderElementsOf(r.serviceAddresses());

        // s3.2.2: a new bridge joins two different interfaces; IPv4 (segment address, DHCP) is on the bridge.
        r = DaemonConfigLoader.load(BRIDGE).relay();
        seg = r.segment();
        assertThat(seg).isNotNull();
        assertThat(seg.bridge()).isNotNull().isNotIn(r.upstreamInterface(), seg.interfaceName(), r.tunName());
        assertThat(r.upstreamInterface()).isNotNull().isNotEqualTo(seg.interfaceName());
        assertThat(seg.layer3Interface()).isEqualTo(seg.bridge());
        assertThat(seg.dhcp()).isTrue();
        assertThat(pool(seg, r)).containsExactlyInAnyOrderElementsOf(r.serviceAddresses());
    }

    /** The addresses the segment's DHCP server leases. */
    private static List<Integer> pool(SegmentConfig seg, RelayConfig r) {
        return Arrays.stream(seg.dhcpPool(r.serviceAddresses())).boxed().toList();
    }
}
