package dev.siitdc.daemon.dhcp;

import java.util.Objects;

/**
 * A flyweight reader of one DHCPv4 message (RFC 2131 s2, Figure 1: the BOOTP layout, then the magic cookie
 * and RFC 2132 options) in a caller's {@code byte[]}. {@link #parse} validates the whole message once, with
 * every length checked before it is read, and indexes the options the server uses; the accessors then read
 * the buffer in place. Reused from message to message: nothing is allocated.
 *
 * <p>A message is refused, with the {@link DhcpCounter} saying why, when it is shorter than 240 bytes,
 * its hardware address is not Ethernet (htype 1, hlen 6, a unicast chaddr), the magic cookie is wrong, an
 * option runs past the end, END is missing, an option this server reads has the wrong length or appears
 * twice (RFC 3396 concatenation is not supported for them), option overload (52) is used, or option 53 is
 * missing. Parameter request lists (55) may appear more than once; their codes are merged. The op field is
 * not checked here (see {@link DhcpServer}), so that replies can be read too.
 *
 * <p>Not thread-safe. The buffer must not change between {@link #parse} and the reads.
 */
public final class DhcpMessage {
    // --- RFC 2131 s2 field offsets ---
    public static final int OP = 0, HTYPE = 1, HLEN = 2, HOPS = 3, XID = 4, SECS = 8, FLAGS = 10;
    public static final int CIADDR = 12, YIADDR = 16, SIADDR = 20, GIADDR = 24, CHADDR = 28;
    public static final int SNAME = 44, FILE = 108, COOKIE = 236, OPTIONS = 240;
    public static final int CHADDR_LEN = 16;
    /** Fixed header (236) plus the magic cookie. */
    public static final int MIN_LENGTH = OPTIONS;
    public static final int MAGIC_COOKIE = 0x63825363; // 99.130.83.99
    public static final int BROADCAST_FLAG = 0x8000;

    public static final int BOOTREQUEST = 1, BOOTREPLY = 2;
    public static final int HTYPE_ETHERNET = 1, HLEN_ETHERNET = 6;

    // --- RFC 2132 option codes ---
    public static final int OPT_PAD = 0, OPT_SUBNET_MASK = 1, OPT_ROUTER = 3, OPT_DNS = 6, OPT_HOST_NAME = 12;
    public static final int OPT_INTERFACE_MTU = 26, OPT_BROADCAST = 28, OPT_REQUESTED_ADDRESS = 50;
    public static final int OPT_LEASE_TIME = 51, OPT_OVERLOAD = 52, OPT_MESSAGE_TYPE = 53, OPT_SERVER_ID = 54;
    public static final int OPT_PARAMETER_LIST = 55, OPT_MESSAGE = 56, OPT_MAX_MESSAGE_SIZE = 57;
    public static final int OPT_RENEWAL_TIME = 58, OPT_REBINDING_TIME = 59, OPT_VENDOR_CLASS = 60;
    public static final int OPT_CLIENT_ID = 61, OPT_END = 255;

    // --- RFC 2132 s9.6 message types ---
    public static final int DHCPDISCOVER = 1, DHCPOFFER = 2, DHCPREQUEST = 3, DHCPDECLINE = 4, DHCPACK = 5;
    public static final int DHCPNAK = 6, DHCPRELEASE = 7, DHCPINFORM = 8;

    private byte[] b;
    private int off;
    private int len;
    private DhcpCounter dropReason;

    private int messageType;
    private int requestedAddressAt;  // offsets of option data, -1 when absent
    private int serverIdAt;
    private int clientIdAt;
    private int clientIdLength;
    private int maxMessageSize;
    private int optionsEnd;          // offset of the END option
    private final long[] requested = new long[4];  // option 55, as a bit set

    /**
     * Validates {@code len} bytes at {@code buf[off]} as a DHCP message.
     *
     * @return true if it is well-formed; otherwise {@link #dropReason()} says why
     * @throws IndexOutOfBoundsException if {@code off}/{@code len} do not lie inside {@code buf} (a caller
     *     bug, never the packet's fault)
     */
    public boolean parse(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        this.b = buf;
        this.off = off;
        this.len = len;
        messageType = 0;
        requestedAddressAt = -1;
        serverIdAt = -1;
        clientIdAt = -1;
        clientIdLength = 0;
        maxMessageSize = 0;
        optionsEnd = -1;
        requested[0] = requested[1] = requested[2] = requested[3] = 0;
        dropReason = validate();
        return dropReason == null;
    }

    private DhcpCounter validate() {
        if (len < MIN_LENGTH) {
            return DhcpCounter.DROP_TRUNCATED;
        }
        if (u8(HTYPE) != HTYPE_ETHERNET || u8(HLEN) != HLEN_ETHERNET || !Mac.isUnicast(chaddr())) {
            return DhcpCounter.DROP_BAD_HARDWARE;
        }
        if (s32(COOKIE) != MAGIC_COOKIE) {
            return DhcpCounter.DROP_BAD_COOKIE;
        }
        int end = off + len;
        int p = off + OPTIONS;
        while (p < end) {
            int code = b[p] & 0xff;
            if (code == OPT_PAD) {
                p++;
                continue;
            }
            if (code == OPT_END) {
                optionsEnd = p;
                break;
            }
            if (p + 2 > end) {
                return DhcpCounter.DROP_BAD_OPTIONS;   // no room for the length octet
            }
            int olen = b[p + 1] & 0xff;
            int data = p + 2;
            if (olen > end - data) {
                return DhcpCounter.DROP_BAD_OPTIONS;   // the option runs past the end of the message
            }
            DhcpCounter bad = index(code, data, olen);
            if (bad != null) {
                return bad;
            }
            p = data + olen;
        }
        if (optionsEnd < 0) {
            return DhcpCounter.DROP_BAD_OPTIONS;       // no END
        }
        if (messageType == 0) {
            return DhcpCounter.DROP_NO_MESSAGE_TYPE;
        }
        return null;
    }

    private DhcpCounter index(int code, int data, int olen) {
        switch (code) {
            case OPT_MESSAGE_TYPE -> {
                if (olen != 1 || messageType != 0 || b[data] == 0) {
                    return DhcpCounter.DROP_BAD_OPTIONS;
                }
                messageType = b[data] & 0xff;
            }
            case OPT_REQUESTED_ADDRESS -> {
                if (olen != 4 || requestedAddressAt >= 0) {
                    return DhcpCounter.DROP_BAD_OPTIONS;
                }
                requestedAddressAt = data;
            }
            case OPT_SERVER_ID -> {
                if (olen != 4 || serverIdAt >= 0) {
                    return DhcpCounter.DROP_BAD_OPTIONS;
                }
                serverIdAt = data;
            }
            case OPT_CLIENT_ID -> {
                if (olen < 2 || clientIdAt >= 0) {       // RFC 2132 s9.14: at least a type and one octet
                    return DhcpCounter.DROP_BAD_OPTIONS;
                }
                clientIdAt = data;
                clientIdLength = olen;
            }
            case OPT_MAX_MESSAGE_SIZE -> {
                if (olen != 2 || maxMessageSize != 0) {
                    return DhcpCounter.DROP_BAD_OPTIONS;
                }
                maxMessageSize = ((b[data] & 0xff) << 8) | (b[data + 1] & 0xff);
            }
            case OPT_PARAMETER_LIST -> {
                if (olen == 0) {
                    return DhcpCounter.DROP_BAD_OPTIONS;
                }
                for (int i = 0; i < olen; i++) {
                    int c = b[data + i] & 0xff;
                    requested[c >>> 6] |= 1L << c;
                }
            }
            case OPT_OVERLOAD -> {
                return olen == 1 ? DhcpCounter.DROP_OPTION_OVERLOAD : DhcpCounter.DROP_BAD_OPTIONS;
            }
            default -> {
                // not read by this server; its length has been checked
            }
        }
        return null;
    }

    /** Why the last {@link #parse} refused the message, or null if it did not. */
    public DhcpCounter dropReason() {
        return dropReason;
    }

    // --- header fields ---

    public byte[] buffer() {
        return b;
    }

    public int offset() {
        return off;
    }

    public int length() {
        return len;
    }

    public int op() {
        return u8(OP);
    }

    public int hops() {
        return u8(HOPS);
    }

    public int xid() {
        return s32(XID);
    }

    public int secs() {
        return u16(SECS);
    }

    public int flags() {
        return u16(FLAGS);
    }

    public boolean broadcastFlag() {
        return (flags() & BROADCAST_FLAG) != 0;
    }

    public int ciaddr() {
        return s32(CIADDR);
    }

    public int yiaddr() {
        return s32(YIADDR);
    }

    public int siaddr() {
        return s32(SIADDR);
    }

    public int giaddr() {
        return s32(GIADDR);
    }

    /** The client's MAC address (chaddr, hlen 6). */
    public long chaddr() {
        return Mac.read(b, off + CHADDR);
    }

    // --- options ---

    /** Option 53, 1..255. */
    public int messageType() {
        return messageType;
    }

    public boolean hasRequestedAddress() {
        return requestedAddressAt >= 0;
    }

    /** Option 50; 0 when absent. */
    public int requestedAddress() {
        return requestedAddressAt < 0 ? 0 : abs32(requestedAddressAt);
    }

    public boolean hasServerId() {
        return serverIdAt >= 0;
    }

    /** Option 54; 0 when absent. */
    public int serverId() {
        return serverIdAt < 0 ? 0 : abs32(serverIdAt);
    }

    /** Offset in {@link #buffer()} of option 61's data, -1 when absent. */
    public int clientIdOffset() {
        return clientIdAt;
    }

    /** Length of option 61's data (2..255), 0 when absent. */
    public int clientIdLength() {
        return clientIdLength;
    }

    /** Option 57, 0 when absent. */
    public int maxMessageSize() {
        return maxMessageSize;
    }

    /** Whether option 55 lists {@code code}. */
    public boolean requests(int code) {
        return (requested[(code & 0xff) >>> 6] & (1L << code)) != 0;
    }

    /**
     * Offset in {@link #buffer()} of the data of the first option {@code code} (not PAD or END), -1 when
     * absent. Scans the options again; for replies, tests and logging, not the server's hot path.
     */
    public int findOption(int code) {
        int p = off + OPTIONS;
        while (p < optionsEnd) {
            int c = b[p] & 0xff;
            if (c == OPT_PAD) {
                p++;
                continue;
            }
            if (c == code) {
                return p + 2;
            }
            p += 2 + (b[p + 1] & 0xff);
        }
        return -1;
    }

    /** The length of the option whose data {@link #findOption} found at {@code dataOffset}. */
    public int optionLength(int dataOffset) {
        return b[dataOffset - 1] & 0xff;
    }

    private int u8(int at) {
        return b[off + at] & 0xff;
    }

    private int u16(int at) {
        return ((b[off + at] & 0xff) << 8) | (b[off + at + 1] & 0xff);
    }

    private int s32(int at) {
        return abs32(off + at);
    }

    private int abs32(int p) {
        return ((b[p] & 0xff) << 24) | ((b[p + 1] & 0xff) << 16) | ((b[p + 2] & 0xff) << 8) | (b[p + 3] & 0xff);
    }
}
