package dev.siitdc.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The tc requests against what iproute2 sends (captured with strace), and Route.from. No root needed. */
class TcMessageTest {
    private static String hex(NetlinkMessage m) {
        return HexFormat.of().formatHex(m.segment().toArray(ValueLayout.JAVA_BYTE));
    }

    @Test
    void structTcmsgIs20Bytes() {
        assertThat(NetlinkMessage.TCMSG.byteSize()).isEqualTo(20);
    }

    @Test
    void matchallDropIsWhatTcSends() {
        // strace of: tc filter add dev X egress protocol ip prio 1 matchall action drop (iproute2 6.x),
        // from tcmsg on (nlmsghdr's seq differs), ifindex 2.
        String tc = "00000000" + "02000000" + "00000000" + "f3ffffff" + "08000100"
                + "0d000100" + "6d61746368616c6c00000000"
                + "34000200" + "30000200" + "2c000100" + "09000100" + "6761637400000000"
                + "1c000280" + "18000200" + "00000000" + "00000000" + "02000000" + "00000000" + "00000000";
        try (Arena a = Arena.ofConfined()) {
            NetlinkMessage m = TcRequests.etherTypeFilterMessage(a, 2, false, Rtnetlink.ETH_P_IP, 1, false);
            assertThat(m.length()).isEqualTo(104);
            assertThat(hex(m).substring(32)).isEqualTo(tc);
            assertThat(m.type()).isEqualTo(44); // RTM_NEWTFILTER
        }
    }

    @Test
    void ingressArpAndTheBpfVariant() {
        try (Arena a = Arena.ofConfined()) {
            NetlinkMessage m = TcRequests.etherTypeFilterMessage(a, 3, true, Rtnetlink.ETH_P_ARP, 2, true);
            String h = hex(m).substring(32);
            // tcm_parent ffff:fff2, tcm_info prio 2 / htons(0x0806)
            assertThat(h).startsWith("00000000" + "03000000" + "00000000" + "f2ffffff" + "08060200");
            assertThat(h).contains("0800010062706600") // TCA_KIND "bpf"
                    .contains("060004000100") // TCA_BPF_OPS_LEN 1
                    .contains("0c000500" + "0600000002000000") // TCA_BPF_OPS {BPF_RET|BPF_K, 0, 0, 2}
                    .contains("0800080001000000"); // TCA_BPF_FLAGS TCA_BPF_FLAG_ACT_DIRECT
        }
    }

    @Test
    void tcHandle() {
        assertThat(TcRequests.tcHandle(TcRequests.TC_H_CLSACT, 0)).isEqualTo(0xffff0000);
        assertThat(TcRequests.tcHandle(TcRequests.TC_H_CLSACT, TcRequests.TC_H_MIN_EGRESS)).isEqualTo(0xfffffff3);
    }

    @Test
    void routeFromAnEntryKeepsWhatIdentifiesIt() {
        byte[] dst = {10, 9, 2, 0};
        byte[] src = {10, 9, 0, 1};
        RouteEntry e = new RouteEntry(Rtnetlink.AF_INET, dst, 24, 254, 199, 253, 1, 3, null, 77, 1400, src);
        Route r = Route.from(e);
        assertThat(r).isEqualTo(Route.to(Rtnetlink.AF_INET, dst, 24).dev(3).mtu(1400).source(src).protocol(199)
                .priority(77));
        assertThat(r.toString()).isEqualTo("10.9.2.0/24 dev #3 mtu 1400 src 10.9.0.1 proto 199 metric 77");
        assertThat(Route.from(e).dev(5).ifindex()).isEqualTo(5);
        dst[0] = 1;
        assertThat(e.destination()[0]).as("defensive copy").isEqualTo((byte) 10);
        assertThatThrownBy(() -> Route.from(new RouteEntry(Rtnetlink.AF_INET, new byte[4], 0, 254, 4, 0, 7, 0,
                null, 0, 0, null))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unicast");
        assertThat(Route.to(Rtnetlink.AF_INET, dst, 24).protocol()).isZero();
        assertThatThrownBy(() -> Route.to(Rtnetlink.AF_INET, dst, 24).protocol(256))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
