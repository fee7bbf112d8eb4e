package dev.siitdc.daemon.dhcp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Builds client DHCP messages byte by byte from RFC 2131 s2 (Figure 1) and RFC 2132, with literal offsets,
 * independently of {@link DhcpMessage}, so that the codec is checked against the RFC rather than itself.
 */
final class ClientPacket {
    int op = 1;
    int htype = 1;
    int hlen = 6;
    int hops;
    int xid = 0x3903f326;
    int secs;
    int flags;
    int ciaddr;
    int yiaddr;
    int siaddr;
    int giaddr;
    long mac;
    byte[] cookie = {99, (byte) 130, 83, 99};
    private final ByteArrayOutputStream opts = new ByteArrayOutputStream();
    boolean end = true;
    int padTo;

    private ClientPacket(long mac) {
        this.mac = mac;
    }

    static ClientPacket of(int messageType, long mac) {
        return new ClientPacket(mac).option(53, messageType);
    }

    static ClientPacket discover(long mac) {
        return of(1, mac);
    }

    /** SELECTING: server identifier and requested address. */
    static ClientPacket select(long mac, int server, int address) {
        return of(3, mac).addr(54, server).addr(50, address);
    }

    /** RENEWING / REBINDING: ciaddr only. */
    static ClientPacket renew(long mac, int address) {
        ClientPacket p = of(3, mac);
        p.ciaddr = address;
        return p;
    }

    /** INIT-REBOOT: requested address, no server identifier, no ciaddr. */
    static ClientPacket initReboot(long mac, int address) {
        return of(3, mac).addr(50, address);
    }

    static ClientPacket decline(long mac, int server, int address) {
        return of(4, mac).addr(54, server).addr(50, address);
    }

    static ClientPacket release(long mac, int server, int address) {
        ClientPacket p = of(7, mac).addr(54, server);
        p.ciaddr = address;
        return p;
    }

    static ClientPacket inform(long mac, int address) {
        ClientPacket p = of(8, mac);
        p.ciaddr = address;
        return p;
    }

    ClientPacket option(int code, int... data) {
        opts.write(code);
        opts.write(data.length);
        for (int d : data) {
            opts.write(d);
        }
        return this;
    }

    ClientPacket addr(int code, int a) {
        return option(code, a >>> 24, (a >>> 16) & 0xff, (a >>> 8) & 0xff, a & 0xff);
    }

    ClientPacket text(int code, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        opts.write(code);
        opts.write(b.length);
        opts.writeBytes(b);
        return this;
    }

    ClientPacket clientId(long m) {
        return option(61, 1, (int) (m >>> 40) & 0xff, (int) (m >>> 32) & 0xff, (int) (m >>> 24) & 0xff,
                (int) (m >>> 16) & 0xff, (int) (m >>> 8) & 0xff, (int) m & 0xff);
    }

    ClientPacket raw(int... bytes) {
        for (int b : bytes) {
            opts.write(b);
        }
        return this;
    }

    ClientPacket broadcast() {
        flags = 0x8000;
        return this;
    }

    ClientPacket xid(int x) {
        xid = x;
        return this;
    }

    ClientPacket noEnd() {
        end = false;
        return this;
    }

    /** Zero padding after END up to {@code n} bytes, as BOOTP-minded clients send (300). */
    ClientPacket padTo(int n) {
        padTo = n;
        return this;
    }

    byte[] build() {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(op);
        o.write(htype);
        o.write(hlen);
        o.write(hops);
        be32(o, xid);
        o.write(secs >>> 8);
        o.write(secs);
        o.write(flags >>> 8);
        o.write(flags);
        be32(o, ciaddr);
        be32(o, yiaddr);
        be32(o, siaddr);
        be32(o, giaddr);
        for (int i = 5; i >= 0; i--) {
            o.write((int) (mac >>> (8 * i)));        // chaddr: 6 bytes ...
        }
        o.writeBytes(new byte[10]);                  // ... of 16
        o.writeBytes(new byte[64]);                  // sname
        o.writeBytes(new byte[128]);                 // file
        o.writeBytes(cookie);
        o.writeBytes(opts.toByteArray());
        if (end) {
            o.write(255);
        }
        while (o.size() < padTo) {
            o.write(0);
        }
        return o.toByteArray();
    }

    private static void be32(ByteArrayOutputStream o, int v) {
        o.write(v >>> 24);
        o.write(v >>> 16);
        o.write(v >>> 8);
        o.write(v);
    }
}
