package dev.siitdc.core.xlat;

import dev.siitdc.core.eam.Eam;
import dev.siitdc.core.testutil.Pkt;
import dev.siitdc.core.testutil.XlatRun;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static dev.siitdc.core.xlat.Net.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10 item 3: an ICMP error is never translated toward a non-unicast destination (RFC 1812
 * s4.3.2.7 and s5.3.7, RFC 4443 s2.4 e; checklist 58 and 100).
 */
class NonUnicastErrorTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"255.255.255.255", "224.0.0.1", "239.255.255.250", "127.0.0.1", "0.0.0.0", "0.1.2.3"})
    @DisplayName("An ICMPv4 error addressed to broadcast, multicast, loopback or 0/8 is dropped and counted, not translated")
    void icmp4ErrorToNonUnicast(String dst) {
        byte[] quoted = Pkt.v4(dst, ROUTER4).ttl(3).udp(1, 2).payload(4).build();
        byte[] in = Pkt.v4(ROUTER4, dst).ttl(64).icmpError(3, 1, quoted).build();
        XlatRun r = run(in);
        r.assertDroppedBy(Counter.DROP46_ICMP_ERROR_NON_UNICAST);
    }

    @Test
    @DisplayName("The same ICMPv4 error to a unicast host is translated (the rule refuses only non-unicast destinations)")
    void icmp4ErrorToUnicast() {
        byte[] quoted = Pkt.v4(SERVER_A4, ROUTER4).ttl(3).udp(1, 2).payload(4).build();
        XlatRun r = run(Pkt.v4(ROUTER4, SERVER_A4).ttl(64).icmpError(3, 1, quoted).build());
        assertThat(r.only().dst).isEqualTo(SERVER_A6);
    }

    @ParameterizedTest(name = "{0} (EAM {1})")
    @CsvSource({"ff02::1, ff02::/112", "ff0e::101, ff0e::/112", "::1, ::/112", "::, ::/112"})
    @DisplayName("An ICMPv6 error addressed to multicast, loopback or the unspecified address is dropped and counted, not translated")
    void icmp6ErrorToNonUnicast(String dst, String eam6) {
        // an EAM makes the destination translatable, so only the rule stops it
        Translator t = translator(b -> {
            b.allowSpecialPurposeEams = true;   // the documented override lets such an EAM in
            b.eamt = List.of(Eam.parse("192.0.2.0/24", "2001:db8:aaaa::/120"), Eam.parse("198.19.0.0/16", eam6));
        });
        byte[] quoted = Pkt.v6(dst, CLIENT6).hopLimit(3).udp(1, 2).payload(4).build();
        byte[] in = Pkt.v6(SERVER_A6, dst).icmpError(1, 4, quoted).build();
        XlatRun r = run(t, in);
        r.assertDroppedBy(Counter.DROP64_ICMP_ERROR_NON_UNICAST);
    }
}
