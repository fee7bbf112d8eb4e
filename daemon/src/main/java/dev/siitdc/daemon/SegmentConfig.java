package dev.siitdc.daemon;

import dev.siitdc.core.addr.Ipv4Prefix;
import dev.siitdc.daemon.dhcp.DhcpConfig;
import dev.siitdc.daemon.dhcp.Mac;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A network-based Edge Relay's IPv4 segment (RFC 7756 s3.2): the {@code segment-*} and {@code dhcp-*}
 * keys of {@code [relay]}. The ER is the segment's default IPv4 router at {@link #address()}.
 *
 * <ul>
 *   <li>Appendix A.1: the segment subnet encloses Service Addresses; the embedded DHCPv4 server leases
 *       them (the pool is the Service Addresses inside the subnet).</li>
 *   <li>Appendix A.2: the subnet is private; each Service Address outside it has a {@link #nextHops()
 *       next hop}, its node's private on-link address, and the ER routes the /32 via it.</li>
 *   <li>s3.2.1 "on a stick": the segment interface is the upstream interface.</li>
 *   <li>s3.2.2: {@link #bridge()} names the Linux bridge the ER creates between its upstream and segment
 *       interfaces; IPv6 is bridged, IPv4 stays on the segment side.</li>
 * </ul>
 *
 * @param interfaceName the segment's interface (or, with a bridge, the downstream port)
 * @param address the ER's own IPv4 address on the segment
 * @param prefixLength the segment subnet's length, 1 to 30
 * @param nextHops A.2: Service Address to next hop, insertion-ordered
 * @param bridge s3.2.2: the bridge to create, or null
 * @param dhcp whether the DHCPv4 server runs
 * @param leaseFile where the leases persist, or null for {@link #defaultLeaseFile(String)}
 * @param leaseSeconds the lease time offered
 * @param staticBindings MAC (48 bits in a long) to Service Address
 * @param dnsServers option 6, possibly empty
 */
public record SegmentConfig(String interfaceName, int address, int prefixLength, Map<Integer, Integer> nextHops,
        String bridge, boolean dhcp, Path leaseFile, int leaseSeconds, Map<Long, Integer> staticBindings,
        List<Integer> dnsServers) {
    public static final String LEASE_DIR = "/var/lib/siitdc";
    public static final int DEFAULT_LEASE_SECONDS = 3600;

    public SegmentConfig {
        String why = RelayConfig.interfaceNameProblem(interfaceName);
        if (why != null) {
            throw new IllegalArgumentException("segment-interface: " + why);
        }
        if (prefixLength < 1 || prefixLength > 30) {
            throw new IllegalArgumentException("segment-address: the prefix length must be 1 to 30: " + prefixLength);
        }
        nextHops = Collections.unmodifiableMap(new LinkedHashMap<>(nextHops));
        staticBindings = Collections.unmodifiableMap(new LinkedHashMap<>(staticBindings));
        dnsServers = List.copyOf(dnsServers);
        if (bridge != null && (why = RelayConfig.interfaceNameProblem(bridge)) != null) {
            throw new IllegalArgumentException("segment-bridge: " + why);
        }
        if (leaseSeconds < DhcpConfig.MIN_LEASE_SECONDS) {
            throw new IllegalArgumentException("dhcp-lease-time must be at least " + DhcpConfig.MIN_LEASE_SECONDS);
        }
        for (Map.Entry<Integer, Integer> e : nextHops.entrySet()) {
            if (!inSubnet(e.getValue())) {
                throw new IllegalArgumentException("segment-next-hops: " + Ipv4Prefix.format(e.getValue())
                        + " is not in the segment subnet " + subnet());
            }
        }
    }

    /** The default lease file of the relay on TUN {@code tunName}. */
    public static Path defaultLeaseFile(String tunName) {
        return Path.of(LEASE_DIR, tunName + ".leases");
    }

    /** {@link #leaseFile()}, or the default for {@code tunName}. */
    public Path effectiveLeaseFile(String tunName) {
        return leaseFile != null ? leaseFile : defaultLeaseFile(tunName);
    }

    public int mask() {
        return Ipv4Prefix.maskOf(prefixLength);
    }

    public boolean inSubnet(int a) {
        return new Ipv4Prefix(address, prefixLength).contains(a);
    }

    /** "198.51.100.64/29". */
    public String subnet() {
        return new Ipv4Prefix(address & mask(), prefixLength).toString();
    }

    /** The interface the segment's IPv4 (address, DHCP) lives on: the bridge, or the segment interface. */
    public String layer3Interface() {
        return bridge != null ? bridge : interfaceName;
    }

    /**
     * Why these Service Addresses do not fit this segment (A.1: each inside the subnet, and not the
     * ER's address, the network or the broadcast address; A.2: each outside it with a next hop), or null.
     */
    public String serviceAddressProblem(List<Integer> serviceAddresses) {
        for (int i = 0; i < serviceAddresses.size(); i++) {
            int sa = serviceAddresses.get(i);
            String s = Ipv4Prefix.format(sa);
            boolean inside = inSubnet(sa);
            Integer hop = nextHops.get(sa);
            if (inside && hop != null) {
                return "service-addresses[" + (i + 1) + "]: " + s + " is inside the segment subnet " + subnet()
                        + " (Appendix A.1: on-link) and has a segment-next-hops entry (Appendix A.2); choose one";
            }
            if (!inside && hop == null) {
                return "service-addresses[" + (i + 1) + "]: " + s + " is outside the segment subnet " + subnet()
                        + ": either widen segment-address to enclose it (Appendix A.1) or route it via its node"
                        + " with segment-next-hops = { \"" + s + "\" = \"NODE-ADDRESS\" } (Appendix A.2)";
            }
            if (sa == address) {
                return "service-addresses[" + (i + 1) + "]: " + s + " is the ER's own segment-address";
            }
            if (inside && prefixLength < 31 && (sa == (address & mask()) || sa == (address | ~mask()))) {
                return "service-addresses[" + (i + 1) + "]: " + s + " is the " + (sa == (address & mask())
                        ? "network" : "broadcast") + " address of the segment subnet " + subnet();
            }
        }
        for (Integer key : nextHops.keySet()) {
            if (!serviceAddresses.contains(key)) {
                return "segment-next-hops: " + Ipv4Prefix.format(key) + " is not one of the service-addresses";
            }
        }
        for (Map.Entry<Long, Integer> e : staticBindings.entrySet()) {
            int a = e.getValue();
            if (!serviceAddresses.contains(a) || !inSubnet(a)) {
                return "dhcp-static: " + Mac.format(e.getKey()) + " = " + Ipv4Prefix.format(a)
                        + " is not a Service Address inside the segment subnet " + subnet();
            }
        }
        return null;
    }

    /** The Service Addresses DHCP leases: those inside the subnet, in configuration order. */
    public int[] dhcpPool(List<Integer> serviceAddresses) {
        List<Integer> pool = new ArrayList<>();
        for (int sa : serviceAddresses) {
            if (inSubnet(sa)) {
                pool.add(sa);
            }
        }
        return pool.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The DHCP server's configuration for the relay (option 26 from {@code lowestIpv6Mtu}, RFC 7756 s4.2). */
    public DhcpConfig dhcpConfig(List<Integer> serviceAddresses, int lowestIpv6Mtu) {
        DhcpConfig.Builder b = DhcpConfig.builder(address, prefixLength)
                .pool(dhcpPool(serviceAddresses))
                .interfaceMtu(DhcpConfig.interfaceMtuFor(lowestIpv6Mtu))
                .leaseSeconds(leaseSeconds)
                .dnsServers(dnsServers.stream().mapToInt(Integer::intValue).toArray());
        staticBindings.forEach(b::staticBinding);
        return b.build();
    }
}
