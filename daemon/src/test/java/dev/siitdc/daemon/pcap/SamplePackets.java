package dev.siitdc.daemon.pcap;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/** Small packet and pcap builders for the tests. */
public final class SamplePackets {
    private SamplePackets() {}

    public static byte[] addr(String literal) {
        try {
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    public static int checksum(byte[]... parts) {
        long s = 0;
        for (byte[] p : parts) {
            for (int i = 0; i + 1 < p.length; i += 2) s += ((p[i] & 0xff) << 8) | (p[i + 1] & 0xff);
            if ((p.length & 1) != 0) s += (p[p.length - 1] & 0xff) << 8;
        }
        while ((s >>> 16) != 0) s = (s & 0xffff) + (s >>> 16);
        return (int) (~s & 0xffff);
    }

    /** An IPv4 header (no options, DF=1, TTL 64) followed by {@code payload}. */
    public static byte[] ipv4(String src, String dst, int proto, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(20 + payload.length);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + payload.length)).putShort((short) 0x1234)
                .putShort((short) 0x4000).put((byte) 64).put((byte) proto).putShort((short) 0)
                .put(addr(src)).put(addr(dst));
        byte[] a = b.array();
        int c = checksum(java.util.Arrays.copyOf(a, 20));
        a[10] = (byte) (c >>> 8);
        a[11] = (byte) c;
        System.arraycopy(payload, 0, a, 20, payload.length);
        return a;
    }

    public static byte[] icmp4Echo(String src, String dst, int id, int seq, byte[] data) {
        byte[] m = ByteBuffer.allocate(8 + data.length).put((byte) 8).put((byte) 0).putShort((short) 0)
                .putShort((short) id).putShort((short) seq).put(data).array();
        int c = checksum(m);
        m[2] = (byte) (c >>> 8);
        m[3] = (byte) c;
        return ipv4(src, dst, 1, m);
    }

    /** An IPv6 header (hop limit 64) followed by {@code payload}. */
    public static byte[] ipv6(String src, String dst, int nextHeader, byte[] payload) {
        return ByteBuffer.allocate(40 + payload.length).putInt(6 << 28).putShort((short) payload.length)
                .put((byte) nextHeader).put((byte) 64).put(addr(src)).put(addr(dst)).put(payload).array();
    }

    public static byte[] icmp6EchoReply(String src, String dst, int id, int seq, byte[] data) {
        byte[] m = ByteBuffer.allocate(8 + data.length).put((byte) 129).put((byte) 0).putShort((short) 0)
                .putShort((short) id).putShort((short) seq).put(data).array();
        byte[] pseudo = ByteBuffer.allocate(40).put(addr(src)).put(addr(dst)).putInt(m.length).putInt(58).array();
        int c = checksum(pseudo, m);
        m[2] = (byte) (c >>> 8);
        m[3] = (byte) c;
        return ipv6(src, dst, 58, m);
    }

    public static byte[] udp4(String src, String dst, int sport, int dport, byte[] data) {
        byte[] seg = ByteBuffer.allocate(8 + data.length).putShort((short) sport).putShort((short) dport)
                .putShort((short) (8 + data.length)).putShort((short) 0).put(data).array();
        byte[] pseudo = ByteBuffer.allocate(12).put(addr(src)).put(addr(dst)).put((byte) 0).put((byte) 17)
                .putShort((short) seg.length).array();
        int c = checksum(pseudo, seg);
        seg[6] = (byte) (c >>> 8);
        seg[7] = (byte) c;
        return ipv4(src, dst, 17, seg);
    }

    /** A classic pcap file: little or big endian, microsecond or nanosecond magic, one record per frame. */
    public static byte[] pcap(int linkType, boolean bigEndian, boolean nanos, List<byte[]> frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteOrder order = bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        out.writeBytes(ByteBuffer.allocate(24).order(order).putInt(nanos ? 0xa1b23c4d : 0xa1b2c3d4)
                .putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(linkType).array());
        int i = 0;
        for (byte[] f : frames) {
            out.writeBytes(ByteBuffer.allocate(16).order(order).putInt(1_700_000_000 + i).putInt(nanos ? 123_456_789 : 123_456)
                    .putInt(f.length).putInt(f.length).array());
            out.writeBytes(f);
            i++;
        }
        return out.toByteArray();
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    public static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) b[i] = (byte) v[i];
        return b;
    }
}
