package dev.siitdc.daemon.dhcp;

import static dev.siitdc.daemon.dhcp.Fx.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DhcpConfigTest {

    @Test
    void derivedValues() {
        DhcpConfig c = config().build();
        assertThat(c.subnetMask()).isEqualTo(ip("255.255.255.248"));
        assertThat(c.network()).isEqualTo(ip("192.0.2.24"));
        assertThat(c.broadcastAddress()).isEqualTo(ip("192.0.2.31"));
        assertThat(c.router()).isEqualTo(SERVER);
        assertThat(c.renewalSeconds()).isEqualTo(1800);
        assertThat(c.rebindingSeconds()).isEqualTo(3150);
        assertThat(c.interfaceMtu()).isEqualTo(1480);
        assertThat(DhcpConfig.interfaceMtuFor(9000)).isEqualTo(8980);
    }

    @Test
    void inconsistentConfigurationsAreRejectedWithTheReason() {
        assertRejected(DhcpConfig.builder(SERVER, 29).pool(ip("192.0.2.33")), "outside the subnet 192.0.2.24/29");
        assertRejected(DhcpConfig.builder(SERVER, 29).pool(ip("192.0.2.31")), "network or broadcast");
        assertRejected(DhcpConfig.builder(SERVER, 29).pool(SERVER), "own address");
        assertRejected(DhcpConfig.builder(SERVER, 29).pool(A26, A26), "listed twice");
        assertRejected(DhcpConfig.builder(SERVER, 29), "no address to give");
        assertRejected(DhcpConfig.builder(SERVER, 32).pool(A26), "prefix length");
        assertRejected(DhcpConfig.builder(SERVER, 29).pool(A26).interfaceMtu(67), "interface MTU");
        assertRejected(DhcpConfig.builder(SERVER, 29).pool(A26).leaseSeconds(59), "lease time");
        assertRejected(DhcpConfig.builder(SERVER, 29).pool(A26).router(ip("10.0.0.1")), "the router");
        assertRejected(DhcpConfig.builder(SERVER, 29).staticBinding(MAC1, A26).staticBinding(MAC2, A26),
                "already bound to 02:00:5e:00:53:01");
        assertRejected(DhcpConfig.builder(SERVER, 29).staticBinding(0x010203040506L, A26), "not a unicast MAC");
        assertThatThrownBy(() -> DhcpConfig.builder(SERVER, 29).staticBinding(MAC1, A26).staticBinding(MAC1, A27))
                .hasMessageContaining("two static bindings");
    }

    @Test
    void aSlash31HasNoNetworkOrBroadcastAddress() {
        DhcpConfig c = DhcpConfig.builder(A26, 31).pool(A27).build();
        assertThat(c.broadcastAddress()).isZero();
        Fx fx = new Fx(c, null);
        DhcpMessage offer = fx.send(ClientPacket.discover(MAC1).option(55, 28));
        assertThat(offer.yiaddr()).isEqualTo(A27);
        assertThat(offer.findOption(DhcpMessage.OPT_BROADCAST)).isNegative();
    }

    @Test
    void macAddresses() {
        assertThat(Mac.format(Mac.parse("02:00:5E:00:53:01"))).isEqualTo("02:00:5e:00:53:01");
        assertThat(Mac.parse("02-00-5e-00-53-01")).isEqualTo(MAC1);
        assertThat(Mac.isUnicast(MAC1)).isTrue();
        assertThat(Mac.isUnicast(0)).isFalse();
        assertThat(Mac.isUnicast(0x01005e000001L)).isFalse();
        assertThatThrownBy(() -> Mac.parse("02:00:5e:00:53")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Mac.parse("02:00:5e:00:53:0g")).isInstanceOf(IllegalArgumentException.class);
    }

    private static void assertRejected(DhcpConfig.Builder b, String reason) {
        assertThatThrownBy(b::build).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(reason);
    }
}
