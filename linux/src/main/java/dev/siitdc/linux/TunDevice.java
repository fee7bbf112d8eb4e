package dev.siitdc.linux;

import java.io.Closeable;
import java.util.List;

/**
 * A TUN interface opened by {@link Tun#create}: its name as the kernel gave it, its interface index
 * and one {@link Tun} per queue. Closing it closes every queue, which removes the interface.
 */
public final class TunDevice implements Closeable {
    private final String name;
    private final int ifindex;
    private final int flags;
    private final List<Tun> queues;

    TunDevice(String name, int ifindex, int flags, List<Tun> queues) {
        this.name = name;
        this.ifindex = ifindex;
        this.flags = flags;
        this.queues = List.copyOf(queues);
    }

    /** The interface name the kernel gave (differs from the requested one if that held "%d" or was empty). */
    public String name() {
        return name;
    }

    /** The interface index (if_nametoindex at creation). */
    public int ifindex() {
        return ifindex;
    }

    /** The kernel flags every queue was opened with. */
    public int flags() {
        return flags;
    }

    public boolean vnetHdr() {
        return (flags & Tun.IFF_VNET_HDR) != 0;
    }

    /** The queues, in the order they were opened. */
    public List<Tun> queues() {
        return queues;
    }

    public Tun queue(int i) {
        return queues.get(i);
    }

    /** {@link Tun#setOffload} on the interface (through its first queue). */
    public void setOffload(int offloadFlags) throws LinuxException {
        queues.getFirst().setOffload(offloadFlags);
    }

    /** Closes every queue, the last first, continuing past failures; the first failure is thrown. */
    @Override
    public void close() throws LinuxException {
        LinuxException failure = null;
        for (int i = queues.size() - 1; i >= 0; i--) {
            try {
                queues.get(i).close();
            } catch (LinuxException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "tun " + name + " (ifindex " + ifindex + ", " + queues.size() + " queue"
                + (queues.size() == 1 ? "" : "s") + (vnetHdr() ? ", vnet_hdr" : "") + ")";
    }
}
