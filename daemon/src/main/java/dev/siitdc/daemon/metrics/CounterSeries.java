package dev.siitdc.daemon.metrics;

import dev.siitdc.core.xlat.Counter;
import dev.siitdc.dataplane.RelayCounter;
import dev.siitdc.dataplane.TunLinkCounter;
import dev.siitdc.daemon.dhcp.DhcpCounter;
import dev.siitdc.dataplane.log.DropLog;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Prometheus series of each counter, from its operator name (the name of the stats file), so that a
 * counter added to {@link Counter} or {@link RelayCounter} appears without a change here:
 *
 * <table>
 *   <caption>metric families</caption>
 *   <tr><th>counters</th><th>family (exposed with {@code _total})</th><th>labels</th></tr>
 *   <tr><td>received-ipv4, received-ipv6</td><td>siitdc_packets_received</td><td>direction</td></tr>
 *   <tr><td>translated-4to6, translated-6to4</td><td>siitdc_packets_translated</td><td>direction</td></tr>
 *   <tr><td>translated-bytes-4to6, -6to4</td><td>siitdc_bytes_translated</td><td>direction</td></tr>
 *   <tr><td>fragmented-4to6</td><td>siitdc_packets_fragmented</td><td>direction</td></tr>
 *   <tr><td>hairpinned</td><td>siitdc_packets_hairpinned</td><td></td></tr>
 *   <tr><td>icmp4-/icmp6-errors-originated</td><td>siitdc_icmp_errors_originated</td><td>protocol (icmpv4, icmpv6)</td></tr>
 *   <tr><td>every drop-* and er-drop-* counter</td><td>siitdc_drops</td><td>reason (the counter's name), direction</td></tr>
 *   <tr><td>every ignored-* counter</td><td>siitdc_packets_ignored</td><td>reason, direction</td></tr>
 *   <tr><td>tun-tx-dropped, tun-rx-dropped (the kernel's, of the TUN link)</td><td>siitdc_tun_dropped</td><td>direction (tx, rx)</td></tr>
 *   <tr><td>tun-tx-errors, tun-rx-errors</td><td>siitdc_tun_errors</td><td>direction (tx, rx)</td></tr>
 *   <tr><td>any other counter, e.g. tun-packets-read</td><td>siitdc_ + its name with '_' for '-'</td><td></td></tr>
 * </table>
 *
 * direction is where the packet came from: {@code 4to6} (it arrived as IPv4), {@code 6to4} (as IPv6; a
 * hairpinned packet too), or {@code any} (not an IP packet, a TUN write, an internal error).
 */
public final class CounterSeries {
    private CounterSeries() {}

    public static final String DROPS = "siitdc_drops";
    public static final String IGNORED = "siitdc_packets_ignored";
    public static final String DHCP = "siitdc_dhcp";
    public static final String TUN_DROPPED = "siitdc_tun_dropped";
    public static final String TUN_ERRORS = "siitdc_tun_errors";

    /** One counter's series: the family name (without {@code _total}), its help, and the labels. */
    public record Series(String family, String help, Map<String, String> labels) {
        public Series {
            labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        }
    }

    private static final Map<String, String> HELP = Map.ofEntries(
            Map.entry("siitdc_packets_received",
                    "Packets handed to the translator, by direction (4to6: arrived as IPv4, 6to4: arrived as IPv6)"),
            Map.entry("siitdc_packets_translated", "Packets translated, by direction"),
            Map.entry("siitdc_bytes_translated", "Bytes of the packets the translation emitted, by direction"),
            Map.entry("siitdc_packets_fragmented", "IPv4 packets the translator split into IPv6 fragments (RFC 7915 s4)"),
            Map.entry("siitdc_packets_hairpinned",
                    "IPv6 packets translated to IPv4 and back to IPv6 (RFC 7757 s4.2 hairpinning)"),
            Map.entry("siitdc_icmp_errors_originated", "ICMP errors the translator originated, by protocol"),
            Map.entry(DROPS, "Packets dropped, by reason (the stats file's counter name) and direction"
                    + " (4to6: arrived as IPv4, 6to4: arrived as IPv6, any)"),
            Map.entry(DHCP, "DHCPv4 server of a network-based Edge Relay: messages received, replies sent and"
                    + " messages dropped, by event (the stats file's counter name without dhcp-)"),
            Map.entry(TUN_DROPPED, "Packets the kernel dropped at the TUN link (its counters, as ip -s link shows):"
                    + " tx before the relay read them (the TUN queue was full), rx written by the relay"),
            Map.entry(TUN_ERRORS, "The kernel's error counters of the TUN link, by direction (tx toward the relay,"
                    + " rx from it)"),
            Map.entry(IGNORED, "Packets the relay leaves untranslated (the kernel's own IPv6 traffic on the TUN),"
                    + " by reason"));

    public static Series of(Counter c) {
        return of(c.operatorName(), c.description());
    }

    public static Series of(RelayCounter c) {
        return of(c.operatorName(), c.description());
    }

    /**
     * A counter of the TUN link as the kernel keeps it: {@code siitdc_tun_dropped_total{direction="tx"}}
     * (tun-tx-dropped), {@code direction="rx"} (tun-rx-dropped), and {@code siitdc_tun_errors_total} likewise.
     */
    public static Series of(TunLinkCounter c) {
        boolean dropped = c == TunLinkCounter.TX_DROPPED || c == TunLinkCounter.RX_DROPPED;
        return series(dropped ? TUN_DROPPED : TUN_ERRORS, "direction", c.direction());
    }

    /**
     * A DHCP server counter: {@code siitdc_dhcp_total{event="NAME"}}, NAME being the counter's name without
     * "dhcp-" (discover, offer, drop-bad-cookie...).
     */
    public static Series of(DhcpCounter c) {
        return series(DHCP, "event", c.operatorName().substring("dhcp-".length()));
    }

    /** The series of the counter named {@code name}, described by {@code description}. */
    public static Series of(String name, String description) {
        if (DropLog.isDrop(name)) {
            return series(DROPS, "reason", name, "direction", direction(name));
        }
        if (name.startsWith("ignored-")) {
            return series(IGNORED, "reason", name, "direction", direction(name));
        }
        return switch (name) {
            case "received-ipv4", "received-ipv6" -> series("siitdc_packets_received", "direction", direction(name));
            case "translated-4to6", "translated-6to4" -> series("siitdc_packets_translated", "direction", direction(name));
            case "translated-bytes-4to6", "translated-bytes-6to4" ->
                    series("siitdc_bytes_translated", "direction", direction(name));
            case "fragmented-4to6" -> series("siitdc_packets_fragmented", "direction", direction(name));
            case "hairpinned" -> series("siitdc_packets_hairpinned");
            case "icmp4-errors-originated" -> series("siitdc_icmp_errors_originated", "protocol", "icmpv4");
            case "icmp6-errors-originated" -> series("siitdc_icmp_errors_originated", "protocol", "icmpv6");
            default -> new Series("siitdc_" + name.replace('-', '_'), capitalised(description), Map.of());
        };
    }

    /** Every counter's series, translator counters first, each enum in declaration order. */
    public static List<Series> all() {
        List<Series> out = new ArrayList<>();
        for (Counter c : Counter.values()) {
            out.add(of(c));
        }
        for (RelayCounter c : RelayCounter.values()) {
            out.add(of(c));
        }
        return out;
    }

    /** The direction label of a counter: where its packets came from. */
    static String direction(String name) {
        if (name.contains("4to6")) {
            return "4to6";
        }
        if (name.contains("6to4")) {
            return "6to4";
        }
        if (name.contains("ipv4")) {
            return "4to6";
        }
        if (name.contains("ipv6") || name.contains("hairpin")) {
            return "6to4";
        }
        return "any";
    }

    private static Series series(String family, String... labels) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            m.put(labels[i], labels[i + 1]);
        }
        return new Series(family, HELP.get(family), m);
    }

    private static String capitalised(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
