package dev.siitdc.linux;

import static dev.siitdc.linux.NetlinkMessage.NLMSGERR;
import static dev.siitdc.linux.NetlinkMessage.NLMSGHDR;
import static dev.siitdc.linux.NetlinkMessage.align;
import static dev.siitdc.linux.NetlinkMessage.get;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A bound NETLINK_ROUTE socket and its request/reply exchange, as netlink(7) describes it: every
 * request carries a fresh sequence number, the replies are read up to NLMSG_DONE (a dump) or the
 * NLMSG_ERROR that acks it, and an error there (with its extended-ack text, NETLINK_EXT_ACK) becomes a
 * {@link LinuxException}. Not thread-safe: {@link Rtnetlink} serializes the calls.
 */
final class NetlinkSocket {
    // linux/netlink.h
    static final int NETLINK_ROUTE = 0;
    static final int SOL_NETLINK = 270;
    static final int NETLINK_CAP_ACK = 10;
    static final int NETLINK_EXT_ACK = 11;
    static final int NLMSG_NOOP = 1;
    static final int NLMSG_ERROR = 2;
    static final int NLMSG_DONE = 3;
    static final int NLMSG_OVERRUN = 4;
    static final int NLM_F_REQUEST = 0x1;
    static final int NLM_F_MULTI = 0x2;
    static final int NLM_F_ACK = 0x4;
    static final int NLM_F_DUMP = 0x300;
    static final int NLM_F_EXCL = 0x200;
    static final int NLM_F_CREATE = 0x400;
    static final int NLM_F_REPLACE = 0x100;
    static final int NLM_F_CAPPED = 0x100;
    static final int NLM_F_ACK_TLVS = 0x200;
    static final int NLMSGERR_ATTR_MSG = 1;

    private static final int RECV_BUFFER = 64 * 1024;
    private static final int RECV_TIMEOUT_SECONDS = 5;
    private static final int SOCKADDR_NL_SIZE = 12;

    private final int fd;
    private final Arena arena;
    private final MemorySegment rx;
    private final MemorySegment kernel;
    private final int portId;
    private int seq;
    private boolean closed;

    private NetlinkSocket(int fd, Arena arena, int portId) {
        this.fd = fd;
        this.arena = arena;
        this.rx = arena.allocate(RECV_BUFFER, 8);
        this.kernel = arena.allocate(SOCKADDR_NL_SIZE, 4);
        this.kernel.set(JAVA_SHORT, 0, (short) Libc.AF_NETLINK); // nl_pid 0: the kernel
        this.portId = portId;
        this.seq = (int) (System.nanoTime() & 0x7fffffff);
    }

    /** Opens and binds a NETLINK_ROUTE socket (with a receive timeout and extended acks). */
    static NetlinkSocket open() throws LinuxException {
        int fd = Libc.socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, NETLINK_ROUTE);
        Arena arena = Arena.ofShared();
        try {
            MemorySegment one = arena.allocateFrom(JAVA_INT, 1);
            try {
                Libc.setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, one, "NETLINK_EXT_ACK");
                Libc.setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, one, "NETLINK_CAP_ACK");
            } catch (LinuxException e) {
                if (e.errno() != Errno.ENOPROTOOPT) { // kernels before 4.12 have no extended acks
                    throw e;
                }
            }
            MemorySegment tv = arena.allocate(16, 8); // struct timeval
            tv.set(JAVA_LONG, 0, RECV_TIMEOUT_SECONDS);
            Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, tv, "SO_RCVTIMEO");
            MemorySegment local = arena.allocate(SOCKADDR_NL_SIZE, 4);
            local.set(JAVA_SHORT, 0, (short) Libc.AF_NETLINK); // nl_pid 0: the kernel assigns one
            Libc.bind(fd, local);
            Libc.getsockname(fd, local);
            return new NetlinkSocket(fd, arena, local.get(JAVA_INT, 4));
        } catch (LinuxException | RuntimeException e) {
            arena.close();
            Libc.closeAfter(fd, e);
            throw e;
        }
    }

    /** The socket's netlink port id. */
    int portId() {
        return portId;
    }

    /**
     * Sends {@code m} and collects the answer: for a dump, every message up to NLMSG_DONE; otherwise the
     * messages up to the ACK. NLMSG_ERROR with an error becomes a LinuxException. The returned messages
     * are copies in {@code a}.
     */
    List<MemorySegment> exchange(Arena a, NetlinkMessage m, String op, String what) throws LinuxException {
        if (closed) {
            throw new LinuxException(op, Errno.EBADF, "netlink socket closed");
        }
        int s = ++seq;
        m.seq(s);
        MemorySegment wire = m.segment();
        long sent = Libc.sendto(fd, wire, 0, kernel, op + ": " + what);
        if (sent != wire.byteSize()) {
            throw new LinuxException("sendto", Errno.EMSGSIZE, op + ": sent " + sent + " of " + wire.byteSize());
        }
        boolean dump = (m.flags() & NLM_F_DUMP) == NLM_F_DUMP;
        List<MemorySegment> replies = new ArrayList<>();
        while (true) {
            long n = Libc.recv(fd, rx, Libc.MSG_TRUNC, op + ": " + what);
            if (n > rx.byteSize()) {
                throw new LinuxException("recv", Errno.ENOBUFS, op + ": reply of " + n + " bytes truncated");
            }
            long off = 0;
            while (off + NetlinkMessage.HEADER_LEN <= n) {
                int len = get(NLMSGHDR, rx, off, "nlmsg_len");
                if (len < NetlinkMessage.HEADER_LEN || off + len > n) {
                    throw new LinuxException(op, Errno.EBADMSG, "malformed netlink reply");
                }
                int type = get(NLMSGHDR, rx, off, "nlmsg_type");
                int replySeq = get(NLMSGHDR, rx, off, "nlmsg_seq");
                MemorySegment msg = rx.asSlice(off, len);
                off += align(len);
                if (replySeq != s) {
                    continue; // a late answer to an earlier request
                }
                switch (type) {
                    case NLMSG_NOOP, NLMSG_OVERRUN -> {
                    }
                    case NLMSG_ERROR -> {
                        int error = len >= NetlinkMessage.HEADER_LEN + 4 ? msg.get(JAVA_INT, NetlinkMessage.HEADER_LEN) : 0;
                        if (error != 0) {
                            throw new LinuxException(op, -error, withExtack(what, msg));
                        }
                        if (!dump) {
                            return replies;
                        }
                    }
                    case NLMSG_DONE -> {
                        int error = len >= NetlinkMessage.HEADER_LEN + 4 ? msg.get(JAVA_INT, NetlinkMessage.HEADER_LEN) : 0;
                        if (error < 0) {
                            throw new LinuxException(op, -error, what);
                        }
                        return replies;
                    }
                    default -> replies.add(a.allocate(len, 8).copyFrom(msg));
                }
            }
        }
    }

    /** Appends the kernel's extended-ack message (NLMSGERR_ATTR_MSG), if any, to {@code what}. */
    private static String withExtack(String what, MemorySegment errMsg) {
        int flags = get(NLMSGHDR, errMsg, 0, "nlmsg_flags");
        if ((flags & NLM_F_ACK_TLVS) == 0) {
            return what;
        }
        int body = NetlinkMessage.HEADER_LEN;
        long orig = NLMSGERR.byteOffset(MemoryLayout.PathElement.groupElement("msg"));
        int tlvs = (flags & NLM_F_CAPPED) != 0
                ? body + (int) NLMSGERR.byteSize()
                : body + (int) orig + align(get(NLMSGHDR, errMsg, body + orig, "nlmsg_len"));
        MemorySegment text = NetlinkMessage.attributes(errMsg, tlvs, errMsg.byteSize()).get(NLMSGERR_ATTR_MSG);
        return text == null ? what : what + " (kernel: " + NetlinkMessage.string(text) + ")";
    }

    /** The first of {@code replies}: the one answer to a request that is not a dump. */
    static MemorySegment single(List<MemorySegment> replies, String op) throws LinuxException {
        if (replies.isEmpty()) {
            throw new LinuxException(op, Errno.ENODATA, "no reply message");
        }
        return replies.getFirst();
    }

    /** The attributes of reply {@code msg} from byte {@code from} (after its family header) to its end. */
    static Map<Integer, MemorySegment> attributesAfter(MemorySegment msg, int from) {
        return NetlinkMessage.attributes(msg, from, get(NLMSGHDR, msg, 0, "nlmsg_len"));
    }

    /** Closes the socket; idempotent. */
    void close() throws LinuxException {
        if (closed) {
            return;
        }
        closed = true;
        arena.close();
        Libc.close(fd);
    }
}
