package dev.siitdc.linux;

import static dev.siitdc.linux.AddressBytes.checkAddress;
import static dev.siitdc.linux.AddressBytes.checkPrefix;
import static dev.siitdc.linux.AddressBytes.familyOf;
import static dev.siitdc.linux.AddressBytes.inet;
import static dev.siitdc.linux.NetlinkMessage.IFADDRMSG;
import static dev.siitdc.linux.NetlinkMessage.IFINFOMSG;
import static dev.siitdc.linux.NetlinkMessage.NDMSG;
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
import static dev.siitdc.linux.NetlinkSocket.single;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import java.io.Closeable;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A NETLINK_ROUTE socket for configuring links, addresses, routes and proxy neighbours.
 *
 * <p>Every change is sent with NLM_F_ACK and waits for the kernel's answer: an error there becomes a
 * {@link LinuxException} whose {@link LinuxException#syscall()} is the message type ("RTM_NEWADDR"),
 * whose errno is the kernel's (EEXIST, ENODEV, ESRCH, ...) and whose detail says what was asked and
 * carries the kernel's extended-ack text when it gave one. Each change has its undo: addX/deleteX, and
 * {@link #linkSetUp}/{@link #linkSetMtu} return the previous value. Calls are serialized on the socket.
 */
public final class Rtnetlink implements Closeable {
    public static final int AF_UNSPEC = 0;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int RT_TABLE_MAIN = 254;
    /** ifa_flags: skip duplicate address detection (IPv6). */
    public static final int IFA_F_NODAD = 0x02;
    public static final int RT_SCOPE_UNIVERSE = 0;
    public static final int RT_SCOPE_LINK = 253;
    public static final int RT_SCOPE_HOST = 254;
    // rtm_protocol (linux/rtnetlink.h)
    public static final int RTPROT_KERNEL = 2;
    public static final int RTPROT_BOOT = 3;
    public static final int RTPROT_STATIC = 4;
    public static final int RTPROT_RA = 9;
    // rtm_type
    public static final int RTN_UNICAST = 1;
    // Ethernet protocol numbers (linux/if_ether.h) for addEtherTypeDrop
    public static final int ETH_P_IP = 0x0800;
    public static final int ETH_P_ARP = 0x0806;
    public static final int ETH_P_IPV6 = 0x86dd;

    // linux/rtnetlink.h
    static final int RTM_NEWLINK = 16;
    static final int RTM_DELLINK = 17;
    static final int RTM_GETLINK = 18;
    static final int RTM_NEWADDR = 20;
    static final int RTM_DELADDR = 21;
    static final int RTM_GETADDR = 22;
    static final int RTM_NEWROUTE = 24;
    static final int RTM_DELROUTE = 25;
    static final int RTM_NEWNEIGH = 28;
    static final int RTM_DELNEIGH = 29;
    static final int RTM_GETNEIGH = 30;
    static final int RTM_GETROUTE = 26;
    static final int RTM_NEWQDISC = 36;
    static final int RTM_DELQDISC = 37;
    static final int RTM_NEWTFILTER = 44;
    static final int IFLA_ADDRESS = 1;
    static final int IFLA_MASTER = 10;
    static final int IFLA_LINKINFO = 18;
    static final int IFLA_INFO_KIND = 1;
    static final int IFLA_INFO_DATA = 2;
    static final int IFLA_BR_FORWARD_DELAY = 1; // linux/if_link.h, u32 in clock_t (1/100 s)
    static final int IFLA_BR_STP_STATE = 5;
    static final int RTA_PRIORITY = 6;
    static final int RTA_MULTIPATH = 9;
    static final int RTM_F_CLONED = 0x200;
    // linux/pkt_sched.h, linux/pkt_cls.h, linux/tc_act/tc_gact.h
    static final int TC_H_CLSACT = 0xfffffff1; // = TC_H_INGRESS
    static final int TC_H_MIN_INGRESS = 0xfff2;
    static final int TC_H_MIN_EGRESS = 0xfff3;
    static final int TCA_KIND = 1;
    static final int TCA_OPTIONS = 2;
    static final int TCA_MATCHALL_ACT = 2;
    static final int TCA_ACT_KIND = 1;
    static final int TCA_ACT_OPTIONS = 2;
    static final int TCA_GACT_PARMS = 2;
    static final int TC_ACT_SHOT = 2;
    static final int TCA_BPF_OPS_LEN = 4;
    static final int TCA_BPF_OPS = 5;
    static final int TCA_BPF_NAME = 7;
    static final int TCA_BPF_FLAGS = 8;
    static final int TCA_BPF_FLAG_ACT_DIRECT = 1;
    static final int BPF_RET_K = 0x06; // linux/bpf_common.h: BPF_RET | BPF_K
    private static final int TC_GACT_SIZE = 20; // struct tc_gact = tc_gen: index, capab, action, refcnt, bindcnt
    static final int IFLA_IFNAME = 3;
    static final int IFLA_MTU = 4;
    static final int IFLA_TXQLEN = 13;
    static final int IFLA_STATS64 = 23;
    static final int IFLA_EXT_MASK = 29;
    static final int RTEXT_FILTER_SKIP_STATS = 1 << 3;
    static final int IFA_ADDRESS = 1;
    static final int IFA_LOCAL = 2;
    static final int IFA_FLAGS = 8;
    static final int RTA_DST = 1;
    static final int RTA_OIF = 4;
    static final int RTA_GATEWAY = 5;
    static final int RTA_PREFSRC = 7;
    static final int RTA_METRICS = 8;
    static final int RTA_TABLE = 15;
    static final int RTAX_MTU = 2;
    static final int RT_SCOPE_NOWHERE = 255;
    static final int RTN_UNSPEC = 0;
    static final int NDA_DST = 1;
    static final int NDA_LLADDR = 2;
    static final int NUD_REACHABLE = 0x02;
    static final int NUD_PERMANENT = 0x80;
    static final int NTF_PROXY = 0x08;

    private final NetlinkSocket socket;

    private Rtnetlink(NetlinkSocket socket) {
        this.socket = socket;
    }

    /** Opens and binds a NETLINK_ROUTE socket (with a receive timeout and extended acks). */
    public static Rtnetlink open() throws LinuxException {
        return new Rtnetlink(NetlinkSocket.open());
    }

    /** The socket's netlink port id. */
    public int portId() {
        return socket.portId();
    }

    // ---- links ----------------------------------------------------------------------------

    /** The index of interface {@code name}, asked with RTM_GETLINK; ENODEV if there is none. */
    public int linkIndex(String name) throws LinuxException {
        return link(name).index();
    }

    /** Interface {@code name} (RTM_GETLINK by name); ENODEV if there is none. */
    public synchronized LinkInfo link(String name) throws LinuxException {
        try (Arena a = Arena.ofConfined()) {
            return parseLink(getLink(a, 0, name, false, "interface " + name));
        }
    }

    /** Interface {@code ifindex} (RTM_GETLINK by index); ENODEV if there is none. */
    public synchronized LinkInfo link(int ifindex) throws LinuxException {
        try (Arena a = Arena.ofConfined()) {
            return parseLink(getLink(a, ifindex, null, false, "ifindex " + ifindex));
        }
    }

    /**
     * The kernel's counters of interface {@code ifindex} (RTM_GETLINK with IFLA_STATS64); ENODEV if there
     * is no such interface. One request: cheap enough for every stats read, not for every packet.
     */
    public synchronized LinkStats linkStats(int ifindex) throws LinuxException {
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

    /**
     * Sets interface {@code ifindex} administratively up or down.
     *
     * @return whether it was up before, to restore it
     */
    public synchronized boolean linkSetUp(int ifindex, boolean up) throws LinuxException {
        boolean wasUp = link(ifindex).up();
        try (Arena a = Arena.ofConfined()) {
            NetlinkMessage m = new NetlinkMessage(a, RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK)
                    .ifinfomsg(AF_UNSPEC, ifindex, up ? LinkInfo.IFF_UP : 0, LinkInfo.IFF_UP);
            socket.exchange(a, m, "RTM_NEWLINK", "set ifindex " + ifindex + (up ? " up" : " down"));
        }
        return wasUp;
    }

    /**
     * Sets the MTU of interface {@code ifindex}.
     *
     * @return the previous MTU, to restore it
     */
    public synchronized int linkSetMtu(int ifindex, int mtu) throws LinuxException {
        int previous = link(ifindex).mtu();
        setLinkU32(ifindex, IFLA_MTU, mtu, "set ifindex " + ifindex + " mtu " + mtu);
        return previous;
    }

    /**
     * The transmit queue length of interface {@code ifindex} (IFLA_TXQLEN): for a TUN, how many packets
     * the kernel queues for the reader before it drops.
     */
    public synchronized int linkTxQueueLength(int ifindex) throws LinuxException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment q = linkAttributes(getLink(a, ifindex, null, false, "ifindex " + ifindex)).get(IFLA_TXQLEN);
            return q == null ? 0 : NetlinkMessage.u32(q);
        }
    }

    /**
     * Sets the transmit queue length of interface {@code ifindex} (IFLA_TXQLEN, as {@code ip link set
     * DEV txqueuelen N}).
     *
     * @return the previous length, to restore it
     */
    public synchronized int linkSetTxQueueLength(int ifindex, int qlen) throws LinuxException {
        if (qlen < 0) {
            throw new IllegalArgumentException("txqueuelen must not be negative: " + qlen);
        }
        int previous = linkTxQueueLength(ifindex);
        setLinkU32(ifindex, IFLA_TXQLEN, qlen, "set ifindex " + ifindex + " txqueuelen " + qlen);
        return previous;
    }

    /**
     * Creates a Linux bridge {@code name} (ip link add NAME [address MAC] type bridge forward_delay 0): STP
     * off (the default), forward delay 0 so a port forwards as soon as it is up. EEXIST if the name is
     * taken. Undo with {@link #deleteLink}.
     *
     * @param mac its Ethernet address (6 bytes, unicast), or null or empty for a random one
     * @return the new bridge's ifindex
     */
    public synchronized int createBridge(String name, byte[] mac) throws LinuxException {
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

    /** Deletes interface {@code ifindex} (ip link del); ENODEV if there is none. */
    public synchronized void deleteLink(int ifindex) throws LinuxException {
        try (Arena a = Arena.ofConfined()) {
            NetlinkMessage m = new NetlinkMessage(a, RTM_DELLINK, NLM_F_REQUEST | NLM_F_ACK)
                    .ifinfomsg(AF_UNSPEC, ifindex, 0, 0);
            socket.exchange(a, m, "RTM_DELLINK", "delete ifindex " + ifindex);
        }
    }

    /**
     * Makes interface {@code ifindex} a port of {@code masterIfindex} (ip link set DEV master BR), or
     * releases it with 0 (nomaster).
     *
     * @return the previous master's ifindex, 0 for none, to restore it
     */
    public synchronized int linkSetMaster(int ifindex, int masterIfindex) throws LinuxException {
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
        int n = name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
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

    // ---- addresses ------------------------------------------------------------------------

    /** Adds {@code address/prefixLen} to interface {@code ifindex}; EEXIST if it is there already. */
    public void addAddress(int ifindex, int family, byte[] address, int prefixLen) throws LinuxException {
        addAddress(ifindex, family, address, prefixLen, 0);
    }

    /**
     * Adds {@code address/prefixLen} with IFA_F_* {@code flags} (e.g. {@link #IFA_F_NODAD}) to interface
     * {@code ifindex}; EEXIST if it is there already. Undo with {@link #deleteAddress}.
     */
    public synchronized void addAddress(int ifindex, int family, byte[] address, int prefixLen, int flags)
            throws LinuxException {
        checkAddress(family, address, "address");
        checkPrefix(family, prefixLen);
        try (Arena a = Arena.ofConfined()) {
            NetlinkMessage m = new NetlinkMessage(a, RTM_NEWADDR, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL)
                    .ifaddrmsg(family, prefixLen, flags & 0xff, RT_SCOPE_UNIVERSE, ifindex)
                    .attr(IFA_LOCAL, address)
                    .attr(IFA_ADDRESS, address);
            if (flags != 0) {
                m.attrU32(IFA_FLAGS, flags);
            }
            socket.exchange(a, m, "RTM_NEWADDR", "add " + Route.text(address) + "/" + prefixLen + " to ifindex " + ifindex);
        }
    }

    /** Removes {@code address/prefixLen} from interface {@code ifindex}; EADDRNOTAVAIL if it is not there. */
    public synchronized void deleteAddress(int ifindex, int family, byte[] address, int prefixLen)
            throws LinuxException {
        checkAddress(family, address, "address");
        checkPrefix(family, prefixLen);
        try (Arena a = Arena.ofConfined()) {
            NetlinkMessage m = new NetlinkMessage(a, RTM_DELADDR, NLM_F_REQUEST | NLM_F_ACK)
                    .ifaddrmsg(family, prefixLen, 0, RT_SCOPE_UNIVERSE, ifindex)
                    .attr(IFA_LOCAL, address)
                    .attr(IFA_ADDRESS, address);
            socket.exchange(a, m, "RTM_DELADDR",
                    "delete " + Route.text(address) + "/" + prefixLen + " from ifindex " + ifindex);
        }
    }

    /** The ifindex of an interface that holds {@code address} (4 or 16 bytes), or 0 when none does. */
    public int addressHolder(byte[] address) throws LinuxException {
        for (IfAddress a : listAddresses(0)) {
            if (java.util.Arrays.equals(a.address().getAddress(), address)) return a.ifindex();
        }
        return 0;
    }

    /** The IPv4 and IPv6 addresses of interface {@code ifindex} (0: of every interface). */
    public synchronized List<IfAddress> listAddresses(int ifindex) throws LinuxException {
        try (Arena a = Arena.ofConfined()) {
            NetlinkMessage m = new NetlinkMessage(a, RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP)
                    .ifaddrmsg(AF_UNSPEC, 0, 0, 0, 0);
            List<IfAddress> out = new ArrayList<>();
            int body = NetlinkMessage.HEADER_LEN;
            for (MemorySegment msg : socket.exchange(a, m, "RTM_GETADDR", "dump")) {
                if (get(NLMSGHDR, msg, 0, "nlmsg_type") != RTM_NEWADDR) {
                    continue;
                }
                int index = get(IFADDRMSG, msg, body, "ifa_index");
                if (ifindex != 0 && index != ifindex) {
                    continue;
                }
                int family = get(IFADDRMSG, msg, body, "ifa_family");
                Map<Integer, MemorySegment> attrs = attributesAfter(msg, body + (int) IFADDRMSG.byteSize());
                MemorySegment addr = family == AF_INET && attrs.containsKey(IFA_LOCAL)
                        ? attrs.get(IFA_LOCAL) : attrs.get(IFA_ADDRESS);
                if (addr == null) {
                    continue;
                }
                MemorySegment flagsAttr = attrs.get(IFA_FLAGS);
                int flags = flagsAttr != null ? NetlinkMessage.u32(flagsAttr) : get(IFADDRMSG, msg, body, "ifa_flags");
                out.add(new IfAddress(index, inet(NetlinkMessage.bytes(addr)),
                        get(IFADDRMSG, msg, body, "ifa_prefixlen"), get(IFADDRMSG, msg, body, "ifa_scope"), flags));
            }
            return out;
        }
    }

    // ---- routes ---------------------------------------------------------------------------

    /** Adds a unicast route; EEXIST if the same route is there already. Undo with {@link #deleteRoute}. */
    public synchronized void addRoute(Route r) throws LinuxException {
        newRoute(r, NLM_F_EXCL, "add");
    }

    /**
     * Adds a unicast route, or replaces the route to the same destination in the same table in one step
     * (ip route replace): the destination is routed throughout, e.g. while its MTU changes.
     */
    public synchronized void replaceRoute(Route r) throws LinuxException {
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

    /** Deletes a route added with {@link #addRoute}; ESRCH if there is no such route. */
    public synchronized void deleteRoute(Route r) throws LinuxException {
        try (Arena a = Arena.ofConfined()) {
            // As ip route del does: any scope, any type; any protocol and metric unless the Route has them.
            NetlinkMessage m = new NetlinkMessage(a, RTM_DELROUTE, NLM_F_REQUEST | NLM_F_ACK)
                    .rtmsg(r.family(), r.prefixLength(), 0, rtmTable(r.table()), r.protocol(), RT_SCOPE_NOWHERE, RTN_UNSPEC);
            routeAttributes(m, r, false);
            socket.exchange(a, m, "RTM_DELROUTE", "delete route " + r);
        }
    }

    /** Convenience: {@code addRoute(Route.to(family, destination, prefixLen).dev(ifindex))}. */
    public void addRoute(int family, byte[] destination, int prefixLen, int ifindex) throws LinuxException {
        addRoute(Route.to(family, destination, prefixLen).dev(ifindex));
    }

    /** Convenience: {@code deleteRoute(Route.to(family, destination, prefixLen).dev(ifindex))}. */
    public void deleteRoute(int family, byte[] destination, int prefixLen, int ifindex) throws LinuxException {
        deleteRoute(Route.to(family, destination, prefixLen).dev(ifindex));
    }

    /**
     * The routes of the main table (RT_TABLE_MAIN) of {@code family} (AF_INET or AF_INET6), as ip route
     * show lists them. Multipath routes (RTA_MULTIPATH, several next hops) are left out: a RouteEntry has
     * one output interface and gateway. Cached clones (RTM_F_CLONED) are left out too.
     */
    public synchronized List<RouteEntry> listRoutes(int family) throws LinuxException {
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

    // ---- traffic control ------------------------------------------------------------------

    /**
     * Adds a clsact qdisc to interface {@code ifindex} (tc qdisc add dev DEV clsact): the hook for
     * {@link #addEtherTypeDrop} filters. EEXIST if it has one. Undo with {@link #deleteClsact}.
     */
    public synchronized void addClsact(int ifindex) throws LinuxException {
        try (Arena a = Arena.ofConfined()) {
            NetlinkMessage m = new NetlinkMessage(a, RTM_NEWQDISC, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL)
                    .tcmsg(AF_UNSPEC, ifindex, tcHandle(TC_H_CLSACT, 0), TC_H_CLSACT, 0)
                    .attrString(TCA_KIND, "clsact");
            socket.exchange(a, m, "RTM_NEWQDISC", "add clsact to ifindex " + ifindex);
        }
    }

    /**
     * Deletes the clsact qdisc of interface {@code ifindex} and with it all its filters (tc qdisc del dev
     * DEV clsact); EINVAL or ENOENT if it has none.
     */
    public synchronized void deleteClsact(int ifindex) throws LinuxException {
        try (Arena a = Arena.ofConfined()) {
            NetlinkMessage m = new NetlinkMessage(a, RTM_DELQDISC, NLM_F_REQUEST | NLM_F_ACK)
                    .tcmsg(AF_UNSPEC, ifindex, tcHandle(TC_H_CLSACT, 0), TC_H_CLSACT, 0)
                    .attrString(TCA_KIND, "clsact");
            socket.exchange(a, m, "RTM_DELQDISC", "delete clsact of ifindex " + ifindex);
        }
    }

    /**
     * Drops every frame of Ethernet protocol {@code ethertype} (e.g. {@link #ETH_P_IP}, {@link #ETH_P_ARP})
     * received ({@code ingress}) or sent by interface {@code ifindex}, which needs a clsact qdisc
     * ({@link #addClsact}): as {@code tc filter add dev DEV ingress|egress protocol TYPE prio PRIO matchall
     * action drop}. A kernel without cls_matchall or act_gact (CONFIG_NET_CLS_MATCHALL,
     * CONFIG_NET_ACT_GACT) gets the same filter as a cls_bpf direct-action classic BPF program
     * "ret #TC_ACT_SHOT" ({@code tc filter add ... bpf bytecode '1,6 0 0 2' da}; CONFIG_NET_CLS_BPF, no
     * bpf(2), CAP_NET_ADMIN is enough). A filter of that prio and protocol there already: EEXIST, or EINVAL
     * when it is of the other kind. Removed with the qdisc; ENOENT or EINVAL without a clsact qdisc.
     *
     * @param prio the filter priority, 1..65535 (lower first); one per ethertype and direction
     */
    public synchronized void addEtherTypeDrop(int ifindex, boolean ingress, int ethertype, int prio)
            throws LinuxException {
        if (prio < 1 || prio > 0xffff) {
            throw new IllegalArgumentException("prio must be 1..65535: " + prio);
        }
        if (ethertype < 0 || ethertype > 0xffff) {
            throw new IllegalArgumentException("ethertype must be 0..0xffff: " + ethertype);
        }
        String what = String.format("drop ethertype 0x%04x %s on ifindex %d prio %d",
                ethertype, ingress ? "ingress" : "egress", ifindex, prio);
        try {
            etherTypeFilter(ifindex, ingress, ethertype, prio, false, what + " (matchall + gact)");
        } catch (LinuxException matchall) {
            // ENOENT "TC classifier not found" / "TC action kind not found": a kernel built without them.
            if (matchall.errno() != Errno.ENOENT && matchall.errno() != Errno.EOPNOTSUPP) {
                throw matchall;
            }
            try {
                etherTypeFilter(ifindex, ingress, ethertype, prio, true, what + " (cls_bpf, no matchall/gact)");
            } catch (LinuxException bpf) {
                bpf.addSuppressed(matchall);
                throw bpf;
            }
        }
    }

    private void etherTypeFilter(int ifindex, boolean ingress, int ethertype, int prio, boolean bpf, String what)
            throws LinuxException {
        try (Arena a = Arena.ofConfined()) {
            socket.exchange(a, etherTypeFilterMessage(a, ifindex, ingress, ethertype, prio, bpf), "RTM_NEWTFILTER", what);
        }
    }

    /** The RTM_NEWTFILTER request of {@link #addEtherTypeDrop}: matchall + gact, or cls_bpf. */
    static NetlinkMessage etherTypeFilterMessage(Arena a, int ifindex, boolean ingress, int ethertype, int prio,
            boolean bpf) {
        int parent = tcHandle(TC_H_CLSACT, ingress ? TC_H_MIN_INGRESS : TC_H_MIN_EGRESS);
        // tcm_info: the priority in the upper 16 bits, the protocol (network order) in the lower.
        int info = tcHandle(prio << 16, Short.toUnsignedInt(Short.reverseBytes((short) ethertype)));
        NetlinkMessage m = new NetlinkMessage(a, RTM_NEWTFILTER, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL)
                .tcmsg(AF_UNSPEC, ifindex, 0, parent, info)
                .attrString(TCA_KIND, bpf ? "bpf" : "matchall");
        int options = m.beginNested(TCA_OPTIONS);
        if (bpf) {
            // One struct sock_filter (linux/filter.h): {code BPF_RET|BPF_K, jt 0, jf 0, k TC_ACT_SHOT}.
            byte[] ops = new byte[8];
            MemorySegment insn = MemorySegment.ofArray(ops);
            insn.set(JAVA_SHORT_UNALIGNED, 0, (short) BPF_RET_K);
            insn.set(JAVA_INT_UNALIGNED, 4, TC_ACT_SHOT);
            m.attrU16(TCA_BPF_OPS_LEN, 1);
            m.attr(TCA_BPF_OPS, ops);
            m.attrString(TCA_BPF_NAME, "siitdc-drop");
            m.attrU32(TCA_BPF_FLAGS, TCA_BPF_FLAG_ACT_DIRECT); // the program's return is the verdict
        } else {
            // As iproute2's tc sends it (f_matchall.c, m_action.c, m_gact.c), byte for byte.
            int acts = m.beginNested(TCA_MATCHALL_ACT);
            int first = m.beginNested(1); // actions are nested by their order, from 1
            m.attrString(TCA_ACT_KIND, "gact");
            int actOptions = m.beginNested(TCA_ACT_OPTIONS | NetlinkMessage.NLA_F_NESTED);
            byte[] gact = new byte[TC_GACT_SIZE]; // index 0 (the kernel picks), capab 0, action, refcnt, bindcnt
            MemorySegment.ofArray(gact).set(JAVA_INT_UNALIGNED, 8, TC_ACT_SHOT);
            m.attr(TCA_GACT_PARMS, gact);
            m.endNested(actOptions);
            m.endNested(first);
            m.endNested(acts);
        }
        m.endNested(options);
        return m;
    }

    /** TC_H_MAKE (linux/pkt_sched.h): the major number's upper 16 bits, the minor's lower 16. */
    static int tcHandle(int major, int minor) {
        return (major & 0xffff0000) | (minor & 0xffff);
    }

    // ---- proxy neighbours -----------------------------------------------------------------

    /**
     * Adds a proxy neighbour entry (ip neigh add proxy ADDR dev IF): the kernel answers neighbour
     * solicitations (IPv6, with net.ipv6.conf.*.proxy_ndp=1) or ARP requests (IPv4, 4-byte address) for
     * {@code address} on interface {@code ifindex}. Adding an existing entry succeeds (the kernel does
     * not report EEXIST for proxy entries). Undo with {@link #deleteProxyNeighbor}.
     */
    public synchronized void addProxyNeighbor(int ifindex, byte[] address) throws LinuxException {
        int family = familyOf(address);
        try (Arena a = Arena.ofConfined()) {
            NetlinkMessage m = new NetlinkMessage(a, RTM_NEWNEIGH, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL)
                    .ndmsg(family, ifindex, NUD_PERMANENT, NTF_PROXY)
                    .attr(NDA_DST, address);
            socket.exchange(a, m, "RTM_NEWNEIGH", "add proxy " + Route.text(address) + " on ifindex " + ifindex);
        }
    }

    /**
     * Adds or replaces the neighbour entry {@code address} at link-layer address {@code lladdr} on interface
     * {@code ifindex}, REACHABLE (ip neigh replace ADDR lladdr MAC dev IF nud reachable): the kernel then
     * sends to the address at once, without resolving it first. It ages like any learnt entry. A DHCP server
     * uses it to unicast to a client that has no address yet (RFC 2131 s4.1).
     */
    public synchronized void setNeighbor(int ifindex, byte[] address, byte[] lladdr) throws LinuxException {
        int family = familyOf(address);
        if (lladdr == null || lladdr.length != 6) {
            throw new IllegalArgumentException("lladdr must be 6 bytes (an Ethernet address)");
        }
        try (Arena a = Arena.ofConfined()) {
            NetlinkMessage m = new NetlinkMessage(a, RTM_NEWNEIGH, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE)
                    .ndmsg(family, ifindex, NUD_REACHABLE, 0)
                    .attr(NDA_DST, address)
                    .attr(NDA_LLADDR, lladdr);
            socket.exchange(a, m, "RTM_NEWNEIGH", "neighbour " + Route.text(address) + " on ifindex " + ifindex);
        }
    }

    /** Deletes a proxy neighbour entry; ENOENT if there is none. */
    public synchronized void deleteProxyNeighbor(int ifindex, byte[] address) throws LinuxException {
        int family = familyOf(address);
        try (Arena a = Arena.ofConfined()) {
            NetlinkMessage m = new NetlinkMessage(a, RTM_DELNEIGH, NLM_F_REQUEST | NLM_F_ACK)
                    .ndmsg(family, ifindex, 0, NTF_PROXY)
                    .attr(NDA_DST, address);
            socket.exchange(a, m, "RTM_DELNEIGH", "delete proxy " + Route.text(address) + " on ifindex " + ifindex);
        }
    }

    /** The IPv6 proxy neighbour entries on interface {@code ifindex} (0: on every interface). */
    public synchronized List<InetAddress> listProxyNeighbors(int ifindex) throws LinuxException {
        try (Arena a = Arena.ofConfined()) {
            NetlinkMessage m = new NetlinkMessage(a, RTM_GETNEIGH, NLM_F_REQUEST | NLM_F_DUMP)
                    .ndmsg(AF_INET6, 0, 0, NTF_PROXY);
            List<InetAddress> out = new ArrayList<>();
            int body = NetlinkMessage.HEADER_LEN;
            for (MemorySegment msg : socket.exchange(a, m, "RTM_GETNEIGH", "dump proxy entries")) {
                if (get(NLMSGHDR, msg, 0, "nlmsg_type") != RTM_NEWNEIGH
                        || (get(NDMSG, msg, body, "ndm_flags") & NTF_PROXY) == 0) {
                    continue;
                }
                if (ifindex != 0 && get(NDMSG, msg, body, "ndm_ifindex") != ifindex) {
                    continue;
                }
                MemorySegment dst = attributesAfter(msg, body + (int) NDMSG.byteSize()).get(NDA_DST);
                if (dst != null) {
                    out.add(inet(NetlinkMessage.bytes(dst)));
                }
            }
            return out;
        }
    }

    /** Closes the socket; idempotent. */
    @Override
    public synchronized void close() throws LinuxException {
        socket.close();
    }
}
