package dev.siitdc.daemon.control;

import dev.siitdc.core.addr.Ipv4Prefix;
import dev.siitdc.core.addr.Ipv6Prefix;
import dev.siitdc.core.config.TranslatorConfig;
import dev.siitdc.core.eam.Eam;
import dev.siitdc.core.xlat.Counter;
import dev.siitdc.core.xlat.Settings;
import dev.siitdc.daemon.LiveConfig;
import dev.siitdc.daemon.config.ConfigSchema;
import dev.siitdc.daemon.LiveConfigException;
import dev.siitdc.daemon.RelayDaemon;
import dev.siitdc.dataplane.RelayCounter;
import dev.siitdc.dataplane.TunLinkCounter;
import dev.siitdc.linux.LinkStats;
import dev.siitdc.daemon.dhcp.DhcpCounter;
import dev.siitdc.daemon.control.ControlProtocol.Reply;
import dev.siitdc.daemon.control.ControlProtocol.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * The requests of {@link ControlProtocol}, carried out on a running {@link RelayDaemon}: EAMT changes through its
 * {@link LiveConfig} (each an atomic swap of the translator's settings), counters read from its workers.
 */
public final class ControlService implements ControlServer.Handler {
    /**
     * Turns {@code global update KEY VALUE} into a new configuration, checking the value exactly as the
     * configuration file's loader does (the daemon's command line supplies it; the relay does not read
     * TOML).
     */
    @FunctionalInterface
    public interface GlobalUpdate {
        /**
         * @throws LiveConfigException REFUSED with "KEY: REASON" for a value the configuration file could
         *         not hold either, or an unknown key
         */
        TranslatorConfig apply(TranslatorConfig current, String key, String value) throws LiveConfigException;
    }

    private final LiveConfig live;
    private final ToLongFunction<Counter> translatorCounter;
    private final ToLongFunction<RelayCounter> relayCounter;
    /** The segment DHCP server's counters, or null (no DHCP server). */
    private final ToLongFunction<DhcpCounter> dhcpCounter;
    private final GlobalUpdate globalUpdate;
    private final String hello;
    /** The "reload" request: the daemon's reload of its configuration file; null when there is none. */
    private Supplier<Reply> reload;
    /** The kernel's counters of the TUN link, read at each stats request; null when they cannot be read. */
    private Supplier<LinkStats> tunLink = () -> null;
    /** The kernel fast path's counters, read at each stats request; empty when it is not in use. */
    private Supplier<java.util.Map<dev.siitdc.dataplane.fastpath.FastPathCounter, Long>> fastPath = java.util.Map::of;

    public ControlService(RelayDaemon relay, GlobalUpdate globalUpdate) {
        this(relay.live(), relay::get, relay::get, relay.dhcpCounters() == null ? null : relay::get, globalUpdate);
        this.tunLink = relay::tunLinkStats;
        this.fastPath = relay.fastPath() == null ? java.util.Map::of : relay::fastPathCounters;
    }

    ControlService(LiveConfig live, ToLongFunction<Counter> translatorCounter, ToLongFunction<RelayCounter> relayCounter,
            GlobalUpdate globalUpdate) {
        this(live, translatorCounter, relayCounter, null, globalUpdate);
    }

    ControlService(LiveConfig live, ToLongFunction<Counter> translatorCounter, ToLongFunction<RelayCounter> relayCounter,
            ToLongFunction<DhcpCounter> dhcpCounter, GlobalUpdate globalUpdate) {
        this.live = live;
        this.translatorCounter = translatorCounter;
        this.relayCounter = relayCounter;
        this.dhcpCounter = dhcpCounter;
        this.globalUpdate = globalUpdate;
        this.hello = "siitdc " + live.role() + " on " + live.tunName();
    }

    @Override
    public Reply handle(String request) {
        String[] w = request.strip().split(" +", 3);
        String cmd = w.length >= 2 ? w[0] + " " + w[1] : w[0];
        String rest = w.length == 3 ? w[2] : "";
        try {
            return switch (cmd) {
                case "hello" -> Reply.ok(hello);
                case "eamt add" -> eamtAdd(words(rest));
                case "eamt remove" -> eamtRemove(words(rest));
                case "eamt display" -> noArguments(rest, this::eamtDisplay);
                case "eamt flush" -> noArguments(rest, () -> changed(live.flushEams(), "flushed"));
                case "global display" -> noArguments(rest, this::globalDisplay);
                case "global update" -> globalUpdate(rest);
                case "stats display" -> statsDisplay(words(rest));
                case "reload" -> noArguments(rest, this::reload);
                default -> Reply.refused("unknown request \"" + request + "\" (hello, eamt add|remove|display|flush,"
                        + " global display|update, stats display, reload)");
            };
        } catch (LiveConfigException e) {
            return e.kind() == LiveConfigException.Kind.REFUSED ? Reply.refused(e.getMessage())
                    : Reply.failed(e.getMessage());
        }
    }

    /** Each connection stages its own {@code eamt apply} table ({@link EamtApplySession}). */
    @Override
    public ControlServer.Handler forConnection() {
        return new EamtApplySession(this, live);
    }

    private interface Action {
        Reply run() throws LiveConfigException;
    }

    private static Reply noArguments(String rest, Action a) throws LiveConfigException {
        return rest.isBlank() ? a.run() : Reply.refused("unexpected arguments: " + rest);
    }

    private static String[] words(String rest) {
        return rest.isBlank() ? new String[0] : rest.strip().split(" +");
    }

    // ---------------------------------------------------------------- eamt

    private Reply eamtAdd(String[] a) throws LiveConfigException {
        if (a.length != 2) {
            return Reply.refused("eamt add needs an IPv4 prefix and an IPv6 prefix, got " + a.length + " argument"
                    + (a.length == 1 ? "" : "s"));
        }
        // Either order, as Jool takes them: the IPv6 one has a ':'.
        String s4 = a[0], s6 = a[1];
        if (s4.indexOf(':') >= 0 && s6.indexOf(':') < 0) {
            s4 = a[1];
            s6 = a[0];
        }
        Ipv4Prefix v4 = ipv4(s4);
        Ipv6Prefix v6 = ipv6(s6);
        Eam e;
        try {
            e = new Eam(v4, v6);
        } catch (IllegalArgumentException ex) {
            throw LiveConfigException.refused("cannot pair " + v4 + " with " + v6 + ": " + ex.getMessage());
        }
        return changed(live.addEam(e), "added " + e);
    }

    private Reply eamtRemove(String[] a) throws LiveConfigException {
        if (a.length < 1 || a.length > 2) {
            return Reply.refused("eamt remove needs the EAM's IPv4 prefix, its IPv6 prefix or both, got " + a.length
                    + " arguments");
        }
        Ipv4Prefix v4 = null;
        Ipv6Prefix v6 = null;
        for (String s : a) {
            if (s.indexOf(':') >= 0) {
                if (v6 != null) {
                    return Reply.refused("two IPv6 prefixes (" + v6 + " and " + s + "): give at most one of each family");
                }
                v6 = ipv6(s);
            } else {
                if (v4 != null) {
                    return Reply.refused("two IPv4 prefixes (" + v4 + " and " + s + "): give at most one of each family");
                }
                v4 = ipv4(s);
            }
        }
        return changed(live.removeEam(v4, v6), "removed");
    }

    private Reply eamtDisplay() {
        List<Eam> eams = live.eams();
        List<String> data = new ArrayList<>(eams.size());
        for (Eam e : eams) {
            data.add(e.ipv4() + " " + e.ipv6());
        }
        return new Reply(Status.OK, eams.size() + (eams.size() == 1 ? " EAM" : " EAMs"), data, List.of());
    }

    /** Parses as the configuration loader does: the address's own reason, host bits refused. */
    static Ipv4Prefix ipv4(String s) throws LiveConfigException {
        Ipv4Prefix p = parsed(s, Ipv4Prefix::parse, "not an IPv4 prefix");
        checkNetworkAddress(s, p.isNetworkAddress(), p.length());
        return p;
    }

    static Ipv6Prefix ipv6(String s) throws LiveConfigException {
        Ipv6Prefix p = parsed(s, Ipv6Prefix::parse, "not an IPv6 prefix");
        checkNetworkAddress(s, p.isNetworkAddress(), p.length());
        return p;
    }

    private static <T> T parsed(String s, Function<String, T> parser, String fallback) throws LiveConfigException {
        try {
            return parser.apply(s);
        } catch (IllegalArgumentException e) {
            throw LiveConfigException.refused(badValue(s, e, fallback));
        }
    }

    private static void checkNetworkAddress(String s, boolean network, int length) throws LiveConfigException {
        if (!network) {
            throw LiveConfigException.refused("\"" + s + "\": host bits are set after /" + length);
        }
    }

    private static String badValue(String value, IllegalArgumentException e, String fallback) {
        String m = e.getMessage() == null || e.getMessage().isBlank() ? fallback : e.getMessage();
        return m.contains(value) ? m : "\"" + value + "\": " + m;
    }

    // ---------------------------------------------------------------- global

    private Reply globalDisplay() {
        TranslatorConfig c = live.config();
        List<String> data = new ArrayList<>();
        for (Map.Entry<String, String> e : ConfigSchema.tomlValues(c).entrySet()) {
            if (e.getValue() != null) {
                data.add(e.getKey() + " = " + e.getValue());
            } else {
                data.add("# " + e.getKey() + " (unset" + unsetNote(e.getKey()) + ")");
            }
        }
        int n = c.eamt().size();
        return new Reply(Status.OK, n + (n == 1 ? " EAM" : " EAMs") + " (siitdc eamt display)", data, List.of());
    }

    private static String unsetNote(String key) {
        return switch (key) {
            case "own-ipv4-address" -> ": ICMPv4 errors come from " + Ipv4Prefix.format(Settings.IPV4_DUMMY_ADDRESS)
                    + ", RFC 7600";
            case "own-ipv6-address" -> ": no ICMPv6 errors";
            default -> "";
        };
    }

    private Reply globalUpdate(String rest) throws LiveConfigException {
        String[] kv = rest.strip().split(" +", 2);
        if (kv.length != 2 || kv[0].isEmpty()) {
            return Reply.refused("global update needs a key and a value");
        }
        String key = kv[0], value = kv[1];
        return changed(live.edit(current -> globalUpdate.apply(current, key, value)), "updated " + key);
    }

    // ---------------------------------------------------------------- reload

    /** This service, answering "reload" with {@code r} (it re-reads the configuration file and says how it went). */
    public ControlService withReload(Supplier<Reply> r) {
        this.reload = r;
        return this;
    }

    private Reply reload() {
        return reload == null ? Reply.refused("this daemon has no configuration file to reload") : reload.get();
    }

    // ---------------------------------------------------------------- stats

    private Reply statsDisplay(String[] a) {
        boolean all = false;
        for (String s : a) {
            if (s.equals("all")) {
                all = true;
            } else {
                return Reply.refused("stats display takes \"all\" or nothing, not \"" + s + "\"");
            }
        }
        List<String> data = new ArrayList<>();
        addLines(data, Counter.values(), Counter::operatorName, translatorCounter, all);
        addLines(data, RelayCounter.values(), RelayCounter::operatorName, relayCounter, all);
        if (dhcpCounter != null) {
            addLines(data, DhcpCounter.values(), DhcpCounter::operatorName, dhcpCounter, all);
        }
        var fp = fastPath.get();
        if (!fp.isEmpty()) {   // the kernel fast path (issue 14), beside the TUN's (slow path) counters
            addLines(data, dev.siitdc.dataplane.fastpath.FastPathCounter.values(), c -> "fast-path-" + c.metricName(),
                    c -> fp.getOrDefault(c, 0L), all);
        }
        LinkStats link = tunLink.get();
        if (link != null) {
            addLines(data, TunLinkCounter.values(), TunLinkCounter::operatorName, c -> c.of(link), all);
        }
        return new Reply(Status.OK, "", data, List.of());
    }

    // ---------------------------------------------------------------- helpers

    /** "NAME VALUE" for each of {@code counters}, the zeros too when {@code all}. */
    private static <C> void addLines(List<String> data, C[] counters, Function<C, String> name,
            ToLongFunction<C> value, boolean all) {
        for (C c : counters) {
            long v = value.applyAsLong(c);
            if (all || v != 0) {
                data.add(name.apply(c) + " " + v);
            }
        }
    }

    private static Reply changed(LiveConfig.Change c, String what) {
        String text = c.keys().isEmpty() && c.eamsAdded() + c.eamsRemoved() <= 1 && !c.none()
                ? what + " (" + c.eamCount() + (c.eamCount() == 1 ? " EAM" : " EAMs") + ")"
                : c.describe();
        return new Reply(Status.OK, text, List.of(), c.warnings());
    }
}
