package dev.siitdc.linux;

import static dev.siitdc.linux.NetlinkMessage.IFINFOMSG;
import static dev.siitdc.linux.NetlinkMessage.get;
import static dev.siitdc.linux.NetlinkSocket.NLM_F_ACK;
import static dev.siitdc.linux.NetlinkSocket.NLM_F_CREATE;
import static dev.siitdc.linux.NetlinkSocket.NLM_F_EXCL;
import static dev.siitdc.linux.NetlinkSocket.NLM_F_REQUEST;
import static dev.siitdc.linux.NetlinkSocket.attributesAfter;
import static dev.siitdc.linux.NetlinkSocket.single;
import static dev.siitdc.linux.Rtnetlink.AF_UNSPEC;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The link requests of {@link Rtnetlink} (RTM_NEWLINK, RTM_DELLINK, RTM_GETLINK with a struct ifinfomsg
 * and IFLA_* attributes, rtnetlink(7); the bridge's IFLA_BR_* of linux/if_link.h): as {@code ip link}
 * sends them.
 */
final class LinkRequests {
    // linux/rtnetlink.h
    static final int RTM_NEWLINK = 16;
    static final int RTM_DELLINK = 17;
    static final int RTM_GETLINK = 18;
    // linux/if_link.h
    static final int IFLA_ADDRESS = 1;
    static final int IFLA_IFNAME = 3;
    static final int IFLA_MTU = 4;
    static final int IFLA_MASTER = 10;
    static final int IFLA_TXQLEN = 13;
    static final int IFLA_LINKINFO = 18;
    static final int IFLA_STATS64 = 23;
    static final int IFLA_EXT_MASK = 29;
    static final int IFLA_INFO_KIND = 1;
    static final int IFLA_INFO_DATA = 2;
    static final int IFLA_BR_FORWARD_DELAY = 1; // u32 in clock_t (1/100 s)
    static final int IFLA_BR_STP_STATE = 5;
    static final int RTEXT_FILTER_SKIP_STATS = 1 << 3;

    private final NetlinkSocket socket;

    LinkRequests(NetlinkSocket socket) {
        this.socket = socket;
    }

    LinkInfo link(String name) throws LinuxException {
        try (Arena a = Arena.ofConfined()) {
            return parseLink(getLink(a, 0, name, false, "interface " + name));
        }
    }

    LinkInfo link(int ifindex) throws LinuxException {
        try (Arena a = Arena.ofConfined()) {
            return parseLink(getLink(a, ifindex, null, false, "ifindex " + ifindex));
        }
    }

    LinkStats linkStats(int ifindex) throws LinuxException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = linkAttributes(getLink(a, ifindex, null, true, "stats of ifindex " + ifindex))
                    .get(IFLA_STATS64);
            if (st == null || st.byteSize() < LinkStats.SIZE) {
                throw new LinuxException("RTM_GETLINK", Errno.ENODATA, "no IFLA_STATS64 for ifindex " + ifindex);
            }
            // nlattr payloads are 4-aligned only: read the u64s unaligned
            long[] v = new long[8];
            for (int i = 0; i < v.length; i++) {
                v[i] = st.get(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, 8L * i);
            }
            return new LinkStats(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]);
        }
    }

    boolean linkSetUp(int ifindex, boolean up) throws LinuxException {
        boolean wasUp = link(ifindex).up();
        try (Arena a = Arena.ofConfined()) {
            NetlinkMessage m = new NetlinkMessage(a, RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK)
                    .ifinfomsg(AF_UNSPEC, ifindex, up ? LinkInfo.IFF_UP : 0, LinkInfo.IFF_UP);
            socket.exchange(a, m, "RTM_NEWLINK", "set ifindex " + ifindex + (up ? " up" : " down"));
        }
        return wasUp;
    }

    int linkSetMtu(int ifindex, int mtu) throws LinuxException {
        int previous = link(ifindex).mtu();
        setLinkU32(ifindex, IFLA_MTU, mtu, "set ifindex " + ifindex + " mtu " + mtu);
        return previous;
    }

    int linkTxQueueLength(int ifindex) throws LinuxException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment q = linkAttributes(getLink(a, ifindex, null, false, "ifindex " + ifindex)).get(IFLA_TXQLEN);
            return q == null ? 0 : NetlinkMessage.u32(q);
        }
    }

    int linkSetTxQueueLength(int ifindex, int qlen) throws LinuxException {
        if (qlen < 0) {
            throw new IllegalArgumentException("txqueuelen must not be negative: " + qlen);
        }
        int previous = linkTxQueueLength(ifindex);
        setLinkU32(ifindex, IFLA_TXQLEN, qlen, "set ifindex " + ifindex + " txqueuelen " + qlen);
        return previous;
    }

    int createBridge(String name, byte[] mac) throws LinuxException {
        checkName(name);
        if (mac != null && mac.length != 0 && mac.length != 6) {
            throw new IllegalArgumentException("mac must be 6 bytes: " + mac.length);
        }
        try (Arena a = Arena.ofConfined()) {
            NetlinkMessage m = new NetlinkMessage(a, RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL)
                    .ifinfomsg(AF_UNSPEC, 0, 0, 0)
                    .attrString(IFLA_IFNAME, name);
            if (mac != null && mac.length == 6) {
                m.attr(IFLA_ADDRESS, mac);
            }
            int linkinfo = m.beginNested(IFLA_LINKINFO);
            m.attrString(IFLA_INFO_KIND, "bridge");
            int data = m.beginNested(IFLA_INFO_DATA);
            m.attrU32(IFLA_BR_FORWARD_DELAY, 0);
            m.attrU32(IFLA_BR_STP_STATE, 0);
            m.endNested(data);
            m.endNested(linkinfo);
            socket.exchange(a, m, "RTM_NEWLINK", "create bridge " + name);
        }
        return link(name).index();
    }

    void deleteLink(int ifindex) throws LinuxException {
        try (Arena a = Arena.ofConfined()) {
            NetlinkMessage m = new NetlinkMessage(a, RTM_DELLINK, NLM_F_REQUEST | NLM_F_ACK)
                    .ifinfomsg(AF_UNSPEC, ifindex, 0, 0);
            socket.exchange(a, m, "RTM_DELLINK", "delete ifindex " + ifindex);
        }
    }

    int linkSetMaster(int ifindex, int masterIfindex) throws LinuxException {
        if (masterIfindex < 0) {
            throw new IllegalArgumentException("master ifindex must not be negative: " + masterIfindex);
        }
        int previous = link(ifindex).master();
        setLinkU32(ifindex, IFLA_MASTER, masterIfindex, masterIfindex == 0
                ? "release ifindex " + ifindex + " from its master"
                : "set master of ifindex " + ifindex + " to ifindex " + masterIfindex);
        return previous;
    }

    /**
     * RTM_GETLINK of one interface, by {@code ifindex} or (ifindex 0) by {@code name}: its one reply.
     * Without {@code withStats} the kernel leaves the counters out (RTEXT_FILTER_SKIP_STATS).
     */
    private MemorySegment getLink(Arena a, int ifindex, String name, boolean withStats, String what)
            throws LinuxException {
        NetlinkMessage m = new NetlinkMessage(a, RTM_GETLINK, NLM_F_REQUEST | NLM_F_ACK)
                .ifinfomsg(AF_UNSPEC, ifindex, 0, 0);
        if (!withStats) {
            m.attrU32(IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
        }
        if (name != null) {
            m.attrString(IFLA_IFNAME, name);
        }
        return single(socket.exchange(a, m, "RTM_GETLINK", what), "RTM_GETLINK");
    }

    /** RTM_NEWLINK of interface {@code ifindex} setting one u32 attribute (IFLA_MTU, IFLA_TXQLEN, IFLA_MASTER). */
    private void setLinkU32(int ifindex, int attr, int value, String what) throws LinuxException {
        try (Arena a = Arena.ofConfined()) {
            NetlinkMessage m = new NetlinkMessage(a, RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK)
                    .ifinfomsg(AF_UNSPEC, ifindex, 0, 0)
                    .attrU32(attr, value);
            socket.exchange(a, m, "RTM_NEWLINK", what);
        }
    }

    /** The attributes of an RTM_NEWLINK message, after its ifinfomsg. */
    private static Map<Integer, MemorySegment> linkAttributes(MemorySegment msg) {
        return attributesAfter(msg, NetlinkMessage.HEADER_LEN + (int) IFINFOMSG.byteSize());
    }

    private static void checkName(String name) {
        int n = name.getBytes(StandardCharsets.UTF_8).length;
        if (n == 0 || n >= 16) {
            throw new IllegalArgumentException("interface name must be 1 to 15 bytes (IFNAMSIZ): " + name);
        }
    }

    private static LinkInfo parseLink(MemorySegment msg) {
        int body = NetlinkMessage.HEADER_LEN;
        Map<Integer, MemorySegment> attrs = linkAttributes(msg);
        MemorySegment name = attrs.get(IFLA_IFNAME);
        MemorySegment mtu = attrs.get(IFLA_MTU);
        MemorySegment master = attrs.get(IFLA_MASTER);
        MemorySegment mac = attrs.get(IFLA_ADDRESS);
        return new LinkInfo(get(IFINFOMSG, msg, body, "ifi_index"),
                name == null ? "" : NetlinkMessage.string(name),
                get(IFINFOMSG, msg, body, "ifi_flags"),
                mtu == null || mtu.byteSize() < 4 ? 0 : NetlinkMessage.u32(mtu),
                master == null || master.byteSize() < 4 ? 0 : NetlinkMessage.u32(master),
                mac == null ? null : NetlinkMessage.bytes(mac));
    }
}
