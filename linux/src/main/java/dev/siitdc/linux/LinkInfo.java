package dev.siitdc.linux;

/**
 * A network interface as RTM_GETLINK describes it.
 *
 * @param index the interface index
 * @param name the interface name
 * @param flags the IFF_* flags (IFF_UP = 0x1, IFF_RUNNING = 0x40, ...)
 * @param mtu the MTU
 */
public record LinkInfo(int index, String name, int flags, int mtu) {
    public static final int IFF_UP = 0x1;

    /** Whether the interface is administratively up. */
    public boolean up() {
        return (flags & IFF_UP) != 0;
    }
}
