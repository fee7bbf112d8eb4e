package dev.siitdc.lab;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Sends UDP datagrams with any source address through a raw socket (IPPROTO_RAW, header included), to
 * play the spoofer of RFC 7756 s6:
 * <pre>
 * RawSend --src ADDR --dst ADDR --sport PORT --dport PORT --text TEXT [--count N] [--hop-limit N]
 * </pre>
 * The kernel routes the packet by its destination and does not look at its source. Needs root (or
 * CAP_NET_RAW) and runs in the namespace it sends from.
 */
public final class RawSend {
    private static final int AF_INET = 2, AF_INET6 = 10, SOCK_RAW = 3, IPPROTO_RAW = 255;

    private RawSend() {}

    public static void main(String[] args) throws Throwable {
        List<String> a = List.of(args);
        InetAddress src = InetAddress.getByName(opt(a, "--src"));
        InetAddress dst = InetAddress.getByName(opt(a, "--dst"));
        int sport = Integer.parseInt(opt(a, "--sport")), dport = Integer.parseInt(opt(a, "--dport"));
        byte[] text = opt(a, "--text").getBytes(StandardCharsets.US_ASCII);
        int count = a.contains("--count") ? Integer.parseInt(opt(a, "--count")) : 1;
        int hops = a.contains("--hop-limit") ? Integer.parseInt(opt(a, "--hop-limit")) : 64;
        if ((src instanceof Inet4Address) != (dst instanceof Inet4Address)) {
            System.err.println("RawSend: --src and --dst must be of one family");
            System.exit(2);
        }
        byte[] pkt = src instanceof Inet4Address ? udp4(src.getAddress(), dst.getAddress(), sport, dport, text, hops)
                : udp6(src.getAddress(), dst.getAddress(), sport, dport, text, hops);
        send(dst, pkt, count);
        System.out.println("sent " + count + " x " + pkt.length + " bytes " + src.getHostAddress() + " -> "
                + dst.getHostAddress());
    }

    private static String opt(List<String> a, String name) {
        int i = a.indexOf(name);
        if (i < 0 || i + 1 >= a.size()) {
            System.err.println("RawSend: missing " + name);
            System.exit(2);
        }
        return a.get(i + 1);
    }

    // Header layouts: IPv4 RFC 791 s3.1, IPv6 RFC 8200 s3, UDP RFC 768.
    private static final int IPV4_HEADER = 20, IPV6_HEADER = 40, UDP_HEADER = 8;
    private static final int PROTO_UDP = 17;
    private static final int V4_VERSION_IHL = 0x45, V4_ID = 0x5d5d;
    private static final int V4_TOTAL_LENGTH = 2, V4_IDENT = 4, V4_TTL = 8, V4_PROTOCOL = 9, V4_CHECKSUM = 10,
            V4_SRC = 12, V4_DST = 16, V4_ADDR = 4;
    private static final int V6_VERSION = 0x60;
    private static final int V6_PAYLOAD_LENGTH = 4, V6_NEXT_HEADER = 6, V6_HOP_LIMIT = 7, V6_SRC = 8, V6_DST = 24,
            V6_ADDR = 16;
    private static final int UDP_SPORT = 0, UDP_DPORT = 2, UDP_LENGTH = 4, UDP_CHECKSUM = 6;

    static byte[] udp4(byte[] s, byte[] d, int sport, int dport, byte[] data, int ttl) {
        int ulen = UDP_HEADER + data.length;
        byte[] p = new byte[IPV4_HEADER + ulen];
        p[0] = V4_VERSION_IHL;
        put16(p, V4_TOTAL_LENGTH, p.length);
        put16(p, V4_IDENT, V4_ID);
        p[V4_TTL] = (byte) ttl;
        p[V4_PROTOCOL] = PROTO_UDP;
        System.arraycopy(s, 0, p, V4_SRC, V4_ADDR);
        System.arraycopy(d, 0, p, V4_DST, V4_ADDR);
        put16(p, V4_CHECKSUM, ~fold(sum(p, 0, IPV4_HEADER, 0)) & 0xffff);
        putUdp(p, IPV4_HEADER, sport, dport, data, sum(p, V4_SRC, 2 * V4_ADDR, 0));
        return p;
    }

    static byte[] udp6(byte[] s, byte[] d, int sport, int dport, byte[] data, int hops) {
        int ulen = UDP_HEADER + data.length;
        byte[] p = new byte[IPV6_HEADER + ulen];
        p[0] = V6_VERSION;
        put16(p, V6_PAYLOAD_LENGTH, ulen);
        p[V6_NEXT_HEADER] = PROTO_UDP;
        p[V6_HOP_LIMIT] = (byte) hops;
        System.arraycopy(s, 0, p, V6_SRC, V6_ADDR);
        System.arraycopy(d, 0, p, V6_DST, V6_ADDR);
        putUdp(p, IPV6_HEADER, sport, dport, data, sum(p, V6_SRC, 2 * V6_ADDR, 0));
        return p;
    }

    /**
     * Writes the UDP header and {@code data} at {@code off}; {@code addressSum} is the sum of the IP source and
     * destination, to which the pseudo-header's protocol and length are added (RFC 768, RFC 8200 s8.1).
     */
    private static void putUdp(byte[] p, int off, int sport, int dport, byte[] data, long addressSum) {
        int ulen = UDP_HEADER + data.length;
        put16(p, off + UDP_SPORT, sport);
        put16(p, off + UDP_DPORT, dport);
        put16(p, off + UDP_LENGTH, ulen);
        System.arraycopy(data, 0, p, off + UDP_HEADER, data.length);
        put16(p, off + UDP_CHECKSUM, udpChecksum(fold(sum(p, off, ulen, addressSum + PROTO_UDP + ulen))));
    }

    private static int udpChecksum(int folded) {
        int c = ~folded & 0xffff;
        return c == 0 ? 0xffff : c;
    }

    private static long sum(byte[] b, int off, int len, long acc) {
        for (int i = 0; i + 1 < len; i += 2) acc += ((b[off + i] & 0xff) << 8) | (b[off + i + 1] & 0xff);
        if ((len & 1) != 0) acc += (b[off + len - 1] & 0xff) << 8;
        return acc;
    }

    private static int fold(long s) {
        while ((s >>> 16) != 0) s = (s & 0xffff) + (s >>> 16);
        return (int) s;
    }

    private static void put16(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 8);
        b[i + 1] = (byte) v;
    }

    private static void send(InetAddress dst, byte[] pkt, int count) throws Throwable {
        Linker linker = Linker.nativeLinker();
        StructLayout state = Linker.Option.captureStateLayout();
        VarHandle errno = state.varHandle(MemoryLayout.PathElement.groupElement("errno"));
        Linker.Option ccs = Linker.Option.captureCallState("errno");
        MethodHandle socket = linker.downcallHandle(linker.defaultLookup().find("socket").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), ccs);
        MethodHandle sendto = linker.downcallHandle(linker.defaultLookup().find("sendto").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                        ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT), ccs);
        MethodHandle close = linker.downcallHandle(linker.defaultLookup().find("close").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        boolean v4 = dst instanceof Inet4Address;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = arena.allocate(state);
            int fd = (int) socket.invokeExact(st, v4 ? AF_INET : AF_INET6, SOCK_RAW, IPPROTO_RAW);
            if (fd < 0) throw new IllegalStateException("socket(SOCK_RAW): errno " + (int) errno.get(st, 0L));
            MemorySegment sa = arena.allocate(v4 ? 16 : 28);
            sa.set(ValueLayout.JAVA_SHORT, 0, (short) (v4 ? AF_INET : AF_INET6));   // host order, port 0
            MemorySegment.copy(MemorySegment.ofArray(dst.getAddress()), 0, sa, v4 ? 4 : 8, v4 ? 4 : 16);
            MemorySegment buf = arena.allocate(pkt.length);
            MemorySegment.copy(MemorySegment.ofArray(pkt), 0, buf, 0, pkt.length);
            try {
                for (int i = 0; i < count; i++) {
                    long n = (long) sendto.invokeExact(st, fd, buf, (long) pkt.length, 0, sa, (int) sa.byteSize());
                    if (n < 0) throw new IllegalStateException("sendto: errno " + (int) errno.get(st, 0L));
                }
            } finally {
                int ignored = (int) close.invokeExact(fd);
            }
        }
    }
}
