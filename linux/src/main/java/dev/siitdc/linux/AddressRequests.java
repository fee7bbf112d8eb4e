package dev.siitdc.linux;

import static dev.siitdc.linux.AddressBytes.checkAddress;
import static dev.siitdc.linux.AddressBytes.checkPrefix;
import static dev.siitdc.linux.AddressBytes.inet;
import static dev.siitdc.linux.NetlinkMessage.IFADDRMSG;
import static dev.siitdc.linux.NetlinkMessage.NLMSGHDR;
import static dev.siitdc.linux.NetlinkMessage.get;
import static dev.siitdc.linux.NetlinkSocket.NLM_F_ACK;
import static dev.siitdc.linux.NetlinkSocket.NLM_F_CREATE;
import static dev.siitdc.linux.NetlinkSocket.NLM_F_DUMP;
import static dev.siitdc.linux.NetlinkSocket.NLM_F_EXCL;
import static dev.siitdc.linux.NetlinkSocket.NLM_F_REQUEST;
import static dev.siitdc.linux.NetlinkSocket.attributesAfter;
import static dev.siitdc.linux.Rtnetlink.AF_INET;
import static dev.siitdc.linux.Rtnetlink.AF_UNSPEC;
import static dev.siitdc.linux.Rtnetlink.RT_SCOPE_UNIVERSE;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The address requests of {@link Rtnetlink} (RTM_NEWADDR, RTM_DELADDR, RTM_GETADDR with a struct
 * ifaddrmsg and IFA_* attributes, rtnetlink(7) and linux/if_addr.h): as {@code ip address} sends them.
 */
final class AddressRequests {
    // linux/rtnetlink.h
    static final int RTM_NEWADDR = 20;
    static final int RTM_DELADDR = 21;
    static final int RTM_GETADDR = 22;
    // linux/if_addr.h
    static final int IFA_ADDRESS = 1;
    static final int IFA_LOCAL = 2;
    static final int IFA_FLAGS = 8;

    private final NetlinkSocket socket;

    AddressRequests(NetlinkSocket socket) {
        this.socket = socket;
    }

    void addAddress(int ifindex, int family, byte[] address, int prefixLen, int flags) throws LinuxException {
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

    void deleteAddress(int ifindex, int family, byte[] address, int prefixLen) throws LinuxException {
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

    /** The ifindex of the first of {@code addresses} that is {@code address}, or 0 when none is. */
    static int holder(List<IfAddress> addresses, byte[] address) {
        for (IfAddress a : addresses) {
            if (Arrays.equals(a.address().getAddress(), address)) return a.ifindex();
        }
        return 0;
    }

    List<IfAddress> listAddresses(int ifindex) throws LinuxException {
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
}
