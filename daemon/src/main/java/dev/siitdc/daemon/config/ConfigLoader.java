package dev.siitdc.daemon.config;

import dev.siitdc.daemon.IoErrors;
import dev.siitdc.core.addr.Ipv4Prefix;
import dev.siitdc.core.addr.Ipv6Prefix;
import dev.siitdc.core.config.ConfigException;
import dev.siitdc.core.config.HairpinMode;
import dev.siitdc.core.config.TranslatorConfig;
import dev.siitdc.core.eam.Eam;
import dev.siitdc.core.eam.EamTable;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the {@code [translator]} and {@code [[eamt]]} sections of a siitdc TOML file (the fixed contract
 * of docs/config-reference.md) into a {@link TranslatorConfig}. Every problem, from a missing file to a value that
 * {@link TranslatorConfig.Builder#build()} refuses, becomes one {@link ConfigError}
 * ({@code FILE:LINE: KEY: REASON}) for the first problem found: TOML syntax, then the top-level
 * sections, then the {@code [translator]} keys, then the {@code [[eamt]]} entries in order, then the
 * checks of {@code build()}.
 */
public final class ConfigLoader {
    /** The top-level sections ({@link ConfigSchema#SECTIONS}). */
    public static final Set<String> SECTIONS = ConfigSchema.SECTIONS;

    /** The {@code [translator]} keys, in the order of docs/config-reference.md ({@link ConfigSchema#TRANSLATOR_KEYS}). */
    public static final List<String> TRANSLATOR_KEYS = ConfigSchema.TRANSLATOR_KEYS;

    /** The {@code [[eamt]]} keys ({@link ConfigSchema#EAM_KEYS}). */
    public static final List<String> EAM_KEYS = ConfigSchema.EAM_KEYS;

    private final String file;
    private final String text;
    private final TomlParseResult root;
    /** The {@code [translator]} table and the {@code [[eamt]]} array, or null (absent, or not of that type). */
    private final TomlTable translator;
    private final TomlArray eamt;

    private ConfigLoader(String file, String text, TomlParseResult root) {
        this.file = file;
        this.text = text;
        this.root = root;
        translator = root.get(List.of("translator")) instanceof TomlTable t ? t : null;
        eamt = root.get(List.of("eamt")) instanceof TomlArray a ? a : null;
    }

    /** Loads FILE; the file is named in messages as given. */
    public static TranslatorConfig load(Path path) throws ConfigError {
        return parse(readText(path), path.toString());
    }

    /** The text of a configuration file, or the error that names it. */
    public static String readText(Path path) throws ConfigError {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new ConfigError(path.toString(), 1, "file", "cannot read: " + IoErrors.describe(e));
        }
    }

    /** Parses TOML text as if it were the file {@code fileName}, with the rules that do not depend on the node. */
    public static TranslatorConfig parse(String text, String fileName) throws ConfigError {
        return parse(text, fileName, null);
    }

    /**
     * Parses TOML text as if it were the file {@code fileName}: every rule of {@link TranslatorConfig.Builder#build()}
     * and, unless {@code node} is null, the rule that depends on the node ({@link NodeAddresses}). This is the
     * validation of check-config, run, a reload and (through {@link #update}) {@code global update}.
     */
    public static TranslatorConfig parse(String text, String fileName, NodeAddresses node) throws ConfigError {
        text = withoutBom(text);
        TomlParseResult toml = toml(text, fileName);
        ConfigLoader l = new ConfigLoader(fileName, text, toml);
        if (toml.hasErrors()) throw l.syntaxError(toml.errors().getFirst());
        TranslatorConfig tc = l.translatorConfig();
        l.checkNode(tc, node);
        return tc;
    }

    /**
     * The one entry to the TOML parser (tomlj): every text siitdc parses, a file or a {@code global update}
     * value, goes through here, so that no text makes it throw. A leading UTF-8 byte order mark is dropped
     * (it is not on a line of its own, so line numbers stay). Nesting deeper than
     * {@link TomlNesting#MAX_DEPTH} arrays or inline tables is refused before tomlj sees it (tomlj recurses
     * per level and would overflow the stack); a {@link StackOverflowError}, or an exception or error
     * from tomlj that still gets out (its {@code assert}s fire under -ea on a truncated {@code \\u}
     * escape), becomes an error on line 1 too; only the JVM's own errors (out of memory) go on. Syntax errors stay in the result
     * ({@link TomlParseResult#errors()}) for the caller to report with their line.
     */
    public static TomlParseResult toml(String text, String fileName) throws ConfigError {
        text = withoutBom(text);
        int deep = TomlNesting.tooDeepAt(text);
        if (deep > 0)
            throw new ConfigError(fileName, deep, "syntax", "invalid TOML: arrays and inline tables are nested more"
                    + " than " + TomlNesting.MAX_DEPTH + " deep");
        try {
            return Toml.parse(text);
        } catch (StackOverflowError e) {
            throw new ConfigError(fileName, 1, "syntax", "invalid TOML: nested too deeply for the parser");
        } catch (RuntimeException | Error e) {
            // tomlj's own asserts (with -ea: a truncated \\u escape) and bugs; not the JVM's own trouble
            if (e instanceof VirtualMachineError) throw e;
            throw new ConfigError(fileName, 1, "syntax", "invalid TOML: the parser failed (" + e + ")");
        }
    }

    /** {@code text} without a leading UTF-8 byte order mark (U+FEFF), which TOML v1.0.0 does not allow for. */
    public static String withoutBom(String text) {
        return !text.isEmpty() && text.charAt(0) == '\uFEFF' ? text.substring(1) : text;
    }

    /**
     * {@code current} with one {@code [translator]} key set from command-line text ({@code siitdc global
     * update KEY VALUE} on the running daemon), checked exactly as the same key in a file is, with the same
     * reasons. VALUE is written as the file would hold it, without the quotes of a string key
     * ({@code 64:ff9b::/96}, {@code 1400}, {@code true}); the brackets of mtu-plateaus may be left out
     * ({@code 1500,1280}); {@code none} unsets pool6, the rfc6791 prefixes and the own addresses.
     *
     * @throws ConfigError whose {@link ConfigError#key()} and {@link ConfigError#reason()} say what is wrong
     *         (its file is "global update", its line 1)
     */
    public static TranslatorConfig update(TranslatorConfig current, String key, String value) throws ConfigError {
        return update(current, key, value, null);
    }

    /** {@link #update(TranslatorConfig, String, String)}, and the node's rule unless {@code node} is null. */
    public static TranslatorConfig update(TranslatorConfig current, String key, String value, NodeAddresses node)
            throws ConfigError {
        String file = "global update";
        ConfigSchema.Key k = ConfigSchema.translatorKey(key);
        if (k == null)
            throw new ConfigError(file, 1, key, "unknown key in [translator]" + suggestion(key, TRANSLATOR_KEYS)
                    + " (siitdc global display lists them)");
        TranslatorConfig.Builder b = current.toBuilder();
        if (value.equals("none") && k.unsettable()) {
            k.unsetter().accept(b);
        } else {
            String literal = k.type() == ConfigSchema.Type.STRING ? tomlString(value)
                    : k.type() == ConfigSchema.Type.INTEGER_ARRAY && !value.strip().startsWith("[") ? "[" + value + "]"
                    : value;
            String text = "[translator]\n" + key + " = " + literal + "\n";
            try {
                TomlParseResult toml = toml(text, file);
                TomlTable t = toml.hasErrors() ? null : toml.getTable("translator");
                if (t == null || t.size() != 1 || !t.keySet().contains(key)) {
                    // Not one TOML value (yes, 1e3x): take it as a string, so that the reason says what it is.
                    text = "[translator]\n" + key + " = " + tomlString(value) + "\n";
                    toml = toml(text, file);
                }
                new ConfigLoader(file, text, toml).readTranslator(b);
            } catch (ConfigError e) {
                // the value is the whole input: line 1 (the text above put it on line 2)
                throw new ConfigError(file, 1, e.key().equals("syntax") ? key : e.key(), e.reason());
            }
        }
        TranslatorConfig next;
        try {
            next = b.build();
        } catch (ConfigException e) {
            throw new ConfigError(file, 1, eamKey(e), e.reason());
        }
        String why = node == null || next.ownIpv4Address() == null
                || next.ownIpv4Address().equals(current.ownIpv4Address()) ? null
                : node.ownIpv4Problem(next.ownIpv4Address());
        if (why != null) throw new ConfigError(file, 1, "own-ipv4-address", why);
        return next;
    }

    /** The rule of {@link NodeAddresses}, own-ipv4-address not an address of the node. */
    private void checkNode(TranslatorConfig tc, NodeAddresses node) throws ConfigError {
        String why = node == null || tc.ownIpv4Address() == null ? null : node.ownIpv4Problem(tc.ownIpv4Address());
        if (why != null) throw error(translator, "own-ipv4-address", "own-ipv4-address", why);
    }

    /** The key of a {@link TranslatorConfig.Builder#build()} error, an EAM's counted from 1 ("eamt[2].ipv4"). */
    static String eamKey(ConfigException e) {
        String key = e.key();
        if (e.eamIndex() < 0) return key;
        return "eamt[" + (e.eamIndex() + 1) + "]" + (key.contains(".") ? key.substring(key.lastIndexOf('.')) : "");
    }

    private static String tomlString(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') sb.append('\\').append(c);
            else if (c < 0x20 || c == 0x7f) sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            else sb.append(c);
        }
        return sb.append('"').toString();
    }

    private TranslatorConfig translatorConfig() throws ConfigError {
        checkSections();
        TranslatorConfig.Builder b = TranslatorConfig.builder();
        if (translator != null) readTranslator(b);
        b.eamt = readEamt();
        b.eamt = withEamtFile(b.eamt);
        try {
            return b.build();
        } catch (ConfigException e) {
            throw locate(e);
        }
    }

    // ---------------------------------------------------------------- sections

    private void checkSections() throws ConfigError {
        for (String k : root.keySet()) {
            Object v = root.get(List.of(k));
            switch (k) {
                case "translator" -> {
                    if (!(v instanceof TomlTable))
                        throw error(root, k, k, "must be a table: put its keys below a [translator] header");
                }
                case "eamt" -> {
                    if (!(v instanceof TomlArray))
                        throw error(root, k, k, "must be an array of tables: start each entry with [[eamt]] "
                                + "(double brackets)");
                }
                case "relay" -> {
                    if (!(v instanceof TomlTable))
                        throw error(root, k, k, "must be a table: put its keys below a [relay] header");
                }
                case EAMT_FILE -> {
                    if (!(v instanceof String))
                        throw error(root, k, k, "must be a string, the path of a file of \"IPV4 IPV6\" lines, not "
                                + typeName(v));
                }
                default -> {
                    String reason;
                    if (TRANSLATOR_KEYS.contains(k))
                        reason = "belongs in the [translator] section: move it below the [translator] header";
                    else if (ConfigSchema.RELAY_KEYS.contains(k))
                        reason = "belongs in the [relay] section: move it below the [relay] header";
                    else if (v instanceof TomlTable)
                        reason = "unknown section [" + k + "] (this file has " + ConfigSchema.SECTION_LIST + ")"
                                + suggestion(k, SECTIONS);
                    else
                        reason = "unknown key (this file has " + ConfigSchema.SECTION_LIST + " sections)"
                                + suggestion(k, SECTIONS);
                    throw error(root, k, k, reason);
                }
            }
        }
    }

    private void readTranslator(TranslatorConfig.Builder b) throws ConfigError {
        TomlTable t = translator;
        for (String key : t.keySet()) {
            ConfigSchema.Key k = ConfigSchema.translatorKey(key);
            if (k == null)
                throw error(t, key, key, (key.equals("eamt")
                        ? "[[eamt]] entries are a section of their own: start each with an [[eamt]] header"
                        : "unknown key in [translator]" + suggestion(key, TRANSLATOR_KEYS)));
            k.reader().read(new TranslatorValue(t, key), b);
        }
    }

    /** A {@code [translator]} value of the file, read with the reasons of this file. */
    private final class TranslatorValue implements ConfigSchema.Value {
        private final TomlTable table;
        private final String key;

        TranslatorValue(TomlTable table, String key) {
            this.table = table;
            this.key = key;
        }

        @Override
        public boolean bool() throws ConfigError {
            return ConfigLoader.this.bool(table, key);
        }

        @Override
        public int integer() throws ConfigError {
            return ConfigLoader.this.integer(table, key);
        }

        @Override
        public int[] integers() throws ConfigError {
            return ConfigLoader.this.integers(table, key);
        }

        @Override
        public Ipv4Prefix ipv4Prefix() throws ConfigError {
            return ConfigLoader.this.ipv4Prefix(table, key, key);
        }

        @Override
        public Ipv6Prefix ipv6Prefix() throws ConfigError {
            return ConfigLoader.this.ipv6Prefix(table, key, key);
        }

        @Override
        public int ipv4Address() throws ConfigError {
            return parsed(table, key, key, Ipv4Prefix::parseAddress, "not an IPv4 address");
        }

        @Override
        public Ipv6Prefix ipv6Address() throws ConfigError {
            return parsed(table, key, key, Ipv6Prefix::parseAddress, "not an IPv6 address");
        }

        @Override
        public HairpinMode hairpinMode() throws ConfigError {
            String s = string(table, key, key);
            HairpinMode m = HairpinMode.fromConfigName(s);
            if (m == null)
                throw error(table, key, key, "must be \"off\", \"simple\" or \"intrinsic\", not " + quote(s));
            return m;
        }
    }

    /**
     * The top-level key naming a file of EAMs, one {@code IPV4 IPV6} pair a line ({@link EamtLines}), read as a
     * stream: for tables too large for TOML (a million entries). A relative path is relative to the
     * configuration file's directory. Its entries come after the {@code [[eamt]]} entries.
     */
    public static final String EAMT_FILE = "eamt-file";

    /** The eamt-file's entries, or null (no eamt-file). */
    private EamtLines.Entries eamtFile;

    /** {@code eams} ([[eamt]]) and then the entries of eamt-file, if the file has that key. */
    private List<Eam> withEamtFile(List<Eam> eams) throws ConfigError {
        if (!(root.get(List.of(EAMT_FILE)) instanceof String name)) return eams;
        Path p = Path.of(name);
        Path dir = Path.of(file).toAbsolutePath().getParent();
        if (!p.isAbsolute() && dir != null) p = dir.resolve(p);
        if (!Files.isRegularFile(p))
            throw error(root, EAMT_FILE, EAMT_FILE, quote(name) + ": " + (Files.exists(p) ? "not a regular file" : "no such file"));
        EamtLines.Entries lines = EamtLines.read(p, EAMT_FILE);
        if (eams.isEmpty()) {
            eamtFile = lines;
            return lines.eams();
        }
        Map<Ipv4Prefix, Integer> in4 = new HashMap<>();
        Map<Ipv6Prefix, Integer> in6 = new HashMap<>();
        for (int i = 0; i < eams.size(); i++) {
            in4.put(eams.get(i).ipv4(), i);
            in6.put(eams.get(i).ipv6(), i);
        }
        List<Eam> all = new ArrayList<>(eams.size() + lines.eams().size());
        all.addAll(eams);
        for (int i = 0; i < lines.eams().size(); i++) {
            Eam e = lines.eams().get(i);
            Integer same = in4.get(e.ipv4());
            if (same == null) same = in6.get(e.ipv6());
            if (same != null)
                throw new ConfigError(p.toString(), lines.lineOf(i), EAMT_FILE, e + " has the "
                        + (in4.containsKey(e.ipv4()) ? "IPv4 prefix of " : "IPv6 prefix of ") + entry(same) + " of " + file);
            all.add(e);
        }
        eamtFile = lines;
        return all;
    }

    private List<Eam> readEamt() throws ConfigError {
        if (eamt == null) return List.of();
        List<Eam> eams = new ArrayList<>(eamt.size());
        Map<Ipv4Prefix, Integer> seen4 = new HashMap<>();
        Map<Ipv6Prefix, Integer> seen6 = new HashMap<>();
        for (int i = 0; i < eamt.size(); i++) {
            String name = "eamt[" + (i + 1) + "]";
            if (!(eamt.get(i) instanceof TomlTable e))
                throw new ConfigError(file, elementLine(text, eamt, i), name,
                        "must be a table with ipv4 and ipv6, not " + typeName(eamt.get(i)));
            for (String k : e.keySet())
                if (!EAM_KEYS.contains(k))
                    throw error(e, k, name + "." + k, "unknown key in [[eamt]] (an entry has ipv4 and ipv6)"
                            + suggestion(k, EAM_KEYS));
            for (String k : EAM_KEYS)
                if (!e.contains(List.of(k)))
                    throw new ConfigError(file, elementLine(text, eamt, i), name + "." + k,
                            "missing: every [[eamt]] entry needs both ipv4 and ipv6");
            Ipv4Prefix v4 = ipv4Prefix(e, "ipv4", name + ".ipv4");
            Ipv6Prefix v6 = ipv6Prefix(e, "ipv6", name + ".ipv6");
            if (!v4.isNetworkAddress())
                throw error(e, "ipv4", name + ".ipv4", "host bits are set after /" + v4.length());
            if (!v6.isNetworkAddress())
                throw error(e, "ipv6", name + ".ipv6", "host bits are set after /" + v6.length());
            Eam eam;
            try {
                eam = new Eam(v4, v6);
            } catch (IllegalArgumentException ex) {
                throw error(e, "ipv6", name + ".ipv6", reasonOf(ex, "cannot pair with ipv4 " + v4));
            }
            Integer same4 = seen4.putIfAbsent(v4, i), same6 = seen6.putIfAbsent(v6, i);
            if (same4 != null)
                throw error(e, "ipv4", name + ".ipv4", "the same IPv4 prefix as " + entry(same4));
            if (same6 != null)
                throw error(e, "ipv6", name + ".ipv6", "the same IPv6 prefix as " + entry(same6));
            eams.add(eam);
        }
        try {
            EamTable.of(eams);
        } catch (IllegalArgumentException ex) {
            throw error(root, "eamt", "eamt", reasonOf(ex, "the EAM table cannot be built"));
        }
        return eams;
    }

    private String entry(int index) {
        return "eamt[" + (index + 1) + "] (line " + elementLine(text, eamt, index) + ")";
    }

    /** Turns an error of {@link TranslatorConfig.Builder#build()} into FILE:LINE: KEY: REASON. */
    private ConfigError locate(ConfigException e) {
        String key = e.key();
        int inToml = eamt == null ? 0 : eamt.size();
        if (eamtFile != null && e.eamIndex() >= inToml && e.eamIndex() - inToml < eamtFile.eams().size()) {
            int i = e.eamIndex() - inToml;
            Path p = Path.of(root.getString(EAMT_FILE));
            Path dir = Path.of(file).toAbsolutePath().getParent();
            if (!p.isAbsolute() && dir != null) p = dir.resolve(p);
            return new ConfigError(p.toString(), eamtFile.lineOf(i), EAMT_FILE, eamtFile.eams().get(i) + ": " + e.reason());
        }
        if (e.eamIndex() >= 0 && eamt != null && e.eamIndex() < eamt.size()) {
            int i = e.eamIndex();
            String sub = key.contains(".") ? key.substring(key.lastIndexOf('.') + 1) : null;
            String name = "eamt[" + (i + 1) + "]" + (sub == null ? "" : "." + sub);
            TomlPosition p = null;
            if (sub != null && eamt.get(i) instanceof TomlTable t) p = t.inputPositionOf(List.of(sub));
            return new ConfigError(file, p != null ? line(p) : elementLine(text, eamt, i), name, e.reason());
        }
        TomlPosition p = null;
        if (translator != null && !key.contains("[")) p = translator.inputPositionOf(List.of(key));
        if (p == null && key.startsWith("eamt")) p = root.inputPositionOf(List.of("eamt"));
        if (p == null) p = root.inputPositionOf(List.of("translator"));
        return new ConfigError(file, line(p), key, e.reason());
    }

    // ---------------------------------------------------------------- values

    private String string(TomlTable t, String key, String errKey) throws ConfigError {
        Object v = t.get(List.of(key));
        if (v instanceof String s) return s;
        throw error(t, key, errKey, "must be a string, not " + typeName(v));
    }

    private boolean bool(TomlTable t, String key) throws ConfigError {
        Object v = t.get(List.of(key));
        if (v instanceof Boolean b) return b;
        throw error(t, key, key, "must be true or false, not " + typeName(v));
    }

    private int integer(TomlTable t, String key) throws ConfigError {
        Object v = t.get(List.of(key));
        if (!(v instanceof Long l)) throw error(t, key, key, "must be an integer, not " + typeName(v));
        if (l != l.intValue()) throw error(t, key, key, l + " is out of range");
        return l.intValue();
    }

    private int[] integers(TomlTable t, String key) throws ConfigError {
        Object v = t.get(List.of(key));
        if (!(v instanceof TomlArray a))
            throw error(t, key, key, "must be an array of integers, not " + typeName(v));
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            Object el = a.get(i);
            int line = elementLine(text, a, i);
            if (!(el instanceof Long l))
                throw new ConfigError(file, line, key, "value " + (i + 1) + " must be an integer, not " + typeName(el));
            if (l != l.intValue())
                throw new ConfigError(file, line, key, "value " + (i + 1) + ", " + l + ", is out of range");
            out[i] = l.intValue();
        }
        return out;
    }

    private Ipv4Prefix ipv4Prefix(TomlTable t, String key, String errKey) throws ConfigError {
        return parsed(t, key, errKey, Ipv4Prefix::parse, "not an IPv4 prefix");
    }

    private Ipv6Prefix ipv6Prefix(TomlTable t, String key, String errKey) throws ConfigError {
        return parsed(t, key, errKey, Ipv6Prefix::parse, "not an IPv6 prefix");
    }

    /** The string at {@code key} parsed by {@code parser}; its refusal (or {@code fallback}) is the reason. */
    private <T> T parsed(TomlTable t, String key, String errKey, Function<String, T> parser, String fallback)
            throws ConfigError {
        String s = string(t, key, errKey);
        try {
            return parser.apply(s);
        } catch (IllegalArgumentException e) {
            throw error(t, key, errKey, badValue(s, e, fallback));
        }
    }

    // ---------------------------------------------------------------- messages

    private ConfigError error(TomlTable t, String key, String errKey, String reason) {
        return new ConfigError(file, line(t.inputPositionOf(List.of(key))), errKey, reason);
    }

    private static int line(TomlPosition p) {
        return p == null ? 1 : p.line();
    }

    /**
     * Line of element {@code i} of an array. tomlj places an inline array's element where the previous
     * token ended (after the '[' or the ','), so skip blanks, newlines and comments from there.
     * Shared with {@link DaemonConfigLoader}; {@code text} is the file's text.
     */
    static int elementLine(String text, TomlArray a, int i) {
        TomlPosition p = a.inputPositionOf(i);
        if (p == null) return 1;
        int line = p.line(), at = lineStart(text, line);
        if (at < 0) return line;
        at += Math.max(0, p.column() - 1);
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c == '#') {
                while (at < text.length() && text.charAt(at) != '\n') at++;
            } else if (c == '\n') {
                line++;
                at++;
            } else if (c == ' ' || c == '\t' || c == '\r' || c == ',') {
                at++;
            } else {
                break;
            }
        }
        return line;
    }

    /** Offset of the first character of line {@code line} (1-based), or -1. */
    private static int lineStart(String text, int line) {
        int at = 0;
        for (int l = 1; l < line; l++) {
            at = text.indexOf('\n', at);
            if (at < 0) return -1;
            at++;
        }
        return at;
    }

    private static final Pattern KEY_LINE = Pattern.compile(
            "^\\s*(?:\\[\\[?\\s*([^\\]\\s]+)\\s*\\]|([A-Za-z0-9_.\"'-]+(?:\\s*\\.\\s*[A-Za-z0-9_\"'-]+)*)\\s*=)");

    /** A TOML syntax error, keyed by the key or table header on its line when there is one. */
    private ConfigError syntaxError(TomlParseError e) {
        int line = e.position() == null ? 1 : e.position().line();
        String key = "syntax";
        String[] lines = text.split("\r?\n", -1);
        if (line >= 1 && line <= lines.length) {
            Matcher m = KEY_LINE.matcher(lines[line - 1]);
            if (m.find()) key = m.group(1) != null ? m.group(1) : m.group(2).replace(" ", "");
        }
        String msg = e.getMessage() == null ? "cannot parse" : e.getMessage();
        if (msg.length() > 1 && Character.isUpperCase(msg.charAt(0)) && Character.isLowerCase(msg.charAt(1)))
            msg = Character.toLowerCase(msg.charAt(0)) + msg.substring(1);
        return new ConfigError(file, line, key, "invalid TOML: " + msg);
    }

    private static String badValue(String value, IllegalArgumentException e, String fallback) {
        String m = reasonOf(e, fallback);
        return m.contains(value) ? m : quote(value) + ": " + m;
    }

    private static String reasonOf(IllegalArgumentException e, String fallback) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? fallback : m;
    }

    private static String quote(String s) {
        String q = s.length() > 60 ? s.substring(0, 60) + "..." : s;
        return "\"" + q.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static String typeName(Object v) {
        return switch (v) {
            case String s -> "a string (" + quote(s) + ")";
            case Long l -> "an integer (" + l + ")";
            case Double d -> "a float (" + d + ")";
            case Boolean b -> "a boolean (" + b + ")";
            case TomlArray a -> "an array";
            case TomlTable t -> "a table";
            case null -> "nothing";
            default -> "a date or time (" + v + ")";
        };
    }

    /** " (did you mean \"x\"?)" for a near miss among {@code known}, else "". */
    static String suggestion(String key, Iterable<String> known) {
        String k = key.toLowerCase(Locale.ROOT).replace('_', '-');
        String best = null;
        int bestD = Integer.MAX_VALUE;
        for (String c : known) {
            int d = c.equals(k) ? 0 : distance(k, c);
            if (d < bestD) { bestD = d; best = c; }
        }
        return best != null && bestD <= Math.max(1, Math.min(3, best.length() / 4))
                ? " (did you mean \"" + best + "\"?)" : "";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1], cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++)
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1),
                        prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            int[] t = prev; prev = cur; cur = t;
        }
        return prev[b.length()];
    }
}
