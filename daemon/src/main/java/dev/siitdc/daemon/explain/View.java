package dev.siitdc.daemon.explain;

import dev.siitdc.core.addr.Ipv4Prefix;
import dev.siitdc.core.addr.Ipv6Prefix;
import dev.siitdc.core.addr.Pool6;
import dev.siitdc.core.packet.Bytes;

import java.util.List;

/** The fields of one packet on the path that the explanation talks about. The bytes are a private copy. */
public final class View {
    public final byte[] b;
    public final int version;
    /** Transport protocol after any IPv6 Fragment header (17, 6, 1, 58, ...). */
    final int proto;
    /** Offset of the transport header, or -1 for a non-first fragment. */
    final int l4;
    final boolean fragment;

    View(byte[] bytes) {
        this.b = bytes;
        this.version = (b[0] & 0xff) >>> 4;
        if (version == 4) {
            int flags = Bytes.u16(b, 6);
            fragment = (flags & 0x3fff) != 0;
            proto = b[9] & 0xff;
            l4 = (flags & 0x1fff) == 0 ? (b[0] & 0xf) << 2 : -1;
        } else {
            int nh = b[6] & 0xff;
            int p = 40;
            boolean frag = false, first = true;
            if (nh == 44 && b.length >= 48) {     // the translator adds no other extension header
                frag = true;
                first = (Bytes.u16(b, 42) & 0xfff8) == 0;
                nh = b[40] & 0xff;
                p = 48;
            }
            fragment = frag;
            proto = nh;
            l4 = first ? p : -1;
        }
    }

    int length() {
        return version == 4 ? Bytes.u16(b, 2) : 40 + Bytes.u16(b, 4);
    }

    int src4() { return Ipv4Prefix.read(b, 12); }

    int dst4() { return Ipv4Prefix.read(b, 16); }

    long srcHi() { return Ipv6Prefix.readHi(b, 8); }

    long srcLo() { return Ipv6Prefix.readLo(b, 8); }

    long dstHi() { return Ipv6Prefix.readHi(b, 24); }

    long dstLo() { return Ipv6Prefix.readLo(b, 24); }

    String src(List<Pool6> pools) {
        return version == 4 ? Addr.v4(src4()) : Addr.v6(b, 8, pools);
    }

    String dst(List<Pool6> pools) {
        return version == 4 ? Addr.v4(dst4()) : Addr.v6(b, 24, pools);
    }

    boolean df() {
        return version == 4 && (Bytes.u16(b, 6) & 0x4000) != 0;
    }

    int hopLimit() {
        return b[version == 4 ? 8 : 7] & 0xff;
    }

    boolean icmp() {
        return proto == 1 || proto == 58;
    }

    boolean ports() {
        return (proto == 6 || proto == 17) && l4 >= 0 && l4 + 4 <= b.length;
    }

    int icmpType() { return l4 >= 0 && icmp() ? b[l4] & 0xff : -1; }

    int icmpCode() { return l4 >= 0 && icmp() ? b[l4 + 1] & 0xff : -1; }

    /** The MTU field of an ICMPv4 Fragmentation Needed or of an ICMPv6 Packet Too Big. */
    long icmpMtu() {
        if (l4 < 0) return -1;
        return version == 4 ? Bytes.u16(b, l4 + 6) : Bytes.u32(b, l4 + 4);
    }

    /** "UDP", "TCP", "ICMPv6 echo-request", "protocol 47". */
    String protocolText() {
        return switch (proto) {
            case 17 -> "UDP";
            case 6 -> "TCP";
            case 1 -> "ICMP" + icmpText();
            case 58 -> "ICMPv6" + icmpText();
            default -> "protocol " + proto;
        };
    }

    private String icmpText() {
        int t = icmpType();
        if (t < 0) return "";
        String name = version == 4
                ? switch (t) { case 8 -> "echo-request"; case 0 -> "echo-reply"; case 3 -> "destination-unreachable";
                    case 11 -> "time-exceeded"; case 12 -> "parameter-problem"; default -> "type " + t; }
                : switch (t) { case 128 -> "echo-request"; case 129 -> "echo-reply"; case 1 -> "destination-unreachable";
                    case 2 -> "packet-too-big"; case 3 -> "time-exceeded"; case 4 -> "parameter-problem";
                    default -> "type " + t; };
        return " " + name + (t == 8 || t == 0 || t == 128 || t == 129 ? "" : " (code " + icmpCode() + ")");
    }

    /** "IPv4 UDP 192.0.2.1:49152 -> 192.0.2.2:53, 48 bytes, DF, TTL 64". */
    String summary(List<Pool6> pools) {
        StringBuilder s = new StringBuilder();
        s.append("IPv").append(version).append(' ').append(protocolText()).append(' ');
        String src = src(pools), dst = dst(pools);
        if (ports()) {
            s.append(endpoint(src, Bytes.u16(b, l4))).append(" -> ").append(endpoint(dst, Bytes.u16(b, l4 + 2)));
        } else {
            s.append(src).append(" -> ").append(dst);
        }
        s.append(", ").append(length()).append(" bytes");
        if (version == 4) {
            s.append(df() ? ", DF" : ", DF clear").append(", TTL ").append(hopLimit());
        } else {
            s.append(", hop limit ").append(hopLimit());
            if (fragment) s.append(", Fragment header");
        }
        return s.toString();
    }

    private String endpoint(String a, int port) {
        return version == 6 ? "[" + a + "]:" + port : a + ":" + port;
    }
}
