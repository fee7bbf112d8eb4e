package dev.siitdc.dataplane.log;

import dev.siitdc.dataplane.log.DropLog;
import dev.siitdc.dataplane.log.Level;
import dev.siitdc.dataplane.log.LogWriter;
import dev.siitdc.dataplane.log.RateLimitedLog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.siitdc.core.xlat.Counter;
import dev.siitdc.core.xlat.Counters;
import dev.siitdc.dataplane.RelayCounter;
import dev.siitdc.dataplane.RelayCounters;
import java.io.StringWriter;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class DropLogTest {
    private final StringWriter s = new StringWriter();
    private final DropLog drops = new DropLog(new RateLimitedLog(LogWriter.wrap(s, Level.WARNING, true), 600, 2));
    private final Counters translator = new Counters();
    private final RelayCounters relay = new RelayCounters();
    private final DropLog.Probe probe = drops.probe(1, translator, relay);

    /** IPv4 UDP 198.51.100.2:40000 -> 192.0.2.10:53, TTL 1. */
    static final byte[] UDP4 = HexFormat.of().parseHex(
            "4500001c000040000111" + "0000" + "c6336402" + "c000020a" + "9c400035" + "00080000");
    /** IPv6 ICMPv6 echo request 2001:db8::1 -> 2001:db8:46::c000:20a. */
    static final byte[] ICMP6 = HexFormat.of().parseHex(
            "6000000000083a01" + "20010db8000000000000000000000001" + "20010db8004600000000000000c0020a".substring(0, 32)
            + "8000000000010001");

    private void packet(byte[] p, Runnable handling) {
        byte[] buf = new byte[64 + p.length];
        System.arraycopy(p, 0, buf, 64, p.length);
        if (probe.on()) probe.before(buf, 64, p.length);
        handling.run();
        if (probe.on()) probe.after();
    }

    @Test
    void offByDefaultAndLogsNothing() {
        assertThat(drops.enabled()).isFalse();
        packet(UDP4, () -> translator.inc(Counter.DROP46_TTL_EXPIRED));
        assertThat(s.toString()).isEmpty();
    }

    @Test
    void logsEachDropWithReasonAndAddresses() {
        assertThat(drops.setEnabled(true)).isFalse();
        packet(UDP4, () -> translator.inc(Counter.DROP46_TTL_EXPIRED));
        packet(ICMP6, () -> relay.inc(RelayCounter.ER_DROP6_SOURCE_IS_LOCAL));
        packet(UDP4, () -> translator.inc(Counter.TRANSLATED46));           // not a drop
        packet(ICMP6, () -> relay.inc(RelayCounter.IGNORED6_MULTICAST_DST));  // ignored, not dropped
        assertThat(s.toString().lines()).containsExactly(
                "<6>siitdc: drop: reason=drop-4to6-ttl-expired queue=1 proto=udp src=198.51.100.2:40000"
                        + " dst=192.0.2.10:53 len=28",
                "<6>siitdc: drop: reason=er-drop-ipv6-source-is-local-service-address queue=1 proto=icmpv6"
                        + " src=2001:db8::1 dst=2001:db8:46::c0:20a type=128/0 len=48");
        drops.setEnabled(false);
        packet(UDP4, () -> translator.inc(Counter.DROP46_TTL_EXPIRED));
        assertThat(s.toString().lines()).hasSize(2);
    }

    @Test
    void limitedPerReason() {
        drops.setEnabled(true);
        for (int i = 0; i < 5; i++) packet(UDP4, () -> translator.inc(Counter.DROP46_TTL_EXPIRED));
        packet(UDP4, () -> translator.inc(Counter.DROP46_SRC_UNTRANSLATABLE));
        assertThat(s.toString().lines().filter(l -> l.contains("ttl-expired"))).hasSize(2);
        assertThat(s.toString()).contains("reason=drop-4to6-source-untranslatable");
        assertThat(drops.log().suppressed(DropLog.KIND_PREFIX + "drop-4to6-ttl-expired")).isEqualTo(3);
    }

    @Test
    void truncatedAndOddPackets() {
        StringBuilder sb = new StringBuilder();
        DropLog.describe(new byte[] {0x45, 0}, 2, 2, sb);
        assertThat(sb.toString()).isEqualTo("proto=? version=4 len=2");
        sb.setLength(0);
        DropLog.describe(new byte[0], 0, 0, sb);
        assertThat(sb.toString()).isEqualTo("proto=? version=0 len=0");
        sb.setLength(0);
        byte[] frag = UDP4.clone();
        frag[6] = 0x00;
        frag[7] = 0x10;   // offset 16 * 8: not the first fragment, no ports
        DropLog.describe(frag, frag.length, 1500, sb);
        assertThat(sb.toString()).isEqualTo("proto=udp src=198.51.100.2 dst=192.0.2.10 fragment len=1500");
    }

    @Test
    void dropCountersAreTheDropNames() {
        assertThat(DropLog.isDrop("drop-4to6-ttl-expired")).isTrue();
        assertThat(DropLog.isDrop("er-drop-ipv4-source-without-eam")).isTrue();
        assertThat(DropLog.isDrop("ignored-ipv6-multicast-destination")).isFalse();
        assertThat(DropLog.isDrop("icmp-errors-rate-limited")).isFalse();
    }
}
