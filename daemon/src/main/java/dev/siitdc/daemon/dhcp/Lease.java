package dev.siitdc.daemon.dhcp;

import dev.siitdc.core.addr.Ipv4Prefix;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A snapshot of what the server knows about one address: offered to, bound to, or declined by a client.
 * A {@link State#BOUND} lease whose {@link #expiresMillis} has passed is history: the address is free,
 * but the server gives it back to the same client first (RFC 2131 s4.3.1).
 *
 * @param address the IPv4 address
 * @param state what the address is
 * @param mac the client's chaddr; 0 for {@link State#DECLINED}
 * @param clientId the client's identifier (option 61) or null when it sent none (the client is then known
 *     by its MAC); always null for {@link State#DECLINED}
 * @param expiresMillis when the offer hold, the lease, or the decline hold ends (milliseconds since the
 *     epoch, the server's {@code nowMillis} clock)
 */
public record Lease(int address, State state, long mac, byte[] clientId, long expiresMillis) {
    public enum State {
        /** Reserved for a client between DHCPOFFER and DHCPREQUEST; not persisted. */
        OFFERED,
        /** Leased (DHCPACK sent). */
        BOUND,
        /** The client said someone else uses it (DHCPDECLINE); unused until it expires. */
        DECLINED
    }

    public Lease {
        clientId = clientId == null ? null : clientId.clone();
    }

    @Override
    public byte[] clientId() {
        return clientId == null ? null : clientId.clone();
    }

    public boolean expiredAt(long nowMillis) {
        return expiresMillis <= nowMillis;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Lease l && l.address == address && l.state == state && l.mac == mac
                && Arrays.equals(l.clientId, clientId) && l.expiresMillis == expiresMillis;
    }

    @Override
    public int hashCode() {
        return ((address * 31 + state.hashCode()) * 31 + Long.hashCode(mac)) * 31 + Arrays.hashCode(clientId)
                + Long.hashCode(expiresMillis);
    }

    @Override
    public String toString() {
        return state.name().toLowerCase() + " " + Ipv4Prefix.format(address)
                + (state == State.DECLINED ? "" : " " + Mac.format(mac)
                        + (clientId == null ? "" : " id " + HexFormat.of().formatHex(clientId)))
                + " until " + expiresMillis;
    }
}
