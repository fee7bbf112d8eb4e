package dev.siitdc.linux;

import static dev.siitdc.linux.AddressBytes.familyOf;
import static dev.siitdc.linux.AddressBytes.inet;
import static dev.siitdc.linux.NetlinkMessage.NDMSG;
import static dev.siitdc.linux.NetlinkMessage.NLMSGHDR;
import static dev.siitdc.linux.NetlinkMessage.get;
import static dev.siitdc.linux.NetlinkSocket.NLM_F_ACK;
import static dev.siitdc.linux.NetlinkSocket.NLM_F_CREATE;
import static dev.siitdc.linux.NetlinkSocket.NLM_F_DUMP;
import static dev.siitdc.linux.NetlinkSocket.NLM_F_EXCL;
import static dev.siitdc.linux.NetlinkSocket.NLM_F_REPLACE;
import static dev.siitdc.linux.NetlinkSocket.NLM_F_REQUEST;
import static dev.siitdc.linux.NetlinkSocket.attributesAfter;
import static dev.siitdc.linux.Rtnetlink.AF_INET6;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The neighbour requests of {@link Rtnetlink} (RTM_NEWNEIGH, RTM_DELNEIGH, RTM_GETNEIGH with a struct
 * ndmsg and NDA_* attributes, rtnetlink(7) and linux/neighbour.h): proxy entries (NTF_PROXY, the proxy
 * ARP and proxy NDP of RFC 4861 s7.2.8) and REACHABLE entries, as {@code ip neigh} sends them.
 */
final class NeighborRequests {
    // linux/rtnetlink.h
    static final int RTM_NEWNEIGH = 28;
    static final int RTM_DELNEIGH = 29;
    static final int RTM_GETNEIGH = 30;
    // linux/neighbour.h
    static final int NDA_DST = 1;
    static final int NDA_LLADDR = 2;
    static final int NUD_REACHABLE = 0x02;
    static final int NUD_PERMANENT = 0x80;
    static final int NTF_PROXY = 0x08;

    private final NetlinkSocket socket;

    NeighborRequests(NetlinkSocket socket) {
        this.socket = socket;
    }

    void addProxyNeighbor(int ifindex, byte[] address) throws LinuxException {
        int family = familyOf(address);
        try (Arena a = Arena.ofConfined()) {
            NetlinkMessage m = new NetlinkMessage(a, RTM_NEWNEIGH, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL)
                    .ndmsg(family, ifindex, NUD_PERMANENT, NTF_PROXY)
                    .attr(NDA_DST, address);
            socket.exchange(a, m, "RTM_NEWNEIGH", "add proxy " + Route.text(address) + " on ifindex " + ifindex);
        }
    }

    void setNeighbor(int ifindex, byte[] address, byte[] lladdr) throws LinuxException {
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

    void deleteProxyNeighbor(int ifindex, byte[] address) throws LinuxException {
        int family = familyOf(address);
        try (Arena a = Arena.ofConfined()) {
            NetlinkMessage m = new NetlinkMessage(a, RTM_DELNEIGH, NLM_F_REQUEST | NLM_F_ACK)
                    .ndmsg(family, ifindex, 0, NTF_PROXY)
                    .attr(NDA_DST, address);
            socket.exchange(a, m, "RTM_DELNEIGH", "delete proxy " + Route.text(address) + " on ifindex " + ifindex);
        }
    }

    List<InetAddress> listProxyNeighbors(int ifindex) throws LinuxException {
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
}
