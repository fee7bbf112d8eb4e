package dev.siitdc.lab;

import dev.siitdc.lab.Lab.Node;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * What a relay may change in its namespace, as text to compare before and after it ran: links, addresses,
 * routes of every table, rules, proxy neighbour entries and the forwarding / proxy sysctls.
 */
public final class NetState {
    private NetState() {}

    /** One line per item, sorted; volatile fields (counters, lifetimes) left out. */
    public static List<String> snapshot(Lab lab, Node n) {
        TreeSet<String> out = new TreeSet<>();
        add(out, "link", lab.exec(n, 10, "ip", "-o", "link", "show"), true);
        add(out, "addr", lab.exec(n, 10, "ip", "-o", "addr", "show"), true);
        add(out, "route4", lab.exec(n, 10, "ip", "-4", "route", "show", "table", "all"), false);
        add(out, "route6", lab.exec(n, 10, "ip", "-6", "route", "show", "table", "all"), false);
        add(out, "rule4", lab.exec(n, 10, "ip", "-4", "rule", "show"), false);
        add(out, "rule6", lab.exec(n, 10, "ip", "-6", "rule", "show"), false);
        add(out, "proxy", lab.exec(n, 10, "ip", "-6", "neigh", "show", "proxy"), false);
        Shell.Result s = lab.exec(n, 10, "sysctl", "-a", "-r",
                "^net\\.ipv4\\.ip_forward$|^net\\.ipv4\\.conf\\..*\\.(forwarding|proxy_arp|rp_filter|accept_local|route_localnet)$"
                        + "|^net\\.ipv6\\.conf\\..*\\.(forwarding|proxy_ndp|disable_ipv6|accept_ra|accept_dad)$");
        add(out, "sysctl", s, false);
        return List.copyOf(out);
    }

    /**
     * Adds the lines of {@code r} to {@code out}, each prefixed by {@code kind} (or one ERROR line when it failed);
     * {@code ipOneLine}: {@code ip -o} output, whose volatile fields are left out. Also {@link NetworkLab#snapshot}'s.
     */
    static void add(TreeSet<String> out, String kind, Shell.Result r, boolean ipOneLine) {
        if (!r.ok()) {
            out.add(kind + " ERROR " + r.out().strip());
            return;
        }
        for (String line : r.out().lines().toList()) {
            String l = line.strip();
            if (l.isEmpty()) continue;
            if (ipOneLine) {
                l = l.replaceAll("\\\\\\s+", " ")
                        .replaceAll("valid_lft \\S+ preferred_lft \\S+", "")
                        .replaceAll("^\\d+: ", "")          // ifindex: a re-created device gets a new one
                        .replaceAll("link-netns \\S+", "")
                        .replaceAll("link-netnsid \\d+", "")
                        .replaceAll("\\s+", " ").strip();
            }
            out.add(kind + " " + l);
        }
    }

    /** The lines of {@code after} not in {@code before} ("+ ...") and the reverse ("- ..."). */
    public static List<String> diff(List<String> before, List<String> after) {
        List<String> d = new ArrayList<>();
        for (String a : after) if (!before.contains(a)) d.add("+ " + a);
        for (String b : before) if (!after.contains(b)) d.add("- " + b);
        return d;
    }
}
