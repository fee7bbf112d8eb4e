package dev.siitdc.lab;

import dev.siitdc.lab.Lab.Impl;
import dev.siitdc.lab.Lab.Node;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One translator of the lab: the BR, or ER A / ER B (node-based, RFC 7756 s3.1), run either by siitdc
 * ({@code siitdc run --config F}, which configures its namespace itself) or by TAYGA (whose host side the
 * lab configures, as TAYGA's manual asks).
 */
public final class HostRelay extends LabRelay {
    /** TUN device names. */
    public static final String SIITDC_TUN = "siit0", TAYGA_TUN = "tayga0";

    private final Lab lab;
    private final Node node;
    private final Impl impl;
    private final List<String> undoTayga = new ArrayList<>();
    private int starts;

    HostRelay(Lab lab, Node node, Impl impl) {
        if (node != Node.BR && node != Node.ER_A && node != Node.ER_B) throw new IllegalArgumentException(node.toString());
        super(node.label, lab.dir().resolve(node.id + (impl == Impl.SIITDC ? ".toml" : "-tayga.conf")),
                lab.dir().resolve(node.id + ".stats"), lab.dir().resolve(node.id + ".sock"));
        this.lab = lab;
        this.node = node;
        this.impl = impl;
    }

    public Node node() {
        return node;
    }

    public Impl impl() {
        return impl;
    }

    public boolean isBorderRelay() {
        return node == Node.BR;
    }

    public String tun() {
        return impl == Impl.SIITDC ? SIITDC_TUN : TAYGA_TUN;
    }

    /** The IPv4 / IPv6 Service Addresses this ER serves (its local EAMs); empty for the BR. */
    public List<Plan.Eam> localServices() {
        return switch (node) {
            case ER_A -> List.of(Plan.A, Plan.A2);
            case ER_B -> List.of(Plan.B, Plan.B2);
            default -> List.of();
        };
    }

    /** Every EAM of this relay: the BR has all of them; an ER its own plus the additional EAM of RFC 7756 s5.2. */
    public List<Plan.Eam> eams() {
        return switch (node) {
            case ER_A -> List.of(Plan.A, Plan.A2, Plan.B2);
            case ER_B -> List.of(Plan.B, Plan.B2, Plan.A2);
            default -> Plan.BR_EAMS;
        };
    }

    // ------------------------------------------------------------------------------------------------

    @Override
    void launch() {
        prepare(impl == Impl.SIITDC ? siitdcConfig() : taygaConfig());
        starts++;
        String name = (impl == Impl.SIITDC ? "siitdc-" : "tayga-") + node.id;
        if (impl == Impl.SIITDC) {
            started(lab.spawn(node, name, siitdcCommand(lab.options())));
        } else {
            lab.exec(node, 10, "tayga", "-c", config().toString(), "--mktun").check();
            configureTaygaHost();
            started(lab.spawn(node, name, List.of("tayga", "-c", config().toString(), "--nodetach")));
        }
    }

    @Override
    void awaitReady() {
        String what = node.label + " ready (" + impl + ")";
        if (impl == Impl.TAYGA) {
            Shell.sleep(200);
            process().await(() -> true, 1000, what);
            return;
        }
        process().await(this::siitdcConfigured, 30_000, what);
    }

    /** True once siitdc has configured what its role needs in the namespace, and written its stats file. */
    private boolean siitdcConfigured() {
        if (!Files.exists(statsFile())) return false;
        if (node == Node.BR) {
            Shell.Result r = lab.exec(node, 10, "ip", "-6", "route", "show", Plan.POOL6);
            return r.ok() && r.out().contains("dev " + SIITDC_TUN);
        }
        Shell.Result a = lab.exec(node, 10, "ip", "-4", "addr", "show", "dev", SIITDC_TUN);
        Shell.Result p = lab.exec(node, 10, "ip", "-6", "neigh", "show", "proxy");
        if (!a.ok() || !p.ok()) return false;
        for (Plan.Eam e : localServices()) {
            if (!a.out().contains(e.v4() + "/")) return false;
            if (!p.out().contains(e.v6() + " ")) return false;
        }
        return true;
    }

    /** {@inheritDoc} TAYGA: then removes its TUN and undoes what the lab configured for it. */
    @Override
    public int stop() {
        if (process() == null) return 0;
        int status = super.stop();
        if (impl == Impl.TAYGA) {
            lab.exec(node, 10, "tayga", "-c", config().toString(), "--rmtun");
            for (String undo : undoTayga.reversed()) lab.exec(node, 10, undo.split(" "));
            undoTayga.clear();
        }
        return status;
    }

    /** Stops and starts again with the same configuration. */
    public void restart() {
        stop();
        start();
    }

    // ------------------------------------------------------------------------------------------------
    // counters

    /** {@inheritDoc} TAYGA, which writes none: empty. */
    @Override
    public Map<String, Long> freshStats() {
        if (impl != Impl.SIITDC) return Map.of();
        return super.freshStats();
    }

    // ------------------------------------------------------------------------------------------------
    // configurations

    /** The siitdc configuration: the fixed [translator]/[[eamt]] contract plus [relay]. */
    public String siitdcConfig() {
        StringBuilder b = new StringBuilder();
        b.append("# ").append(node.label).append(" of lab ").append(lab.prefix()).append(" (written by dev.siitdc.lab.HostRelay)\n");
        b.append("[translator]\n");
        b.append("pool6 = \"").append(Plan.POOL6).append("\"\n");
        b.append("eam-hairpin-mode = \"intrinsic\"\n");
        if (node == Node.BR) {
            b.append("own-ipv4-address = \"").append(Plan.BR_OWN4).append("\"\n");
            b.append("own-ipv6-address = \"").append(Plan.BR_OWN6).append("\"\n");
            b.append("rfc6791v4-prefix = \"").append(Plan.BR_RFC6791_4).append("\"\n");
            b.append("randomize-rfc6791-addresses = false\n");
        } else {
            b.append("own-ipv4-address = \"").append(Plan.ER_OWN4).append("\"\n");
            b.append("own-ipv6-address = \"").append(node == Node.ER_A ? Plan.ER_A_NODE6 : Plan.ER_B_NODE6).append("\"\n");
        }
        b.append("lowest-ipv6-mtu = ").append(lab.options().lowestIpv6Mtu()).append('\n');
        for (Plan.Eam e : eams()) {
            b.append("\n[[eamt]]\nipv4 = \"").append(e.v4()).append("\"\nipv6 = \"").append(e.v6()).append("\"\n");
        }
        b.append("\n[relay]\n");
        b.append("role = \"").append(node == Node.BR ? "border-relay" : "edge-relay").append("\"\n");
        b.append("tun-name = \"").append(SIITDC_TUN).append("\"\n");
        b.append("queues = ").append(lab.options().queues()).append('\n');
        b.append("stats-file = \"").append(statsFile()).append("\"\n");
        // Every relay of the lab has the TUN siit0: each needs a control socket of its own.
        b.append("control-socket = \"").append(controlSocket()).append("\"\n");
        if (!lab.options().offload()) b.append("offload = false\n");
        if (node != Node.BR) {
            b.append("service-addresses = [")
                    .append(String.join(", ", localServices().stream().map(e -> "\"" + e.v4() + "\"").toList()))
                    .append("]\n");
            b.append("upstream-interface = \"").append(Lab.NODE_IF).append("\"\n");
        }
        return b.toString();
    }

    /** TAYGA 0.9: {@code prefix} = pool6, one {@code map} line per EAM. */
    public String taygaConfig() {
        StringBuilder b = new StringBuilder();
        b.append("# ").append(node.label).append(" of lab ").append(lab.prefix()).append(" (TAYGA)\n");
        b.append("tun-device ").append(TAYGA_TUN).append('\n');
        if (node == Node.BR) {
            b.append("ipv4-addr ").append(Plan.BR_OWN4).append('\n');   // ipv6-addr: pool6 + ipv4-addr = BR_OWN6
        } else {
            b.append("ipv4-addr ").append(Plan.ER_OWN4).append('\n');
            b.append("ipv6-addr ").append(node == Node.ER_A ? Plan.ER_A_NODE6 : Plan.ER_B_NODE6).append('\n');
        }
        b.append("prefix ").append(Plan.POOL6).append('\n');
        for (Plan.Eam e : eams()) b.append("map ").append(e.v4()).append(' ').append(e.v6()).append('\n');
        return b.toString();
    }

    /** What siitdc run does by itself, done for TAYGA with ip and sysctl (each with its undo). */
    private void configureTaygaHost() {
        String t = TAYGA_TUN;
        lab.ip(node, "link", "set", t, "up");
        if (node == Node.BR) {
            for (Plan.Eam e : eams()) lab.ip(node, "route", "add", e.v4() + "/32", "dev", t);
            lab.ip(node, "route", "add", Plan.BR_OWN4 + "/32", "dev", t);
            lab.ip(node, "-6", "route", "add", Plan.POOL6, "dev", t);
            sysctlWithUndo("net.ipv4.ip_forward", "1");
            sysctlWithUndo("net.ipv6.conf.all.forwarding", "1");
        } else {
            for (Plan.Eam e : localServices()) {
                lab.ip(node, "addr", "add", e.v4() + "/32", "dev", t);
                lab.ip(node, "-6", "route", "add", e.v6() + "/128", "dev", t);
                lab.ip(node, "-6", "neigh", "add", "proxy", e.v6(), "dev", Lab.NODE_IF);
                undoTayga.add("ip -6 neigh del proxy " + e.v6() + " dev " + Lab.NODE_IF);
            }
            lab.ip(node, "route", "add", "default", "dev", t, "mtu", Integer.toString(lab.options().lowestIpv6Mtu() - 20));
            sysctlWithUndo("net.ipv6.conf.all.forwarding", "1");
            sysctlWithUndo("net.ipv6.conf." + Lab.NODE_IF + ".proxy_ndp", "1");
        }
    }

    private void sysctlWithUndo(String key, String value) {
        String old = lab.exec(node, 10, "sysctl", "-n", key).check().out().strip();
        lab.sysctl(node, key + "=" + value);
        undoTayga.add("sysctl -qw " + key + "=" + old);
    }

    @Override
    public String toString() {
        return node.label + " (" + impl + ")";
    }
}
