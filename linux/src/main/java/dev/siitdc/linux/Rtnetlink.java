package dev.siitdc.linux;

import java.io.Closeable;
import java.net.InetAddress;
import java.util.List;

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

    private final NetlinkSocket socket;
    private final LinkRequests links;
    private final AddressRequests addresses;
    private final RouteRequests routes;
    private final NeighborRequests neighbors;
    private final TcRequests tc;

    private Rtnetlink(NetlinkSocket socket) {
        this.socket = socket;
        this.links = new LinkRequests(socket);
        this.addresses = new AddressRequests(socket);
        this.routes = new RouteRequests(socket);
        this.neighbors = new NeighborRequests(socket);
        this.tc = new TcRequests(socket);
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
        return links.link(name);
    }

    /** Interface {@code ifindex} (RTM_GETLINK by index); ENODEV if there is none. */
    public synchronized LinkInfo link(int ifindex) throws LinuxException {
        return links.link(ifindex);
    }

    /**
     * The kernel's counters of interface {@code ifindex} (RTM_GETLINK with IFLA_STATS64); ENODEV if there
     * is no such interface. One request: cheap enough for every stats read, not for every packet.
     */
    public synchronized LinkStats linkStats(int ifindex) throws LinuxException {
        return links.linkStats(ifindex);
    }

    /**
     * Sets interface {@code ifindex} administratively up or down.
     *
     * @return whether it was up before, to restore it
     */
    public synchronized boolean linkSetUp(int ifindex, boolean up) throws LinuxException {
        return links.linkSetUp(ifindex, up);
    }

    /**
     * Sets the MTU of interface {@code ifindex}.
     *
     * @return the previous MTU, to restore it
     */
    public synchronized int linkSetMtu(int ifindex, int mtu) throws LinuxException {
        return links.linkSetMtu(ifindex, mtu);
    }

    /**
     * The transmit queue length of interface {@code ifindex} (IFLA_TXQLEN): for a TUN, how many packets
     * the kernel queues for the reader before it drops.
     */
    public synchronized int linkTxQueueLength(int ifindex) throws LinuxException {
        return links.linkTxQueueLength(ifindex);
    }

    /**
     * Sets the transmit queue length of interface {@code ifindex} (IFLA_TXQLEN, as {@code ip link set
     * DEV txqueuelen N}).
     *
     * @return the previous length, to restore it
     */
    public synchronized int linkSetTxQueueLength(int ifindex, int qlen) throws LinuxException {
        return links.linkSetTxQueueLength(ifindex, qlen);
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
        return links.createBridge(name, mac);
    }

    /** Deletes interface {@code ifindex} (ip link del); ENODEV if there is none. */
    public synchronized void deleteLink(int ifindex) throws LinuxException {
        links.deleteLink(ifindex);
    }

    /**
     * Makes interface {@code ifindex} a port of {@code masterIfindex} (ip link set DEV master BR), or
     * releases it with 0 (nomaster).
     *
     * @return the previous master's ifindex, 0 for none, to restore it
     */
    public synchronized int linkSetMaster(int ifindex, int masterIfindex) throws LinuxException {
        return links.linkSetMaster(ifindex, masterIfindex);
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
        addresses.addAddress(ifindex, family, address, prefixLen, flags);
    }

    /** Removes {@code address/prefixLen} from interface {@code ifindex}; EADDRNOTAVAIL if it is not there. */
    public synchronized void deleteAddress(int ifindex, int family, byte[] address, int prefixLen)
            throws LinuxException {
        addresses.deleteAddress(ifindex, family, address, prefixLen);
    }

    /** The ifindex of an interface that holds {@code address} (4 or 16 bytes), or 0 when none does. */
    public int addressHolder(byte[] address) throws LinuxException {
        return AddressRequests.holder(listAddresses(0), address);
    }

    /** The IPv4 and IPv6 addresses of interface {@code ifindex} (0: of every interface). */
    public synchronized List<IfAddress> listAddresses(int ifindex) throws LinuxException {
        return addresses.listAddresses(ifindex);
    }

    // ---- routes ---------------------------------------------------------------------------

    /** Adds a unicast route; EEXIST if the same route is there already. Undo with {@link #deleteRoute}. */
    public synchronized void addRoute(Route r) throws LinuxException {
        routes.addRoute(r);
    }

    /**
     * Adds a unicast route, or replaces the route to the same destination in the same table in one step
     * (ip route replace): the destination is routed throughout, e.g. while its MTU changes.
     */
    public synchronized void replaceRoute(Route r) throws LinuxException {
        routes.replaceRoute(r);
    }

    /** Deletes a route added with {@link #addRoute}; ESRCH if there is no such route. */
    public synchronized void deleteRoute(Route r) throws LinuxException {
        routes.deleteRoute(r);
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
        return routes.listRoutes(family);
    }

    // ---- traffic control ------------------------------------------------------------------

    /**
     * Adds a clsact qdisc to interface {@code ifindex} (tc qdisc add dev DEV clsact): the hook for
     * {@link #addEtherTypeDrop} filters. EEXIST if it has one. Undo with {@link #deleteClsact}.
     */
    public synchronized void addClsact(int ifindex) throws LinuxException {
        tc.addClsact(ifindex);
    }

    /**
     * Deletes the clsact qdisc of interface {@code ifindex} and with it all its filters (tc qdisc del dev
     * DEV clsact); EINVAL or ENOENT if it has none.
     */
    public synchronized void deleteClsact(int ifindex) throws LinuxException {
        tc.deleteClsact(ifindex);
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
        tc.addEtherTypeDrop(ifindex, ingress, ethertype, prio);
    }

    // ---- proxy neighbours -----------------------------------------------------------------

    /**
     * Adds a proxy neighbour entry (ip neigh add proxy ADDR dev IF): the kernel answers neighbour
     * solicitations (IPv6, with net.ipv6.conf.*.proxy_ndp=1) or ARP requests (IPv4, 4-byte address) for
     * {@code address} on interface {@code ifindex}. Adding an existing entry succeeds (the kernel does
     * not report EEXIST for proxy entries). Undo with {@link #deleteProxyNeighbor}.
     */
    public synchronized void addProxyNeighbor(int ifindex, byte[] address) throws LinuxException {
        neighbors.addProxyNeighbor(ifindex, address);
    }

    /**
     * Adds or replaces the neighbour entry {@code address} at link-layer address {@code lladdr} on interface
     * {@code ifindex}, REACHABLE (ip neigh replace ADDR lladdr MAC dev IF nud reachable): the kernel then
     * sends to the address at once, without resolving it first. It ages like any learnt entry. A DHCP server
     * uses it to unicast to a client that has no address yet (RFC 2131 s4.1).
     */
    public synchronized void setNeighbor(int ifindex, byte[] address, byte[] lladdr) throws LinuxException {
        neighbors.setNeighbor(ifindex, address, lladdr);
    }

    /** Deletes a proxy neighbour entry; ENOENT if there is none. */
    public synchronized void deleteProxyNeighbor(int ifindex, byte[] address) throws LinuxException {
        neighbors.deleteProxyNeighbor(ifindex, address);
    }

    /** The IPv6 proxy neighbour entries on interface {@code ifindex} (0: on every interface). */
    public synchronized List<InetAddress> listProxyNeighbors(int ifindex) throws LinuxException {
        return neighbors.listProxyNeighbors(ifindex);
    }

    /** Closes the socket; idempotent. */
    @Override
    public synchronized void close() throws LinuxException {
        socket.close();
    }
}
