package dev.siitdc.linux;

import java.net.InetAddress;

/**
 * An address assigned to an interface, as RTM_GETADDR describes it.
 *
 * @param ifindex the interface index
 * @param address the local address (IFA_LOCAL for IPv4, IFA_ADDRESS for IPv6)
 * @param prefixLength the prefix length
 * @param scope RT_SCOPE_UNIVERSE (0), RT_SCOPE_LINK (253), RT_SCOPE_HOST (254), ...
 * @param flags IFA_F_* flags (IFA_FLAGS when the kernel sent it)
 */
public record IfAddress(int ifindex, InetAddress address, int prefixLength, int scope, int flags) {
    /** Whether this is an IPv6 address. */
    public boolean ipv6() {
        return address.getAddress().length == 16;
    }

    @Override
    public String toString() {
        return Route.text(address.getAddress()) + "/" + prefixLength + " ifindex " + ifindex;
    }
}
