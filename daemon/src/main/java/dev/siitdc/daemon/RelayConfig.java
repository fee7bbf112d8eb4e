package dev.siitdc.daemon;

import dev.siitdc.dataplane.Role;
import dev.siitdc.dataplane.ServiceAddress;

import dev.siitdc.core.xlat.IcmpRateLimiter;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The {@code [relay]} section: what {@code siitdc run} sets up around the translator.
 *
 * @param role border or edge relay
 * @param tunName the TUN interface to create (it must not exist yet)
 * @param queues TUN queues, one worker thread each; 0 means one per available processor
 * @param statsFile where the counters are rewritten every second, or null; removed at a clean stop (after a
 *        failure it keeps the last counters)
 * @param serviceAddresses edge relay: the local IPv4 Service Addresses, each covered by a /32 to /128
 *        EAM that gives its IPv6 Service Address (see {@link ServiceAddress#resolve}); empty for a
 *        border relay
 * @param upstreamInterface edge relay: the interface toward the IPv6 network on which the IPv6 Service
 *        Addresses are answered by proxy NDP, or null (then the network must route them to this node)
 * @param icmpErrorsPerSecond the ICMP errors the relay may originate per second, all workers together
 *        (RFC 7915 s4.4 and s5.4, RFC 4443 s2.4 (f)); -1 for no limit, 0 for none at all
 * @param icmpErrorsBurst how many of them may go at once (token bucket size), at least 1
 * @param controlSocket the Unix domain socket the daemon serves {@code siitdc eamt/global/stats} on, or
 *        null for the default, {@code /run/siitdc/<netns>/<tun-name>.sock} where netns is the network
 *        namespace's {@code ip netns} name or inode ({@link NetnsIdentity}; see {@link #effectiveControlSocket()})
 * @param offload whether the TUN carries TSO/GSO super-packets and partial checksums through the
 *        translation (IFF_VNET_HDR and TUNSETOFFLOAD; the kernel segments after translation); default true
 * @param segment edge relay: the IPv4 segment of a network-based Edge Relay (RFC 7756 s3.2), or null for
 *        a node-based one (s3.1)
 * @param fastPath the kernel fast path ({@code fast-path}, {@code fast-path-interfaces}); a border relay's only
 */
public record RelayConfig(Role role, String tunName, int queues, Path statsFile, List<Integer> serviceAddresses,
        String upstreamInterface, long icmpErrorsPerSecond, long icmpErrorsBurst, Path controlSocket,
        boolean offload, SegmentConfig segment, RelayFastPath fastPath) {
    /** The directory of the default control sockets. */
    public static final String CONTROL_SOCKET_DIR = "/run/siitdc";

    public static final String DEFAULT_TUN_NAME = "siit0";
    public static final int MAX_QUEUES = 256;
    /** Linux's own default for the ICMP messages it sends (net.ipv4.icmp_msgs_per_sec). */
    public static final long DEFAULT_ICMP_ERRORS_PER_SECOND = 1000;
    /** Linux's own default burst (net.ipv4.icmp_msgs_burst). */
    public static final long DEFAULT_ICMP_ERRORS_BURST = 50;

    public RelayConfig {
        Objects.requireNonNull(role, "role");
        if (fastPath == null) fastPath = RelayFastPath.DEFAULT;
        if (role == Role.EDGE_RELAY && !fastPath.interfaces().isEmpty())
            throw new IllegalArgumentException("fast-path-interfaces: the fast path serves a border-relay only");
        String why = interfaceNameProblem(tunName);
        if (why != null) {
            throw new IllegalArgumentException("tun-name: " + why);
        }
        if (queues < 0 || queues > MAX_QUEUES) {
            throw new IllegalArgumentException("queues must be 0.." + MAX_QUEUES + ": " + queues);
        }
        serviceAddresses = List.copyOf(serviceAddresses);
        if (role == Role.EDGE_RELAY && serviceAddresses.isEmpty()) {
            throw new IllegalArgumentException("an edge relay needs at least one service address");
        }
        if (role == Role.BORDER_RELAY && (!serviceAddresses.isEmpty() || upstreamInterface != null)) {
            throw new IllegalArgumentException("service-addresses and upstream-interface are for edge relays");
        }
        if (icmpErrorsPerSecond < -1) {
            throw new IllegalArgumentException("icmp-errors-per-second must be -1 (no limit) or more: " + icmpErrorsPerSecond);
        }
        if (icmpErrorsBurst < 1) {
            throw new IllegalArgumentException("icmp-errors-burst must be at least 1: " + icmpErrorsBurst);
        }
        if (upstreamInterface != null) {
            why = interfaceNameProblem(upstreamInterface);
            if (why != null) {
                throw new IllegalArgumentException("upstream-interface: " + why);
            }
        }
        if (segment != null) {
            if (role != Role.EDGE_RELAY) {
                throw new IllegalArgumentException("a segment is for a network-based edge relay");
            }
            why = segment.serviceAddressProblem(serviceAddresses);
            if (why != null) {
                throw new IllegalArgumentException(why);
            }
            if (segment.interfaceName().equals(tunName) || tunName.equals(segment.bridge())) {
                throw new IllegalArgumentException("the segment interfaces must not be the TUN " + tunName);
            }
            if (segment.bridge() != null && (upstreamInterface == null
                    || upstreamInterface.equals(segment.interfaceName()) || segment.bridge().equals(upstreamInterface)
                    || segment.bridge().equals(segment.interfaceName()))) {
                throw new IllegalArgumentException("segment-bridge joins upstream-interface and segment-interface,"
                        + " two different interfaces, under a third name");
            }
        }
    }

    /** With the default fast path ({@link RelayFastPath#DEFAULT}: nothing attached). */
    public RelayConfig(Role role, String tunName, int queues, Path statsFile, List<Integer> serviceAddresses,
            String upstreamInterface, long icmpErrorsPerSecond, long icmpErrorsBurst, Path controlSocket,
            boolean offload, SegmentConfig segment) {
        this(role, tunName, queues, statsFile, serviceAddresses, upstreamInterface, icmpErrorsPerSecond,
                icmpErrorsBurst, controlSocket, offload, segment, RelayFastPath.DEFAULT);
    }

    /** This configuration with {@link #fastPath()} set to {@code fp}. */
    public RelayConfig withFastPath(RelayFastPath fp) {
        return new RelayConfig(role, tunName, queues, statsFile, serviceAddresses, upstreamInterface,
                icmpErrorsPerSecond, icmpErrorsBurst, controlSocket, offload, segment, fp);
    }

    /** A node-based configuration (no segment). */
    public RelayConfig(Role role, String tunName, int queues, Path statsFile, List<Integer> serviceAddresses,
            String upstreamInterface, long icmpErrorsPerSecond, long icmpErrorsBurst, Path controlSocket,
            boolean offload) {
        this(role, tunName, queues, statsFile, serviceAddresses, upstreamInterface, icmpErrorsPerSecond,
                icmpErrorsBurst, controlSocket, offload, null);
    }

    /** This configuration with {@link #segment()} set to {@code s}: a network-based Edge Relay. */
    public RelayConfig withSegment(SegmentConfig s) {
        return new RelayConfig(role, tunName, queues, statsFile, serviceAddresses, upstreamInterface,
                icmpErrorsPerSecond, icmpErrorsBurst, controlSocket, offload, s, fastPath);
    }

    /** Whether this is a network-based Edge Relay (RFC 7756 s3.2). */
    public boolean networkBased() {
        return segment != null;
    }

    /** A configuration with offload on (the default). */
    public RelayConfig(Role role, String tunName, int queues, Path statsFile, List<Integer> serviceAddresses,
            String upstreamInterface, long icmpErrorsPerSecond, long icmpErrorsBurst, Path controlSocket) {
        this(role, tunName, queues, statsFile, serviceAddresses, upstreamInterface, icmpErrorsPerSecond,
                icmpErrorsBurst, controlSocket, true);
    }

    /** This configuration with {@link #offload()} set to {@code on}. */
    public RelayConfig withOffload(boolean on) {
        return new RelayConfig(role, tunName, queues, statsFile, serviceAddresses, upstreamInterface,
                icmpErrorsPerSecond, icmpErrorsBurst, controlSocket, on, segment, fastPath);
    }

    /** A configuration with the default control socket. */
    public RelayConfig(Role role, String tunName, int queues, Path statsFile, List<Integer> serviceAddresses,
            String upstreamInterface, long icmpErrorsPerSecond, long icmpErrorsBurst) {
        this(role, tunName, queues, statsFile, serviceAddresses, upstreamInterface, icmpErrorsPerSecond,
                icmpErrorsBurst, null);
    }

    /**
     * The default control socket of the daemon on TUN {@code tunName} in this process's network namespace:
     * {@code /run/siitdc/NETNS/TUN.sock}, NETNS its {@code ip netns} name or inode ({@link NetnsIdentity}).
     */
    public static Path defaultControlSocket(String tunName) {
        return defaultControlSocket(NetnsIdentity.id(), tunName);
    }

    /** {@code /run/siitdc/NETNS/TUN.sock}. */
    public static Path defaultControlSocket(String netns, String tunName) {
        return Path.of(CONTROL_SOCKET_DIR, netns, tunName + ".sock");
    }

    /**
     * Where a command looks for the default control socket of TUN {@code tunName} in its namespace: the first
     * of the namespace's identities whose socket exists (a daemon started before its namespace got, or lost,
     * an {@code ip netns} name used the other), else the preferred one.
     */
    public static Path findDefaultControlSocket(String tunName) {
        for (String id : NetnsIdentity.identities()) {
            Path p = defaultControlSocket(id, tunName);
            if (java.nio.file.Files.exists(p)) return p;
        }
        return defaultControlSocket(tunName);
    }

    /** {@link #controlSocket()}, or the default for {@link #tunName()}. */
    public Path effectiveControlSocket() {
        return controlSocket != null ? controlSocket : defaultControlSocket(tunName);
    }

    /** A border relay's configuration with the defaults for everything else. */
    public static RelayConfig borderRelay(String tunName, int queues) {
        return new RelayConfig(Role.BORDER_RELAY, tunName, queues, null, List.of(), null,
                DEFAULT_ICMP_ERRORS_PER_SECOND, DEFAULT_ICMP_ERRORS_BURST);
    }

    /**
     * One worker's share of the ICMP error budget, out of {@code workers}: rate and burst divided,
     * rounded up (a flow stays on one queue, so its errors draw on one worker's bucket).
     */
    public IcmpRateLimiter icmpRateLimiter(int workers) {
        if (icmpErrorsPerSecond < 0) {
            return IcmpRateLimiter.UNLIMITED;
        }
        if (icmpErrorsPerSecond == 0) {
            return IcmpRateLimiter.NEVER;
        }
        return new IcmpRateLimiter(ceilDiv(icmpErrorsPerSecond, workers), ceilDiv(icmpErrorsBurst, workers));
    }

    private static long ceilDiv(long a, int b) {
        return (a + b - 1) / b;
    }

    /** The number of queues (and workers) to open: {@link #queues()}, or the processor count for 0. */
    public int effectiveQueues() {
        return queues != 0 ? queues : Math.min(MAX_QUEUES, Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    /**
     * Why {@code name} cannot be a Linux interface name (the kernel's dev_valid_name: 1 to 15 bytes,
     * not "." or "..", no '/', ':' or white space), or null if it can. '%' is refused too: the kernel
     * would treat it as a pattern.
     */
    public static String interfaceNameProblem(String name) {
        if (name == null || name.isEmpty()) {
            return "must not be empty";
        }
        if (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 15) {
            return "\"" + name + "\" is longer than 15 bytes (IFNAMSIZ - 1)";
        }
        if (name.equals(".") || name.equals("..")) {
            return "\"" + name + "\" is not a valid interface name";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == ':' || c == '%' || Character.isWhitespace(c) || Character.isISOControl(c)) {
                return "\"" + name + "\" holds " + (Character.isWhitespace(c) || Character.isISOControl(c)
                        ? "white space or a control character" : "'" + c + "'")
                        + " (interface names here cannot hold '/', ':', '%' or white space)";
            }
        }
        return null;
    }
}
