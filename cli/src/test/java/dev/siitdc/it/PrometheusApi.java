package dev.siitdc.it;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP API of a real Prometheus that listens on the loopback of the network namespace {@code ns}
 * (https://prometheus.io/docs/prometheus/latest/querying/api/), for {@link PrometheusRulesTest}: each request
 * is made from inside the namespace by {@link ScrapeChild} in a child JVM, and its JSON answer read by the small
 * parser here (objects as maps, arrays as lists, numbers as doubles).
 */
final class PrometheusApi {
    private final String ns;
    private final String base;
    private final Path scratch;

    /** @param base e.g. {@code http://127.0.0.1:9090}; @param scratch a file for the answers */
    PrometheusApi(String ns, String base, Path scratch) {
        this.ns = ns;
        this.base = base;
        this.scratch = scratch;
    }

    /** Whether {@code path} answers 200 now (e.g. {@code /-/ready}). */
    boolean ok(String path) throws IOException, InterruptedException {
        return fetch(path) != null;
    }

    /** The {@code data} of the API answer at {@code path} (e.g. {@code /api/v1/rules}); asserts status success. */
    Object data(String path) throws IOException, InterruptedException {
        String body = fetch(path);
        assertThat(body).as("GET %s%s answers 200", base, path).isNotNull();
        Map<?, ?> answer = (Map<?, ?>) parse(body);
        assertThat(answer.get("status")).as("status of %s: %s", path, body).isEqualTo("success");
        return answer.get("data");
    }

    /** The instant vector of {@code expr} now: each element a map with {@code metric} (the labels) and {@code value}. */
    List<Map<?, ?>> query(String expr) throws IOException, InterruptedException {
        Map<?, ?> data = (Map<?, ?>) data("/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8));
        List<Map<?, ?>> out = new ArrayList<>();
        if (data.get("result") instanceof List<?> l) {
            for (Object o : l) out.add((Map<?, ?>) o);
        }
        return out;
    }

    /** The body of a 200 answer to GET base+path, or null for any other answer or none. */
    private String fetch(String path) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(Namespaces.javaCommand(ns, ScrapeChild.class.getName(), base + path))
                .redirectOutput(scratch.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return null;
        }
        return p.exitValue() == 0 ? Files.readString(scratch, StandardCharsets.UTF_8) : null;
    }

    /** Parses one JSON value (RFC 8259); throws IllegalArgumentException on anything else. */
    static Object parse(String json) {
        Reader r = new Reader(json);
        Object v = r.value();
        r.skipSpace();
        if (r.pos != json.length()) throw new IllegalArgumentException("text after the JSON value at " + r.pos);
        return v;
    }

    private static final class Reader {
        final String s;
        int pos;

        Reader(String s) {
            this.s = s;
        }

        void skipSpace() {
            while (pos < s.length() && " \t\r\n".indexOf(s.charAt(pos)) >= 0) pos++;
        }

        char peek() {
            skipSpace();
            if (pos >= s.length()) throw new IllegalArgumentException("JSON ends early");
            return s.charAt(pos);
        }

        void expect(char c) {
            if (peek() != c) throw new IllegalArgumentException("expected '" + c + "' at " + pos + ": " + s);
            pos++;
        }

        Object value() {
            char c = peek();
            switch (c) {
                case '{' -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    pos++;
                    if (peek() == '}') { pos++; return m; }
                    do {
                        String k = string();
                        expect(':');
                        m.put(k, value());
                    } while (comma());
                    expect('}');
                    return m;
                }
                case '[' -> {
                    List<Object> l = new ArrayList<>();
                    pos++;
                    if (peek() == ']') { pos++; return l; }
                    do l.add(value()); while (comma());
                    expect(']');
                    return l;
                }
                case '"' -> { return string(); }
                default -> {
                    for (String word : new String[] {"true", "false", "null"}) {
                        if (s.startsWith(word, pos)) {
                            pos += word.length();
                            return word.equals("null") ? null : Boolean.valueOf(word);
                        }
                    }
                    int start = pos;
                    while (pos < s.length() && "+-0123456789.eE".indexOf(s.charAt(pos)) >= 0) pos++;
                    if (start == pos) throw new IllegalArgumentException("unexpected '" + c + "' at " + pos);
                    return Double.valueOf(s.substring(start, pos));
                }
            }
        }

        boolean comma() {
            if (peek() == ',') { pos++; return true; }
            return false;
        }

        String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (true) {
                if (pos >= s.length()) throw new IllegalArgumentException("unterminated string");
                char c = s.charAt(pos++);
                if (c == '"') return b.toString();
                if (c != '\\') { b.append(c); continue; }
                char e = s.charAt(pos++);
                switch (e) {
                    case 'n' -> b.append('\n');
                    case 't' -> b.append('\t');
                    case 'r' -> b.append('\r');
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'u' -> { b.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16)); pos += 4; }
                    default -> b.append(e);
                }
            }
        }
    }
}
