package dev.siitdc.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class RouteTest {
    static byte[] ip(String s) throws Exception {
        return InetAddress.getByName(s).getAddress();
    }

    @Test
    void buildsImmutably() throws Exception {
        Route base = Route.to(Rtnetlink.AF_INET, ip("198.51.100.0"), 24);
        Route full = base.dev(3).via(ip("192.0.2.254")).mtu(1260).table(100).source(ip("192.0.2.1"));
        assertThat(base.ifindex()).isZero();
        assertThat(base.table()).isEqualTo(Rtnetlink.RT_TABLE_MAIN);
        assertThat(full.toString()).isEqualTo("198.51.100.0/24 via 192.0.2.254 dev #3 mtu 1260 table 100 src 192.0.2.1");
        assertThat(full).isEqualTo(base.dev(3).via(ip("192.0.2.254")).mtu(1260).table(100).source(ip("192.0.2.1")));
        byte[] dst = full.destination();
        dst[0] = 1;
        assertThat(full.destination()[0]).isEqualTo((byte) 198);
    }

    @Test
    void validates() throws Exception {
        assertThatThrownBy(() -> Route.to(Rtnetlink.AF_INET, ip("2001:db8::"), 24))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Route.to(Rtnetlink.AF_INET6, ip("2001:db8::"), 129))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Route.to(7, new byte[4], 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Route.to(Rtnetlink.AF_INET6, ip("2001:db8::"), 64).via(ip("192.0.2.1")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void formatsIpv6Compressed() throws Exception {
        assertThat(Route.text(ip("2001:db8::1"))).isEqualTo("2001:db8::1");
        assertThat(Route.text(ip("64:ff9b::"))).isEqualTo("64:ff9b::");
        assertThat(Route.text(ip("::"))).isEqualTo("::");
        assertThat(Route.text(ip("2001:db8:0:1:0:0:0:1"))).isEqualTo("2001:db8:0:1::1");
        assertThat(Route.text(ip("2001:0:0:1:0:0:0:1"))).isEqualTo("2001:0:0:1::1");
        assertThat(Route.text(ip("2001:db8:1:2:3:4:0:5"))).isEqualTo("2001:db8:1:2:3:4:0:5");
    }

    @Test
    void tunArgumentsAreChecked() {
        assertThatThrownBy(() -> Tun.create("x", 2, 0)).hasMessageContaining("IFF_MULTI_QUEUE");
        assertThatThrownBy(() -> Tun.create("x", 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Tun.create("sixteen-chars-xx", 1, 0)).hasMessageContaining("longer than 15");
        assertThatThrownBy(() -> Tun.create("x", 1, 0x0002)).hasMessageContaining("unsupported TUN flags");
    }
}
