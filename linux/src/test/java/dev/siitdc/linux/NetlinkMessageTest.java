package dev.siitdc.linux;

import static dev.siitdc.linux.NetlinkMessage.IFADDRMSG;
import static dev.siitdc.linux.NetlinkMessage.IFINFOMSG;
import static dev.siitdc.linux.NetlinkMessage.NDMSG;
import static dev.siitdc.linux.NetlinkMessage.NLMSGERR;
import static dev.siitdc.linux.NetlinkMessage.NLMSGHDR;
import static dev.siitdc.linux.NetlinkMessage.RTATTR;
import static dev.siitdc.linux.NetlinkMessage.RTMSG;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NetlinkMessageTest {
    @Test
    void structSizesMatchTheKernelHeaders() {
        assertThat(NLMSGHDR.byteSize()).isEqualTo(16);
        assertThat(NLMSGERR.byteSize()).isEqualTo(20);
        assertThat(IFINFOMSG.byteSize()).isEqualTo(16);
        assertThat(IFADDRMSG.byteSize()).isEqualTo(8);
        assertThat(RTMSG.byteSize()).isEqualTo(12);
        assertThat(NDMSG.byteSize()).isEqualTo(12);
        assertThat(RTATTR.byteSize()).isEqualTo(4);
    }

    @Test
    void buildsAnAddressRequestByteForByte() {
        try (Arena arena = Arena.ofConfined()) {
            byte[] addr = {(byte) 192, 0, 2, 1};
            NetlinkMessage m = new NetlinkMessage(arena, 20, 0x1 | 0x4 | 0x400 | 0x200)
                    .ifaddrmsg(Rtnetlink.AF_INET, 24, 0, 0, 7)
                    .attr(2, addr)
                    .attr(1, addr)
                    .seq(42);
            ByteBuffer b = ByteBuffer.wrap(m.segment().toArray(JAVA_BYTE)).order(ByteOrder.nativeOrder());
            assertThat(m.length()).isEqualTo(16 + 8 + 8 + 8);
            assertThat(b.getInt(0)).isEqualTo(m.length());
            assertThat(b.getShort(4)).isEqualTo((short) 20);
            assertThat(b.getShort(6)).isEqualTo((short) 0x605);
            assertThat(b.getInt(8)).isEqualTo(42);
            assertThat(b.getInt(12)).isZero();
            assertThat(b.get(16)).isEqualTo((byte) 2);   // ifa_family
            assertThat(b.get(17)).isEqualTo((byte) 24);  // ifa_prefixlen
            assertThat(b.getInt(20)).isEqualTo(7);       // ifa_index
            assertThat(b.getShort(24)).isEqualTo((short) 8); // rta_len
            assertThat(b.getShort(26)).isEqualTo((short) 2); // IFA_LOCAL
            assertThat(b.get(28)).isEqualTo((byte) 192);
            assertThat(b.getShort(34)).isEqualTo((short) 1); // IFA_ADDRESS
            assertThat(m.seq()).isEqualTo(42);
            assertThat(m.type()).isEqualTo(20);
        }
    }

    @Test
    void padsAttributesToFourBytesAndParsesThemBack() {
        try (Arena arena = Arena.ofConfined()) {
            NetlinkMessage m = new NetlinkMessage(arena, 18, 1)
                    .ifinfomsg(0, 0, 0, 0)
                    .attrString(3, "siit0")          // 4 + 6 -> 12
                    .attr(9, new byte[] {1, 2, 3})    // 4 + 3 -> 8
                    .attrU32(4, 1400);                // 8
            assertThat(m.length()).isEqualTo(16 + 16 + 12 + 8 + 8);
            MemorySegment seg = m.segment();
            Map<Integer, MemorySegment> attrs = NetlinkMessage.attributes(seg, 32, m.length());
            assertThat(attrs.keySet()).containsExactly(3, 9, 4);
            assertThat(NetlinkMessage.string(attrs.get(3))).isEqualTo("siit0");
            assertThat(NetlinkMessage.bytes(attrs.get(9))).containsExactly(1, 2, 3);
            assertThat(NetlinkMessage.u32(attrs.get(4))).isEqualTo(1400);
            // the padding is zero
            assertThat(seg.get(JAVA_BYTE, 32 + 10)).isZero();
            assertThat(seg.get(JAVA_BYTE, 32 + 11)).isZero();
        }
    }

    @Test
    void nestsMetrics() {
        try (Arena arena = Arena.ofConfined()) {
            NetlinkMessage m = new NetlinkMessage(arena, 24, 1).rtmsg(2, 24, 0, 254, 4, 253, 1);
            int token = m.beginNested(8);
            m.attrU32(2, 1260);
            m.endNested(token);
            MemorySegment seg = m.segment();
            Map<Integer, MemorySegment> outer = NetlinkMessage.attributes(seg, 28, m.length());
            assertThat(outer.get(8).byteSize()).isEqualTo(8);
            Map<Integer, MemorySegment> inner = NetlinkMessage.attributes(outer.get(8), 0, outer.get(8).byteSize());
            assertThat(NetlinkMessage.u32(inner.get(2))).isEqualTo(1260);
            assertThat(NetlinkMessage.get(RTMSG, seg, 16, "rtm_table")).isEqualTo(254);
            assertThat(NetlinkMessage.get(RTMSG, seg, 16, "rtm_scope")).isEqualTo(253);
        }
    }

    @Test
    void growsPastItsFirstBuffer() {
        try (Arena arena = Arena.ofConfined()) {
            NetlinkMessage m = new NetlinkMessage(arena, 24, 1).rtmsg(10, 0, 0, 254, 0, 0, 1);
            for (int i = 0; i < 100; i++) {
                m.attrU32(100 + i, i);
            }
            assertThat(m.length()).isEqualTo(16 + 12 + 100 * 8);
            Map<Integer, MemorySegment> attrs = NetlinkMessage.attributes(m.segment(), 28, m.length());
            assertThat(attrs).hasSize(100);
            assertThat(NetlinkMessage.u32(attrs.get(199))).isEqualTo(99);
        }
    }

    @Test
    void theFamilyHeaderComesFirstAndOnce() {
        try (Arena arena = Arena.ofConfined()) {
            NetlinkMessage m = new NetlinkMessage(arena, 18, 1);
            assertThatThrownBy(() -> m.attrU32(1, 1)).isInstanceOf(IllegalStateException.class);
            m.ifinfomsg(0, 1, 0, 0);
            assertThatThrownBy(() -> m.ifinfomsg(0, 1, 0, 0)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void stopsAtAMalformedAttribute() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(16, 4);
            seg.set(java.lang.foreign.ValueLayout.JAVA_SHORT, 0, (short) 8);
            seg.set(java.lang.foreign.ValueLayout.JAVA_SHORT, 2, (short) 1);
            seg.set(java.lang.foreign.ValueLayout.JAVA_SHORT, 8, (short) 200); // runs past the end
            seg.set(java.lang.foreign.ValueLayout.JAVA_SHORT, 10, (short) 2);
            assertThat(NetlinkMessage.attributes(seg, 0, 16).keySet()).containsExactly(1);
        }
    }
}
