package dev.siitdc.daemon;

import dev.siitdc.dataplane.Role;
import dev.siitdc.dataplane.ServiceAddress;

import static dev.siitdc.linux.Rtnetlink.AF_INET;
import static dev.siitdc.linux.Rtnetlink.AF_INET6;

import dev.siitdc.core.addr.Ipv4Prefix;
import dev.siitdc.core.addr.Ipv6Prefix;
import dev.siitdc.core.config.ConfigException;
import dev.siitdc.core.config.TranslatorConfig;
import dev.siitdc.core.eam.Eam;
import dev.siitdc.core.eam.Ipv4Cover;
import dev.siitdc.linux.Cleanup;
import dev.siitdc.linux.Errno;
import dev.siitdc.linux.IfAddress;
import dev.siitdc.linux.LinkInfo;
import dev.siitdc.linux.LinuxException;
import dev.siitdc.linux.Route;
import dev.siitdc.linux.Rtnetlink;
import dev.siitdc.linux.Sysctl;
import dev.siitdc.linux.Tun;
import dev.siitdc.linux.TunDevice;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * The kernel configuration around the TUN, each step pushed on the undo stack as soon as it is done
 * (the caller runs the stack when start-up fails half-way, and at stop) and recorded in the
 * {@link StateFile} (for the next start, should this one be killed before it undoes them):
 *
 * <ol>
 *   <li>checks that change nothing: the TUN name is free; for an Edge Relay, the upstream interface
 *       exists and no interface holds a Service Address already;</li>
 *   <li>the TUN (IFF_TUN | IFF_NO_PI | IFF_MULTI_QUEUE, one descriptor per queue; with offload,
 *       IFF_VNET_HDR and TUNSETOFFLOAD TSO4/TSO6/USO), its MTU max(ipv6-mtu, ipv4-mtu + 20), its
 *       txqueuelen {@value #TUN_TX_QUEUE_LENGTH}, link up (routes need it);</li>
 *   <li>Border Relay: pool6, each EAM IPv4 prefix and the own addresses (unless the node holds them) routed
 *       into the TUN, IPv4 and IPv6 forwarding on;</li>
 *   <li>Edge Relay: the IPv4 Service Addresses on the TUN (/32), an IPv4 default route into it with MTU
 *       lowest-ipv6-mtu - 20, each IPv6 Service Address (/128) and own-ipv6-address (unless the node
 *       holds it) routed into it, IPv6 forwarding on, and with an upstream interface accept_ra 2,
 *       proxy_ndp and one proxy NDP entry per IPv6 Service Address and for own-ipv6-address on it.</li>
 * </ol>
 */
final class NetworkSetup {
    /**
     * What was configured, for the start-up summary; and for {@link LiveConfig}, the own addresses routed
     * into the TUN ({@code ownRoute4}, {@code ownRoute6}, null when not) and the interface where proxy NDP
     * answers ({@code ndp}, null without one); a Border Relay's routes for the EAMs' IPv4 prefixes
     * ({@code eamRoutes4}: the fewest that cover them, {@link Ipv4Cover}; empty for an Edge Relay).
     */
    record Done(TunDevice tun, int tunMtu, int ipv4RouteMtu, TranslatorConfig translator, String ownIpv6Origin,
            String upstreamName, LinkInfo segment, List<String> notes, Ipv4Prefix ownRoute4, Ipv6Prefix ownRoute6,
            LinkInfo ndp, List<Ipv4Prefix> eamRoutes4) {
    }

    /** The largest MTU a TUN takes. */
    /** The TUN's txqueuelen (the kernel's default is 500). */
    static final int TUN_TX_QUEUE_LENGTH = 5000;
    private static final int IFA_F_DADFAILED = 0x08;
    private static final int IFA_F_DEPRECATED = 0x20;

    private final RelayConfig rc;
    private final TranslatorConfig tc;
    private final List<ServiceAddress> sas;
    private final Rtnetlink rtnl;
    private final Sysctl sysctl;
    private final Cleanup undo;
    /** Each change recorded as it is made, for the next start after a crash ({@link CrashRecovery}). */
    private final StateFile state;
    private final Consumer<String> warn;
    private final List<String> notes = new ArrayList<>();
    private Ipv4Prefix ownRoute4;
    private Ipv6Prefix ownRoute6;
    private LinkInfo ndpLink;
    private List<Ipv4Prefix> eamRoutes4 = List.of();

    private NetworkSetup(RelayConfig rc, TranslatorConfig tc, List<ServiceAddress> sas, Rtnetlink rtnl, Sysctl sysctl,
            Cleanup undo, StateFile state, Consumer<String> warn) {
        this.rc = rc;
        this.state = state;
        this.tc = tc;
        this.sas = sas;
        this.rtnl = rtnl;
        this.sysctl = sysctl;
        this.undo = undo;
        this.warn = warn;
    }

    static Done apply(RelayConfig rc, TranslatorConfig tc, List<ServiceAddress> sas, int queues, Rtnetlink rtnl,
            Sysctl sysctl, Cleanup undo, StateFile state, Consumer<String> warn) throws StartupException, IOException {
        return new NetworkSetup(rc, tc, sas, rtnl, sysctl, undo, state, warn).run(queues);
    }

    private Done run(int queues) throws StartupException, IOException {
        // ---- checks that change nothing
        String name = rc.tunName();
        requireAbsent(rtnl, name, "tun-name", " (another siitdc running? if not, remove it: ip link delete " + name + ")");
        LinkInfo upstream = null;
        if (rc.role() == Role.EDGE_RELAY) {
            if (rc.upstreamInterface() != null) {
                upstream = existing(rtnl, rc.upstreamInterface(), "upstream-interface");
            }
            if (rc.networkBased()) {
                SegmentSetup.check(rc, rtnl, upstream);
            }
            requireServiceAddressesUnused();
        }

        // ---- the TUN, its MTU, link up
        TunDevice tun;
        try {
            tun = Tun.create(name, queues, Tun.IFF_MULTI_QUEUE | (rc.offload() ? Tun.IFF_VNET_HDR : 0));
        } catch (LinuxException e) {
            throw new StartupException(null, "cannot create the TUN interface " + name + ": " + e.getMessage()
                    + tunHint(e.errno()), e);
        }
        undo.pushClose("close the TUN " + name + " (removes it)", tun);
        state.add("tun", tun.name());
        int ifx = tun.ifindex();
        int mtu = RelayMtu.tun(tc);
        int previousMtu = rtnl.linkSetMtu(ifx, mtu);
        undo.push("restore mtu " + previousMtu + " of " + name, gone(() -> rtnl.linkSetMtu(ifx, previousMtu)));
        if (rc.offload()) {
            offload(tun);
        } else {
            notes.add("offload off");
        }
        // The kernel drops what it cannot queue for the workers: a longer queue than the default 500
        // absorbs bursts (a GSO super-packet is one entry however many segments it holds).
        int previousQlen = rtnl.linkSetTxQueueLength(ifx, TUN_TX_QUEUE_LENGTH);
        undo.push("restore txqueuelen " + previousQlen + " of " + name,
                gone(() -> rtnl.linkSetTxQueueLength(ifx, previousQlen)));
        rtnl.linkSetUp(ifx, true);
        undo.push("set " + name + " down", gone(() -> rtnl.linkSetUp(ifx, false)));

        TranslatorConfig translator = tc;
        String ownIpv6Origin = tc.ownIpv6Address() != null ? "own-ipv6-address" : null;
        int ipv4RouteMtu = 0;
        LinkInfo segment = null;
        if (rc.role() == Role.BORDER_RELAY) {
            borderRelay(ifx);
        } else {
            if (rc.networkBased()) {
                segment = new SegmentSetup(rc, rtnl, sysctl, undo, state, notes).apply();
            }
            // s3.2.2: the upstream router's neighbour solicitations arrive on the bridge.
            LinkInfo ndp = upstream != null && rc.networkBased() && rc.segment().bridge() != null ? segment : upstream;
            ndpLink = ndp;
            ipv4RouteMtu = edgeRelay(ifx, ndp);
            if (tc.ownIpv6Address() == null && ndp != null) {
                Ipv6Prefix own = firstGlobalIpv6(ndp.index());
                if (own != null) {
                    translator = withOwnIpv6(tc, own);
                    ownIpv6Origin = "first global address of " + ndp.name();
                }
            }
        }
        warnAboutOwnIpv4(name);
        if (translator.ownIpv6Address() == null) {
            warn.accept("no own IPv6 address (set own-ipv6-address in [translator]"
                    + (rc.role() == Role.EDGE_RELAY ? ", or give the upstream interface a global IPv6 address" : "")
                    + "): the relay cannot originate ICMPv6 errors (Packet Too Big, Time Exceeded...)");
        }
        return new Done(tun, mtu, ipv4RouteMtu, translator, ownIpv6Origin,
                upstream == null ? null : upstream.name(), segment, List.copyOf(notes), ownRoute4, ownRoute6, ndpLink,
                eamRoutes4);
    }

    /**
     * Lets the kernel hand the TUN GSO super-packets and partial checksums (TUNSETOFFLOAD): TSO for
     * IPv4 and IPv6 (with ECN), and USO where the kernel has it (6.2 and later). A kernel that refuses
     * them all leaves the relay without offload, said once (a warning, and a note in the start-up
     * summary); the virtio_net_hdr stays, all zero.
     */
    private void offload(TunDevice tun) {
        int tso = Tun.TUN_F_CSUM | Tun.TUN_F_TSO4 | Tun.TUN_F_TSO6 | Tun.TUN_F_TSO_ECN;
        try {
            tun.setOffload(tso | Tun.TUN_F_USO4 | Tun.TUN_F_USO6);
            notes.add("offload tso4 tso6 uso");
            return;
        } catch (LinuxException e) {
            // an older kernel: no USO
        }
        try {
            tun.setOffload(tso);
            notes.add("offload tso4 tso6");
        } catch (LinuxException e) {
            warn.accept("the kernel refused TUN offloads (" + e.getMessage() + "): running without offload"
                    + " (every packet is segmented and checksummed before the relay sees it)");
            notes.add("offload off (refused by the kernel)");
        }
    }

    // ---- Border Relay (RFC 7755)

    private void borderRelay(int ifx) throws IOException, StartupException {
        // The IPv6 side: the translation prefix holds the IPv4 Internet; what the data centre sends there
        // comes to the translator.
        if (tc.pool6() != null) {
            route(Route.to(AF_INET6, bytes(tc.pool6()), tc.pool6().length()).dev(ifx), "pool6 " + tc.pool6());
        }
        // The IPv4 side: every IPv4 Service Address (prefix) of the EAMT comes to the translator (RFC 7755 s4),
        // through the fewest prefixes that cover the EAMs' IPv4 prefixes, exactly as eamt apply routes them
        // (Ipv4Cover: 100,000 contiguous /32s are a handful of routes, where one route each took 14 s).
        // The EAMs' IPv6 prefixes are deliberately NOT routed into the TUN: they are the IPv6 Service
        // Addresses of the servers, which the data centre network routes to the servers themselves
        // (RFC 7755 s3: only the translation prefix and the IPv4 Service Addresses are routed to the BR).
        // The translated packets the BR writes to the TUN are addressed to them and must leave toward
        // the data centre; a route into the TUN would loop them back into the translator.
        // (recorded in the state file in one write: a large EAMT would otherwise rewrite it once per route)
        List<Ipv4Prefix> eamPrefixes = new ArrayList<>(tc.eamt().size());
        for (Eam e : tc.eamt()) {
            eamPrefixes.add(e.ipv4());
        }
        List<Ipv4Prefix> cover = Ipv4Cover.of(eamPrefixes);
        eamPrefixes = null;
        List<String> eamRoutes = new ArrayList<>(cover.size());
        for (Ipv4Prefix p : cover) {
            Route r = Route.to(AF_INET, bytes(p), p.length()).dev(ifx);
            addRoute(r, "the EAM IPv4 prefixes in " + p);
            eamRoutes.add(String.join(" ", StateFile.words("route-added", StateFile.route(r, rc.tunName()))));
        }
        eamRoutes4 = List.copyOf(cover);
        state.addLines(eamRoutes);
        // The translator's own addresses, the source of the ICMP errors it originates: the translator
        // answers echo requests to them (a traceroute hop can be pinged), unless the node holds them.
        if (tc.ownIpv4Address() != null) {
            byte[] own4 = new byte[4];
            Ipv4Prefix.write(tc.ownIpv4Address(), own4, 0);
            if (!isLocalAddress(own4)) {
                route(Route.to(AF_INET, own4, 32).dev(ifx), "own-ipv4-address");
                ownRoute4 = new Ipv4Prefix(tc.ownIpv4Address(), 32);
            }
        }
        routeOwnIpv6(ifx);
        setSysctl(sysctl, "net.ipv4.ip_forward", "1", undo, state);
        setSysctl(sysctl, "net.ipv6.conf.all.forwarding", "1", undo, state);
    }

    // ---- Edge Relay (RFC 7756 s3.1, node-based)

    private int edgeRelay(int ifx, LinkInfo upstream) throws IOException, StartupException {
        // Node-based (s3.1): the IPv4 Service Addresses become local addresses, so that AF_INET sockets can
        // bind them. Network-based (s3.2): the segment's nodes hold them; the kernel forwards to them.
        for (int i = 0; i < sas.size() && !rc.networkBased(); i++) {
            ServiceAddress sa = sas.get(i);
            byte[] a = sa.ipv4Bytes();
            try {
                rtnl.addAddress(ifx, AF_INET, a, 32);
            } catch (LinuxException e) {
                throw new StartupException(serviceKey(i), "cannot assign " + Ipv4Prefix.format(sa.ipv4()) + "/32 to "
                        + rc.tunName() + ": " + e.getMessage(), e);
            }
            undo.push("delete address " + Ipv4Prefix.format(sa.ipv4()) + "/32 from " + rc.tunName(),
                    gone(() -> rtnl.deleteAddress(ifx, AF_INET, a, 32)));
            state.add("address-added", rc.tunName(), "inet", Ipv4Prefix.format(sa.ipv4()) + "/32");
        }
        // The IPv4 default route into the TUN, with the MTU that lets a full-size IPv4 packet fit an
        // unfragmented IPv6 packet (RFC 7756 s4.2). The TUN's own MTU stays large so that full-size IPv6
        // packets fit through it.
        int v4mtu = RelayMtu.edgeIpv4Route(tc);
        Route dflt = Route.to(AF_INET, new byte[4], 0).dev(ifx).mtu(v4mtu);
        try {
            rtnl.addRoute(dflt);
        } catch (LinuxException e) {
            if (e.errno() == Errno.EEXIST) {
                throw new StartupException(null, "this node has an IPv4 default route already; an Edge"
                        + " Relay points the IPv4 default route into its TUN (RFC 7756 s3): remove the other one"
                        + " (ip -4 route show default)", e);
            }
            throw e;
        }
        undo.push("delete route " + dflt, gone(() -> rtnl.deleteRoute(dflt)));
        state.add(StateFile.words("route-added", StateFile.route(dflt, rc.tunName())));
        // The IPv6 Service Addresses come to the translator.
        for (ServiceAddress sa : sas) {
            route(Route.to(AF_INET6, sa.ipv6Bytes(), 128).dev(ifx), "IPv6 Service Address " + sa.ipv6());
        }
        // The translator answers echo requests to its own IPv6 address (the source of its ICMPv6 errors):
        // routed in, and answered for by proxy NDP, as a Service Address is (unless the node holds it).
        routeOwnIpv6(ifx);
        // IPv6 forwarding: the network hands the IPv6 Service Addresses' packets to this node, which
        // forwards them into the TUN; the translated packets the relay writes to the TUN are forwarded
        // on toward the Border Relay. Both need it, with or without an upstream interface.
        if (upstream != null) {
            // A forwarding interface ignores router advertisements unless accept_ra is 2: keep the
            // default route the host learnt from them. Only 1 (the default) is raised; 0 stays 0.
            String acceptRa = "net/ipv6/conf/" + upstream.name() + "/accept_ra";
            if ("1".equals(sysctl.read(acceptRa))) {
                setSysctl(sysctl, acceptRa, "2", undo, state);
            }
        }
        setSysctl(sysctl, "net.ipv6.conf.all.forwarding", "1", undo, state);
        if (upstream != null) {
            // RFC 7756 s3.1: the upstream router learns where the IPv6 Service Addresses are through
            // neighbour discovery; the kernel answers for them (proxy NDP) on the upstream interface.
            setSysctl(sysctl, "net/ipv6/conf/" + upstream.name() + "/proxy_ndp", "1", undo, state);
            for (ServiceAddress sa : sas) {
                proxy(upstream, sa.ipv6Bytes(), "IPv6 Service Address " + sa.ipv6());
            }
            if (ownRoute6 != null) {
                proxy(upstream, bytes(ownRoute6), "own-ipv6-address " + ownRoute6);
            }
        } else {
            notes.add("no upstream-interface: the network must route the IPv6 Service Addresses to this node");
        }
        return v4mtu;
    }

    /**
     * The ICMPv4 errors the relay originates come out of the TUN with own-ipv4-address as source. The
     * kernel drops them as martians if that address is one of its own, and under strict reverse-path
     * filtering unless its route points into the TUN (an Edge Relay's default route does).
     */
    private void warnAboutOwnIpv4(String tunName) throws IOException {
        int own = tc.ownIpv4Address() != null ? tc.ownIpv4Address() : dev.siitdc.core.xlat.Settings.IPV4_DUMMY_ADDRESS;
        String text = Ipv4Prefix.format(own) + (tc.ownIpv4Address() != null ? " (own-ipv4-address)" : " (RFC 7600 default)");
        byte[] ownBytes = new byte[4];
        Ipv4Prefix.write(own, ownBytes, 0);
        int holder = rtnl.addressHolder(ownBytes);
        if (holder != 0) {
            warn.accept("the relay's ICMPv4 errors have source " + text + ", an address of " + linkName(holder)
                    + ": the kernel drops them as martians; choose an own-ipv4-address this node does not hold");
            return;
        }
        if (rc.role() == Role.BORDER_RELAY) {
            int strict = Math.max(rpFilter("net/ipv4/conf/all/rp_filter"), rpFilter("net/ipv4/conf/" + tunName + "/rp_filter"));
            if (strict == 1) {
                warn.accept("reverse-path filtering is strict on " + tunName + " (rp_filter 1): the kernel drops the"
                        + " ICMPv4 errors the relay originates from " + text + (tc.rfc6791v4Prefix() != null
                        ? " and from rfc6791v4-prefix " + tc.rfc6791v4Prefix() : "") + " unless a route for them points"
                        + " into " + tunName + "; set net.ipv4.conf.all.rp_filter and net.ipv4.conf." + tunName
                        + ".rp_filter to 0 or 2");
            }
        }
    }

    private boolean isLocalAddress(byte[] address) throws IOException {
        return rtnl.addressHolder(address) != 0;
    }

    private int rpFilter(String key) {
        try {
            return Integer.parseInt(sysctl.read(key));
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    // ---- helpers

    /** own-ipv6-address routed into the TUN, unless the node holds it. */
    private void routeOwnIpv6(int ifx) throws IOException, StartupException {
        if (tc.ownIpv6Address() == null) {
            return;
        }
        byte[] own6 = bytes(tc.ownIpv6Address());
        if (isLocalAddress(own6)) {
            return;
        }
        route(Route.to(AF_INET6, own6, 128).dev(ifx), "own-ipv6-address");
        ownRoute6 = new Ipv6Prefix(tc.ownIpv6Address().hi(), tc.ownIpv6Address().lo(), 128);
    }

    private void route(Route r, String what) throws LinuxException, StartupException {
        addRoute(r, what);
        state.add(StateFile.words("route-added", StateFile.route(r, rc.tunName())));
    }

    /** Adds {@code r} with its undo action (not recorded in the state file). */
    private void addRoute(Route r, String what) throws LinuxException, StartupException {
        try {
            rtnl.addRoute(r);
        } catch (LinuxException e) {
            if (e.errno() == Errno.EEXIST) {
                throw new StartupException(null, "cannot route " + what + " into " + rc.tunName()
                        + ": a route to that prefix exists already (" + e.getMessage() + ")", e);
            }
            throw e;
        }
        undo.push("delete route " + r, gone(() -> rtnl.deleteRoute(r)));
    }

    /** Answers neighbour solicitations for {@code a} on {@code upstream} (proxy NDP). */
    private void proxy(LinkInfo upstream, byte[] a, String what) throws LinuxException {
        int up = upstream.index();
        rtnl.addProxyNeighbor(up, a);
        undo.push("delete proxy " + what + " on " + upstream.name(), gone(() -> rtnl.deleteProxyNeighbor(up, a)));
        state.add("proxy", upstream.name(), StateFile.text(a));
    }

    /** Sets a sysctl, its previous value restored by {@code undo} and recorded in {@code state}. */
    static void setSysctl(Sysctl sysctl, String key, String value, Cleanup undo, StateFile state) throws IOException {
        String previous = sysctl.set(key, value, undo);
        state.add("sysctl", key, previous);
    }

    /** Refuses {@code name} for {@code key} if an interface has it: "an interface named NAME exists already" + why. */
    static void requireAbsent(Rtnetlink rtnl, String name, String key, String why)
            throws LinuxException, StartupException {
        try {
            rtnl.link(name);
        } catch (LinuxException e) {
            if (e.errno() == Errno.ENODEV) {
                return;
            }
            throw e;
        }
        throw new StartupException(key, "an interface named " + name + " exists already" + why);
    }

    static LinkInfo existing(Rtnetlink rtnl, String name, String key) throws LinuxException, StartupException {
        try {
            return rtnl.link(name);
        } catch (LinuxException e) {
            if (e.errno() == Errno.ENODEV) {
                throw new StartupException(key, "no interface named \"" + name + "\" (ip link lists them)", e);
            }
            throw e;
        }
    }

    private void requireServiceAddressesUnused() throws LinuxException, StartupException {
        List<IfAddress> all = rtnl.listAddresses(0);
        for (int i = 0; i < sas.size(); i++) {
            ServiceAddress sa = sas.get(i);
            byte[] v4 = sa.ipv4Bytes(), v6 = sa.ipv6Bytes();
            for (IfAddress a : all) {
                byte[] b = a.address().getAddress();
                if (Arrays.equals(b, v4)) {
                    throw new StartupException(serviceKey(i), Ipv4Prefix.format(sa.ipv4()) + " is in use: "
                            + linkName(a.ifindex()) + " holds it; " + (rc.networkBased()
                            ? "on a network-based Edge Relay a node of the segment holds it, not the relay: remove it"
                            : "the Edge Relay assigns it to " + rc.tunName() + " itself, remove it there first"));
                }
                if (Arrays.equals(b, v6)) {
                    throw new StartupException(serviceKey(i), "its IPv6 Service Address " + sa.ipv6() + " is in use: "
                            + linkName(a.ifindex()) + " holds it, so the node would answer it itself instead of"
                            + " handing it to the Edge Relay; remove it there (the relay routes it into "
                            + rc.tunName() + (rc.upstreamInterface() != null ? " and answers neighbour"
                            + " solicitations for it on " + rc.upstreamInterface() : "") + ")");
                }
            }
        }
    }

    private String linkName(int ifindex) {
        return linkName(rtnl, ifindex);
    }

    static String linkName(Rtnetlink rtnl, int ifindex) {
        try {
            return "interface " + rtnl.link(ifindex).name();
        } catch (LinuxException e) {
            return "interface #" + ifindex;
        }
    }

    /** The first global, usable IPv6 address of the interface, preferring non-deprecated ones; or null. */
    private Ipv6Prefix firstGlobalIpv6(int ifindex) throws LinuxException {
        IfAddress fallback = null;
        for (IfAddress a : rtnl.listAddresses(ifindex)) {
            if (!a.ipv6() || a.scope() != Rtnetlink.RT_SCOPE_UNIVERSE || (a.flags() & IFA_F_DADFAILED) != 0) {
                continue;
            }
            if ((a.flags() & IFA_F_DEPRECATED) == 0) {
                return prefix(a.address());
            }
            if (fallback == null) {
                fallback = a;
            }
        }
        return fallback == null ? null : prefix(fallback.address());
    }

    private static Ipv6Prefix prefix(InetAddress a) {
        byte[] b = a.getAddress();
        return new Ipv6Prefix(Ipv6Prefix.readHi(b, 0), Ipv6Prefix.readLo(b, 0), 128);
    }

    private static TranslatorConfig withOwnIpv6(TranslatorConfig tc, Ipv6Prefix own) {
        TranslatorConfig.Builder b = tc.toBuilder();
        b.ownIpv6Address = own;
        try {
            return b.build();
        } catch (ConfigException e) {
            throw new IllegalStateException("a valid configuration became invalid with own-ipv6-address " + own, e);
        }
    }

    static String serviceKey(int index) {
        return "service-addresses[" + (index + 1) + "]";
    }

    private static byte[] bytes(Ipv4Prefix p) {
        byte[] b = new byte[4];
        Ipv4Prefix.write(p.address(), b, 0);
        return b;
    }

    private static byte[] bytes(Ipv6Prefix p) {
        byte[] b = new byte[16];
        Ipv6Prefix.write(p.hi(), p.lo(), b, 0);
        return b;
    }

    private static String tunHint(int errno) {
        return switch (errno) {
            case Errno.EPERM, Errno.EACCES -> " (siitdc run needs root or CAP_NET_ADMIN)";
            case Errno.ENOENT, Errno.ENODEV, Errno.ENXIO -> " (no TUN driver: modprobe tun, and check /dev/net/tun)";
            case Errno.EBUSY, Errno.EINVAL -> " (the name belongs to another device)";
            case Errno.EMFILE -> " (too many open files: raise the daemon's limit, LimitNOFILE= or ulimit -n)";
            case Errno.ENFILE -> " (too many open files in the system: raise fs.file-max)";
            default -> "";
        };
    }

    /**
     * An undo action that counts "already gone" as done: the interface was removed (ENODEV), or the
     * route, address or proxy entry was deleted by someone else (ESRCH, ENOENT, EADDRNOTAVAIL).
     */
    static Cleanup.Action gone(Cleanup.Action a) {
        return () -> {
            try {
                a.run();
            } catch (LinuxException e) {
                if (!isGone(e)) {
                    throw e;
                }
            }
        };
    }

    /** The kernel's "already gone": ENODEV, ESRCH, ENOENT or EADDRNOTAVAIL (see {@link #gone}). */
    static boolean isGone(LinuxException e) {
        int n = e.errno();
        return n == Errno.ENODEV || n == Errno.ESRCH || n == Errno.ENOENT || n == Errno.EADDRNOTAVAIL;
    }
}
