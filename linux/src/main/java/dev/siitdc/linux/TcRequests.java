package dev.siitdc.linux;

import static dev.siitdc.linux.NetlinkSocket.NLM_F_ACK;
import static dev.siitdc.linux.NetlinkSocket.NLM_F_CREATE;
import static dev.siitdc.linux.NetlinkSocket.NLM_F_EXCL;
import static dev.siitdc.linux.NetlinkSocket.NLM_F_REQUEST;
import static dev.siitdc.linux.Rtnetlink.AF_UNSPEC;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The traffic-control requests of {@link Rtnetlink} (RTM_NEWQDISC, RTM_DELQDISC, RTM_NEWTFILTER with a
 * struct tcmsg and TCA_* attributes, rtnetlink(7), tc(8), tc-matchall(8), tc-bpf(8)): a clsact qdisc and
 * its ethertype-drop filters, byte for byte as iproute2's {@code tc} sends them.
 */
final class TcRequests {
    // linux/rtnetlink.h
    static final int RTM_NEWQDISC = 36;
    static final int RTM_DELQDISC = 37;
    static final int RTM_NEWTFILTER = 44;
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

    private final NetlinkSocket socket;

    TcRequests(NetlinkSocket socket) {
        this.socket = socket;
    }

    void addClsact(int ifindex) throws LinuxException {
        try (Arena a = Arena.ofConfined()) {
            NetlinkMessage m = new NetlinkMessage(a, RTM_NEWQDISC, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL)
                    .tcmsg(AF_UNSPEC, ifindex, tcHandle(TC_H_CLSACT, 0), TC_H_CLSACT, 0)
                    .attrString(TCA_KIND, "clsact");
            socket.exchange(a, m, "RTM_NEWQDISC", "add clsact to ifindex " + ifindex);
        }
    }

    void deleteClsact(int ifindex) throws LinuxException {
        try (Arena a = Arena.ofConfined()) {
            NetlinkMessage m = new NetlinkMessage(a, RTM_DELQDISC, NLM_F_REQUEST | NLM_F_ACK)
                    .tcmsg(AF_UNSPEC, ifindex, tcHandle(TC_H_CLSACT, 0), TC_H_CLSACT, 0)
                    .attrString(TCA_KIND, "clsact");
            socket.exchange(a, m, "RTM_DELQDISC", "delete clsact of ifindex " + ifindex);
        }
    }

    /** A matchall + gact drop filter, or (no cls_matchall or act_gact) the same as a cls_bpf program. */
    void addEtherTypeDrop(int ifindex, boolean ingress, int ethertype, int prio) throws LinuxException {
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

    /** The RTM_NEWTFILTER request of {@link Rtnetlink#addEtherTypeDrop}: matchall + gact, or cls_bpf. */
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
}
