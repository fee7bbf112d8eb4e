package dev.siitdc.linux;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A packet capture socket on one interface (packet(7)): socket(AF_PACKET, SOCK_RAW, 0) bound to the
 * interface's index through a struct sockaddr_ll, a classic BPF program attached with SO_ATTACH_FILTER
 * (socket(7), struct sock_fprog), then bound again with ETH_P_ALL so that it receives what the program
 * accepts, in both directions, as tcpdump would. On an Ethernet link (ARPHRD_ETHER) a packet starts with
 * its Ethernet header; on a TUN (ARPHRD_NONE) with its IP header. The program sees the same bytes.
 *
 * <p>The socket belongs to the network namespace of the thread that creates it. {@link #openIn} creates it
 * on a short-lived thread of its own that first joins the namespace with setns(2) (CLONE_NEWNET, on a
 * descriptor of /run/netns/NAME as {@code ip netns} makes them); the caller's threads never change
 * namespace, and the socket works from any thread afterwards.
 *
 * <p>Steps: {@link #openIn} / {@link #open} (nothing is received yet: protocol 0), {@link #start} (filter,
 * then ETH_P_ALL), {@link #receive} (poll(2) with a timeout, then recvfrom(2) with MSG_TRUNC for the
 * packet's full length), {@link #close}. One thread receives; {@link #close()} may come from another
 * once that one has stopped. {@link #receive} allocates nothing.
 */
public final class PacketSocket implements AutoCloseable {
    /** ARPHRD_ETHER (if_arp.h): Ethernet, veth, bridges. */
    public static final int ARPHRD_ETHER = 1;
    /** ARPHRD_NONE (if_arp.h): a TUN device, raw IP. */
    public static final int ARPHRD_NONE = 0xfffe;
    /** The largest packet {@link #receive} copies out (a GSO super-packet is at most 64 KiB). */
    public static final int MAX_PACKET = 65536;
    /** The most instructions a classic BPF program may have (BPF_MAXINSNS). */
    public static final int MAX_INSTRUCTIONS = 4096;

    private static final int AF_PACKET = 17;
    private static final int ETH_P_ALL = 0x0003;
    private static final int SO_ATTACH_FILTER = 26;
    private static final int SO_RCVBUFFORCE = 33;
    private static final int CLONE_NEWNET = 0x40000000;
    private static final int O_RDONLY = 0;
    // struct sockaddr_ll (linux/if_packet.h): family u16, protocol be16, ifindex s32, hatype u16, pkttype u8,
    // halen u8, addr[8].
    private static final int SOCKADDR_LL_SIZE = 20;
    private static final ValueLayout.OfShort BE16 = JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN);

    /** setns(2) is not among Libc's bindings: bound here, errno captured the same way. */
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final long ERRNO_OFFSET = CALL_STATE.byteOffset(groupElement("errno"));
    private static final MethodHandle SETNS = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("setns")
                    .orElseThrow(() -> new UnsatisfiedLinkError("libc symbol not found: setns")),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), Linker.Option.captureCallState("errno"));

    private final int fd;
    private final String device;
    private final int ifindex;
    private final int hardwareType;
    private final String detail;
    // Auto arena: freed by the GC, so close() from another thread cannot race a confined arena.
    private final MemorySegment buffer;
    private final MemorySegment from;
    private final MemorySegment fromLen;
    private int lastLength;
    private boolean started;
    private volatile boolean closed;

    private PacketSocket(int fd, String device, int ifindex, int hardwareType, String where) {
        this.fd = fd;
        this.device = device;
        this.ifindex = ifindex;
        this.hardwareType = hardwareType;
        this.detail = "packet socket on " + device + where;
        Arena arena = Arena.ofAuto();
        this.buffer = arena.allocate(MAX_PACKET, 8);
        this.from = arena.allocate(SOCKADDR_LL_SIZE, 4);
        this.fromLen = arena.allocate(JAVA_INT);
    }

    /**
     * Opens the socket on {@code device} in the network namespace {@code netns} (a file such as
     * /run/netns/NAME), from a thread that joins that namespace first. Nothing is received until
     * {@link #start}. Failures name their step: open of the namespace file (ENOENT: no such namespace),
     * setns (EPERM: not root), socket, if_nametoindex (ENODEV: no such interface there), bind.
     */
    public static PacketSocket openIn(Path netns, String device) throws LinuxException {
        Objects.requireNonNull(netns, "netns");
        AtomicReference<PacketSocket> socket = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = Thread.ofPlatform().name("setns-" + netns.getFileName()).start(() -> {
            try {
                joinNamespace(netns);
                socket.set(open(device, " in " + netns));
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        Throwable e = failure.get();
        if (e instanceof LinuxException le) throw le;
        if (e instanceof RuntimeException re) throw re;
        if (e instanceof Error er) throw er;
        return socket.get();
    }

    /** The same in the calling thread's own network namespace. */
    public static PacketSocket open(String device) throws LinuxException {
        return open(device, "");
    }

    /** setns(2) of the calling thread into the network namespace of the file {@code netns}. */
    private static void joinNamespace(Path netns) throws LinuxException {
        int nsfd = Libc.open(netns.toString(), O_RDONLY | Libc.O_CLOEXEC);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CALL_STATE);
            int rc = (int) SETNS.invokeExact(st, nsfd, CLONE_NEWNET);
            if (rc < 0) throw new LinuxException("setns", st.get(JAVA_INT, ERRNO_OFFSET), netns.toString());
        } catch (LinuxException e) {
            Libc.closeAfter(nsfd, e);
            throw e;
        } catch (Throwable t) {
            IllegalStateException e = new IllegalStateException("setns failed", t);
            Libc.closeAfter(nsfd, e);
            throw e;
        }
        Libc.close(nsfd);
    }

    private static PacketSocket open(String device, String where) throws LinuxException {
        int ifindex;
        try {
            ifindex = Libc.ifNameToIndex(device);
        } catch (LinuxException e) {
            throw new LinuxException(e.syscall(), e.errno(), device + where);
        }
        int fd;
        try {
            fd = Libc.socket(AF_PACKET, Libc.SOCK_RAW | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, 0);
        } catch (LinuxException e) {
            throw new LinuxException(e.syscall(), e.errno(), "AF_PACKET on " + device + where);
        }
        try (Arena a = Arena.ofConfined()) {
            // protocol 0: bound to the interface but not yet receiving (packet(7)), so nothing unfiltered queues.
            bind(fd, ifindex, 0, a, device + where);
            MemorySegment name = a.allocate(SOCKADDR_LL_SIZE, 4);
            Libc.getsockname(fd, name);
            int hatype = name.get(JAVA_SHORT, 8) & 0xffff;
            return new PacketSocket(fd, device, ifindex, hatype, where);
        } catch (LinuxException | RuntimeException e) {
            Libc.closeAfter(fd, e);
            throw e;
        }
    }

    private static void bind(int fd, int ifindex, int protocol, Arena a, String what) throws LinuxException {
        MemorySegment sll = a.allocate(SOCKADDR_LL_SIZE, 4);
        sll.set(JAVA_SHORT, 0, (short) AF_PACKET);
        sll.set(BE16, 2, (short) protocol);
        sll.set(JAVA_INT, 4, ifindex);
        try {
            Libc.bind(fd, sll);
        } catch (LinuxException e) {
            throw new LinuxException("bind", e.errno(), "AF_PACKET on " + what);
        }
    }

    /** The interface's ARPHRD_* type ({@link #ARPHRD_ETHER}, {@link #ARPHRD_NONE}, ...), as the kernel reports it. */
    public int hardwareType() {
        return hardwareType;
    }

    /** Whether packets start with an Ethernet header (ARPHRD_ETHER). */
    public boolean ethernet() {
        return hardwareType == ARPHRD_ETHER;
    }

    public String device() {
        return device;
    }

    /**
     * Attaches {@code program} (classic BPF, 4 ints an instruction: code, jt, jf, k, as {@code tcpdump -dd}
     * prints them), sets the receive buffer to {@code receiveBuffer} bytes (SO_RCVBUFFORCE; 0 keeps the
     * default) and starts receiving on every protocol (ETH_P_ALL). Once.
     */
    public synchronized void start(int[] program, int receiveBuffer) throws LinuxException {
        checkOpen();
        if (started) throw new IllegalStateException(detail + ": already started");
        if (program.length == 0 || program.length % 4 != 0 || program.length / 4 > MAX_INSTRUCTIONS) {
            throw new IllegalArgumentException("a BPF program is 1.." + MAX_INSTRUCTIONS
                    + " instructions of 4 ints, not " + program.length + " ints");
        }
        try (Arena a = Arena.ofConfined()) {
            int n = program.length / 4;
            // struct sock_filter: u16 code, u8 jt, u8 jf, u32 k (host order).
            MemorySegment insns = a.allocate(8L * n, 8);
            for (int i = 0; i < n; i++) {
                insns.set(JAVA_SHORT, 8L * i, (short) program[4 * i]);
                insns.set(JAVA_BYTE, 8L * i + 2, (byte) program[4 * i + 1]);
                insns.set(JAVA_BYTE, 8L * i + 3, (byte) program[4 * i + 2]);
                insns.set(JAVA_INT, 8L * i + 4, program[4 * i + 3]);
            }
            // struct sock_fprog: unsigned short len, (padding), struct sock_filter *filter.
            MemorySegment fprog = a.allocate(16, 8);
            fprog.set(JAVA_SHORT, 0, (short) n);
            fprog.set(ADDRESS, 8, insns);
            Libc.setsockopt(fd, Libc.SOL_SOCKET, SO_ATTACH_FILTER, fprog, "SO_ATTACH_FILTER");
            if (receiveBuffer > 0) {
                Libc.setsockopt(fd, Libc.SOL_SOCKET, SO_RCVBUFFORCE, a.allocateFrom(JAVA_INT, receiveBuffer),
                        "SO_RCVBUFFORCE");
            }
            bind(fd, ifindex, ETH_P_ALL, a, device);
        } catch (LinuxException e) {
            throw new LinuxException(e.syscall(), e.errno(), detail);
        }
        started = true;
    }

    /**
     * Waits up to {@code timeoutMillis} (0: does not wait) for a packet the filter accepted and copies its
     * first bytes to {@code buf[off, off + len)}; {@link #lastLength()} is then its full length.
     *
     * @return the bytes copied, 0 on timeout
     */
    public int receive(byte[] buf, int off, int len, int timeoutMillis) throws LinuxException {
        checkOpen();
        Objects.checkFromIndexSize(off, len, buf.length);
        int revents = Libc.pollOne(fd, Libc.POLLIN, timeoutMillis, detail);
        if (revents == 0) return 0;
        if ((revents & Libc.POLLNVAL) != 0) throw new LinuxException("poll", Errno.EBADF, detail);
        int want = Math.min(len, MAX_PACKET);
        long n = Libc.recvfrom(fd, buffer, want, Libc.MSG_TRUNC, from, fromLen, detail);
        if (n <= 0) return 0;   // EAGAIN
        lastLength = (int) Math.min(n, Integer.MAX_VALUE);
        int copied = (int) Math.min(n, want);
        MemorySegment.copy(buffer, JAVA_BYTE, 0, buf, off, copied);
        return copied;
    }

    /** The full length of the last packet {@link #receive} returned (more than it copied when it was cut). */
    public int lastLength() {
        return lastLength;
    }

    private void checkOpen() throws LinuxException {
        if (closed) throw new LinuxException("PacketSocket", Errno.EBADF, detail + ": closed");
    }

    /** Closes the socket; idempotent. */
    @Override
    public synchronized void close() throws LinuxException {
        if (closed) return;
        closed = true;
        Libc.close(fd);
    }

    @Override
    public String toString() {
        return "PacketSocket[" + detail + ", fd " + fd + "]";
    }
}
