package dev.siitdc.linux;

import java.util.Arrays;

/**
 * A network interface as RTM_GETLINK describes it.
 *
 * @param index the interface index
 * @param name the interface name
 * @param flags the IFF_* flags (IFF_UP = 0x1, IFF_RUNNING = 0x40, ...)
 * @param mtu the MTU
 * @param master the ifindex of its master (IFLA_MASTER: the bridge it is a port of), 0 for none
 * @param mac its link-layer address (IFLA_ADDRESS, 6 bytes on Ethernet), empty for none (TUN, lo is zeros)
 */
public record LinkInfo(int index, String name, int flags, int mtu, int master, byte[] mac) {
    public static final int IFF_UP = 0x1;

    public LinkInfo {
        mac = mac == null ? new byte[0] : mac.clone();
    }

    /** Without master and link-layer address. */
    public LinkInfo(int index, String name, int flags, int mtu) {
        this(index, name, flags, mtu, 0, null);
    }

    /** Whether the interface is administratively up. */
    public boolean up() {
        return (flags & IFF_UP) != 0;
    }

    @Override
    public byte[] mac() {
        return mac.clone();
    }

    /** The link-layer address as text ("02:00:5e:00:53:01"), empty for none. */
    public String macText() {
        StringBuilder sb = new StringBuilder();
        for (byte b : mac) {
            if (!sb.isEmpty()) {
                sb.append(':');
            }
            sb.append(String.format("%02x", b & 0xff));
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LinkInfo l && index == l.index && name.equals(l.name) && flags == l.flags
                && mtu == l.mtu && master == l.master && Arrays.equals(mac, l.mac);
    }

    @Override
    public int hashCode() {
        return index * 31 + name.hashCode();
    }

    @Override
    public String toString() {
        return "LinkInfo[index=" + index + ", name=" + name + ", flags=0x" + Integer.toHexString(flags) + ", mtu="
                + mtu + ", master=" + master + ", mac=" + macText() + "]";
    }
}
