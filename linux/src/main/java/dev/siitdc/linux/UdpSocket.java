package dev.siitdc.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A non-blocking IPv4 UDP socket bound to 0.0.0.0:port on one interface (SO_BINDTODEVICE), with
 * SO_BROADCAST: what a DHCPv4 server needs (RFC 2131 s4.1: requests come from 0.0.0.0 to
 * 255.255.255.255, replies may be broadcast). A limited broadcast sent here leaves through the bound
 * interface.
 *
 * <p>IPv4 addresses are ints in network order read big-endian: 10.9.0.1 is {@code 0x0a090001}.
 *
 * <p>Not thread-safe: one thread receives and sends. {@link #receive} and {@link #send} allocate
 * nothing: the datagram goes through a native buffer of the socket, copied to or from the caller's
 * array. {@link #close()} may come from another thread once that thread has stopped using it.
 */
public final class UdpSocket implements AutoCloseable {
    /** The largest UDP payload over IPv4 (65535 - 20 - 8). */
    public static final int MAX_PAYLOAD = 65507;

    // struct sockaddr_in (netinet/in.h): sin_family (host order), sin_port, sin_addr (network order), 8 zero bytes.
    private static final int SOCKADDR_IN_SIZE = 16;
    private static final ValueLayout.OfShort PORT = JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt ADDR = JAVA_INT.withOrder(ByteOrder.BIG_ENDIAN);
    private static final int IFNAMSIZ = 16;

    private final int fd;
    private final String device;
    private final int port;
    private final String detail;
    // Auto arena: freed by the GC, so close() from another thread cannot race a confined arena.
    private final MemorySegment buffer;
    private final MemorySegment from;
    private final MemorySegment fromLen;
    private final MemorySegment to;
    private int lastSourceAddress;
    private int lastSourcePort;
    private boolean lastTruncated;
    private volatile boolean closed;

    private UdpSocket(int fd, String device, int port) {
        this.fd = fd;
        this.device = device;
        this.port = port;
        this.detail = "UDP port " + port + " on " + device;
        Arena arena = Arena.ofAuto();
        this.buffer = arena.allocate(MAX_PAYLOAD, 8);
        this.from = arena.allocate(SOCKADDR_IN_SIZE, 4);
        this.fromLen = arena.allocate(JAVA_INT);
        this.to = arena.allocate(SOCKADDR_IN_SIZE, 4);
        this.to.set(JAVA_SHORT, 0, (short) Libc.AF_INET);
    }

    /**
     * Opens socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC), sets SO_REUSEADDR, SO_BROADCAST
     * and SO_BINDTODEVICE({@code device}) and binds 0.0.0.0:{@code port}. A failure names its step and
     * the device (ENODEV: no such interface; EADDRINUSE: the port is taken on it).
     */
    public static UdpSocket open(String device, int port) throws LinuxException {
        byte[] name = device.getBytes(StandardCharsets.UTF_8);
        if (name.length == 0 || name.length >= IFNAMSIZ) {
            throw new IllegalArgumentException("interface name must be 1 to 15 bytes: " + device);
        }
        if (port < 0 || port > 0xffff) {
            throw new IllegalArgumentException("port must be 0..65535: " + port);
        }
        String what = "UDP port " + port + " on " + device;
        int fd;
        try {
            fd = Libc.socket(Libc.AF_INET, Libc.SOCK_DGRAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, 0);
        } catch (LinuxException e) {
            throw new LinuxException(e.syscall(), e.errno(), what);
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment one = a.allocateFrom(JAVA_INT, 1);
            setsockopt(fd, Libc.SO_REUSEADDR, one, "SO_REUSEADDR", what);
            setsockopt(fd, Libc.SO_BROADCAST, one, "SO_BROADCAST", what);
            // socket(7): the option value is the interface name, NUL-terminated, at most IFNAMSIZ.
            MemorySegment ifname = a.allocate(IFNAMSIZ);
            MemorySegment.copy(name, 0, ifname, JAVA_BYTE, 0, name.length);
            setsockopt(fd, Libc.SO_BINDTODEVICE, ifname, "SO_BINDTODEVICE", what);
            MemorySegment local = a.allocate(SOCKADDR_IN_SIZE, 4);
            local.set(JAVA_SHORT, 0, (short) Libc.AF_INET);
            local.set(PORT, 2, (short) port); // sin_addr 0.0.0.0: INADDR_ANY
            try {
                Libc.bind(fd, local);
            } catch (LinuxException e) {
                throw new LinuxException("bind", e.errno(), "0.0.0.0:" + port + " on " + device);
            }
            return new UdpSocket(fd, device, port);
        } catch (LinuxException | RuntimeException e) {
            Libc.closeAfter(fd, e);
            throw e;
        }
    }

    private static void setsockopt(int fd, int name, MemorySegment value, String what, String detail)
            throws LinuxException {
        try {
            Libc.setsockopt(fd, Libc.SOL_SOCKET, name, value, what);
        } catch (LinuxException e) {
            throw new LinuxException(e.syscall(), e.errno(), detail);
        }
    }

    /** The interface the socket is bound to. */
    public String device() {
        return device;
    }

    /** The local UDP port. */
    public int port() {
        return port;
    }

    /**
     * Waits up to {@code timeoutMillis} (negative: forever) for a datagram and copies its payload to
     * {@code buf[off, off + len)}; a longer one is cut to {@code len} ({@link #lastTruncated()}).
     *
     * @return the payload length copied; 0 on timeout, EAGAIN or EINTR (and for an empty datagram)
     */
    public int receive(byte[] buf, int off, int len, int timeoutMillis) throws LinuxException {
        checkOpen();
        java.util.Objects.checkFromIndexSize(off, len, buf.length);
        int revents = Libc.pollOne(fd, Libc.POLLIN, timeoutMillis, detail);
        if (revents == 0) {
            return 0;
        }
        if ((revents & Libc.POLLNVAL) != 0) {
            throw new LinuxException("poll", Errno.EBADF, detail);
        }
        int want = Math.min(len, MAX_PAYLOAD);
        long n = Libc.recvfrom(fd, buffer, want, Libc.MSG_TRUNC, from, fromLen, detail);
        if (n < 0) {
            return 0; // EAGAIN: someone else took it, or a checksum failure dropped it
        }
        lastSourceAddress = from.get(ADDR, 4);
        lastSourcePort = from.get(PORT, 2) & 0xffff;
        lastTruncated = n > want;
        int copied = (int) Math.min(n, want);
        MemorySegment.copy(buffer, JAVA_BYTE, 0, buf, off, copied);
        return copied;
    }

    /** The source IPv4 address of the last datagram {@link #receive} returned (0.0.0.0 from an unconfigured DHCP client). */
    public int lastSourceAddress() {
        return lastSourceAddress;
    }

    /** The source UDP port of the last datagram {@link #receive} returned. */
    public int lastSourcePort() {
        return lastSourcePort;
    }

    /** Whether the last datagram {@link #receive} returned was longer than the room given for it. */
    public boolean lastTruncated() {
        return lastTruncated;
    }

    /**
     * Sends {@code buf[off, off + len)} to {@code ipv4Address:port} (sendto(2)); 255.255.255.255 goes out
     * the bound interface. Throws LinuxException on any failure, EAGAIN (socket buffer full) included.
     */
    public void send(byte[] buf, int off, int len, int ipv4Address, int port) throws LinuxException {
        checkOpen();
        java.util.Objects.checkFromIndexSize(off, len, buf.length);
        if (len > MAX_PAYLOAD) {
            throw new IllegalArgumentException("UDP payload too long: " + len);
        }
        if (port <= 0 || port > 0xffff) {
            throw new IllegalArgumentException("port must be 1..65535: " + port);
        }
        MemorySegment.copy(buf, off, buffer, JAVA_BYTE, 0, len);
        to.set(PORT, 2, (short) port);
        to.set(ADDR, 4, ipv4Address);
        long n = Libc.sendto(fd, buffer, len, 0, to, detail);
        if (n != len) {
            throw new LinuxException("sendto", Errno.EMSGSIZE, detail + ": sent " + n + " of " + len);
        }
    }

    /** An IPv4 address int as a dotted quad. */
    public static String text(int ipv4Address) {
        return (ipv4Address >>> 24) + "." + ((ipv4Address >>> 16) & 0xff) + "." + ((ipv4Address >>> 8) & 0xff)
                + "." + (ipv4Address & 0xff);
    }

    private void checkOpen() throws LinuxException {
        if (closed) {
            throw new LinuxException("UdpSocket", Errno.EBADF, detail + ": closed");
        }
    }

    /** Closes the socket; idempotent. */
    @Override
    public synchronized void close() throws LinuxException {
        if (closed) {
            return;
        }
        closed = true;
        Libc.close(fd);
    }

    @Override
    public String toString() {
        return "UdpSocket[" + detail + ", fd " + fd + "]";
    }
}
