package dev.siitdc.core.xlat;

import dev.siitdc.core.config.TranslatorConfig;
import dev.siitdc.core.eam.Eam;
import dev.siitdc.core.eam.EamTable;
import dev.siitdc.core.testutil.PacketView;
import dev.siitdc.core.testutil.Pkt;
import dev.siitdc.core.testutil.RefChecksum;
import dev.siitdc.core.testutil.XlatRun;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.siitdc.core.testutil.PacketExpect.expect;
import static dev.siitdc.core.xlat.Net.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10 item 1: Path MTU discovery across the hairpin (RFC 7757 s4.2, RFC 7756 s5.1) and the
 * hairpin loop counter. A hairpinned packet with DF that does not fit ipv6-mtu is answered with a
 * Packet Too Big to its IPv6 sender, never dropped silently.
 */
class HairpinPmtudTest {

    static Translator smallIpv6Mtu() { return translator(b -> b.ipv6Mtu = 1400); }

    @Test
    @DisplayName("RFC 7757 s4.2 + RFC 7915 s4: a 1500-byte hairpinned packet (DF) over ipv6-mtu 1400 -> Packet Too Big 1400 to the sender, from own-ipv6-address")
    void packetTooBigToTheSender() {
        byte[] in = Pkt.v6(SERVER_A6, SERVER_B_POOL6).hopLimit(64).tcp(40000, 80).payload(1500 - 60).build();
        XlatRun r = run(smallIpv6Mtu(), in);
        PacketView v = r.only();
        expect(v).version(6).route(OWN6, SERVER_A6).icmp(2, 0);
        assertThat(v.mtu()).as("the sender's 1400-byte packets fit once hairpinned").isEqualTo(1400);
        assertThat(RefChecksum.l4Valid(r.onlyBytes())).isTrue();
        assertThat(v.icmpBody()).as("quotes the packet as the sender sent it").isEqualTo(Pkt.cut(in, 1280 - 48));
        assertThat(r.delta(Counter.DROP_HAIRPIN_TOO_BIG)).isEqualTo(1);
        assertThat(r.delta(Counter.ICMP6_ERRORS_SENT)).isEqualTo(1);
        assertThat(r.delta(Counter.HAIRPINNED)).isZero();
    }

    @Test
    @DisplayName("RFC 7757 s4.2: the MTU is seen from the sender: its Destination Options header (8 bytes) is counted in")
    void mtuCountsTheSendersExtensionHeaders() {
        byte[] in = Pkt.v6(SERVER_A6, SERVER_B_POOL6).destOptions().tcp(40000, 80).payload(1500 - 68).build();
        PacketView v = run(smallIpv6Mtu(), in).only();
        expect(v).icmpType(2).mtu(1408);
    }

    @Test
    @DisplayName("RFC 7757 s4.2: a sender that obeys the Packet Too Big gets through the hairpin whole")
    void theAdvertisedSizeFits() {
        byte[] in = Pkt.v6(SERVER_A6, SERVER_B_POOL6).tcp(40000, 80).payload(1400 - 60).build();
        XlatRun r = run(smallIpv6Mtu(), in);
        PacketView v = r.only();
        expect(v).dst(SERVER_B6).length(1400);
        assertThat(r.delta(Counter.HAIRPINNED)).isEqualTo(1);
        assertThat(r.drops()).isZero();
    }

    @Test
    @DisplayName("RFC 7757 s4.2 + RFC 7915 s4: the Packet Too Big goes through the ICMP error rate limiter")
    void rateLimited() {
        Translator t = smallIpv6Mtu();
        t.setIcmpRateLimit(new IcmpRateLimiter(1, 1), () -> 0L);
        byte[] in = Pkt.v6(SERVER_A6, SERVER_B_POOL6).tcp(40000, 80).payload(1500 - 60).build();
        assertThat(run(t, in).packets).hasSize(1);
        XlatRun second = run(t, in);
        assertThat(second.packets).isEmpty();
        assertThat(second.delta(Counter.ICMP_ERRORS_RATE_LIMITED)).isEqualTo(1);
        assertThat(second.delta(Counter.DROP_HAIRPIN_TOO_BIG)).isEqualTo(1);
    }

    @Test
    @DisplayName("RFC 7757 s4.2: a hairpinned packet that the sender let be fragmented (Fragment header) is fragmented to fit, not refused")
    void fragmentableHairpinIsFragmented() {
        byte[] in = Pkt.v6(SERVER_A6, SERVER_B_POOL6).fragment(77, 0, false).udp(1, 2).payload(1500 - 56).build();
        XlatRun r = run(smallIpv6Mtu(), in);
        assertThat(r.packets).hasSizeGreaterThan(1);
        for (PacketView v : r.views) {
            assertThat(v.dst).isEqualTo(SERVER_B6);
            assertThat(v.length).isLessThanOrEqualTo(1280);
        }
        assertThat(r.delta(Counter.DROP_HAIRPIN_TOO_BIG)).isZero();
    }

    /**
     * An EAM whose IPv6 side lies inside pool6 (the configuration refuses it; the table is built
     * directly here): B4 = 192.0.2.9 maps to 2001:db8:64::1:9, itself a pool6 address.
     */
    static Translator loopingTable() {
        TranslatorConfig.Builder b = base();
        Settings ok = Settings.compile(build(b));
        List<Eam> eams = new ArrayList<>(ok.config.eamt());
        eams.removeIf(e -> true);
        eams.add(Eam.parse("192.0.2.5", "2001:db8:aaaa::5"));
        eams.add(Eam.parse("192.0.2.9", "2001:db8:64::1:9"));
        return new Translator(new SettingsRef(ok.withEamTable(EamTable.of(eams))), new Counters());
    }

    private static TranslatorConfig build(TranslatorConfig.Builder b) {
        try {
            return b.build();
        } catch (dev.siitdc.core.config.ConfigException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    @DisplayName("RFC 7757 s4.2: a hairpin whose new destination is in pool6 again is a loop: dropped, counted as drop-hairpin-loop")
    void hairpinLoopIsCounted() {
        byte[] in = Pkt.v6(SERVER_A6, SERVER_B_POOL6).tcp(40000, 80).payload(20).build();
        XlatRun r = run(loopingTable(), in);
        assertThat(r.packets).isEmpty();
        assertThat(r.delta(Counter.DROP_HAIRPIN_LOOP)).isEqualTo(1);
    }

    @Test
    @DisplayName("RFC 7757 s4.2: an ICMPv6 error that hairpins into pool6 again is counted as drop-hairpin-loop too")
    void hairpinLoopOfAnError() {
        byte[] quoted = Pkt.v6(SERVER_B_POOL6, SERVER_A6).tcp(80, 40000).payload(8).build();
        byte[] in = Pkt.v6(SERVER_A6, SERVER_B_POOL6).icmpError(1, 4, quoted).build();
        XlatRun r = run(loopingTable(), in);
        assertThat(r.packets).isEmpty();
        assertThat(r.delta(Counter.DROP_HAIRPIN_LOOP)).isEqualTo(1);
    }
}
