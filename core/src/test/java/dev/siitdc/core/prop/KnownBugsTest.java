package dev.siitdc.core.prop;

import dev.siitdc.core.addr.Ipv4Prefix;
import dev.siitdc.core.addr.Ipv6Prefix;
import dev.siitdc.core.addr.Pool6;
import dev.siitdc.core.eam.Eam;
import dev.siitdc.core.xlat.Counter;
import dev.siitdc.core.config.TranslatorConfig;
import dev.siitdc.core.prop.PacketGen.Kind;
import dev.siitdc.core.prop.PacketGen.Transport;
import dev.siitdc.core.xlat.Translator;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Minimal reproducers of translator bugs that the property and fuzz tests found, kept as
 * regression tests now that they are fixed.
 */
class KnownBugsTest {

    /** The inputs {@link #icmpv6AllZeroEchoReplyTo4} covers: Echo Reply, id 0, seq 0, payload all zero. */
    static boolean isAllZeroEchoReply(Transport t) {
        if (t.kind() != Kind.ECHO || !t.echoReply() || t.sport() != 0 || t.dport() != 0) return false;
        for (byte b : t.payload()) if (b != 0) return false;
        return true;
    }

    /**
     * ICMPv6 Echo Reply (129) with identifier 0, sequence 0 and an empty (or all-zero) body, 6->4:
     * the ICMPv4 message is all zero bytes, whose only valid RFC 1071 checksum is 0xffff, but
     * the RFC 1624 eqn. 3 update of Ipv6To4Steps.icmpInformational yields 0x0000 (it never produces -0
     * for a +0 sum), so the emitted ICMPv4 Echo Reply failed checksum verification at the receiver. Same
     * in 4->6->4: an all-zero ICMPv4 Echo Reply (checksum 0xffff) came back with checksum 0x0000.
     * The fix: for ICMPv4 (no pseudo-header) Checksum.noPseudoHeader emits 0xffff when the updated
     * checksum is 0x0000 (0xffff is valid for any data; 0x0000 is invalid exactly when the data is all
     * zero). The quoted ICMP header of an error goes through the same Ipv6To4Steps.translateTransport.
     *
     * <pre>
     * config: pool6 2001:db8:64::/96
     * in  (IPv6): 6000000000083a40 20010db80064000000000000c0000201 20010db80064000000000000c6336402 8100 364b 00000000
     * out (IPv4): 4500001c....0000 3f01 .... c0000201 c6336402 0000 0000 00000000   (checksum should be ffff)
     * </pre>
     */
    @Test
    void icmpv6AllZeroEchoReplyTo4() throws Exception {
        TranslatorConfig.Builder b = TranslatorConfig.builder();
        b.pool6 = Ipv6Prefix.parse("2001:db8:64::/96");
        Translator t = new Translator(b.build());
        byte[] in = HexFormat.of().parseHex(
                "6000000000083a40" + "20010db80064000000000000c0000201" + "20010db80064000000000000c6336402"
                        + "8100" + "364b" + "00000000");
        assertThat(PacketKit.l4Checksum(in, 0, in.length)).as("input ICMPv6 checksum").isEqualTo(PacketKit.L4.VALID);
        List<byte[]> out = Xlat.translate(t, in);
        assertThat(out).hasSize(1);
        byte[] v4 = out.get(0);
        assertThat(PacketKit.u16(v4, 22)).as("ICMPv4 checksum of an all-zero message").isEqualTo(0xffff);
        assertThat(PacketKit.l4Checksum(v4, 0, v4.length)).isEqualTo(PacketKit.L4.VALID);
    }

    /**
     * Hairpinning (RFC 7757 s4.2) of an IPv6 packet whose upper-layer part is 65516..65535 bytes: its
     * intermediate IPv4 form would be 20 + that > 65535 bytes. The 6->4 pass (now Ipv6To4Steps.fitMtu)
     * skipped the ipv4-mtu check when hairpinning, wrote Total Length = tot4 & 0xffff (19 or less) and
     * handed it to the 4->6 pass (Ipv4To6Steps), which dropped it as "drop-4to6-bad-header" (after
     * "translated-6to4" was counted); fitMtu now checks Ipv4Header.MAX_TOTAL_LENGTH first. A valid packet should not be counted as a malformed one: either
     * hairpin it (the IPv6 result, 40 + payload bytes, fits ipv6-mtu 65575) or drop it as too big
     * (with a Packet Too Big when own-ipv6-address is set).
     *
     * <pre>
     * config: pool6 2001:db8:64::/96, EAM 198.51.100.0/24 = 2001:db8:1::/120, hairpin intrinsic,
     *         ipv4-mtu 65535, ipv6-mtu 65575, lowest-ipv6-mtu 65575
     * in: IPv6 UDP 2001:db8:1::7 -> 2001:db8:64::c633:6409 (pool6 of 198.51.100.9, an EAM address),
     *     Payload Length 65516 (UDP length 65516, zero payload, valid checksum), hop limit 64
     * </pre>
     */
    @Test
    void hairpinOfMaximumSizeIpv6PacketOverflowsIpv4TotalLength() throws Exception {
        TranslatorConfig.Builder b = TranslatorConfig.builder();
        b.pool6 = Ipv6Prefix.parse("2001:db8:64::/96");
        Eam eam = Eam.parse("198.51.100.0/24", "2001:db8:1::/120");
        b.eamt = List.of(eam);
        b.ipv4Mtu = 65535;
        b.ipv6Mtu = 65575;
        b.lowestIpv6Mtu = 65575;
        Translator t = new Translator(b.build());
        byte[] src = new byte[16], dst = new byte[16];
        eam.translate4to6(Ipv4Prefix.parseAddress("198.51.100.7"), src, 0);
        new Pool6(b.pool6).embed(Ipv4Prefix.parseAddress("198.51.100.9"), dst, 0);
        byte[] in = PacketKit.ipv6(0, 0, 17, 64, src, dst, PacketKit.udp(1, 2, new byte[65516 - 8]));
        List<byte[]> out = Xlat.translate(t, in);
        assertThat(t.counters().get(Counter.DROP46_BAD_HEADER)).as("counted as a malformed IPv4 packet").isZero();
        if (!out.isEmpty()) {
            assertThat(out).hasSize(1);
            assertThat(out.get(0).length).isEqualTo(in.length);
        }
    }
}
