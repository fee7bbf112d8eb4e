package dev.siitdc.linux;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.MemoryLayout.structLayout;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds one netlink request in native memory: an {@code nlmsghdr}, one family header
 * ({@code ifinfomsg}, {@code ifaddrmsg}, {@code rtmsg}, {@code ndmsg} or {@code tcmsg}) and {@code rtattr} TLVs,
 * each padded to 4 bytes (NLMSG_ALIGN / RTA_ALIGN), in host byte order. Also reads those structures
 * back from received messages.
 *
 * <pre>{@code
 * try (Arena arena = Arena.ofConfined()) {
 *     NetlinkMessage m = new NetlinkMessage(arena, RTM_NEWADDR, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL)
 *             .ifaddrmsg(AF_INET6, 64, 0, RT_SCOPE_UNIVERSE, ifindex)
 *             .attr(IFA_LOCAL, address)
 *             .attr(IFA_ADDRESS, address);
 *     MemorySegment wire = m.seq(1).segment();
 * }
 * }</pre>
 */
public final class NetlinkMessage {
    /** struct nlmsghdr (linux/netlink.h). */
    public static final StructLayout NLMSGHDR = struct("nlmsghdr",
            "u32 nlmsg_len, u16 nlmsg_type, u16 nlmsg_flags, u32 nlmsg_seq, u32 nlmsg_pid");
    /** struct nlmsgerr: the payload of NLMSG_ERROR (error 0 is an ACK). */
    public static final StructLayout NLMSGERR = structLayout(
            JAVA_INT.withName("error"),
            NLMSGHDR.withName("msg")).withName("nlmsgerr");
    /** struct ifinfomsg (linux/rtnetlink.h). */
    public static final StructLayout IFINFOMSG = struct("ifinfomsg",
            "u8 ifi_family, u8 __ifi_pad, u16 ifi_type, u32 ifi_index, u32 ifi_flags, u32 ifi_change");
    /** struct ifaddrmsg (linux/if_addr.h). */
    public static final StructLayout IFADDRMSG = struct("ifaddrmsg",
            "u8 ifa_family, u8 ifa_prefixlen, u8 ifa_flags, u8 ifa_scope, u32 ifa_index");
    /** struct rtmsg (linux/rtnetlink.h). */
    public static final StructLayout RTMSG = struct("rtmsg", "u8 rtm_family, u8 rtm_dst_len, u8 rtm_src_len,"
            + " u8 rtm_tos, u8 rtm_table, u8 rtm_protocol, u8 rtm_scope, u8 rtm_type, u32 rtm_flags");
    /** struct ndmsg (linux/neighbour.h). */
    public static final StructLayout NDMSG = struct("ndmsg",
            "u8 ndm_family, u8 ndm_pad1, u16 ndm_pad2, u32 ndm_ifindex, u16 ndm_state, u8 ndm_flags, u8 ndm_type");
    /** struct tcmsg (linux/rtnetlink.h): traffic control qdiscs, classes and filters. */
    public static final StructLayout TCMSG = struct("tcmsg",
            "u8 tcm_family, u8 tcm__pad1, u16 tcm__pad2, u32 tcm_ifindex, u32 tcm_handle, u32 tcm_parent, u32 tcm_info");
    /** struct rtattr: the TLV header (the same shape as struct nlattr). */
    public static final StructLayout RTATTR = struct("rtattr", "u16 rta_len, u16 rta_type");

    public static final int HEADER_LEN = (int) NLMSGHDR.byteSize();
    /** Attribute types carry two flag bits (NLA_F_NESTED, NLA_F_NET_BYTEORDER) above this mask. */
    public static final int NLA_TYPE_MASK = 0x3fff;
    public static final int NLA_F_NESTED = 0x8000;

    private static final int INITIAL_CAPACITY = 256;

    private final Arena arena;
    private MemorySegment buf;
    private int length;
    private int bodyOffset = -1;

    /**
     * Starts a message: writes the nlmsghdr (its length is kept up to date; seq and pid are 0).
     *
     * @param arena where the message's memory comes from; it lives as long as the arena
     */
    public NetlinkMessage(Arena arena, int type, int flags) {
        this.arena = arena;
        this.buf = arena.allocate(INITIAL_CAPACITY, 8);
        this.length = 0;
        int hdr = reserve(HEADER_LEN);
        put(NLMSGHDR, buf, hdr, "nlmsg_type", type);
        put(NLMSGHDR, buf, hdr, "nlmsg_flags", flags);
    }

    /**
     * The struct {@code name} from its C declaration: comma-separated fields {@code "u8 a, u16 b, u32 c"}
     * in host byte order, laid out naturally aligned as the C compiler does (the kernel structures here
     * have no implicit padding).
     */
    private static StructLayout struct(String name, String fields) {
        String[] decls = fields.split(", ");
        MemoryLayout[] members = new MemoryLayout[decls.length];
        for (int i = 0; i < decls.length; i++) {
            String[] typeAndName = decls[i].split(" ");
            ValueLayout type = switch (typeAndName[0]) {
                case "u8" -> JAVA_BYTE;
                case "u16" -> JAVA_SHORT;
                case "u32" -> JAVA_INT;
                default -> throw new IllegalArgumentException("field type " + typeAndName[0]);
            };
            members[i] = type.withName(typeAndName[1]);
        }
        return structLayout(members).withName(name);
    }

    /** NLMSG_ALIGN / RTA_ALIGN: rounds up to a multiple of 4. */
    public static int align(int n) {
        return (n + 3) & ~3;
    }

    // ---- family headers -------------------------------------------------------------------

    /** Appends a struct ifinfomsg (links). */
    public NetlinkMessage ifinfomsg(int family, int ifindex, int ifiFlags, int ifiChange) {
        return body(IFINFOMSG, "ifi_family ifi_index ifi_flags ifi_change", family, ifindex, ifiFlags, ifiChange);
    }

    /** Appends a struct ifaddrmsg (addresses). */
    public NetlinkMessage ifaddrmsg(int family, int prefixLen, int ifaFlags, int scope, int ifindex) {
        return body(IFADDRMSG, "ifa_family ifa_prefixlen ifa_flags ifa_scope ifa_index",
                family, prefixLen, ifaFlags, scope, ifindex);
    }

    /** Appends a struct rtmsg (routes). */
    public NetlinkMessage rtmsg(int family, int dstLen, int srcLen, int table, int protocol, int scope, int type) {
        return body(RTMSG, "rtm_family rtm_dst_len rtm_src_len rtm_table rtm_protocol rtm_scope rtm_type",
                family, dstLen, srcLen, table, protocol, scope, type);
    }

    /** Appends a struct ndmsg (neighbours). */
    public NetlinkMessage ndmsg(int family, int ifindex, int state, int ndmFlags) {
        return body(NDMSG, "ndm_family ndm_ifindex ndm_state ndm_flags", family, ifindex, state, ndmFlags);
    }

    /** Appends a struct tcmsg (traffic control). */
    public NetlinkMessage tcmsg(int family, int ifindex, int handle, int parent, int info) {
        return body(TCMSG, "tcm_family tcm_ifindex tcm_handle tcm_parent tcm_info", family, ifindex, handle, parent,
                info);
    }

    /**
     * Appends the family header {@code layout}, zeroed, with the space-separated {@code fields} set to
     * {@code values} in order.
     */
    private NetlinkMessage body(StructLayout layout, String fields, int... values) {
        String[] names = fields.split(" ");
        if (names.length != values.length) {
            throw new IllegalArgumentException(names.length + " fields, " + values.length + " values");
        }
        int at = body(layout);
        for (int i = 0; i < names.length; i++) {
            put(layout, buf, at, names[i], values[i]);
        }
        return this;
    }

    private int body(StructLayout layout) {
        if (bodyOffset >= 0 || length != HEADER_LEN) {
            throw new IllegalStateException("the family header goes right after nlmsghdr, once");
        }
        bodyOffset = reserve((int) layout.byteSize());
        return bodyOffset;
    }

    // ---- attributes -----------------------------------------------------------------------

    /** Appends an rtattr holding {@code value} as is (e.g. an address in network byte order). */
    public NetlinkMessage attr(int type, byte[] value) {
        int at = attrHeader(type, value.length);
        MemorySegment.copy(value, 0, buf, JAVA_BYTE, at + RTATTR.byteSize(), value.length);
        return this;
    }

    /** Appends an rtattr holding a u32 in host byte order. */
    public NetlinkMessage attrU32(int type, int value) {
        int at = attrHeader(type, 4);
        buf.set(JAVA_INT, at + RTATTR.byteSize(), value);
        return this;
    }

    /** Appends an rtattr holding a u16 in host byte order. */
    public NetlinkMessage attrU16(int type, int value) {
        int at = attrHeader(type, 2);
        buf.set(JAVA_SHORT, at + RTATTR.byteSize(), (short) value);
        return this;
    }

    /** Appends an rtattr holding a NUL-terminated string. */
    public NetlinkMessage attrString(int type, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        int at = attrHeader(type, bytes.length + 1);
        MemorySegment.copy(bytes, 0, buf, JAVA_BYTE, at + RTATTR.byteSize(), bytes.length);
        return this;
    }

    /**
     * Opens a nested attribute (e.g. RTA_METRICS); attributes appended until {@link #endNested(int)}
     * go inside it.
     *
     * @return a token for endNested
     */
    public int beginNested(int type) {
        return attrHeader(type, 0);
    }

    /** Closes the nested attribute opened at {@code token}, fixing its length. */
    public NetlinkMessage endNested(int token) {
        put(RTATTR, buf, token, "rta_len", length - token);
        return this;
    }

    private int attrHeader(int type, int payloadLen) {
        if (bodyOffset < 0) {
            throw new IllegalStateException("append the family header before attributes");
        }
        int total = (int) RTATTR.byteSize() + payloadLen;
        if (total > 0xffff) {
            throw new IllegalArgumentException("attribute too long: " + payloadLen);
        }
        int at = reserve(total);
        put(RTATTR, buf, at, "rta_len", total);
        put(RTATTR, buf, at, "rta_type", type);
        return at;
    }

    /** Reserves {@code n} zeroed bytes (padded to 4) at the end; returns their offset. */
    private int reserve(int n) {
        int at = length;
        int end = at + align(n);
        if (end > buf.byteSize()) {
            MemorySegment bigger = arena.allocate(Math.max(end, buf.byteSize() * 2), 8);
            MemorySegment.copy(buf, 0, bigger, 0, length);
            buf = bigger;
        }
        buf.asSlice(at, end - at).fill((byte) 0);
        length = end;
        put(NLMSGHDR, buf, 0, "nlmsg_len", length);
        return at;
    }

    // ---- header fields --------------------------------------------------------------------

    public NetlinkMessage seq(int seq) {
        put(NLMSGHDR, buf, 0, "nlmsg_seq", seq);
        return this;
    }

    public int seq() {
        return get(NLMSGHDR, buf, 0, "nlmsg_seq");
    }

    public int type() {
        return get(NLMSGHDR, buf, 0, "nlmsg_type");
    }

    public int flags() {
        return get(NLMSGHDR, buf, 0, "nlmsg_flags");
    }

    public int length() {
        return length;
    }

    /** The message as it goes on the wire (a view of its memory, valid while the arena is open). */
    public MemorySegment segment() {
        return buf.asSlice(0, length);
    }

    // ---- reading structures ---------------------------------------------------------------

    /** Writes {@code field} of {@code layout}, found at {@code base} in {@code seg}. */
    static void put(StructLayout layout, MemorySegment seg, long base, String field, int value) {
        MemoryLayout f = layout.select(groupElement(field));
        long off = base + layout.byteOffset(groupElement(field));
        switch (f) {
            case ValueLayout.OfByte b -> seg.set(b, off, (byte) value);
            case ValueLayout.OfShort s -> seg.set(s, off, (short) value);
            case ValueLayout.OfInt i -> seg.set(i, off, value);
            default -> throw new IllegalArgumentException(field + " is not a scalar field");
        }
    }

    /**
     * Reads {@code field} of {@code layout}, found at {@code base} in {@code seg}; bytes and shorts are
     * unsigned, ints as stored.
     */
    public static int get(StructLayout layout, MemorySegment seg, long base, String field) {
        MemoryLayout f = layout.select(groupElement(field));
        long off = base + layout.byteOffset(groupElement(field));
        return switch (f) {
            case ValueLayout.OfByte b -> seg.get(b, off) & 0xff;
            case ValueLayout.OfShort s -> seg.get(s, off) & 0xffff;
            case ValueLayout.OfInt i -> seg.get(i, off);
            default -> throw new IllegalArgumentException(field + " is not a scalar field");
        };
    }

    /**
     * Parses the rtattr TLVs in {@code seg[from, to)} into type (flag bits masked off) to value; the
     * first occurrence of a type wins. Stops at a malformed attribute.
     */
    public static Map<Integer, MemorySegment> attributes(MemorySegment seg, long from, long to) {
        Map<Integer, MemorySegment> attrs = new LinkedHashMap<>();
        long hdr = RTATTR.byteSize();
        long at = from;
        while (at + hdr <= to) {
            int len = get(RTATTR, seg, at, "rta_len");
            int type = get(RTATTR, seg, at, "rta_type") & NLA_TYPE_MASK;
            if (len < hdr || at + len > to) {
                break;
            }
            attrs.putIfAbsent(type, seg.asSlice(at + hdr, len - hdr));
            at += align(len);
        }
        return attrs;
    }

    /** The bytes of an attribute value. */
    public static byte[] bytes(MemorySegment value) {
        return value.toArray(JAVA_BYTE);
    }

    /** A NUL-terminated string attribute value. */
    public static String string(MemorySegment value) {
        byte[] b = value.toArray(JAVA_BYTE);
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }

    /** A u32 attribute value in host byte order. */
    public static int u32(MemorySegment value) {
        return value.get(JAVA_INT.withByteAlignment(1), 0);
    }
}
