package dev.siitdc.daemon.config;

import dev.siitdc.core.addr.Ipv4Prefix;
import dev.siitdc.core.addr.SpecialAddresses;
import dev.siitdc.core.config.TranslatorConfig;
import dev.siitdc.core.eam.EamTable;
import dev.siitdc.daemon.RelayConfig;
import dev.siitdc.daemon.RelayFastPath;
import dev.siitdc.dataplane.Role;
import dev.siitdc.daemon.SegmentConfig;
import dev.siitdc.dataplane.ServiceAddress;
import dev.siitdc.daemon.dhcp.DhcpConfig;
import dev.siitdc.daemon.dhcp.Mac;
import dev.siitdc.daemon.metrics.MetricsConfig;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a siitdc file for {@code siitdc run}: {@link ConfigLoader} reads and checks the {@code [translator]}
 * and {@code [[eamt]]} contract (and the TOML itself), then this reads the daemon's {@code [relay]} section:
 *
 * <pre>
 * [relay]
 * role = "border-relay"                   # or "edge-relay" (node-based, RFC 7756 s3.1); required
 * tun-name = "siit0"                      # the TUN to create; default "siit0"
 * queues = 0                              # TUN queues = worker threads; 0 (default) = one per CPU
 * stats-file = "/run/siitdc/siit0.stats"  # optional: counters rewritten every second, removed at a clean stop
 * icmp-errors-per-second = 1000           # ICMP errors the relay originates, all workers together;
 * icmp-errors-burst = 50                  #   -1 = no limit, 0 = none (RFC 7915 s4.4/s5.4, RFC 4443 s2.4)
 * control-socket = "/run/siitdc/siit0.sock" # siitdc eamt/global/stats talk to the daemon here; default
 *                                         #   /run/siitdc/NETNS/TUN-NAME.sock, NETNS the network namespace's
 *                                         #   ip netns name or inode (an absolute path)
 * offload = true                          # carry TSO/GSO super-packets through the translation; default true
 * metrics = true                          # the Prometheus endpoint http://ADDRESS:PORT/metrics; default true
 * metrics-address = "127.0.0.1"           #   an address literal; default 127.0.0.1
 * metrics-port = 9464                     #   default 9464; 0 switches it off, as metrics = false does
 * # edge-relay only:
 * service-addresses = ["198.51.100.10"]   # required: each needs a /32 &lt;-&gt; /128 [[eamt]] entry
 * upstream-interface = "eth0"             # optional: proxy NDP for the IPv6 Service Addresses there
 * # network-based edge-relay (RFC 7756 s3.2) only:
 * segment-interface = "eth1"              # the IPv4 segment; = upstream-interface for "on a stick" (s3.2.1)
 * segment-address = "198.51.100.65/29"    # the ER's address on it (the nodes' router) and the subnet
 * segment-next-hops = { "198.51.100.70" = "10.0.0.70" }  # Appendix A.2: Service Address via its node
 * segment-bridge = "br-siitdc"            # s3.2.2: bridge IPv6 between upstream- and segment-interface
 * dhcp = true                             # DHCPv4 server; default: true when the subnet holds a Service Address
 * dhcp-lease-file = "/var/lib/siitdc/siit0.leases"  # default /var/lib/siitdc/TUN-NAME.leases
 * dhcp-lease-time = 3600                  # seconds, at least 60
 * dhcp-static = { "02:00:5e:00:53:42" = "198.51.100.66" }  # MAC -> Service Address
 * dhcp-dns-servers = ["198.51.100.53"]    # option 6
 * </pre>
 *
 * Problems are {@link ConfigError}s, {@code FILE:LINE: relay.KEY: REASON}; array elements are counted from 1
 * ({@code relay.service-addresses[2]}).
 */
public final class DaemonConfigLoader {
    /** The {@code [relay]} keys ({@link ConfigSchema#RELAY_KEYS}). */
    public static final List<String> RELAY_KEYS = ConfigSchema.RELAY_KEYS;

    private final String file;
    private final String text;
    private final Map<String, Integer> lines = new HashMap<>();

    private DaemonConfigLoader(String file, String text) {
        this.file = file;
        this.text = text;
    }

    /**
     * check-config: checks FILE as the command that reads it would, without changing anything. A file with
     * a {@code [relay]} section is read whole, as {@code siitdc run} reads it; any other as the
     * {@code [translator]}/{@code [[eamt]]} contract ({@code siitdc translate}). The first problem is thrown.
     */
    public static void check(Path path, NodeAddresses node) throws ConfigError {
        String text = ConfigLoader.readText(path);
        if (ConfigLoader.toml(text, path.toString()).isTable("relay")) parse(text, path.toString(), node);
        else ConfigLoader.parse(text, path.toString(), node);
    }

    /** Loads FILE; the file is named in messages as given. */
    public static DaemonConfig load(Path path) throws ConfigError {
        return parse(ConfigLoader.readText(path), path.toString());
    }

    /** Loads FILE with the rule that depends on the node too (see {@link ConfigLoader#parse(String, String, NodeAddresses)}). */
    public static DaemonConfig load(Path path, NodeAddresses node) throws ConfigError {
        return parse(ConfigLoader.readText(path), path.toString(), node);
    }

    /** Parses TOML text as if it were the file {@code fileName}. */
    public static DaemonConfig parse(String text, String fileName) throws ConfigError {
        return parse(text, fileName, null);
    }

    /**
     * Parses TOML text as if it were the file {@code fileName}, with the rule that depends on the node unless
     * {@code node} is null: the one validation of check-config, run and a reload.
     */
    public static DaemonConfig parse(String text, String fileName, NodeAddresses node) throws ConfigError {
        text = ConfigLoader.withoutBom(text);
        TranslatorConfig tc = ConfigLoader.parse(text, fileName, node);
        // ConfigLoader accepted the TOML and checked that a "relay" entry, if any, is a table.
        TomlParseResult root = ConfigLoader.toml(text, fileName);
        TomlTable relay = root.getTable("relay");
        DaemonConfigLoader l = new DaemonConfigLoader(fileName, text);
        if (relay != null) l.lines.put("", line(root.inputPositionOf(List.of("relay"))));
        RelayConfig rc = relay == null ? null : l.read(relay, tc);
        MetricsConfig metrics = relay == null ? MetricsConfig.DEFAULT : l.metrics(relay);
        return new DaemonConfig(fileName, tc, rc, l.lines, metrics);
    }

    private RelayConfig read(TomlTable t, TranslatorConfig tc) throws ConfigError {
        for (String key : t.keySet()) {
            lines.put(key, line(t.inputPositionOf(List.of(key))));
            if (RELAY_KEYS.contains(key)) continue;
            String reason = ConfigSchema.TRANSLATOR_KEYS.contains(key)
                    ? "belongs in the [translator] section: move it below the [translator] header"
                    : "unknown key in [relay]" + ConfigLoader.suggestion(key, RELAY_KEYS);
            throw error(key, reason);
        }

        if (!t.contains(List.of("role")))
            throw error("role", "missing: say role = \"border-relay\" or role = \"edge-relay\"");
        String roleName = string(t, "role");
        Role role = Role.fromConfigName(roleName);
        if (role == null)
            throw error("role", "must be \"border-relay\" or \"edge-relay\", not " + quote(roleName)
                    + ConfigLoader.suggestion(roleName, List.of("border-relay", "edge-relay")));

        String tunName = RelayConfig.DEFAULT_TUN_NAME;
        if (t.contains(List.of("tun-name"))) {
            tunName = string(t, "tun-name");
            String why = RelayConfig.interfaceNameProblem(tunName);
            if (why != null) throw error("tun-name", why);
        }

        int queues = 0;
        if (t.contains(List.of("queues"))) {
            Object v = t.get(List.of("queues"));
            if (!(v instanceof Long n)) throw error("queues", "must be an integer, not " + ConfigLoader.typeName(v));
            if (n < 0 || n > RelayConfig.MAX_QUEUES)
                throw error("queues", "must be between 0 (one per CPU) and " + RelayConfig.MAX_QUEUES + ", not " + n);
            queues = n.intValue();
        }

        Path statsFile = null;
        if (t.contains(List.of("stats-file"))) {
            String s = string(t, "stats-file");
            if (s.isBlank()) throw error("stats-file", "must not be empty (leave the key out for no stats file)");
            try {
                statsFile = Path.of(s);
            } catch (InvalidPathException e) {
                throw error("stats-file", quote(s) + " is not a usable path: " + e.getReason());
            }
        }

        Path controlSocket = null;
        if (t.contains(List.of("control-socket"))) {
            String s = string(t, "control-socket");
            if (s.isBlank())
                throw error("control-socket", "must not be empty (leave the key out for the default, "
                        + RelayConfig.defaultControlSocket(tunName) + ")");
            try {
                controlSocket = Path.of(s);
            } catch (InvalidPathException e) {
                throw error("control-socket", quote(s) + " is not a usable path: " + e.getReason());
            }
            if (!controlSocket.isAbsolute())
                throw error("control-socket", quote(s) + " must be an absolute path");
            if (s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 107)
                throw error("control-socket", quote(s) + " is longer than a Unix domain socket path can be (107 bytes)");
        }

        long icmpRate = RelayConfig.DEFAULT_ICMP_ERRORS_PER_SECOND;
        if (t.contains(List.of("icmp-errors-per-second"))) {
            icmpRate = longValue(t, "icmp-errors-per-second");
            if (icmpRate < -1)
                throw error("icmp-errors-per-second", "must be -1 (no limit), 0 (none) or a number of errors per"
                        + " second, not " + icmpRate);
        }
        long icmpBurst = RelayConfig.DEFAULT_ICMP_ERRORS_BURST;
        if (t.contains(List.of("icmp-errors-burst"))) {
            icmpBurst = longValue(t, "icmp-errors-burst");
            if (icmpBurst < 1) throw error("icmp-errors-burst", "must be at least 1, not " + icmpBurst);
        }

        boolean offload = true;
        if (t.contains(List.of("offload"))) {
            Object v = t.get(List.of("offload"));
            if (!(v instanceof Boolean on)) throw error("offload", "must be true or false, not " + ConfigLoader.typeName(v));
            offload = on;
        }

        RelayFastPath fastPath = fastPath(t, role, tunName);

        boolean hasServiceAddresses = t.contains(List.of("service-addresses"));
        boolean hasUpstream = t.contains(List.of("upstream-interface"));
        if (role == Role.BORDER_RELAY) {
            for (String k : ConfigSchema.SEGMENT_KEYS) {
                if (t.contains(List.of(k)))
                    throw error(k, "only a network-based edge-relay has a segment (role is \"border-relay\")");
            }
            if (hasServiceAddresses)
                throw error("service-addresses", "only an edge-relay has service addresses (role is \"border-relay\")");
            if (hasUpstream)
                throw error("upstream-interface", "only an edge-relay has an upstream interface (role is \"border-relay\")");
            return new RelayConfig(role, tunName, queues, statsFile, List.of(), null, icmpRate, icmpBurst, controlSocket)
                    .withOffload(offload).withFastPath(fastPath);
        }

        if (!hasServiceAddresses)
            throw error("service-addresses", "missing: an edge-relay needs its IPv4 Service Addresses, e.g."
                    + " service-addresses = [\"192.0.2.1\"], each with a /32 <-> /128 [[eamt]] entry");
        List<Integer> sas = serviceAddresses(t, tc);

        String upstream = null;
        if (hasUpstream) {
            upstream = string(t, "upstream-interface");
            String why = RelayConfig.interfaceNameProblem(upstream);
            if (why != null) throw error("upstream-interface", why);
            if (upstream.equals(tunName))
                throw error("upstream-interface", "is the TUN's own name (tun-name); name the interface toward the"
                        + " IPv6 network");
        }
        RelayConfig rc = new RelayConfig(role, tunName, queues, statsFile, sas, upstream, icmpRate, icmpBurst,
                controlSocket).withOffload(offload);
        if (!t.contains(List.of("segment-interface"))) {
            for (String k : ConfigSchema.SEGMENT_KEYS) {
                if (t.contains(List.of(k)))
                    throw error(k, "needs segment-interface: the segment keys make a network-based Edge Relay"
                            + " (RFC 7756 s3.2); without segment-interface the Edge Relay is node-based");
            }
            return rc;
        }
        SegmentConfig seg = segment(t, tunName, upstream, sas);
        RelayConfig withSegment;
        try {
            withSegment = rc.withSegment(seg);
        } catch (IllegalArgumentException e) {
            throw error("segment-interface", e.getMessage());
        }
        // The DHCP server's configuration as run builds it (RelayDaemon.dhcpService), so that run refuses nothing here
        // check-config let through.
        if (seg.dhcp()) {
            try {
                seg.dhcpConfig(sas, tc.lowestIpv6Mtu());
            } catch (IllegalArgumentException e) {
                throw error(t.contains(List.of("dhcp")) ? "dhcp" : "segment-address", e.getMessage());
            }
        }
        return withSegment;
    }

    /** {@code fast-path} and {@code fast-path-interfaces} (the tc eBPF fast path of a Border Relay). */
    private RelayFastPath fastPath(TomlTable t, Role role, String tunName) throws ConfigError {
        RelayFastPath.Mode mode = RelayFastPath.DEFAULT.mode();
        if (t.contains(List.of("fast-path"))) {
            String s = string(t, "fast-path");
            mode = RelayFastPath.Mode.fromConfigName(s);
            if (mode == null)
                throw error("fast-path", "must be \"auto\", \"ebpf\" or \"off\", not " + quote(s)
                        + ConfigLoader.suggestion(s, List.of("auto", "ebpf", "off")));
        }
        List<String> names = new java.util.ArrayList<>();
        if (t.contains(List.of("fast-path-interfaces"))) {
            if (role != Role.BORDER_RELAY)
                throw error("fast-path-interfaces", "only a border-relay has a fast path in this version (role is"
                        + " \"edge-relay\": its packets take the TUN)");
            Object v = t.get(List.of("fast-path-interfaces"));
            if (!(v instanceof TomlArray a))
                throw error("fast-path-interfaces", "must be a list of interface names, not " + ConfigLoader.typeName(v));
            for (int i = 0; i < a.size(); i++) {
                Object o = a.get(i);
                String key = "fast-path-interfaces[" + i + "]";
                if (!(o instanceof String name)) throw error(key, "must be an interface name, not " + ConfigLoader.typeName(o));
                String why = RelayConfig.interfaceNameProblem(name);
                if (why != null) throw error(key, why);
                if (name.equals(tunName)) throw error(key, "is the TUN (tun-name): name the IPv4- and IPv6-facing interfaces");
                if (names.contains(name)) throw error(key, quote(name) + " is listed twice");
                names.add(name);
            }
        }
        if (mode == RelayFastPath.Mode.EBPF && role != Role.BORDER_RELAY)
            throw error("fast-path", "\"ebpf\" is for a border-relay only in this version (an edge-relay takes the TUN)");
        if (mode == RelayFastPath.Mode.EBPF && names.isEmpty())
            throw error("fast-path", "\"ebpf\" needs fast-path-interfaces: the interfaces whose ingress it serves");
        return new RelayFastPath(mode, names);
    }

    /** The network-based Edge Relay's keys (RFC 7756 s3.2, Appendix A). */
    private SegmentConfig segment(TomlTable t, String tunName, String upstream, List<Integer> sas) throws ConfigError {
        String ifname = string(t, "segment-interface");
        String why = RelayConfig.interfaceNameProblem(ifname);
        if (why != null) throw error("segment-interface", why);
        if (ifname.equals(tunName))
            throw error("segment-interface", "is the TUN's own name (tun-name); name the interface of the IPv4 segment");

        if (!t.contains(List.of("segment-address")))
            throw error("segment-address", "missing: the Edge Relay's own address on the segment, with the subnet's"
                    + " length, e.g. segment-address = \"192.0.2.25/29\" (RFC 7756 Appendix A.1)");
        String sa = string(t, "segment-address");
        Ipv4Prefix p;
        try {
            p = Ipv4Prefix.parse(sa);
        } catch (IllegalArgumentException e) {
            throw error("segment-address", quote(sa) + ": " + e.getMessage());
        }
        if (sa.indexOf('/') < 0)
            throw error("segment-address", quote(sa) + " needs the subnet's length, e.g. \"" + sa + "/29\"");
        if (p.length() < 1 || p.length() > 30)
            throw error("segment-address", quote(sa) + ": the subnet must be /1 to /30 (room for the Edge Relay and a node)");
        int mask = p.mask();
        String subnet = new Ipv4Prefix(p.address() & mask, p.length()).toString();
        if (p.address() == (p.address() & mask) || p.address() == (p.address() | ~mask))
            throw error("segment-address", quote(sa) + " is the subnet's " + (p.address() == (p.address() & mask)
                    ? "network" : "broadcast") + " address; give the Edge Relay's own address, e.g. the first one");
        if (SpecialAddresses.isIllegalSource(p.address()))
            throw error("segment-address", quote(sa) + " cannot be a router's address (RFC 1812 s5.3.7)");

        Map<Integer, Integer> nextHops = new java.util.LinkedHashMap<>();
        if (t.contains(List.of("segment-next-hops"))) {
            TomlTable hops = table(t, "segment-next-hops", "{ \"198.51.100.70\" = \"10.0.0.70\" }");
            for (String k : hops.keySet()) {
                String key = "segment-next-hops." + k;
                lines.put(key, line(hops.inputPositionOf(List.of(k))));
                int service = address(key, k, "a Service Address");
                Object v = hops.get(List.of(k));
                if (!(v instanceof String s)) throw error(key, "must be a string holding the node's address, not "
                        + ConfigLoader.typeName(v));
                int hop = address(key, s, "the node's address");
                if (!sas.contains(service))
                    throw error(key, quote(k) + " is not one of the service-addresses");
                if (!p.contains(hop))
                    throw error(key, quote(s) + " is not on the segment " + subnet
                            + ": the next hop is the node's on-link address (Appendix A.2)");
                if (hop == p.address())
                    throw error(key, quote(s) + " is the Edge Relay's own segment-address");
                nextHops.put(service, hop);
            }
        }

        String bridge = null;
        if (t.contains(List.of("segment-bridge"))) {
            bridge = string(t, "segment-bridge");
            why = RelayConfig.interfaceNameProblem(bridge);
            if (why != null) throw error("segment-bridge", why);
            if (upstream == null)
                throw error("segment-bridge", "needs upstream-interface: the bridge joins it and segment-interface"
                        + " (RFC 7756 s3.2.2)");
            if (upstream.equals(ifname))
                throw error("segment-bridge", "upstream-interface and segment-interface are the same interface (\""
                        + ifname + "\", on a stick, s3.2.1): there is nothing to bridge");
            if (bridge.equals(upstream) || bridge.equals(ifname) || bridge.equals(tunName))
                throw error("segment-bridge", "must be a new interface name, not " + quote(bridge)
                        + " (the Edge Relay creates the bridge)");
        }

        int leaseSeconds = SegmentConfig.DEFAULT_LEASE_SECONDS;
        if (t.contains(List.of("dhcp-lease-time"))) {
            long n = longValue(t, "dhcp-lease-time");
            if (n < DhcpConfig.MIN_LEASE_SECONDS || n > 0x7fffffffL / 1000)
                throw error("dhcp-lease-time", "must be " + DhcpConfig.MIN_LEASE_SECONDS + " to " + (0x7fffffffL / 1000)
                        + " seconds, not " + n);
            leaseSeconds = (int) n;
        }
        Path leaseFile = null;
        if (t.contains(List.of("dhcp-lease-file"))) {
            String s = string(t, "dhcp-lease-file");
            if (s.isBlank()) throw error("dhcp-lease-file", "must not be empty (leave the key out for the default, "
                    + SegmentConfig.defaultLeaseFile(tunName) + ")");
            try {
                leaseFile = Path.of(s);
            } catch (InvalidPathException e) {
                throw error("dhcp-lease-file", quote(s) + " is not a usable path: " + e.getReason());
            }
        }
        Map<Long, Integer> statics = new java.util.LinkedHashMap<>();
        if (t.contains(List.of("dhcp-static"))) {
            TomlTable st = table(t, "dhcp-static", "{ \"02:00:5e:00:53:42\" = \"198.51.100.66\" }");
            Map<Integer, String> bound = new HashMap<>();
            for (String k : st.keySet()) {
                String key = "dhcp-static." + k;
                lines.put(key, line(st.inputPositionOf(List.of(k))));
                long mac;
                try {
                    mac = Mac.parse(k);
                } catch (IllegalArgumentException e) {
                    throw error(key, quote(k) + " is not a MAC address like 02:00:5e:00:53:42");
                }
                if (!Mac.isUnicast(mac)) throw error(key, quote(k) + " is not a unicast MAC address");
                Object v = st.get(List.of(k));
                if (!(v instanceof String s)) throw error(key, "must be a string holding a Service Address, not "
                        + ConfigLoader.typeName(v));
                int a = address(key, s, "a Service Address");
                if (!sas.contains(a) || !p.contains(a))
                    throw error(key, quote(s) + " is not one of the service-addresses inside the segment subnet "
                            + subnet);
                String before = bound.putIfAbsent(a, k);
                if (before != null) throw error(key, quote(s) + " is bound to " + before + " already");
                if (statics.containsKey(mac)) throw error(key, quote(k) + " is listed twice");
                statics.put(mac, a);
            }
        }
        List<Integer> dns = new ArrayList<>();
        if (t.contains(List.of("dhcp-dns-servers"))) {
            Object v = t.get(List.of("dhcp-dns-servers"));
            if (!(v instanceof TomlArray a))
                throw error("dhcp-dns-servers", "must be an array of IPv4 addresses, not " + ConfigLoader.typeName(v));
            if (a.size() > DhcpConfig.MAX_DNS_SERVERS)
                throw error("dhcp-dns-servers", "at most " + DhcpConfig.MAX_DNS_SERVERS + " servers, not " + a.size());
            for (int i = 0; i < a.size(); i++) {
                String key = "dhcp-dns-servers[" + (i + 1) + "]";
                lines.put(key, ConfigLoader.elementLine(text, a, i));
                if (!(a.get(i) instanceof String s))
                    throw error(key, "must be a string holding an IPv4 address, not " + ConfigLoader.typeName(a.get(i)));
                dns.add(address(key, s, "a DNS server's address"));
            }
        }
        boolean anyOnLink = sas.stream().anyMatch(p::contains);
        boolean dhcp = anyOnLink;
        if (t.contains(List.of("dhcp"))) {
            Object v = t.get(List.of("dhcp"));
            if (!(v instanceof Boolean on)) throw error("dhcp", "must be true or false, not " + ConfigLoader.typeName(v));
            dhcp = on;
            if (dhcp && !anyOnLink)
                throw error("dhcp", "no Service Address is inside the segment subnet " + subnet
                        + ", so DHCP has nothing to lease (Appendix A.2 precludes DHCP"
                        + " for the Service Addresses)");
        }
        SegmentConfig seg;
        try {
            seg = new SegmentConfig(ifname, p.address(), p.length(), nextHops, bridge, dhcp, leaseFile, leaseSeconds,
                    statics, dns);
        } catch (IllegalArgumentException e) {
            throw error("segment-address", e.getMessage());
        }
        String problem = seg.serviceAddressProblem(sas);
        if (problem != null) {
            int colon = problem.indexOf(": ");
            throw error(problem.substring(0, colon), problem.substring(colon + 2));
        }
        return seg;
    }

    private int address(String key, String s, String what) throws ConfigError {
        Ipv4Prefix p;
        try {
            p = Ipv4Prefix.parse(s);
        } catch (IllegalArgumentException e) {
            throw error(key, quote(s) + " is not " + what + ": " + e.getMessage());
        }
        if (p.length() != 32) throw error(key, quote(s) + " is a prefix; " + what + " is one address");
        return p.address();
    }

    private TomlTable table(TomlTable t, String key, String example) throws ConfigError {
        Object v = t.get(List.of(key));
        if (v instanceof TomlTable x) return x;
        throw error(key, "must be a table, e.g. " + key + " = " + example + ", not " + ConfigLoader.typeName(v));
    }

    /** The metrics keys: {@code metrics}, {@code metrics-address}, {@code metrics-port}. */
    private MetricsConfig metrics(TomlTable t) throws ConfigError {
        boolean enabled = true;
        if (t.contains(List.of("metrics"))) {
            Object v = t.get(List.of("metrics"));
            if (!(v instanceof Boolean on)) throw error("metrics", "must be true or false, not " + ConfigLoader.typeName(v));
            enabled = on;
        }
        String address = MetricsConfig.DEFAULT_ADDRESS;
        if (t.contains(List.of("metrics-address"))) {
            address = string(t, "metrics-address");
            String why = MetricsConfig.addressProblem(address);
            if (why != null) throw error("metrics-address", why);
        }
        int port = MetricsConfig.DEFAULT_PORT;
        if (t.contains(List.of("metrics-port"))) {
            long n = longValue(t, "metrics-port");
            if (n < 0 || n > 65535)
                throw error("metrics-port", "must be a TCP port, 1 to 65535 (0 switches the endpoint off), not " + n);
            port = (int) n;
        }
        return new MetricsConfig(enabled, address, port);
    }

    private List<Integer> serviceAddresses(TomlTable t, TranslatorConfig tc) throws ConfigError {
        Object v = t.get(List.of("service-addresses"));
        if (!(v instanceof TomlArray a))
            throw error("service-addresses", "must be an array of IPv4 addresses, e.g. [\"192.0.2.1\"], not "
                    + ConfigLoader.typeName(v));
        if (a.isEmpty())
            throw error("service-addresses", "must list at least one IPv4 Service Address");
        EamTable eamt = EamTable.of(tc.eamt());
        List<Integer> out = new ArrayList<>(a.size());
        Map<Integer, Integer> seen = new HashMap<>();
        for (int i = 0; i < a.size(); i++) {
            String key = "service-addresses[" + (i + 1) + "]";
            lines.put(key, ConfigLoader.elementLine(text, a, i));
            Object el = a.get(i);
            if (!(el instanceof String s))
                throw error(key, "must be a string holding an IPv4 address, not " + ConfigLoader.typeName(el));
            Ipv4Prefix p;
            try {
                p = Ipv4Prefix.parse(s);
            } catch (IllegalArgumentException e) {
                throw error(key, quote(s) + ": " + (e.getMessage() == null ? "not an IPv4 address" : e.getMessage()));
            }
            if (p.length() != 32)
                throw error(key, quote(s) + " is a prefix; a Service Address is one address");
            int v4 = p.address();
            if (SpecialAddresses.isIllegalSource(v4))
                throw error(key, quote(s) + " cannot be a Service Address (0/8, 127/8, multicast and 240/4 cannot be"
                        + " a source, RFC 1812 s5.3.7)");
            Integer before = seen.putIfAbsent(v4, i);
            if (before != null)
                throw error(key, quote(s) + " is listed twice (also service-addresses[" + (before + 1) + "])");
            try {
                ServiceAddress.resolve(v4, eamt);
            } catch (IllegalArgumentException e) {
                throw error(key, e.getMessage());
            }
            out.add(v4);
        }
        return out;
    }

    // ---------------------------------------------------------------- helpers

    private String string(TomlTable t, String key) throws ConfigError {
        Object v = t.get(List.of(key));
        if (v instanceof String s) return s;
        throw error(key, "must be a string, not " + ConfigLoader.typeName(v));
    }

    private long longValue(TomlTable t, String key) throws ConfigError {
        Object v = t.get(List.of(key));
        if (v instanceof Long n) return n;
        throw error(key, "must be an integer, not " + ConfigLoader.typeName(v));
    }

    private ConfigError error(String key, String reason) {
        Integer l = lines.get(key);
        if (l == null && key.indexOf('[') > 0) l = lines.get(key.substring(0, key.indexOf('[')));
        if (l == null) l = lines.get("");
        return new ConfigError(file, l == null ? 1 : l, "relay." + key, reason);
    }

    private static int line(TomlPosition p) {
        return p == null ? 1 : p.line();
    }

    private static String quote(String s) {
        String q = s.length() > 60 ? s.substring(0, 60) + "..." : s;
        return "\"" + q.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
