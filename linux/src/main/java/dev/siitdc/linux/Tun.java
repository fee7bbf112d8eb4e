package dev.siitdc.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.Closeable;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One queue (one file descriptor) of a Linux TUN interface opened with {@code IFF_TUN | IFF_NO_PI}:
 * every read returns one IP packet and every write injects one, with no packet-information prefix
 * (with {@link #IFF_VNET_HDR}, a {@value #VNET_HDR_LEN}-byte {@code virtio_net_hdr} precedes it).
 *
 * <p>The descriptor is non-blocking. {@link #read} and {@link #write} pass the caller's heap array
 * straight to the kernel (a critical downcall over {@code MemorySegment.ofArray}, no copy) and return
 * -1 when the kernel has nothing to give or cannot take the packet now. A worker waits with
 * {@link #poll(int)} and a timeout, checking its stop flag between waits: closing a descriptor
 * does not wake a thread blocked on it.
 *
 * <p>Open queues with {@link #create}. A queue is meant to be used by one thread at a time; close it
 * only once the thread using it has stopped.
 */
public final class Tun implements Closeable {
    /** Kernel flag: a layer-3 device. Always set. */
    public static final int IFF_TUN = 0x0001;
    /** Kernel flag: no 4-byte packet-information prefix. Always set. */
    public static final int IFF_NO_PI = 0x1000;
    /** Kernel flag: several queues (descriptors) on one interface; required for more than one queue. */
    public static final int IFF_MULTI_QUEUE = 0x0100;
    /** Kernel flag: a virtio_net_hdr precedes each packet; its size is set to {@value #VNET_HDR_LEN}. */
    public static final int IFF_VNET_HDR = 0x4000;

    /** Offload flags for {@link #setOffload(int)} (linux/if_tun.h). */
    public static final int TUN_F_CSUM = 0x01;
    public static final int TUN_F_TSO4 = 0x02;
    public static final int TUN_F_TSO6 = 0x04;
    public static final int TUN_F_TSO_ECN = 0x08;
    public static final int TUN_F_UFO = 0x10;
    public static final int TUN_F_USO4 = 0x20;
    public static final int TUN_F_USO6 = 0x40;

    /** Size of the virtio_net_hdr set with TUNSETVNETHDRSZ when {@link #IFF_VNET_HDR} is asked for. */
    public static final int VNET_HDR_LEN = 10;
    /** Longest interface name (IFNAMSIZ - 1). */
    public static final int MAX_NAME_LENGTH = 15;
    /** Most queues one TUN interface can have (MAX_TAP_QUEUES). */
    public static final int MAX_QUEUES = 256;

    // _IOW('T', 202, int), _IOW('T', 208, unsigned int), _IOW('T', 216, int)
    private static final long TUNSETIFF = 0x400454caL;
    private static final long TUNSETOFFLOAD = 0x400454d0L;
    private static final long TUNSETVNETHDRSZ = 0x400454d8L;
    private static final int IFREQ_SIZE = 40;
    private static final int IFREQ_FLAGS_OFFSET = 16;
    private static final int OPTIONAL_FLAGS = IFF_MULTI_QUEUE | IFF_VNET_HDR;

    private final String name;
    private final int flags;
    private final String label;
    private volatile int fd;

    private Tun(int fd, String name, int flags, int queue) {
        this.fd = fd;
        this.name = name;
        this.flags = flags;
        this.label = "tun " + name + " queue " + queue;
    }

    /**
     * Opens a TUN interface with {@code queues} descriptors.
     *
     * @param name the interface name, at most {@value #MAX_NAME_LENGTH} bytes; null or empty lets the
     *        kernel choose ("tun0", ...); may hold one "%d"
     * @param queues number of queues, 1 to {@value #MAX_QUEUES}; more than one needs {@link #IFF_MULTI_QUEUE}
     * @param flags 0 or a combination of {@link #IFF_MULTI_QUEUE} and {@link #IFF_VNET_HDR}
     *        ({@link #IFF_TUN} and {@link #IFF_NO_PI} are always set)
     * @return the queues, with the name the kernel gave the interface and its index; closing it closes
     *         every queue, which removes the (non-persistent) interface
     * @throws LinuxException if opening /dev/net/tun or an ioctl fails (e.g. EBUSY: a single-queue
     *         interface of that name is in use; EINVAL: the name belongs to a device that is not a TUN
     *         or was opened with other flags); queues already opened are closed first
     */
    public static TunDevice create(String name, int queues, int flags) throws LinuxException {
        if ((flags & ~(OPTIONAL_FLAGS | IFF_TUN | IFF_NO_PI)) != 0) {
            throw new IllegalArgumentException("unsupported TUN flags 0x" + Integer.toHexString(flags)
                    + " (allowed: IFF_MULTI_QUEUE, IFF_VNET_HDR)");
        }
        if (queues < 1 || queues > MAX_QUEUES) {
            throw new IllegalArgumentException("queues must be 1.." + MAX_QUEUES + ": " + queues);
        }
        if (queues > 1 && (flags & IFF_MULTI_QUEUE) == 0) {
            throw new IllegalArgumentException(queues + " queues need IFF_MULTI_QUEUE");
        }
        String requested = name == null ? "" : name;
        if (requested.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("interface name longer than " + MAX_NAME_LENGTH + " bytes: " + name);
        }
        int kernelFlags = IFF_TUN | IFF_NO_PI | (flags & OPTIONAL_FLAGS);
        List<Tun> opened = new ArrayList<>(queues);
        try {
            Tun first = open(requested, kernelFlags, 0);
            opened.add(first);
            // Later queues attach to the interface by the name the kernel actually gave it.
            for (int q = 1; q < queues; q++) {
                opened.add(open(first.name, kernelFlags, q));
            }
            int ifindex = Libc.ifNameToIndex(first.name);
            return new TunDevice(first.name, ifindex, kernelFlags, opened);
        } catch (LinuxException | RuntimeException e) {
            for (int i = opened.size() - 1; i >= 0; i--) {
                try {
                    opened.get(i).close();
                } catch (LinuxException closeFailure) {
                    e.addSuppressed(closeFailure);
                }
            }
            throw e;
        }
    }

    private static Tun open(String name, int kernelFlags, int queue) throws LinuxException {
        int fd = Libc.open("/dev/net/tun", Libc.O_RDWR | Libc.O_CLOEXEC);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ifr = arena.allocate(IFREQ_SIZE, 8);
            byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
            MemorySegment.copy(nameBytes, 0, ifr, JAVA_BYTE, 0, nameBytes.length);
            ifr.set(JAVA_SHORT, IFREQ_FLAGS_OFFSET, (short) kernelFlags);
            String what = "name '" + name + "', flags 0x" + Integer.toHexString(kernelFlags) + ", queue " + queue;
            Libc.ioctl(fd, TUNSETIFF, ifr, "TUNSETIFF", what);
            String actual = ifr.getString(0, StandardCharsets.UTF_8);
            if ((kernelFlags & IFF_VNET_HDR) != 0) {
                MemorySegment size = arena.allocateFrom(JAVA_INT, VNET_HDR_LEN);
                Libc.ioctl(fd, TUNSETVNETHDRSZ, size, "TUNSETVNETHDRSZ", actual);
            }
            int fl = Libc.fcntl(fd, Libc.F_GETFL, 0, "F_GETFL");
            Libc.fcntl(fd, Libc.F_SETFL, fl | Libc.O_NONBLOCK, "F_SETFL O_NONBLOCK");
            return new Tun(fd, actual, kernelFlags, queue);
        } catch (LinuxException | RuntimeException e) {
            Libc.closeAfter(fd, e);
            throw e;
        }
    }

    /** The interface name. */
    public String name() {
        return name;
    }

    /** The kernel flags the queue was opened with (IFF_TUN | IFF_NO_PI | options). */
    public int flags() {
        return flags;
    }

    /** Whether each packet read or written is preceded by a {@value #VNET_HDR_LEN}-byte virtio_net_hdr. */
    public boolean vnetHdr() {
        return (flags & IFF_VNET_HDR) != 0;
    }

    /** The file descriptor, or -1 once closed. */
    public int fd() {
        return fd;
    }

    public boolean isOpen() {
        return fd >= 0;
    }

    /** Whether O_NONBLOCK is set on the descriptor (F_GETFL). */
    public boolean isNonBlocking() throws LinuxException {
        return (Libc.fcntl(checkedFd("fcntl"), Libc.F_GETFL, 0, "F_GETFL") & Libc.O_NONBLOCK) != 0;
    }

    /**
     * Reads one packet into {@code buf[off, off+len)} without copying.
     *
     * @return the packet's length (a packet longer than {@code len} is truncated by the kernel),
     *         or -1 when no packet is waiting
     * @throws LinuxException on any other error, or EBADF once closed
     */
    public int read(byte[] buf, int off, int len) throws LinuxException {
        Objects.checkFromIndexSize(off, len, buf.length);
        return Libc.read(checkedFd("read"), segmentAt(buf, off), len, label);
    }

    /**
     * Writes one packet from {@code buf[off, off+len)} without copying.
     *
     * @return {@code len} when the kernel took the packet, or -1 when it cannot now (EAGAIN)
     * @throws LinuxException on any other error (e.g. EINVAL for a malformed packet, EIO while the
     *         interface is down), or EBADF once closed
     */
    public int write(byte[] buf, int off, int len) throws LinuxException {
        Objects.checkFromIndexSize(off, len, buf.length);
        return Libc.write(checkedFd("write"), segmentAt(buf, off), len, label);
    }

    // A packet path reuses a few buffers at a few offsets: cache their heap segments so that a read
    // or write allocates nothing. One queue belongs to one worker thread, so no locking.
    private static final int SEGMENT_CACHE = 16;
    private final byte[][] cachedArray = new byte[SEGMENT_CACHE][];
    private final int[] cachedOffset = new int[SEGMENT_CACHE];
    private final MemorySegment[] cachedSegment = new MemorySegment[SEGMENT_CACHE];
    private int cacheNext;

    /** {@code buf} from {@code off} to its end, as a heap segment for a critical downcall. */
    private MemorySegment segmentAt(byte[] buf, int off) {
        for (int i = 0; i < SEGMENT_CACHE; i++) {
            if (cachedArray[i] == buf && cachedOffset[i] == off) return cachedSegment[i];
        }
        MemorySegment s = MemorySegment.ofArray(buf).asSlice(off);
        int i = cacheNext;
        cacheNext = (i + 1) % SEGMENT_CACHE;
        cachedArray[i] = buf;
        cachedOffset[i] = off;
        cachedSegment[i] = s;
        return s;
    }

    /**
     * Waits until a packet can be read, at most {@code timeoutMs} milliseconds (negative: no limit,
     * 0: just check).
     *
     * @return true if a read will find a packet (or report an error), false on timeout
     */
    public boolean poll(int timeoutMs) throws LinuxException {
        int revents = Libc.pollOne(checkedFd("poll"), Libc.POLLIN, timeoutMs, label);
        if ((revents & Libc.POLLNVAL) != 0) {
            throw new LinuxException("poll", Errno.EBADF, label);
        }
        return (revents & (Libc.POLLIN | Libc.POLLERR | Libc.POLLHUP)) != 0;
    }

    /**
     * Sets the offloads the interface accepts from the kernel (ioctl TUNSETOFFLOAD), a combination of
     * the {@code TUN_F_*} flags; 0 turns them all off. With TSO the kernel hands over GSO super-packets
     * described by the virtio_net_hdr, so it needs {@link #IFF_VNET_HDR}. The setting is per interface.
     */
    public void setOffload(int offloadFlags) throws LinuxException {
        Libc.ioctl(checkedFd("ioctl"), TUNSETOFFLOAD, Integer.toUnsignedLong(offloadFlags), "TUNSETOFFLOAD",
                label + ", flags 0x" + Integer.toHexString(offloadFlags));
    }

    private int checkedFd(String call) throws LinuxException {
        int f = fd;
        if (f < 0) {
            throw new LinuxException(call, Errno.EBADF, label + " is closed");
        }
        return f;
    }

    /** Closes the descriptor; idempotent. The interface goes away with its last queue. */
    @Override
    public void close() throws LinuxException {
        int f;
        synchronized (this) {
            f = fd;
            if (f < 0) {
                return;
            }
            fd = -1;
        }
        Libc.close(f);
    }

    @Override
    public String toString() {
        return label + (fd < 0 ? " (closed)" : " (fd " + fd + ")");
    }
}
