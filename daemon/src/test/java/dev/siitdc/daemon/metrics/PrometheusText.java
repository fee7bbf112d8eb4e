package dev.siitdc.daemon.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format (version 0.0.4), for tests: it refuses what the
 * format does not allow rather than skipping it. Checked: every line is a HELP, TYPE or sample line (or
 * another comment); metric and label names match the format's patterns; label values are quoted with only
 * the three escapes ({@code \\ \" \n}); a value parses as a Go float (NaN, +Inf, -Inf included) and a
 * timestamp, if any, as an integer; a family has at most one HELP and one TYPE, its TYPE before its first
 * sample, and its samples are together; a sample's name is its family's or the family's with a suffix its
 * type allows ({@code _total} for counters...); no two samples have the same name and labels; counters are
 * not negative; the text ends with a newline.
 */
public final class PrometheusText {
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    /** One sample line. */
    public record Sample(String name, Map<String, String> labels, double value) {}

    /** One family: its name (as in TYPE), type and help. */
    public record Family(String name, String type, String help) {}

    private final Map<String, Family> families = new LinkedHashMap<>();
    private final List<Sample> samples = new ArrayList<>();

    private PrometheusText() {}

    /** Parses {@code text}; throws {@link IllegalArgumentException} naming the line for anything wrong. */
    public static PrometheusText parse(String text) {
        PrometheusText p = new PrometheusText();
        p.doParse(text);
        return p;
    }

    public Map<String, Family> families() {
        return families;
    }

    public List<Sample> samples() {
        return samples;
    }

    /** The value of the sample {@code name} with exactly these labels (pairs), or throws. */
    public double value(String name, String... labelPairs) {
        Map<String, String> want = new HashMap<>();
        for (int i = 0; i < labelPairs.length; i += 2) want.put(labelPairs[i], labelPairs[i + 1]);
        for (Sample s : samples)
            if (s.name().equals(name) && s.labels().equals(want)) return s.value();
        throw new AssertionError("no sample " + name + want);
    }

    /** The samples named {@code name}. */
    public List<Sample> samples(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    private void doParse(String text) {
        if (text.isEmpty()) throw new IllegalArgumentException("empty exposition");
        if (!text.endsWith("\n")) throw new IllegalArgumentException("the exposition does not end with a newline");
        String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
        Map<String, String> help = new HashMap<>();
        Map<String, String> type = new HashMap<>();
        Set<String> closed = new HashSet<>();      // families whose samples are over
        Set<String> seen = new HashSet<>();        // name + labels
        String current = null;                     // the family of the last sample
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int no = i + 1;
            try {
                if (line.isEmpty()) throw new IllegalArgumentException("empty line");
                if (line.startsWith("#")) {
                    String[] parts = line.split(" ", 4);
                    if (parts.length >= 3 && parts[0].equals("#") && parts[1].equals("HELP")) {
                        String name = name(parts[2]);
                        if (help.containsKey(name)) throw new IllegalArgumentException("second HELP for " + name);
                        if (closed.contains(name) || name.equals(current))
                            throw new IllegalArgumentException("HELP for " + name + " after its samples");
                        help.put(name, parts.length == 4 ? unescapeHelp(parts[3]) : "");
                    } else if (parts.length >= 3 && parts[0].equals("#") && parts[1].equals("TYPE")) {
                        String name = name(parts[2]);
                        if (parts.length != 4 || !TYPES.contains(parts[3]))
                            throw new IllegalArgumentException("bad TYPE line");
                        if (type.containsKey(name)) throw new IllegalArgumentException("second TYPE for " + name);
                        if (closed.contains(name) || name.equals(current))
                            throw new IllegalArgumentException("TYPE for " + name + " after its samples");
                        type.put(name, parts[3]);
                    }
                    continue;   // any other comment
                }
                Sample s = sample(line);
                String family = familyOf(s.name(), type);
                if (!family.equals(current)) {
                    if (closed.contains(family))
                        throw new IllegalArgumentException("samples of " + family + " are not together");
                    if (current != null) closed.add(current);
                    current = family;
                }
                if (!seen.add(s.name() + new java.util.TreeMap<>(s.labels())))
                    throw new IllegalArgumentException("duplicate sample " + s.name() + s.labels());
                if ("counter".equals(type.get(family)) && !(s.value() >= 0))
                    throw new IllegalArgumentException("negative counter " + s.value());
                samples.add(s);
                families.putIfAbsent(family, new Family(family, type.getOrDefault(family, "untyped"),
                        help.get(family)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + no + ": " + e.getMessage() + ": " + line, e);
            }
        }
        for (String f : type.keySet())
            families.putIfAbsent(f, new Family(f, type.get(f), help.get(f)));
    }

    /** The family a sample belongs to: its own name if typed so, else a typed name its suffix allows. */
    private static String familyOf(String name, Map<String, String> type) {
        String t = type.get(name);
        if (t != null) {
            if (t.equals("histogram")) throw new IllegalArgumentException("histogram sample without a suffix");
            return name;
        }
        for (String[] rule : new String[][] {{"_total", "counter"}, {"_created", "counter"}, {"_bucket", "histogram"},
                {"_sum", "histogram"}, {"_count", "histogram"}, {"_sum", "summary"}, {"_count", "summary"},
                {"_created", "histogram"}, {"_created", "summary"}}) {
            if (name.endsWith(rule[0])) {
                String base = name.substring(0, name.length() - rule[0].length());
                if (rule[1].equals(type.get(base))) return base;
            }
        }
        // an untyped sample is allowed by the format; this exporter types everything
        throw new IllegalArgumentException("sample " + name + " has no TYPE");
    }

    private static String name(String s) {
        if (!METRIC_NAME.matcher(s).matches()) throw new IllegalArgumentException("bad metric name \"" + s + "\"");
        return s;
    }

    private static String unescapeHelp(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                b.append(c);
                continue;
            }
            if (++i == s.length()) throw new IllegalArgumentException("HELP ends in a lone backslash");
            char e = s.charAt(i);
            if (e == '\\') b.append('\\');
            else if (e == 'n') b.append('\n');
            else throw new IllegalArgumentException("bad escape \\" + e + " in HELP");
        }
        return b.toString();
    }

    private static Sample sample(String line) {
        int i = 0, n = line.length();
        while (i < n && line.charAt(i) != '{' && line.charAt(i) != ' ') i++;
        String name = name(line.substring(0, i));
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < n && line.charAt(i) == '{') {
            i++;
            while (true) {
                if (i >= n) throw new IllegalArgumentException("unterminated label set");
                if (line.charAt(i) == '}') {
                    i++;
                    break;
                }
                int eq = line.indexOf('=', i);
                if (eq < 0) throw new IllegalArgumentException("label without '='");
                String label = line.substring(i, eq);
                if (!LABEL_NAME.matcher(label).matches() || label.startsWith("__"))
                    throw new IllegalArgumentException("bad label name \"" + label + "\"");
                i = eq + 1;
                if (i >= n || line.charAt(i) != '"') throw new IllegalArgumentException("label value not quoted");
                i++;
                StringBuilder v = new StringBuilder();
                while (true) {
                    if (i >= n) throw new IllegalArgumentException("unterminated label value");
                    char c = line.charAt(i++);
                    if (c == '"') break;
                    if (c == '\\') {
                        if (i >= n) throw new IllegalArgumentException("unterminated escape");
                        char e = line.charAt(i++);
                        if (e == '\\') v.append('\\');
                        else if (e == '"') v.append('"');
                        else if (e == 'n') v.append('\n');
                        else throw new IllegalArgumentException("bad escape \\" + e + " in a label value");
                    } else {
                        v.append(c);
                    }
                }
                if (labels.put(label, v.toString()) != null)
                    throw new IllegalArgumentException("label " + label + " given twice");
                if (i < n && line.charAt(i) == ',') i++;
                else if (i >= n || line.charAt(i) != '}')
                    throw new IllegalArgumentException("expected ',' or '}' after a label");
            }
        }
        if (i >= n || line.charAt(i) != ' ') throw new IllegalArgumentException("no value");
        String[] rest = line.substring(i + 1).split(" ", -1);
        if (rest.length < 1 || rest.length > 2) throw new IllegalArgumentException("expected a value and an optional timestamp");
        double value = value(rest[0]);
        if (rest.length == 2 && !rest[1].matches("-?[0-9]+")) throw new IllegalArgumentException("bad timestamp");
        return new Sample(name, labels, value);
    }

    private static double value(String s) {
        switch (s) {
            case "NaN": return Double.NaN;
            case "+Inf": return Double.POSITIVE_INFINITY;
            case "-Inf": return Double.NEGATIVE_INFINITY;
            default:
                if (!s.matches("[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?"))
                    throw new IllegalArgumentException("bad value \"" + s + "\"");
                return Double.parseDouble(s);
        }
    }
}
