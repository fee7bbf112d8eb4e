package dev.siitdc.linux;

import static dev.siitdc.linux.NetlinkMessage.NLMSGHDR;
import static dev.siitdc.linux.NetlinkMessage.RTMSG;
import static dev.siitdc.linux.NetlinkMessage.get;
import static dev.siitdc.linux.NetlinkSocket.NLM_F_ACK;
import static dev.siitdc.linux.NetlinkSocket.NLM_F_CREATE;
import static dev.siitdc.linux.NetlinkSocket.NLM_F_DUMP;
import static dev.siitdc.linux.NetlinkSocket.NLM_F_EXCL;
import static dev.siitdc.linux.NetlinkSocket.NLM_F_REPLACE;
import static dev.siitdc.linux.NetlinkSocket.NLM_F_REQUEST;
import static dev.siitdc.linux.NetlinkSocket.attributesAfter;
import static dev.siitdc.linux.Rtnetlink.AF_INET;
import static dev.siitdc.linux.Rtnetlink.AF_INET6;
import static dev.siitdc.linux.Rtnetlink.RTN_UNICAST;
import static dev.siitdc.linux.Rtnetlink.RTPROT_STATIC;
import static dev.siitdc.linux.Rtnetlink.RT_SCOPE_LINK;
import static dev.siitdc.linux.Rtnetlink.RT_SCOPE_UNIVERSE;
import static dev.siitdc.linux.Rtnetlink.RT_TABLE_MAIN;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The route requests of {@link Rtnetlink} (RTM_NEWROUTE, RTM_DELROUTE, RTM_GETROUTE with a struct rtmsg
 * and RTA_* attributes, rtnetlink(7)): unicast routes as {@code ip route add|replace|del|show} handles
 * them.
 */
final class RouteRequests {
    // linux/rtnetlink.h
    static final int RTM_NEWROUTE = 24;
    static final int RTM_DELROUTE = 25;
    static final int RTM_GETROUTE = 26;
    static final int RTA_DST = 1;
    static final int RTA_OIF = 4;
    static final int RTA_GATEWAY = 5;
    static final int RTA_PRIORITY = 6;
    static final int RTA_PREFSRC = 7;
    static final int RTA_METRICS = 8;
    static final int RTA_MULTIPATH = 9;
    static final int RTA_TABLE = 15;
    static final int RTAX_MTU = 2;
    static final int RTM_F_CLONED = 0x200;
    static final int RT_SCOPE_NOWHERE = 255;
    static final int RTN_UNSPEC = 0;

    private final NetlinkSocket socket;

    RouteRequests(NetlinkSocket socket) {
        this.socket = socket;
    }

    void addRoute(Route r) throws LinuxException {
        newRoute(r, NLM_F_EXCL, "add");
    }

    void replaceRoute(Route r) throws LinuxException {
        newRoute(r, NLM_F_REPLACE, "replace");
    }

    /** RTM_NEWROUTE with NLM_F_CREATE and {@code flag} (NLM_F_EXCL: add, NLM_F_REPLACE: replace). */
    private void newRoute(Route r, int flag, String verb) throws LinuxException {
        int scope = r.family() == AF_INET && r.gateway() == null ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE;
        try (Arena a = Arena.ofConfined()) {
            NetlinkMessage m = new NetlinkMessage(a, RTM_NEWROUTE, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | flag)
                    .rtmsg(r.family(), r.prefixLength(), 0, rtmTable(r.table()), addProtocol(r), scope, RTN_UNICAST);
            routeAttributes(m, r, true);
            socket.exchange(a, m, "RTM_NEWROUTE", verb + " route " + r);
        }
    }

    void deleteRoute(Route r) throws LinuxException {
        try (Arena a = Arena.ofConfined()) {
            // As ip route del does: any scope, any type; any protocol and metric unless the Route has them.
            NetlinkMessage m = new NetlinkMessage(a, RTM_DELROUTE, NLM_F_REQUEST | NLM_F_ACK)
                    .rtmsg(r.family(), r.prefixLength(), 0, rtmTable(r.table()), r.protocol(), RT_SCOPE_NOWHERE, RTN_UNSPEC);
            routeAttributes(m, r, false);
            socket.exchange(a, m, "RTM_DELROUTE", "delete route " + r);
        }
    }

    List<RouteEntry> listRoutes(int family) throws LinuxException {
        if (family != AF_INET && family != AF_INET6) {
            throw new IllegalArgumentException("family must be AF_INET or AF_INET6: " + family);
        }
        int addrLen = family == AF_INET ? 4 : 16;
        try (Arena a = Arena.ofConfined()) {
            NetlinkMessage m = new NetlinkMessage(a, RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP)
                    .rtmsg(family, 0, 0, RT_TABLE_MAIN, 0, 0, 0);
            List<RouteEntry> out = new ArrayList<>();
            int body = NetlinkMessage.HEADER_LEN;
            for (MemorySegment msg : socket.exchange(a, m, "RTM_GETROUTE", "dump family " + family)) {
                if (get(NLMSGHDR, msg, 0, "nlmsg_type") != RTM_NEWROUTE
                        || get(NLMSGHDR, msg, 0, "nlmsg_len") < body + RTMSG.byteSize()
                        || get(RTMSG, msg, body, "rtm_family") != family
                        || (get(RTMSG, msg, body, "rtm_flags") & RTM_F_CLONED) != 0) {
                    continue;
                }
                Map<Integer, MemorySegment> attrs = attributesAfter(msg, body + (int) RTMSG.byteSize());
                MemorySegment tableAttr = attrs.get(RTA_TABLE);
                int table = tableAttr != null && tableAttr.byteSize() >= 4
                        ? NetlinkMessage.u32(tableAttr) : get(RTMSG, msg, body, "rtm_table");
                if (table != RT_TABLE_MAIN || attrs.containsKey(RTA_MULTIPATH)) {
                    continue;
                }
                int dstLen = get(RTMSG, msg, body, "rtm_dst_len");
                byte[] dst = address(attrs.get(RTA_DST), addrLen);
                out.add(new RouteEntry(family, dst == null ? new byte[addrLen] : dst, dstLen, table,
                        get(RTMSG, msg, body, "rtm_protocol"), get(RTMSG, msg, body, "rtm_scope"),
                        get(RTMSG, msg, body, "rtm_type"), u32(attrs.get(RTA_OIF)),
                        address(attrs.get(RTA_GATEWAY), addrLen), u32(attrs.get(RTA_PRIORITY)),
                        metricMtu(attrs.get(RTA_METRICS)), address(attrs.get(RTA_PREFSRC), addrLen)));
            }
            return out;
        }
    }

    /** An address attribute of exactly {@code len} bytes, or null (absent or malformed). */
    private static byte[] address(MemorySegment value, int len) {
        return value != null && value.byteSize() == len ? NetlinkMessage.bytes(value) : null;
    }

    /** A u32 attribute, 0 when absent or short. */
    private static int u32(MemorySegment value) {
        return value != null && value.byteSize() >= 4 ? NetlinkMessage.u32(value) : 0;
    }

    /** RTAX_MTU inside an RTA_METRICS nest, 0 for none. */
    private static int metricMtu(MemorySegment metrics) {
        if (metrics == null) {
            return 0;
        }
        return u32(NetlinkMessage.attributes(metrics, 0, metrics.byteSize()).get(RTAX_MTU));
    }

    private static int rtmTable(int table) {
        // Tables above 255 only fit in RTA_TABLE; rtm_table then says RT_TABLE_UNSPEC.
        return Integer.compareUnsigned(table, 256) < 0 ? table : 0;
    }

    private static int addProtocol(Route r) {
        return r.protocol() != 0 ? r.protocol() : RTPROT_STATIC;
    }

    private static void routeAttributes(NetlinkMessage m, Route r, boolean add) {
        if (r.prefixLength() > 0) {
            m.attr(RTA_DST, r.destination());
        }
        if (r.ifindex() != 0) {
            m.attrU32(RTA_OIF, r.ifindex());
        }
        if (r.gateway() != null) {
            m.attr(RTA_GATEWAY, r.gateway());
        }
        if (r.source() != null) {
            m.attr(RTA_PREFSRC, r.source());
        }
        m.attrU32(RTA_TABLE, r.table());
        if (r.priority() != 0) {
            m.attrU32(RTA_PRIORITY, r.priority());
        }
        if (add && r.mtu() != 0) {
            int metrics = m.beginNested(RTA_METRICS);
            m.attrU32(RTAX_MTU, r.mtu());
            m.endNested(metrics);
        }
    }
}
