package dev.siitdc.daemon.pcap;

import dev.siitdc.core.addr.Ipv4Prefix;
import dev.siitdc.core.addr.Ipv6Prefix;
import dev.siitdc.core.packet.Bytes;

/**
 * One-line, tcpdump-like descriptions of raw IP packets, for {@code translate --print}:
 * {@code IP6 2001:db8:46::c633:6407.40000 > 2001:db8:12:34::1.443: TCP [S] (60 bytes)}.
 * Never throws on malformed input: whatever cannot be decoded is described as such.
 */
public final class PacketSummary {
    private static final int ICMP_ECHO_REPLY = 0, ICMP_ECHO_REQUEST = 8;
    private static final int ICMP6_ECHO_REQUEST = 128, ICMP6_ECHO_REPLY = 129;

    private PacketSummary() {}

    public static String describe(byte[] b, int off, int len) {
        if (len <= 0) return "empty packet";
        int version = (b[off] & 0xff) >>> 4;
        if (version == 4) return ipv4(b, off, len);
        if (version == 6) return ipv6(b, off, len);
        return "not IP: version " + version + " (" + len + " bytes)";
    }

    private static String ipv4(byte[] b, int off, int len) {
        if (len < 20) return "IP truncated header (" + len + " bytes)";
        int ihl = (b[off] & 0x0f) * 4;
        if (ihl < 20 || ihl > len) return "IP bad header length " + ihl + " (" + len + " bytes)";
        String src = ipv4Address(b, off + 12), dst = ipv4Address(b, off + 16);
        int frag = Bytes.u16(b, off + 6);
        int fragOffset = (frag & 0x1fff) * 8;
        boolean more = (frag & 0x2000) != 0;
        String fragment = fragOffset != 0 || more
                ? ", frag id " + Bytes.u16(b, off + 4) + " offset " + fragOffset + (more ? "+" : "") : "";
        int proto = b[off + 9] & 0xff;
        int end = Math.min(len, Math.max(Bytes.u16(b, off + 2), ihl));
        return transport("IP", src, dst, proto, fragOffset == 0, b, off + ihl, end - ihl) + fragment
                + " (" + len + " bytes)";
    }

    private static String ipv6(byte[] b, int off, int len) {
        if (len < 40) return "IP6 truncated header (" + len + " bytes)";
        String src = ipv6Address(b, off + 8), dst = ipv6Address(b, off + 24);
        int nh = b[off + 6] & 0xff;
        int q = off + 40, end = off + len;
        String fragment = "";
        boolean first = true;
        while (nh == 0 || nh == 43 || nh == 44 || nh == 51 || nh == 60) {
            if (q + 8 > end) return "IP6 " + src + " > " + dst + ": truncated extension header (" + len + " bytes)";
            int next = b[q] & 0xff;
            if (nh == 44) {
                int fo = Bytes.u16(b, q + 2);
                first = (fo >>> 3) == 0;
                boolean more = (fo & 1) != 0;
                fragment = ", frag id " + Bytes.u32(b, q + 4) + " offset " + ((fo >>> 3) * 8) + (more ? "+" : "");
                q += 8;
            } else {
                q += nh == 51 ? ((b[q + 1] & 0xff) + 2) * 4 : ((b[q + 1] & 0xff) + 1) * 8;
            }
            nh = next;
            if (!first) break;
        }
        if (q > end) return "IP6 " + src + " > " + dst + ": truncated extension header (" + len + " bytes)";
        return transport("IP6", src, dst, nh, first, b, q, end - q) + fragment + " (" + len + " bytes)";
    }

    private static String transport(String family, String src, String dst, int proto, boolean first,
                                     byte[] b, int q, int avail) {
        String head = family + " " + src + " > " + dst + ": ";
        if (!first) return head + protocolName(proto);
        switch (proto) {
            case 6 -> {
                if (avail < 14) return head + "TCP truncated";
                return family + " " + src + "." + Bytes.u16(b, q) + " > " + dst + "." + Bytes.u16(b, q + 2)
                        + ": TCP " + tcpFlags(b[q + 13] & 0xff);
            }
            case 17 -> {
                if (avail < 8) return head + "UDP truncated";
                return family + " " + src + "." + Bytes.u16(b, q) + " > " + dst + "." + Bytes.u16(b, q + 2) + ": UDP";
            }
            case 1 -> {
                return head + (avail < 8 ? "ICMP truncated" : "ICMP " + icmp(b, q, false));
            }
            case 58 -> {
                return head + (avail < 8 ? "ICMP6 truncated" : "ICMP6 " + icmp(b, q, true));
            }
            default -> {
                return head + protocolName(proto);
            }
        }
    }

    private static String protocolName(int proto) {
        return switch (proto) {
            case 1 -> "ICMP";
            case 6 -> "TCP";
            case 17 -> "UDP";
            case 58 -> "ICMP6";
            case 59 -> "no next header";
            default -> "protocol " + proto;
        };
    }

    private static String tcpFlags(int f) {
        StringBuilder s = new StringBuilder("[");
        if ((f & 0x01) != 0) s.append('F');
        if ((f & 0x02) != 0) s.append('S');
        if ((f & 0x04) != 0) s.append('R');
        if ((f & 0x08) != 0) s.append('P');
        if ((f & 0x20) != 0) s.append('U');
        if ((f & 0x40) != 0) s.append('E');
        if ((f & 0x80) != 0) s.append('W');
        if ((f & 0x10) != 0) s.append('.');
        if (s.length() == 1) s.append("none");
        return s.append(']').toString();
    }

    /** An ICMP (RFC 792) or ICMPv6 (RFC 4443) message: echoes alike (id and sequence number), others by type. */
    private static String icmp(byte[] b, int q, boolean v6) {
        int type = b[q] & 0xff, code = b[q + 1] & 0xff;
        int request = v6 ? ICMP6_ECHO_REQUEST : ICMP_ECHO_REQUEST, reply = v6 ? ICMP6_ECHO_REPLY : ICMP_ECHO_REPLY;
        if (type == request || type == reply)
            return (type == request ? "echo request" : "echo reply") + " id " + Bytes.u16(b, q + 4)
                    + " seq " + Bytes.u16(b, q + 6);
        return v6 ? icmp6(b, q, type, code) : icmp4(b, q, type, code);
    }

    private static String icmp4(byte[] b, int q, int type, int code) {
        return switch (type) {
            case 3 -> switch (code) {
                case 0 -> "net unreachable";
                case 1 -> "host unreachable";
                case 2 -> "protocol unreachable";
                case 3 -> "port unreachable";
                case 4 -> "fragmentation needed, mtu " + Bytes.u16(b, q + 6);
                case 5 -> "source route failed";
                case 9, 10, 13 -> "administratively prohibited (code " + code + ")";
                default -> "unreachable code " + code;
            };
            case 4 -> "source quench";
            case 5 -> "redirect code " + code;
            case 11 -> code == 0 ? "time exceeded in transit" : "time exceeded code " + code;
            case 12 -> "parameter problem code " + code + ", pointer " + (b[q + 4] & 0xff);
            case 13 -> "timestamp request";
            case 14 -> "timestamp reply";
            default -> "type " + type + " code " + code;
        };
    }

    private static String icmp6(byte[] b, int q, int type, int code) {
        return switch (type) {
            case 1 -> switch (code) {
                case 0 -> "no route to destination";
                case 1 -> "administratively prohibited";
                case 3 -> "address unreachable";
                case 4 -> "port unreachable";
                default -> "unreachable code " + code;
            };
            case 2 -> "packet too big, mtu " + Bytes.u32(b, q + 4);
            case 3 -> code == 0 ? "time exceeded in transit" : "time exceeded code " + code;
            case 4 -> "parameter problem code " + code + ", pointer " + Bytes.u32(b, q + 4);
            case 133 -> "router solicitation";
            case 134 -> "router advertisement";
            case 135 -> "neighbor solicitation";
            case 136 -> "neighbor advertisement";
            default -> "type " + type + " code " + code;
        };
    }

    static String ipv4Address(byte[] b, int off) {
        return Ipv4Prefix.format(Ipv4Prefix.read(b, off));
    }

    /** RFC 5952 text form, hex groups only (as tcpdump prints it). */
    static String ipv6Address(byte[] b, int off) {
        return Ipv6Prefix.formatHex(Ipv6Prefix.readHi(b, off), Ipv6Prefix.readLo(b, off));
    }
}
