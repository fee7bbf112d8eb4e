package dev.siitdc.daemon;

import static dev.siitdc.linux.Rtnetlink.AF_INET;
import static dev.siitdc.linux.Rtnetlink.AF_INET6;
import static dev.siitdc.daemon.NetworkSetup.gone;

import dev.siitdc.core.addr.Ipv4Prefix;
import dev.siitdc.linux.Cleanup;
import dev.siitdc.linux.Errno;
import dev.siitdc.linux.IfAddress;
import dev.siitdc.linux.LinkInfo;
import dev.siitdc.linux.LinuxException;
import dev.siitdc.linux.Route;
import dev.siitdc.linux.RouteEntry;
import dev.siitdc.linux.Rtnetlink;
import dev.siitdc.linux.Sysctl;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The IPv4 segment of a network-based Edge Relay (RFC 7756 s3.2), each step on the undo stack:
 *
 * <ol>
 *   <li>s3.2.2 only: the bridge, created with the upstream interface's MAC address, the segment and upstream
 *       interfaces as its ports; the upstream interface's static global IPv6 addresses and its static IPv6
 *       routes move onto the bridge (the host keeps its IPv6 connectivity); IPv4 and ARP are dropped
 *       on the upstream port both ways (tc clsact + matchall), so only IPv6 crosses the bridge;</li>
 *   <li>the segment address on the segment's layer-3 interface (the bridge, or the segment interface);</li>
 *   <li>Appendix A.2: each Service Address outside the segment subnet routed (/32) via its node's private
 *       address;</li>
 *   <li>IPv4 forwarding on: the nodes' packets are forwarded into the TUN, the translated ones out to them.</li>
 * </ol>
 */
final class SegmentSetup {
    static final int ETH_P_IP = 0x0800;
    static final int ETH_P_ARP = 0x0806;
    private static final int IFA_F_NODAD = 0x02;
    private static final int IFA_F_PERMANENT = 0x80;
    private static final int RTPROT_KERNEL = 2;
    private static final int RTPROT_RA = 9;

    private final RelayConfig rc;
    private final SegmentConfig seg;
    private final Rtnetlink rtnl;
    private final Sysctl sysctl;
    private final Cleanup undo;
    private final StateFile state;
    private final List<String> notes;

    SegmentSetup(RelayConfig rc, Rtnetlink rtnl, Sysctl sysctl, Cleanup undo, StateFile state, List<String> notes) {
        this.rc = rc;
        this.seg = rc.segment();
        this.rtnl = rtnl;
        this.sysctl = sysctl;
        this.undo = undo;
        this.state = state;
        this.notes = notes;
    }

    /**
     * The checks that change nothing: the segment interface exists; with a bridge, its name is free and
     * neither port ({@code upstream}, already looked up, and the segment interface) is in a bridge already.
     */
    static void check(RelayConfig rc, Rtnetlink rtnl, LinkInfo upstream) throws LinuxException, StartupException {
        SegmentConfig seg = rc.segment();
        LinkInfo l = NetworkSetup.existing(rtnl, seg.interfaceName(), "segment-interface");
        if (seg.bridge() != null) {
            NetworkSetup.requireAbsent(rtnl, seg.bridge(), "segment-bridge",
                    "; the Edge Relay creates the bridge itself (and removes it at stop): name a new one");
            requireNoMaster(rtnl, l, "segment-interface");
            requireNoMaster(rtnl, upstream, "upstream-interface");
        }
    }

    private static void requireNoMaster(Rtnetlink rtnl, LinkInfo port, String key) throws StartupException {
        if (port.master() != 0) {
            throw new StartupException(key, port.name() + " is a port of " + NetworkSetup.linkName(rtnl, port.master())
                    + " already");
        }
    }

    /**
     * Configures the segment; returns the layer-3 interface of the segment (the bridge or the segment
     * interface), where the DHCP server listens and, with a bridge, where proxy NDP answers.
     */
    LinkInfo apply() throws IOException, StartupException {
        LinkInfo l3;
        if (seg.bridge() != null) {
            l3 = bridge();
        } else {
            l3 = rtnl.link(seg.interfaceName());
            linkUp(l3);
        }
        // The segment address: the nodes' default IPv4 router (and DHCP server identifier).
        byte[] a = new byte[4];
        Ipv4Prefix.write(seg.address(), a, 0);
        String text = Ipv4Prefix.format(seg.address()) + "/" + seg.prefixLength();
        boolean present = false;
        for (IfAddress x : rtnl.listAddresses(l3.index())) {
            if (Arrays.equals(x.address().getAddress(), a)) {
                if (x.prefixLength() != seg.prefixLength()) {
                    throw new StartupException("segment-address", l3.name() + " holds " + Ipv4Prefix.format(seg.address())
                            + "/" + x.prefixLength() + " already, not /" + seg.prefixLength() + ": remove it or"
                            + " change segment-address");
                }
                present = true;
            }
        }
        if (present) {
            notes.add("segment-address " + text + " was on " + l3.name() + " already (kept at stop)");
        } else {
            try {
                rtnl.addAddress(l3.index(), AF_INET, a, seg.prefixLength());
            } catch (LinuxException e) {
                throw new StartupException("segment-address", "cannot assign " + text + " to " + l3.name() + ": "
                        + e.getMessage(), e);
            }
            int ifx = l3.index();
            undo.push("delete address " + text + " from " + l3.name(),
                    gone(() -> rtnl.deleteAddress(ifx, AF_INET, a, seg.prefixLength())));
            state.add("address-added", l3.name(), "inet", text);
        }
        // Appendix A.2: Service Addresses routed via their nodes' private on-link addresses.
        for (var e : seg.nextHops().entrySet()) {
            byte[] dst = new byte[4], via = new byte[4];
            Ipv4Prefix.write(e.getKey(), dst, 0);
            Ipv4Prefix.write(e.getValue(), via, 0);
            Route r = Route.to(AF_INET, dst, 32).via(via).dev(l3.index());
            try {
                rtnl.addRoute(r);
            } catch (LinuxException x) {
                throw new StartupException("segment-next-hops", "cannot route " + Ipv4Prefix.format(e.getKey())
                        + " via " + Ipv4Prefix.format(e.getValue()) + " on " + l3.name() + ": " + x.getMessage()
                        + (x.errno() == Errno.EEXIST ? " (a route to it exists already)" : ""), x);
            }
            undo.push("delete route " + r, gone(() -> rtnl.deleteRoute(r)));
            state.add(StateFile.words("route-added", StateFile.route(r, l3.name())));
        }
        NetworkSetup.setSysctl(sysctl, "net.ipv4.ip_forward", "1", undo, state);
        return l3;
    }

    private void linkUp(LinkInfo l) throws LinuxException {
        if (!l.up()) {
            int ifx = l.index();
            rtnl.linkSetUp(ifx, true);
            undo.push("set " + l.name() + " down", gone(() -> rtnl.linkSetUp(ifx, false)));
            state.add("link-up", l.name());
        }
    }

    // ---- s3.2.2: the bridge

    private LinkInfo bridge() throws IOException, StartupException {
        LinkInfo up = rtnl.link(rc.upstreamInterface());
        LinkInfo down = rtnl.link(seg.interfaceName());
        String name = seg.bridge();
        int br;
        try {
            br = rtnl.createBridge(name, up.mac());
        } catch (LinuxException e) {
            throw new StartupException("segment-bridge", "cannot create the bridge " + name + ": " + e.getMessage(), e);
        }
        undo.push("delete bridge " + name, gone(() -> rtnl.deleteLink(br)));
        state.add("bridge", name);
        // The bridge forwards IPv6 (it routes into the TUN what the ER answers neighbour discovery for);
        // with forwarding on, it learns its default route from router advertisements only if accept_ra is 2.
        NetworkSetup.setSysctl(sysctl, "net/ipv6/conf/" + name + "/accept_ra", "2", undo, state);
        rtnl.linkSetUp(br, true);
        for (LinkInfo port : List.of(down, up)) {
            int ifx = port.index();
            int before = rtnl.linkSetMaster(ifx, br);
            undo.push("release " + port.name() + " from " + name, gone(() -> rtnl.linkSetMaster(ifx, before)));
            state.add("master", port.name(), before == 0 ? "-" : rtnl.link(before).name());
            linkUp(port);
        }
        // Only IPv6 crosses: IPv4 and ARP stay on the segment side (the IDC network is IPv6-only).
        int upx = up.index();
        try {
            rtnl.addClsact(upx);
        } catch (LinuxException e) {
            if (e.errno() == Errno.EEXIST) {
                throw new StartupException("upstream-interface", up.name() + " has a clsact qdisc already (tc qdisc show"
                        + " dev " + up.name() + "): the Edge Relay keeps IPv4 and ARP off the bridge with filters in"
                        + " a clsact qdisc of its own, which it removes at stop; remove the other one first", e);
            }
            throw e;
        }
        undo.push("delete the clsact qdisc of " + up.name(), gone(() -> rtnl.deleteClsact(upx)));
        state.add("clsact", up.name());
        int prio = 1;
        for (int type : new int[] {ETH_P_IP, ETH_P_ARP}) {
            rtnl.addEtherTypeDrop(upx, true, type, prio);
            rtnl.addEtherTypeDrop(upx, false, type, prio);
            prio++;
        }
        moveIpv6(up, rtnl.link(br), name);
        notes.add("bridge " + name + " = " + up.name() + " + " + down.name() + " (IPv6 only between them)");
        return rtnl.link(br);
    }

    /**
     * Moves the upstream interface's static global IPv6 addresses and static IPv6 routes onto the bridge,
     * where its frames now arrive (back at stop). Router-advertised routes and SLAAC addresses are left: the
     * bridge learns its own (accept_ra 2).
     */
    private void moveIpv6(LinkInfo up, LinkInfo br, String name) throws IOException {
        int upx = up.index(), brx = br.index();
        List<IfAddress> addresses = new ArrayList<>();
        for (IfAddress a : rtnl.listAddresses(upx)) {
            if (a.ipv6() && a.scope() == Rtnetlink.RT_SCOPE_UNIVERSE && (a.flags() & IFA_F_PERMANENT) != 0) {
                addresses.add(a);
            }
        }
        List<RouteEntry> routes = new ArrayList<>();
        for (RouteEntry r : rtnl.listRoutes(AF_INET6)) {
            if (r.oif() == upx && r.protocol() != RTPROT_KERNEL && r.protocol() != RTPROT_RA) {
                routes.add(r);
            }
        }
        for (IfAddress a : addresses) {
            byte[] b = a.address().getAddress();
            int plen = a.prefixLength();
            rtnl.addAddress(brx, AF_INET6, b, plen, IFA_F_NODAD);
            undo.push("delete address " + a.address().getHostAddress() + " from " + name,
                    gone(() -> rtnl.deleteAddress(brx, AF_INET6, b, plen)));
            state.add("address-added", name, "inet6", StateFile.text(b) + "/" + plen);
        }
        // The kernel refuses a second route to the same prefix with the same metric on another interface:
        // each moves by delete, then add.
        for (RouteEntry e : routes) {
            Route old = Route.from(e);
            rtnl.deleteRoute(old);
            undo.push("restore route " + old, () -> rtnl.addRoute(old));
            state.add(StateFile.words("route-deleted", StateFile.route(old, up.name())));
            Route onBridge = Route.from(e).dev(brx);
            rtnl.addRoute(onBridge);
            undo.push("delete route " + onBridge, gone(() -> rtnl.deleteRoute(onBridge)));
            state.add(StateFile.words("route-added", StateFile.route(onBridge, name)));
        }
        for (IfAddress a : addresses) {
            byte[] b = a.address().getAddress();
            int plen = a.prefixLength();
            rtnl.deleteAddress(upx, AF_INET6, b, plen);
            undo.push("restore address " + a.address().getHostAddress() + " on " + up.name(),
                    () -> rtnl.addAddress(upx, AF_INET6, b, plen, IFA_F_NODAD));
            state.add("address-deleted", up.name(), "inet6", StateFile.text(b) + "/" + plen);
        }
        if (!addresses.isEmpty() || !routes.isEmpty()) {
            notes.add("moved " + addresses.size() + " IPv6 address(es) and " + routes.size() + " IPv6 route(s) from "
                    + up.name() + " to " + name);
        }
    }
}
