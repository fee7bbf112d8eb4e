package dev.siitdc.lab;

import dev.siitdc.lab.NetworkPlan.Variant;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A network-based Edge Relay of the {@link NetworkLab} (RFC 7756 s3.2): {@code siitdc run --config F} in
 * the variant's ER namespace, with the {@code segment-*} and {@code dhcp-*} keys of [relay]. Its files
 * (configuration, stats, control socket, lease file) are in the lab's directory, named after the namespace.
 */
public final class SegmentRelay extends LabRelay {
    private final NetworkLab nl;
    private final Variant variant;
    private final String id;
    private final Path leases;

    SegmentRelay(NetworkLab nl, Variant variant) {
        String id = NetworkLab.erId(variant);
        super(variant.label, nl.dir().resolve(id + ".toml"), nl.dir().resolve(id + ".stats"), nl.dir().resolve(id + ".sock"));
        this.nl = nl;
        this.variant = variant;
        this.id = id;
        this.leases = nl.dir().resolve(id + ".leases");
    }

    public Variant variant() {
        return variant;
    }

    /** The ER's namespace id. */
    public String id() {
        return id;
    }

    /** [relay] dhcp-lease-file. */
    public Path leaseFile() {
        return leases;
    }

    /** The interface the segment address goes on: the bridge (s3.2.2), else the segment interface. */
    public String segmentDevice() {
        return switch (variant) {
            case BRIDGE -> NetworkPlan.ER_BRIDGE;
            case STICK -> NetworkPlan.UPSTREAM_IF;
            default -> NetworkPlan.SEGMENT_IF;
        };
    }

    /** The interface proxy NDP answers on: the bridge (s3.2.2), else the upstream interface. */
    public String proxyDevice() {
        return variant == Variant.BRIDGE ? NetworkPlan.ER_BRIDGE : NetworkPlan.UPSTREAM_IF;
    }

    /** The configuration: [translator], the local EAMs and [relay] with the segment keys. */
    public String siitdcConfig() {
        Lab.Options o = nl.lab().options();
        StringBuilder b = new StringBuilder();
        b.append("# ").append(variant.label).append(" of lab ").append(nl.prefix())
                .append(" (written by dev.siitdc.lab.SegmentRelay)\n");
        b.append("[translator]\n");
        b.append("pool6 = \"").append(Plan.POOL6).append("\"\n");
        b.append("own-ipv4-address = \"").append(Plan.ER_OWN4).append("\"\n");
        b.append("own-ipv6-address = \"").append(NetworkPlan.erIpv6(variant)).append("\"\n");
        b.append("lowest-ipv6-mtu = ").append(o.lowestIpv6Mtu()).append('\n');
        for (Plan.Eam e : NetworkPlan.services(variant)) {
            b.append("\n[[eamt]]\nipv4 = \"").append(e.v4()).append("\"\nipv6 = \"").append(e.v6()).append("\"\n");
        }
        b.append("\n[relay]\n");
        b.append("role = \"edge-relay\"\n");
        b.append("tun-name = \"").append(HostRelay.SIITDC_TUN).append("\"\n");
        b.append("queues = ").append(o.queues()).append('\n');
        b.append("stats-file = \"").append(statsFile()).append("\"\n");
        b.append("control-socket = \"").append(controlSocket()).append("\"\n");
        if (!o.offload()) b.append("offload = false\n");
        b.append("service-addresses = [")
                .append(String.join(", ", NetworkPlan.services(variant).stream().map(e -> "\"" + e.v4() + "\"").toList()))
                .append("]\n");
        b.append("upstream-interface = \"").append(NetworkPlan.UPSTREAM_IF).append("\"\n");
        b.append("# network-based Edge Relay (RFC 7756 s3.2)\n");
        b.append("segment-interface = \"").append(variant == Variant.STICK ? NetworkPlan.UPSTREAM_IF : NetworkPlan.SEGMENT_IF)
                .append("\"\n");
        b.append("segment-address = \"").append(NetworkPlan.erSegmentAddress(variant)).append("\"\n");
        Map<String, String> hops = NetworkPlan.nextHops(variant);
        if (!hops.isEmpty()) {
            List<String> kv = new ArrayList<>();
            hops.forEach((k, v) -> kv.add("\"" + k + "\" = \"" + v + "\""));
            b.append("segment-next-hops = { ").append(String.join(", ", kv)).append(" }\n");
        }
        if (variant == Variant.BRIDGE) b.append("segment-bridge = \"").append(NetworkPlan.ER_BRIDGE).append("\"\n");
        if (variant != Variant.A2) {
            b.append("dhcp = true\n");
            b.append("dhcp-lease-file = \"").append(leases).append("\"\n");
            b.append("dhcp-lease-time = 3600\n");
        }
        return b.toString();
    }

    @Override
    void launch() {
        prepare(siitdcConfig());
        started(nl.spawn(id, "siitdc-" + id, siitdcCommand(nl.lab().options())));
    }

    @Override
    void awaitReady() {
        process().await(this::configured, 30_000, variant.label + " ready");
    }

    /** The stats file is there, the segment address on its device and proxy NDP on for every IPv6 Service Address. */
    private boolean configured() {
        if (!Files.exists(statsFile())) return false;
        String seg = NetworkPlan.erSegmentAddress(variant);
        Shell.Result a = nl.exec(id, 10, "ip", "-4", "-o", "addr", "show", "dev", segmentDevice());
        Shell.Result p = nl.exec(id, 10, "ip", "-6", "neigh", "show", "proxy");
        if (!a.ok() || !p.ok() || !a.out().contains(" " + seg + " ")) return false;
        for (Plan.Eam e : NetworkPlan.services(variant)) {
            if (!p.out().contains(e.v6() + " ")) return false;
        }
        return true;
    }

    // ------------------------------------------------------------------------------------------------

    /** A counter of a fresh read of the stats file (0 when absent). */
    public long counter(String name) {
        return freshStats().getOrDefault(name, 0L);
    }

    /** The lease file's content ("" when there is none). */
    public String leaseFileText() {
        try {
            return Files.exists(leases) ? Files.readString(leases) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return variant.label + " (siitdc, namespace " + nl.ns(id) + ")";
    }
}
