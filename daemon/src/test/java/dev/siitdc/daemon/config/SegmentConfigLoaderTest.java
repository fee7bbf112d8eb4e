package dev.siitdc.daemon.config;

import dev.siitdc.core.addr.Ipv4Prefix;
import dev.siitdc.daemon.SegmentConfig;
import dev.siitdc.daemon.dhcp.DhcpConfig;
import dev.siitdc.daemon.dhcp.Mac;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The network-based Edge Relay's keys (RFC 7756 s3.2, Appendix A) of {@code [relay]}. */
class SegmentConfigLoaderTest {
    /** Service Addresses .66 and .67 (A.1, inside 198.51.100.64/29) and .70 (A.2, outside it). */
    static final String TRANSLATOR = """
            [translator]
            pool6 = "2001:db8:46::/96"
            lowest-ipv6-mtu = 1500

            [[eamt]]
            ipv4 = "198.51.100.66"
            ipv6 = "2001:db8:12:34::66"

            [[eamt]]
            ipv4 = "198.51.100.67"
            ipv6 = "2001:db8:12:34::67"

            [[eamt]]
            ipv4 = "198.51.100.90"
            ipv6 = "2001:db8:12:34::90"

            [relay]
            role = "edge-relay"
            upstream-interface = "eth0"
            """;  // [relay] is line 17; the keys below start on line 20

    static DaemonConfig parse(String keys) throws ConfigError {
        return DaemonConfigLoader.parse(TRANSLATOR + keys, "t.toml");
    }

    static String error(String keys) {
        return ConfigErrors.messageOf(() -> parse(keys), keys);
    }

    static int ip(String s) {
        return Ipv4Prefix.parseAddress(s);
    }

    @Test
    void appendixA1SubnetEnclosingTheServiceAddressesLeasesThemByDhcp() throws ConfigError {
        SegmentConfig s = parse("""
                service-addresses = ["198.51.100.66", "198.51.100.67"]
                segment-interface = "eth1"
                segment-address = "198.51.100.65/29"
                """).relay().segment();
        assertThat(s.interfaceName()).isEqualTo("eth1");
        assertThat(s.address()).isEqualTo(ip("198.51.100.65"));
        assertThat(s.prefixLength()).isEqualTo(29);
        assertThat(s.subnet()).isEqualTo("198.51.100.64/29");
        assertThat(s.dhcp()).as("DHCP on by default when the subnet holds Service Addresses").isTrue();
        assertThat(s.dhcpPool(List.of(ip("198.51.100.66"), ip("198.51.100.67"))))
                .containsExactly(ip("198.51.100.66"), ip("198.51.100.67"));
        assertThat(s.effectiveLeaseFile("siit0")).isEqualTo(Path.of("/var/lib/siitdc/siit0.leases"));
        assertThat(s.leaseSeconds()).isEqualTo(3600);
        assertThat(s.layer3Interface()).isEqualTo("eth1");
        // RFC 7756 s4.2: option 26 is the lowest IPv6 MTU less 20.
        DhcpConfig d = s.dhcpConfig(List.of(ip("198.51.100.66"), ip("198.51.100.67")), 1500);
        assertThat(d.interfaceMtu()).isEqualTo(1480);
        assertThat(d.router()).isEqualTo(ip("198.51.100.65"));
        assertThat(d.subnetMask()).isEqualTo(ip("255.255.255.248"));
    }

    @Test
    void appendixA2ServiceAddressRoutedViaItsNode() throws ConfigError {
        SegmentConfig s = parse("""
                service-addresses = ["198.51.100.90"]
                segment-interface = "eth1"
                segment-address = "10.64.0.1/24"
                segment-next-hops = { "198.51.100.90" = "10.64.0.70" }
                """).relay().segment();
        assertThat(s.nextHops()).isEqualTo(Map.of(ip("198.51.100.90"), ip("10.64.0.70")));
        assertThat(s.dhcp()).as("A.2 precludes DHCP for the Service Addresses").isFalse();
    }

    @Test
    void bothAppendicesMixAndTheDhcpPoolIsTheOnLinkPart() throws ConfigError {
        SegmentConfig s = parse("""
                service-addresses = ["198.51.100.66", "198.51.100.90"]
                segment-interface = "eth1"
                segment-address = "198.51.100.65/29"
                segment-next-hops = { "198.51.100.90" = "198.51.100.69" }
                dhcp-static = { "02:00:5e:00:53:42" = "198.51.100.66" }
                dhcp-lease-time = 600
                dhcp-lease-file = "/tmp/x.leases"
                dhcp-dns-servers = ["198.51.100.53"]
                """).relay().segment();
        assertThat(s.dhcpPool(List.of(ip("198.51.100.66"), ip("198.51.100.90")))).containsExactly(ip("198.51.100.66"));
        assertThat(s.staticBindings()).isEqualTo(Map.of(Mac.parse("02:00:5e:00:53:42"), ip("198.51.100.66")));
        assertThat(s.leaseSeconds()).isEqualTo(600);
        assertThat(s.leaseFile()).isEqualTo(Path.of("/tmp/x.leases"));
        assertThat(s.dnsServers()).containsExactly(ip("198.51.100.53"));
    }

    @Test
    void onAStickIsTheUpstreamInterfaceAndTheBridgeJoinsTwo() throws ConfigError {
        SegmentConfig stick = parse("""
                service-addresses = ["198.51.100.66"]
                segment-interface = "eth0"
                segment-address = "198.51.100.65/29"
                """).relay().segment();
        assertThat(stick.interfaceName()).isEqualTo("eth0");
        SegmentConfig br = parse("""
                service-addresses = ["198.51.100.66"]
                segment-interface = "eth1"
                segment-address = "198.51.100.65/29"
                segment-bridge = "br-siitdc"
                """).relay().segment();
        assertThat(br.bridge()).isEqualTo("br-siitdc");
        assertThat(br.layer3Interface()).isEqualTo("br-siitdc");
    }

    @Test
    void badSegmentsAreRefusedWithFileLineAndKey() {
        String sas = "service-addresses = [\"198.51.100.66\", \"198.51.100.90\"]\n";
        assertThat(error(sas + "segment-interface = \"eth1\"\n"))
                .startsWith("t.toml:17: relay.segment-address: missing");
        assertThat(error(sas + "segment-interface = \"eth1\"\nsegment-address = \"198.51.100.65\"\n"))
                .isEqualTo("t.toml:22: relay.segment-address: \"198.51.100.65\" needs the subnet's length, e.g."
                        + " \"198.51.100.65/29\"");
        assertThat(error(sas + "segment-interface = \"eth1\"\nsegment-address = \"198.51.100.64/29\"\n"))
                .startsWith("t.toml:22: relay.segment-address: \"198.51.100.64/29\" is the subnet's network address");
        assertThat(error(sas + "segment-interface = \"eth1\"\nsegment-address = \"198.51.100.65/31\"\n"))
                .startsWith("t.toml:22: relay.segment-address: \"198.51.100.65/31\": the subnet must be /1 to /30");
        // .70 is outside the /29 and has no next hop.
        assertThat(error(sas + "segment-interface = \"eth1\"\nsegment-address = \"198.51.100.65/29\"\n"))
                .startsWith("t.toml:20: relay.service-addresses[2]: 198.51.100.90 is outside the segment subnet"
                        + " 198.51.100.64/29: either widen segment-address");
        assertThat(error(sas + "segment-interface = \"eth1\"\nsegment-address = \"198.51.100.65/29\"\n"
                + "segment-next-hops = { \"198.51.100.90\" = \"10.0.0.7\" }\n"))
                .startsWith("t.toml:23: relay.segment-next-hops.198.51.100.90: \"10.0.0.7\" is not on the segment");
        assertThat(error(sas + "segment-interface = \"eth1\"\nsegment-address = \"198.51.100.65/29\"\n"
                + "segment-next-hops = { \"198.51.100.71\" = \"198.51.100.69\" }\n"))
                .contains("relay.segment-next-hops.198.51.100.71: \"198.51.100.71\" is not one of the service-addresses");
        assertThat(error("service-addresses = [\"198.51.100.66\"]\nsegment-interface = \"eth1\"\n"
                + "segment-address = \"198.51.100.65/29\"\ndhcp-static = { \"02:00:5e:00:53:42\" = \"198.51.100.67\" }\n"))
                .startsWith("t.toml:23: relay.dhcp-static.02:00:5e:00:53:42: \"198.51.100.67\" is not one of the"
                        + " service-addresses");
        assertThat(error("service-addresses = [\"198.51.100.66\"]\nsegment-interface = \"eth1\"\n"
                + "segment-address = \"198.51.100.65/29\"\ndhcp-static = { \"01:00:5e:00:53:42\" = \"198.51.100.66\" }\n"))
                .contains("is not a unicast MAC address");
        assertThat(error("service-addresses = [\"198.51.100.90\"]\nsegment-interface = \"eth1\"\n"
                + "segment-address = \"10.64.0.1/24\"\nsegment-next-hops = { \"198.51.100.90\" = \"10.64.0.70\" }\n"
                + "dhcp = true\n"))
                .startsWith("t.toml:24: relay.dhcp: no Service Address is inside the segment subnet 10.64.0.0/24");
        assertThat(error("service-addresses = [\"198.51.100.66\"]\nsegment-interface = \"eth0\"\n"
                + "segment-address = \"198.51.100.65/29\"\nsegment-bridge = \"br0\"\n"))
                .startsWith("t.toml:23: relay.segment-bridge: upstream-interface and segment-interface are the same");
        assertThat(error("service-addresses = [\"198.51.100.66\"]\nsegment-address = \"198.51.100.65/29\"\n"))
                .startsWith("t.toml:21: relay.segment-address: needs segment-interface");
        assertThat(error("service-addresses = [\"198.51.100.66\"]\nsegment-interface = \"eth1\"\n"
                + "segment-address = \"198.51.100.65/29\"\ndhcp-lease-time = 10\n"))
                .startsWith("t.toml:23: relay.dhcp-lease-time: must be 60 to");
    }

    @Test
    void aBorderRelayHasNoSegment() {
        String toml = "[relay]\nrole = \"border-relay\"\nsegment-interface = \"eth1\"\n[[eamt]]\nipv4 = \"192.0.2.1\"\n"
                + "ipv6 = \"2001:db8::1\"\n";
        assertThat(ConfigErrors.messageOf(() -> DaemonConfigLoader.parse(toml, "b.toml"), toml))
                .isEqualTo("b.toml:3: relay.segment-interface: only a network-based edge-relay has a segment"
                        + " (role is \"border-relay\")");
    }
}
