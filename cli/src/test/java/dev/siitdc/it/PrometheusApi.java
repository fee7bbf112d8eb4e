package dev.siitdc.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP API of a real Prometheus that listens on the loopback of the network namespace {@code ns}
 * (https://prometheus.io/docs/prometheus/latest/querying/api/), for {@link PrometheusRulesTest}. The requests are
 * made from inside the namespace by this class's {@link #main} in one child JVM that stays (java.net.http, one
 * URL a line on its stdin, each answer as "STATUS BYTES" and the body on its stdout); {@link #close} ends it. The
 * JSON answers are read by the small parser here (objects as maps, arrays as lists, numbers as doubles).
 */
final class PrometheusApi implements AutoCloseable {
    private final String base;
    private final Process child;
    private final InputStream answers;

    /** Starts the child in {@code ns}; {@code base} is e.g. {@code http://127.0.0.1:9090}. */
    PrometheusApi(String ns, String base) throws IOException {
        this.base = base;
        this.child = new ProcessBuilder(Namespaces.javaCommand(ns, PrometheusApi.class.getName()))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        this.answers = child.getInputStream();
    }

    /** Whether {@code path} answers 200 now (e.g. {@code /-/ready}). */
    boolean ok(String path) throws IOException {
        return fetch(path) != null;
    }

    /** The {@code data} of the API answer at {@code path} (e.g. {@code /api/v1/rules}); asserts status success. */
    Object data(String path) throws IOException {
        String body = fetch(path);
        assertThat(body).as("GET %s%s answers 200", base, path).isNotNull();
        Map<?, ?> answer = (Map<?, ?>) parse(body);
        assertThat(answer.get("status")).as("status of %s: %s", path, body).isEqualTo("success");
        return answer.get("data");
    }

    /** The instant vector of {@code expr} now: each element a map with {@code metric} (the labels) and {@code value}. */
    List<Map<?, ?>> query(String expr) throws IOException {
        Map<?, ?> data = (Map<?, ?>) data("/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8));
        List<Map<?, ?>> out = new ArrayList<>();
        if (data.get("result") instanceof List<?> l) {
            for (Object o : l) out.add((Map<?, ?>) o);
        }
        return out;
    }

    /** The body of a 200 answer to GET base+path, or null for any other answer or none (the child waits 10 s). */
    private String fetch(String path) throws IOException {
        OutputStream urls = child.getOutputStream();
        urls.write((base + path + "\n").getBytes(StandardCharsets.UTF_8));
        urls.flush();
        StringBuilder header = new StringBuilder();
        for (int c; (c = answers.read()) != '\n'; ) {
            if (c < 0) throw new IOException("the request child ended (exit " + exitOf(child) + ")");
            header.append((char) c);
        }
        String[] statusAndLength = header.toString().split(" ");
        byte[] body = answers.readNBytes(Integer.parseInt(statusAndLength[1]));
        return statusAndLength[0].equals("200") ? new String(body, StandardCharsets.UTF_8) : null;
    }

    private static String exitOf(Process p) {
        return p.isAlive() ? "none yet" : Integer.toString(p.exitValue());
    }

    @Override
    public void close() throws InterruptedException {
        child.destroyForcibly();
        child.waitFor(10, TimeUnit.SECONDS);
    }

    /** The child: GETs each URL read from stdin, answers "STATUS BYTES\n" and the body (status 0: no answer). */
    public static void main(String[] args) throws IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        OutputStream out = System.out;
        for (String url; (url = in.readLine()) != null; ) {
            int status;
            byte[] body;
            try {
                HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                        .build(), HttpResponse.BodyHandlers.ofByteArray());
                status = r.statusCode();
                body = r.body();
            } catch (IOException | InterruptedException e) {
                status = 0;
                body = new byte[0];
            }
            out.write((status + " " + body.length + "\n").getBytes(StandardCharsets.UTF_8));
            out.write(body);
            out.flush();
        }
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
