package dev.siitdc.it;

import dev.siitdc.core.eam.Eam;
import dev.siitdc.daemon.metrics.EamtHash;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.siitdc.it.Namespaces.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * packaging/prometheus/siitdc-alerts.yml loaded by a real Prometheus (Debian's /usr/bin/prometheus, scrape and
 * evaluation every second, a temporary data directory, its API on 127.0.0.1:9090 of its namespace) that scrapes
 * two running Border Relays, as a monitored deployment would:
 *
 * <pre>
 *  namespace a: relay A (EAM 192.0.2.10), metrics 127.0.0.1:9464; Prometheus; d0 198.51.100.2/24 pings 192.0.2.10 with TTL 1
 *               pa 2001:db8:ff::1/64 ---veth--- pb 2001:db8:ff::2/64  namespace b: relay B (one EAM more), metrics [2001:db8:ff::2]:9464
 * </pre>
 *
 * Asserts that /api/v1/rules lists every rule of the file with health ok, that each rule's expression without
 * its final comparison (for absent(X): X) and each query of siitdc-dashboard.json returns data, and that the alerts that this deployment calls for
 * become active: the EAMT hash differing (B holds one EAM more), drops rising and ICMP errors rate-limited (the
 * TTL-1 pings; A sends at most 1 ICMP error a second). Then the two tables are made the same, in another order
 * (siitdc eamt at run time): one hash, and the EAMT alert goes; B stopped, relay down; last, A stopped (SIGSTOP)
 * a moment with a short TUN queue, the TUN queue dropping. Skipped, loudly, without root
 * or without prometheus (apt-get install prometheus); the namespaces and every process go whatever happens.
 */
class PrometheusRulesTest {
    /** The rules of siitdc-alerts.yml, all of them. */
    private static final Set<String> RULES = Set.of("SiitdcRelayDown", "SiitdcRelayAbsent", "SiitdcDropsRising",
            "SiitdcIcmpErrorsRateLimited", "SiitdcTunQueueDropping", "SiitdcEamtHashDiffers");
    private static final String RELAY_A = "127.0.0.1:9464", RELAY_B = "[2001:db8:ff::2]:9464";
    /** "expr OP number" at the end of a rule's expression: the threshold that turns data into an alert. */
    private static final Pattern THRESHOLD = Pattern.compile("^(.*\\S)\\s*(==|!=|>=|<=|>|<)\\s*[-+0-9.e]+$");
    private static final Pattern ABSENT = Pattern.compile("^absent\\((.*)\\)$");

    @TempDir
    Path dir;

    private final Namespaces namespaces = new Namespaces();
    private final List<Process> processes = new ArrayList<>();
    private final List<PrometheusApi> apis = new ArrayList<>();

    @BeforeAll
    static void requirements() throws IOException {
        Namespaces.require("the Prometheus rules test");
        Namespaces.requireTool("the Prometheus rules test", "prometheus", "prometheus");
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        try {
            for (PrometheusApi api : apis) api.close();
            for (Process p : processes) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        } finally {
            namespaces.close();
        }
    }

    @Test
    void theAlertRulesLoadEvaluateOverRealRelaysAndFire() throws Exception {
        Path rules = rulesFile();
        String tag = Namespaces.tag();
        String a = namespaces.add("siitdc-pma-" + tag), b = namespaces.add("siitdc-pmb-" + tag);
        ok("ip", "-n", a, "link", "add", "d0", "type", "veth", "peer", "name", "d1");
        ok("ip", "-n", a, "addr", "add", "198.51.100.2/24", "dev", "d0");
        ok("ip", "-n", a, "link", "set", "d0", "up");
        ok("ip", "-n", a, "link", "set", "d1", "up");
        ok("ip", "-n", a, "link", "add", "pa", "type", "veth", "peer", "name", "pb", "netns", b);
        ok("ip", "-n", a, "addr", "add", "2001:db8:ff::1/64", "dev", "pa", "nodad");
        ok("ip", "-n", b, "addr", "add", "2001:db8:ff::2/64", "dev", "pb", "nodad");
        ok("ip", "-n", a, "link", "set", "pa", "up");
        ok("ip", "-n", b, "link", "set", "pb", "up");

        Daemon relayA = namespaces.siitdc(a, Files.writeString(dir.resolve("a.toml"), Daemon.BORDER_RELAY_CONFIG.formatted(
                "own-ipv4-address = \"203.0.113.1\"\n", "", "queues = 1\noffload = false\n"
                        + "icmp-errors-per-second = 1\nicmp-errors-burst = 1\n"
                        + "control-socket = \"" + dir.resolve("a.sock") + "\"")), dir.resolve("a"));
        Daemon relayB = namespaces.siitdc(b, Files.writeString(dir.resolve("b.toml"), Daemon.BORDER_RELAY_CONFIG.formatted(
                "own-ipv4-address = \"203.0.113.1\"\n", "[[eamt]]\nipv4 = \"192.0.2.11\"\nipv6 = \"2001:db8:1::11\"\n",
                "queues = 1\noffload = false\nmetrics-address = \"2001:db8:ff::2\"\n"
                        + "control-socket = \"" + dir.resolve("b.sock") + "\"")), dir.resolve("b"));
        relayA.awaitStartUp("siitdc: border-relay on ");
        relayB.awaitStartUp("siitdc: border-relay on ");

        Path config = Files.writeString(dir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                  evaluation_interval: 1s
                rule_files:
                  - "%s"
                scrape_configs:
                  - job_name: siitdc
                    static_configs:
                      - targets: ["%s", "%s"]
                """.formatted(rules, RELAY_A, RELAY_B));
        processes.add(new ProcessBuilder("ip", "netns", "exec", a, "prometheus", "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:9090")
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start());
        // 100 echo requests a second for 2 minutes, with TTL 1: each dropped (drop-4to6-ttl-expired), most of
        // their Time Exceeded errors over A's budget of 1 a second (RFC 4443 s2.4 (f)). So many, since rate()[5m]
        // of a series younger than 5 minutes is about its increase / 300 s. -c, not -w: with a deadline, ping
        // stops at the first error
        processes.add(new ProcessBuilder("ip", "netns", "exec", a, "ping", "-n", "-q", "-i", "0.01", "-t", "1",
                "-c", "12000", "192.0.2.10").redirectErrorStream(true).redirectOutput(dir.resolve("ping.log").toFile())
                .start());

        PrometheusApi api = new PrometheusApi(a, "http://127.0.0.1:9090");
        apis.add(api);
        Daemon.waitFor(() -> api.ok("/-/ready"), 60, "Prometheus ready (its log: " + dir.resolve("prometheus.log") + ")");

        // Every rule of the file loaded and evaluated without error.
        Map<String, String> queries = new HashMap<>();
        Daemon.waitFor(() -> {
            queries.clear();
            boolean allOk = true;
            for (Object g : (List<?>) ((Map<?, ?>) api.data("/api/v1/rules")).get("groups")) {
                for (Object o : (List<?>) ((Map<?, ?>) g).get("rules")) {
                    Map<?, ?> rule = (Map<?, ?>) o;
                    queries.put((String) rule.get("name"), (String) rule.get("query"));
                    allOk &= "ok".equals(rule.get("health"));
                }
            }
            return allOk && queries.keySet().equals(RULES);
        }, 60, "every rule of " + rules + " listed with health ok");

        // Each rule's expression returns data once both relays are scraped (the rates need two scrapes).
        for (Map.Entry<String, String> rule : queries.entrySet()) {
            String inner = inner(rule.getValue());
            Daemon.waitFor(() -> !api.query(inner).isEmpty(), 60,
                    rule.getKey() + ": " + inner + " (of " + rule.getValue() + ") returns data");
        }
        assertThat(instances(api.query("up{job=\"siitdc\"} == 1"))).containsExactlyInAnyOrder(RELAY_A, RELAY_B);

        // Each query of the Grafana dashboard too, its variables given the values "All" and a 5m interval.
        Map<?, ?> dashboard = (Map<?, ?>) PrometheusApi.parse(Files.readString(rules.resolveSibling("siitdc-dashboard.json")));
        int dashboardQueries = 0;
        for (Object panel : (List<?>) dashboard.get("panels")) {
            for (Object target : (List<?>) ((Map<?, ?>) panel).get("targets")) {
                String expr = inner(((String) ((Map<?, ?>) target).get("expr"))
                        .replace("$__rate_interval", "5m").replace("$instance", ".*"));
                Daemon.waitFor(() -> !api.query(expr).isEmpty(), 60,
                        "dashboard panel \"" + ((Map<?, ?>) panel).get("title") + "\": " + expr + " returns data");
                dashboardQueries++;
            }
        }
        assertThat(dashboardQueries).as("queries of the dashboard").isGreaterThanOrEqualTo(8);

        // siitdc_eamt_hash: A's table and B's, as EamtHash computes them here.
        Map<String, String> hashes = new HashMap<>();
        for (Map<?, ?> s : api.query("siitdc_eamt_hash")) {
            Map<?, ?> labels = (Map<?, ?>) s.get("metric");
            hashes.put((String) labels.get("instance"), (String) labels.get("hash"));
        }
        Eam eamA = Eam.parse("192.0.2.10", "2001:db8:1::10"), eamB = Eam.parse("192.0.2.11", "2001:db8:1::11");
        assertThat(hashes).containsExactlyInAnyOrderEntriesOf(Map.of(RELAY_A, EamtHash.of(List.of(eamA)),
                RELAY_B, EamtHash.of(List.of(eamB, eamA))));

        // The alerts this deployment calls for, pending (their "for" has not run out) or firing.
        awaitActive(api, queries, "SiitdcEamtHashDiffers role=border-relay");
        awaitActive(api, queries, "SiitdcDropsRising " + RELAY_A + " drop-4to6-ttl-expired");
        awaitActive(api, queries, "SiitdcIcmpErrorsRateLimited " + RELAY_A);
        Set<String> before = active(api);
        assertThat(before).as("alerts with both relays up").noneMatch(s -> s.startsWith("SiitdcRelay"))
                .noneMatch(s -> s.startsWith("SiitdcTunQueueDropping"));

        // The same entries in another order: A adds B's second EAM (A: 10, 11), B removes its first and adds it
        // back (B: 11, 10). One hash then, A's as EamtHash computes it, and the alert goes.
        eamt(a, "add", "192.0.2.11", "2001:db8:1::11", "--socket", dir.resolve("a.sock").toString());
        eamt(b, "remove", "192.0.2.10", "--socket", dir.resolve("b.sock").toString());
        eamt(b, "add", "192.0.2.10", "2001:db8:1::10", "--socket", dir.resolve("b.sock").toString());
        String same = EamtHash.of(List.of(eamA, eamB));
        Daemon.waitFor(() -> {
            List<Map<?, ?>> v = api.query("siitdc_eamt_hash");
            return v.size() == 2 && v.stream().allMatch(s -> same.equals(((Map<?, ?>) s.get("metric")).get("hash")));
        }, 60, "both relays exporting siitdc_eamt_hash{hash=\"" + same + "\"}");
        Daemon.waitFor(() -> active(api).stream().noneMatch(s -> s.startsWith("SiitdcEamtHashDiffers")), 60,
                "SiitdcEamtHashDiffers no longer active once the tables are the same");

        relayB.stop();
        awaitActive(api, queries, "SiitdcRelayDown " + RELAY_B);
        assertThat(active(api)).as("alerts after B stopped").doesNotContain("SiitdcRelayDown " + RELAY_A)
                .noneMatch(s -> s.startsWith("SiitdcRelayAbsent"));

        // The TUN queue dropping: A's queue cut to 10 packets, A stopped (SIGSTOP) for 1.5 s of the pings, so
        // the kernel drops what the queue cannot hold (tx_dropped of siit0); after SIGCONT A exports it.
        ok("ip", "-n", a, "link", "set", "siit0", "txqueuelen", "10");
        relayA.signal("STOP");
        Thread.sleep(1500);
        relayA.signal("CONT");
        awaitActive(api, queries, "SiitdcTunQueueDropping " + RELAY_A);
        relayA.stop();
    }

    /**
     * Waits 60 s for {@code alert} ("NAME LABELS" as {@link #active} writes it) to be active; the failure shows the
     * active alerts and what the rule's expression without its threshold returns.
     */
    private void awaitActive(PrometheusApi api, Map<String, String> queries, String alert) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!active(api).contains(alert)) {
            if (System.nanoTime() > deadline) {
                String name = alert.split(" ")[0], inner = inner(queries.get(name));
                throw new AssertionError(alert + " not active within 60 s; active: " + active(api) + "; " + inner
                        + " returns " + api.query(inner) + "; ping: " + Daemon.read(dir.resolve("ping.log")));
            }
            Thread.sleep(200);
        }
    }

    /** {@code siitdc eamt ARGS} in {@code ns}, which must exit 0 within 60 s. */
    private void eamt(String ns, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("eamt"));
        cmd.addAll(List.of(args));
        Path out = dir.resolve("eamt.out");
        Process p = new ProcessBuilder(Namespaces.javaCommand(ns, "dev.siitdc.cli.Main", cmd.toArray(String[]::new)))
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        processes.add(p);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("siitdc %s within 60 s", cmd).isTrue();
        assertThat(p.exitValue()).as("siitdc %s: %s", cmd, Daemon.read(out)).isZero();
    }

    /** The rule's expression without its final threshold; for absent(X), X. */
    static String inner(String expr) {
        String e = expr.strip();
        Matcher m = THRESHOLD.matcher(e);
        if (m.matches()) e = m.group(1).strip();
        Matcher absent = ABSENT.matcher(e);
        return absent.matches() ? absent.group(1) : e;
    }

    /** The active alerts (pending or firing) as "NAME INSTANCE [REASON]" or "NAME role=ROLE". */
    private static Set<String> active(PrometheusApi api) throws IOException {
        Set<String> out = new TreeSet<>();
        for (Object o : (List<?>) ((Map<?, ?>) api.data("/api/v1/alerts")).get("alerts")) {
            Map<?, ?> labels = (Map<?, ?>) ((Map<?, ?>) o).get("labels");
            String name = (String) labels.get("alertname");
            if (labels.get("role") != null) out.add(name + " role=" + labels.get("role"));
            else out.add(name + " " + labels.get("instance") + (labels.get("reason") == null ? "" : " " + labels.get("reason")));
        }
        return out;
    }

    private static List<String> instances(List<Map<?, ?>> vector) {
        return vector.stream().map(s -> (String) ((Map<?, ?>) s.get("metric")).get("instance")).toList();
    }

    /** packaging/prometheus/siitdc-alerts.yml of this checkout (the tests run in cli/). */
    private static Path rulesFile() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path f = d.resolve("packaging/prometheus/siitdc-alerts.yml");
            if (Files.isRegularFile(f)) return f;
        }
        throw new AssertionError("packaging/prometheus/siitdc-alerts.yml not found above " + Path.of("").toAbsolutePath());
    }
}
