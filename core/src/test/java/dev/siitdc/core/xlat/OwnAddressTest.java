package dev.siitdc.core.xlat;

import dev.siitdc.core.testutil.Pkt;
import dev.siitdc.core.testutil.PacketView;
import dev.siitdc.core.testutil.XlatRun;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static dev.siitdc.core.testutil.PacketExpect.expect;
import static org.assertj.core.api.Assertions.assertThat;

/** Packets for the translator's own addresses are answered, not translated. */
class OwnAddressTest {

    @Test
    @DisplayName("RFC 792: an echo request to own-ipv4-address gets an echo reply from it, not a translation")
    void ping4() {
        byte[] in = Pkt.v4(Net.CLIENT4, Net.OWN4).ttl(30).echoRequest(7, 1).payload(32).build();
        XlatRun r = Net.run(in);
        assertThat(r.views).hasSize(1);
        PacketView v = r.views.get(0);
        expect(v).version(4).route(Net.OWN4, Net.CLIENT4).icmpType(0).ttl(64);
        assertThat(r.delta).containsEntry(Counter.ECHO_REPLIES_SENT, 1L);
    }

    @Test
    @DisplayName("RFC 4443 s4.2: an echo request to own-ipv6-address gets an echo reply from it")
    void ping6() {
        byte[] in = Pkt.v6(Net.SERVER_A6, Net.OWN6).echoRequest(7, 1).payload(32).build();
        XlatRun r = Net.run(in);
        assertThat(r.views).hasSize(1);
        PacketView v = r.views.get(0);
        expect(v).version(6).route(Net.OWN6, Net.SERVER_A6).icmpType(129);
        assertThat(r.delta).containsEntry(Counter.ECHO_REPLIES_SENT, 1L);
    }

    @Test
    @DisplayName("UDP to own-ipv4-address / own-ipv6-address: port unreachable, counted as a drop")
    void udpIsPortUnreachable() {
        XlatRun r4 = Net.run(Pkt.v4(Net.CLIENT4, Net.OWN4).udp(40000, 33434).payload(10).build());
        assertThat(r4.views).hasSize(1);
        assertThat(r4.views.get(0).icmpType).isEqualTo(3);
        assertThat(r4.views.get(0).icmpCode).isEqualTo(3);
        assertThat(r4.delta).containsEntry(Counter.DROP46_TO_OWN_ADDRESS, 1L);
        XlatRun r6 = Net.run(Pkt.v6(Net.SERVER_A6, Net.OWN6).udp(40000, 33434).payload(10).build());
        assertThat(r6.views).hasSize(1);
        assertThat(r6.views.get(0).icmpType).isEqualTo(1);
        assertThat(r6.views.get(0).icmpCode).isEqualTo(4);
    }
}
