package dev.siitdc.daemon.dhcp;

import dev.siitdc.core.addr.Ipv4Prefix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the Edge Relay's DHCPv4 server hands out (RFC 7756 s3.2 and Appendix A.1): the segment's subnet,
 * whose address {@link #serverAddress()} the ER holds as the nodes' default router, and the IPv4 Service
 * Addresses, given from a dynamic pool or to fixed MAC addresses. Immutable; built by {@link #builder}, which
 * rejects an inconsistent configuration with an operator-facing {@link IllegalArgumentException}.
 */
public final class DhcpConfig {
    /** Addresses (pool and static) one server manages at most; lookups by client are linear in it. */
    public static final int MAX_ADDRESSES = 4096;
    public static final int MAX_DNS_SERVERS = 8;
    public static final int MIN_LEASE_SECONDS = 60;
    /** RFC 2132 s5.1: the smallest MTU option 26 may carry. */
    public static final int MIN_MTU = 68;

    private final int serverAddress;
    private final int prefixLength;
    private final int router;
    private final int leaseSeconds;
    private final int interfaceMtu;
    private final int[] pool;
    private final long[] staticMacs;
    private final int[] staticAddresses;
    private final int[] dnsServers;
    private final long offerHoldMillis;
    private final long declineHoldMillis;
    private final long leaseWriteIntervalMillis;

    private DhcpConfig(Builder b) {
        serverAddress = b.serverAddress;
        prefixLength = b.prefixLength;
        router = b.router == null ? b.serverAddress : b.router;
        leaseSeconds = b.leaseSeconds;
        interfaceMtu = b.interfaceMtu;
        pool = b.pool.stream().mapToInt(Integer::intValue).toArray();
        staticMacs = b.statics.keySet().stream().mapToLong(Long::longValue).toArray();
        staticAddresses = b.statics.values().stream().mapToInt(Integer::intValue).toArray();
        dnsServers = b.dns.stream().mapToInt(Integer::intValue).toArray();
        offerHoldMillis = b.offerHoldMillis;
        declineHoldMillis = b.declineHoldMillis;
        leaseWriteIntervalMillis = b.leaseWriteIntervalMillis;
        validate();
    }

    /**
     * @param serverAddress the ER's own address on the segment: server identifier and, by default, router
     * @param prefixLength the segment's prefix length (1..31), which must enclose the Service Addresses
     */
    public static Builder builder(int serverAddress, int prefixLength) {
        return new Builder(serverAddress, prefixLength);
    }

    /** The IPv4 MTU to advertise for an IPv6 path MTU of {@code ipv6Mtu}: 20 bytes less (RFC 7756 s4.2). */
    public static int interfaceMtuFor(int ipv6Mtu) {
        return ipv6Mtu - 20;
    }

    public int serverAddress() {
        return serverAddress;
    }

    public int prefixLength() {
        return prefixLength;
    }

    public int subnetMask() {
        return Ipv4Prefix.maskOf(prefixLength);
    }

    public int network() {
        return serverAddress & subnetMask();
    }

    /** The subnet's broadcast address; for a /31 (RFC 3021) there is none and this returns 0. */
    public int broadcastAddress() {
        return prefixLength == 31 ? 0 : network() | ~subnetMask();
    }

    public boolean inSubnet(int addr) {
        return (addr & subnetMask()) == network();
    }

    public int router() {
        return router;
    }

    public int leaseSeconds() {
        return leaseSeconds;
    }

    /** T1 (option 58): half the lease (RFC 2131 s4.4.5). */
    public int renewalSeconds() {
        return leaseSeconds / 2;
    }

    /** T2 (option 59): 7/8 of the lease (RFC 2131 s4.4.5). */
    public int rebindingSeconds() {
        return (int) (leaseSeconds * 7L / 8);
    }

    public int interfaceMtu() {
        return interfaceMtu;
    }

    /** The dynamic pool, in configuration order (static addresses excluded or not, see {@link Builder#pool}). */
    public int[] pool() {
        return pool.clone();
    }

    public int staticCount() {
        return staticMacs.length;
    }

    public long staticMac(int i) {
        return staticMacs[i];
    }

    public int staticAddress(int i) {
        return staticAddresses[i];
    }

    public int[] dnsServers() {
        return dnsServers.clone();
    }

    public long offerHoldMillis() {
        return offerHoldMillis;
    }

    public long declineHoldMillis() {
        return declineHoldMillis;
    }

    public long leaseWriteIntervalMillis() {
        return leaseWriteIntervalMillis;
    }

    private void validate() {
        if (prefixLength < 1 || prefixLength > 31) {
            throw new IllegalArgumentException("the DHCP subnet's prefix length must be 1 to 31, not " + prefixLength);
        }
        String subnet = Ipv4Prefix.format(network()) + "/" + prefixLength;
        checkHost("the server address", serverAddress, subnet);
        checkHost("the router", router, subnet);
        if (leaseSeconds < MIN_LEASE_SECONDS) {
            throw new IllegalArgumentException("the DHCP lease time must be at least " + MIN_LEASE_SECONDS
                    + " seconds, not " + leaseSeconds);
        }
        if (interfaceMtu < MIN_MTU || interfaceMtu > 0xffff) {
            throw new IllegalArgumentException("the interface MTU must be " + MIN_MTU + " to 65535, not " + interfaceMtu
                    + " (RFC 7756 s4.2: the lowest IPv6 MTU less 20)");
        }
        if (pool.length + staticMacs.length == 0) {
            throw new IllegalArgumentException("the DHCP server has no address to give: configure a pool of IPv4"
                    + " Service Addresses or static bindings");
        }
        if (pool.length + staticMacs.length > MAX_ADDRESSES) {
            throw new IllegalArgumentException("the DHCP server manages at most " + MAX_ADDRESSES
                    + " addresses, not " + (pool.length + staticMacs.length));
        }
        int[] sortedPool = pool.clone();
        Arrays.sort(sortedPool);
        for (int i = 0; i < sortedPool.length; i++) {
            checkLeasable("pool address", sortedPool[i], subnet);
            if (i > 0 && sortedPool[i] == sortedPool[i - 1]) {
                throw new IllegalArgumentException("pool address " + Ipv4Prefix.format(sortedPool[i])
                        + " is listed twice");
            }
        }
        for (int i = 0; i < staticMacs.length; i++) {
            String what = "static binding " + Mac.format(staticMacs[i]) + " -> " + Ipv4Prefix.format(staticAddresses[i]);
            if (!Mac.isUnicast(staticMacs[i])) {
                throw new IllegalArgumentException(what + ": not a unicast MAC address");
            }
            checkLeasable(what + ":", staticAddresses[i], subnet);
            for (int j = 0; j < i; j++) {
                if (staticAddresses[j] == staticAddresses[i]) {
                    throw new IllegalArgumentException(what + ": the address is already bound to "
                            + Mac.format(staticMacs[j]));
                }
            }
        }
        if (dnsServers.length > MAX_DNS_SERVERS) {
            throw new IllegalArgumentException("at most " + MAX_DNS_SERVERS + " DNS servers, not " + dnsServers.length);
        }
        if (offerHoldMillis < 1000 || declineHoldMillis < 1000) {
            throw new IllegalArgumentException("the offer and decline hold times must be at least a second");
        }
        if (leaseWriteIntervalMillis < 0) {
            throw new IllegalArgumentException("the lease write interval must not be negative");
        }
    }

    private void checkHost(String what, int addr, String subnet) {
        if (!inSubnet(addr)) {
            throw new IllegalArgumentException(what + " " + Ipv4Prefix.format(addr) + " is outside the subnet " + subnet);
        }
        if (prefixLength < 31 && (addr == network() || addr == broadcastAddress())) {
            throw new IllegalArgumentException(what + " " + Ipv4Prefix.format(addr) + " is the network or broadcast"
                    + " address of " + subnet);
        }
    }

    private void checkLeasable(String what, int addr, String subnet) {
        checkHost(what, addr, subnet);
        if (addr == serverAddress || addr == router) {
            throw new IllegalArgumentException(what + " " + Ipv4Prefix.format(addr) + " is the server's or router's"
                    + " own address");
        }
    }

    /** Builds a {@link DhcpConfig}; {@link #build} validates. */
    public static final class Builder {
        private final int serverAddress;
        private final int prefixLength;
        private Integer router;
        private int leaseSeconds = 3600;
        private int interfaceMtu = 1480;   // 1500 - 20
        private final List<Integer> pool = new ArrayList<>();
        private final Map<Long, Integer> statics = new LinkedHashMap<>();
        private final List<Integer> dns = new ArrayList<>();
        private long offerHoldMillis = 60_000;
        private long declineHoldMillis = 600_000;
        private long leaseWriteIntervalMillis = 0;

        private Builder(int serverAddress, int prefixLength) {
            this.serverAddress = serverAddress;
            this.prefixLength = prefixLength;
        }

        /** Option 3; the server address by default (the ER is the segment's router). */
        public Builder router(int router) {
            this.router = router;
            return this;
        }

        /** Option 51; 3600 by default. T1 and T2 are 1/2 and 7/8 of it. */
        public Builder leaseSeconds(int seconds) {
            this.leaseSeconds = seconds;
            return this;
        }

        /** Option 26: the lowest IPv6 MTU less 20 (RFC 7756 s4.2, {@link #interfaceMtuFor}); 1480 by default. */
        public Builder interfaceMtu(int mtu) {
            this.interfaceMtu = mtu;
            return this;
        }

        /**
         * IPv4 Service Addresses for any client. An address also bound to a MAC by {@link #staticBinding} is
         * given to that MAC only.
         */
        public Builder pool(int... addresses) {
            for (int a : addresses) {
                pool.add(a);
            }
            return this;
        }

        /** {@code address} for the client whose chaddr is {@code mac}, and for no other. */
        public Builder staticBinding(long mac, int address) {
            if (statics.putIfAbsent(mac, address) != null) {
                throw new IllegalArgumentException("MAC " + Mac.format(mac) + " has two static bindings");
            }
            return this;
        }

        /** Option 6, optional. */
        public Builder dnsServers(int... addresses) {
            for (int a : addresses) {
                dns.add(a);
            }
            return this;
        }

        /** How long an offered address stays reserved for the client it was offered to; 60 s by default. */
        public Builder offerHoldMillis(long millis) {
            this.offerHoldMillis = millis;
            return this;
        }

        /** How long a declined address (RFC 2131 s4.3.3: in use by someone else) stays unused; 10 min by default. */
        public Builder declineHoldMillis(long millis) {
            this.declineHoldMillis = millis;
            return this;
        }

        /**
         * The shortest time between two writes of the lease file. 0 (the default) writes on each change,
         * before the reply; more batches changes, written by {@link DhcpServer#tick} once the interval has
         * passed, so a flood of renewals cannot turn into a flood of writes.
         */
        public Builder leaseWriteIntervalMillis(long millis) {
            this.leaseWriteIntervalMillis = millis;
            return this;
        }

        public DhcpConfig build() {
            return new DhcpConfig(this);
        }
    }
}
