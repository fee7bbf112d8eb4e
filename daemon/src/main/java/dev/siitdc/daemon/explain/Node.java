package dev.siitdc.daemon.explain;

import dev.siitdc.daemon.config.ConfigError;
import dev.siitdc.daemon.config.DaemonConfig;
import dev.siitdc.daemon.config.DaemonConfigLoader;
import dev.siitdc.core.addr.Ipv4Prefix;
import dev.siitdc.core.addr.Ipv6Prefix;
import dev.siitdc.core.addr.Pool6;
import dev.siitdc.core.config.TranslatorConfig;
import dev.siitdc.core.eam.Eam;
import dev.siitdc.core.eam.EamTable;
import dev.siitdc.dataplane.RelayFilter;
import dev.siitdc.dataplane.Role;
import dev.siitdc.dataplane.ServiceAddress;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One translator on the path: a configuration file read as {@code siitdc run} reads it, the label the
 * output calls it by, and the lines of its rules (so that a rule is named as {@code eamt[2] ... (br.toml:9)}).
 */
public final class Node {
    private static final Pattern RELAY_STEM = Pattern.compile("(?i)(er|br)(?:[-_ ]?([a-z0-9]+))?");

    public final String label;
    final String file;
    final TranslatorConfig config;
    /** The [relay] role, or null for a file without [relay] (a plain translator). */
    final Role role;
    final List<ServiceAddress> serviceAddresses;
    final EamTable eamt;
    final Pool6 pool6;
    /** The relay's pre-translation filter (RFC 7756 s6 on an Edge Relay), or null for a plain translator. */
    final RelayFilter filter;
    /** What the node was read from, for {@link #relabel}. */
    private final DaemonConfig source;
    private final RuleLines lines;
    /** Whether the EAMT is a running daemon's ({@link #withLiveEamt}), not the file's. */
    private final boolean live;

    /** The lines of the rules the output names; 0 for one the file does not have (a default). */
    private record RuleLines(int[] eam, int pool6, int hairpin, int lowestMtu) {
        /** Read from {@code text}, which the loader accepted: the TOML parses and the sections have their types. */
        static RuleLines of(String text, TranslatorConfig config) {
            TomlParseResult root = Toml.parse(dev.siitdc.daemon.config.ConfigLoader.withoutBom(text));
            TomlTable translator = root.getTable("translator");
            TomlArray a = root.getArray("eamt");
            int[] eam = new int[config.eamt().size()];
            for (int i = 0; i < eam.length && a != null && i < a.size(); i++) {
                TomlPosition p = a.getTable(i).inputPositionOf(List.of("ipv4"));
                eam[i] = line(p != null ? p : a.inputPositionOf(i));
            }
            return new RuleLines(eam, line(translator, "pool6"), line(translator, "eam-hairpin-mode"),
                    line(translator, "lowest-ipv6-mtu"));
        }

        private static int line(TomlTable t, String key) {
            return t == null ? 0 : line(t.inputPositionOf(List.of(key)));
        }

        private static int line(TomlPosition p) {
            return p == null ? 0 : p.line();
        }
    }

    private Node(String label, DaemonConfig dc, RuleLines lines) {
        this(label, dc, lines, false);
    }

    private Node(String label, DaemonConfig dc, RuleLines lines, boolean live) {
        this.live = live;
        this.label = label;
        this.source = dc;
        this.lines = lines;
        this.file = dc.file();
        this.config = dc.translator();
        this.role = dc.relay() == null ? null : dc.relay().role();
        this.eamt = EamTable.of(config.eamt());
        this.pool6 = config.pool6() == null ? null : new Pool6(config.pool6());
        this.serviceAddresses = dc.relay() == null ? List.of()
                : ServiceAddress.resolveAll(dc.relay().serviceAddresses(), eamt);
        this.filter = dc.relay() == null ? null : RelayFilter.of(dc.relay().role(), dc.relay().networkBased(), serviceAddresses);
        this.networkBased = dc.relay() != null && dc.relay().networkBased();
    }

    /**
     * Loads {@code spec}: {@code FILE}, or {@code LABEL=FILE} to name the translator in the output. Without a
     * label, the file's name without ".toml" is used, with "er-a" written "ER A" and "br" "BR" as RFC 7756
     * names them.
     */
    public static Node load(String spec) throws ConfigError {
        String label = null, path = spec;
        int eq = spec.indexOf('=');
        if (eq > 0 && spec.lastIndexOf('/', eq) < 0 && !Files.exists(Path.of(spec))) {
            label = spec.substring(0, eq).strip();
            path = spec.substring(eq + 1);
        }
        DaemonConfig dc = DaemonConfigLoader.load(Path.of(path));
        String text;
        try {
            text = Files.readString(Path.of(path));
        } catch (IOException e) {   // it was read a moment ago
            throw new ConfigError(path, 1, "file", "cannot read: " + e.getMessage());
        }
        return new Node(label == null || label.isEmpty() ? defaultLabel(path) : label, dc,
                RuleLines.of(text, dc.translator()));
    }

    public static String defaultLabel(String path) {
        String name = Path.of(path).getFileName().toString();
        String stem = name.toLowerCase(Locale.ROOT).endsWith(".toml") ? name.substring(0, name.length() - 5) : name;
        Matcher m = RELAY_STEM.matcher(stem);
        if (m.matches()) {
            String head = m.group(1).toUpperCase(Locale.ROOT);
            String tail = m.group(2);
            if (tail == null) return head;
            return head + " " + (tail.length() <= 2 ? tail.toUpperCase(Locale.ROOT) : tail);
        }
        return stem.isEmpty() ? name : stem;
    }

    /** The same translator under another label. */
    public Node relabel(String newLabel) {
        return new Node(newLabel, source, lines, live);
    }

    /**
     * The control socket of the daemon this file configures ({@code [relay] control-socket}, or the default
     * {@code /run/siitdc/TUN.sock}), or null for a file without {@code [relay]}.
     */
    public Path controlSocket() {
        return source.relay() == null ? null : source.relay().effectiveControlSocket();
    }

    /**
     * This translator with the EAMT a running daemon holds ({@code explain --live}: after {@code eamt add},
     * {@code flush} or {@code apply} the file's is no longer in force); its entries are named as the running
     * daemon's.
     *
     * @throws IllegalArgumentException when the table breaks a rule of the file's other keys
     */
    public Node withLiveEamt(List<Eam> eams) {
        TranslatorConfig.Builder b = config.toBuilder();
        b.eamt = eams;
        TranslatorConfig tc;
        try {
            tc = b.build();
        } catch (dev.siitdc.core.config.ConfigException e) {
            throw new IllegalArgumentException(e.key() + ": " + e.reason(), e);
        }
        DaemonConfig dc = new DaemonConfig(source.file(), tc, source.relay(), source.lines(), source.metrics());
        return new Node(label, dc, new RuleLines(new int[eams.size()], lines.pool6(), lines.hairpin(), lines.lowestMtu()),
                true);
    }

    boolean edge() { return role == Role.EDGE_RELAY; }

    /** A network-based Edge Relay (RFC 7756 s3.2): its Service Addresses are on the segment's nodes. */
    final boolean networkBased;

    boolean border() { return role == Role.BORDER_RELAY; }

    /** "edge-relay", "border-relay" or "translator, no [relay]". */
    String kind() {
        return role == null ? "translator, no [relay] section" : role.configName();
    }

    String where(int line) {
        return line > 0 ? file + ":" + line : file;
    }

    /** "eamt[2] 192.0.2.2/32 <-> 2001:db8:b::/128 (br.toml:9)". */
    String eamRef(Eam e) {
        int i = config.eamt().indexOf(e);
        if (live) return "eamt[" + (i + 1) + "] " + e + " (the running daemon's table, " + controlSocket() + ")";
        return "eamt[" + (i + 1) + "] " + e + " (" + where(i >= 0 ? lines.eam()[i] : 0) + ")";
    }

    /** "pool6 2001:db8:46::/96 (br.toml:2)". */
    String pool6Ref() {
        return "pool6 " + config.pool6() + " (" + where(lines.pool6()) + ")";
    }

    String hairpinRef() {
        return "eam-hairpin-mode = \"" + config.eamHairpinMode().configName() + "\""
                + (lines.hairpin() > 0 ? " (" + where(lines.hairpin()) + ")" : " (the default)");
    }

    String lowestMtuRef() {
        return "lowest-ipv6-mtu " + config.lowestIpv6Mtu()
                + (lines.lowestMtu() > 0 ? " (" + where(lines.lowestMtu()) + ")" : " (the default)");
    }

    ServiceAddress localByV4(int v4) {
        for (ServiceAddress s : serviceAddresses) if (s.ipv4() == v4) return s;
        return null;
    }

    ServiceAddress localByV6(long hi, long lo) {
        for (ServiceAddress s : serviceAddresses) if (s.ipv6().hi() == hi && s.ipv6().lo() == lo) return s;
        return null;
    }

    /** "192.0.2.2 = 2001:db8:b::, ..." */
    String serviceAddressList() {
        StringBuilder b = new StringBuilder();
        for (ServiceAddress s : serviceAddresses) {
            if (!b.isEmpty()) b.append(", ");
            b.append(Ipv4Prefix.format(s.ipv4())).append(" = ").append(Ipv6Prefix.format(s.ipv6().hi(), s.ipv6().lo()));
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return label + " (" + file + ", " + kind() + ")";
    }
}
