package dev.siitdc.core.xlat;

import dev.siitdc.core.packet.Ipv6HeaderChain;
import dev.siitdc.core.testutil.PacketView;
import dev.siitdc.core.testutil.Pkt;
import dev.siitdc.core.testutil.XlatRun;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static dev.siitdc.core.testutil.PacketExpect.expect;
import static dev.siitdc.core.xlat.Net.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10 item 4: one IPv6 extension-header walker with one bound ({@link Ipv6HeaderChain#MAX_EXTENSION_HEADERS}),
 * for the outer packet, the packet an ICMPv6 error quotes and the error-about-an-error check.
 */
class ExtensionHeaderLimitTest {

    static Pkt withDestOptions(Pkt p, int n) {
        for (int i = 0; i < n; i++) p.destOptions();
        return p;
    }

    @Test
    @DisplayName("RFC 7915 s5.1: a packet behind exactly 8 extension headers is translated")
    void atTheBound() {
        byte[] in = withDestOptions(Pkt.v6(SERVER_A6, CLIENT6), Ipv6HeaderChain.MAX_EXTENSION_HEADERS).udp(1, 2).payload(4).build();
        PacketView v = run(in).only();
        expect(v).version(4).protocol(17);
    }

    @Test
    @DisplayName("A packet behind 9 extension headers is dropped as drop-6to4-too-many-extension-headers, silently")
    void pastTheBound() {
        byte[] in = withDestOptions(Pkt.v6(SERVER_A6, CLIENT6), Ipv6HeaderChain.MAX_EXTENSION_HEADERS + 1).udp(1, 2).payload(4).build();
        XlatRun r = run(in);
        r.assertDroppedBy(Counter.DROP64_TOO_MANY_EXTENSION_HEADERS);
    }

    @Test
    @DisplayName("RFC 4443 s2.4 e.1: an ICMPv6 error behind 17 extension headers after a Fragment header is never answered")
    void errorBehindManyHeadersIsNotAnswered() {
        // the Destination Options after the Fragment header earn a 1/1 (RFC 7915 s5.1.1), unless this is an error
        Pkt p = Pkt.v6(SERVER_A6, CLIENT6).fragment(5, 0, false);
        byte[] in = withDestOptions(p, 17).icmpError(1, 4, tcpToA6(8).build()).build();
        XlatRun r = run(in);
        assertThat(r.views).as("no ICMPv6 error about an ICMPv6 error").noneMatch(PacketView::isIcmp);
        assertThat(r.packets).isEmpty();
    }

    @Test
    @DisplayName("The packet an ICMPv6 error quotes is walked with the same bound: 9 headers make it invalid")
    void quotedPacketPastTheBound() {
        byte[] quoted = withDestOptions(Pkt.v6(CLIENT6, SERVER_A6), Ipv6HeaderChain.MAX_EXTENSION_HEADERS + 1)
                .udp(1, 2).payload(4).build();
        XlatRun r = run(Pkt.v6(SERVER_A6, CLIENT6).icmpError(1, 4, quoted).build());
        r.assertDroppedBy(Counter.DROP64_INNER_INVALID);
    }

    @Test
    @DisplayName("The quoted packet at the bound (8 headers) is translated")
    void quotedPacketAtTheBound() {
        byte[] quoted = withDestOptions(Pkt.v6(CLIENT6, SERVER_A6), Ipv6HeaderChain.MAX_EXTENSION_HEADERS)
                .udp(1, 2).payload(4).build();
        PacketView v = run(Pkt.v6(SERVER_A6, CLIENT6).icmpError(1, 4, quoted).build()).only();
        assertThat(v.version).isEqualTo(4);
        assertThat(v.inner().protocol).isEqualTo(17);
    }

    @Test
    @DisplayName("The walker: the upper layer, the Fragment header and the Next Header pointer, all from one walk")
    void walkerResults() {
        byte[] p = Pkt.v6(SERVER_A6, CLIENT6).hopByHop().fragment(9, 0, true).udp(1, 2).payload(4).build();
        Ipv6HeaderChain c = new Ipv6HeaderChain();
        assertThat(c.walk(p, 0, p.length)).isEqualTo(Ipv6HeaderChain.OK);
        assertThat(c.upperProtocol()).isEqualTo(17);
        assertThat(c.upperOffset()).isEqualTo(56);
        assertThat(c.fragmentHeader()).isEqualTo(48);
        assertThat(c.nextHeaderPointer()).isEqualTo(48);
        assertThat(c.walk(p, 0, 50)).isEqualTo(Ipv6HeaderChain.TRUNCATED);
    }
}
