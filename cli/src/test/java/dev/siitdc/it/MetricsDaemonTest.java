package dev.siitdc.it;

import dev.siitdc.cli.metrics.PrometheusText;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A running {@code siitdc run} Border Relay in a throw-away network namespace, watched as an operator would:
 * its Prometheus endpoint on the default 127.0.0.1:9464 scraped over HTTP from inside the namespace (a
 * java.net.http.HttpClient in a child JVM, {@link ScrapeChild}) and parsed by the strict
 * {@link PrometheusText} parser; its output in the journal format ({@code SIITDC_LOG_FORMAT=journal});
 * SIGUSR1 switching per-packet drop logging on.
 *
 * <pre>
 *  namespace: d0 (veth to d1) 198.51.100.2/24 --ping--> 192.0.2.10 routed into siit0 (EAM 192.0.2.10 &lt;-&gt; 2001:db8:1::10)
 * </pre>
 *
 * Needs root, /dev/net/tun, iproute2 and ping, or it is skipped with a loud message.
 */
class MetricsDaemonTest {
    static final String CONFIG = """
            [translator]
            pool6 = "2001:db8:46::/96"
            own-ipv4-address = "203.0.113.1"
            own-ipv6-address = "2001:db8:1::1"

            [[eamt]]
            ipv4 = "192.0.2.10"
            ipv6 = "2001:db8:1::10"

            [relay]
            role = "border-relay"
            tun-name = "siit0"
            queues = 1
            offload = false
            control-socket = "%s"
            """;

    @TempDir
    Path dir;

    private String ns;
    private Process daemon;

    @BeforeAll
    static void requirements() throws IOException, InterruptedException {
        String uid = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("Uid:"))
                .map(l -> l.split("\\s+")[2]).findFirst().orElse("?");
        skipLoudly(!"0".equals(uid), "not root (effective uid " + uid + ")");
        skipLoudly(!Files.exists(Path.of("/dev/net/tun")), "/dev/net/tun does not exist");
        skipLoudly(run(List.of("ip", "-V"), 10).exit() != 0, "iproute2's ip is not installed");
        skipLoudly(run(List.of("sh", "-c", "command -v ping"), 10).exit() != 0, "ping is not installed");
    }

    private static void skipLoudly(boolean skip, String why) {
        if (skip) {
            String msg = "!!!!! SKIPPING the siitdc metrics/logging daemon test: " + why
                    + ". It needs root, /dev/net/tun, iproute2 and ping (it runs in a throw-away network namespace). !!!!!";
            System.err.println(msg);
            Assumptions.abort(msg);
        }
    }

    @AfterEach
    void cleanUp() throws IOException, InterruptedException {
        try {
            if (daemon != null && daemon.isAlive()) {
                daemon.destroyForcibly();
                daemon.waitFor(10, TimeUnit.SECONDS);
            }
        } finally {
            if (ns != null) {
                BorderRelaySmokeTest.Result pids = BorderRelaySmokeTest.run(List.of("ip", "netns", "pids", ns), 10);
                for (String pid : pids.out().split("\\s+"))
                    if (pid.matches("\\d+")) ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                BorderRelaySmokeTest.Result r = BorderRelaySmokeTest.run(List.of("ip", "netns", "delete", ns), 20);
                if (r.exit() != 0) System.err.println("could not delete namespace " + ns + ": " + r.out());
            }
        }
    }

    @Test
    void metricsScrapedFromTheRunningDaemonAndJournalFormattedLogs() throws Exception {
        ns = "siitdc-mx-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(2);
        ok("ip", "netns", "add", ns);
        ok("ip", "-n", ns, "link", "set", "lo", "up");
        // an interface with an IPv4 address for the pings' source (a veth pair: no dummy module everywhere)
        ok("ip", "-n", ns, "link", "add", "d0", "type", "veth", "peer", "name", "d1");
        ok("ip", "-n", ns, "addr", "add", "198.51.100.2/24", "dev", "d0");
        ok("ip", "-n", ns, "link", "set", "d0", "up");
        ok("ip", "-n", ns, "link", "set", "d1", "up");

        Path config = dir.resolve("br.toml");
        Files.writeString(config, CONFIG.formatted(dir.resolve("siit0.sock")));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path outFile = dir.resolve("daemon.out"), errFile = dir.resolve("daemon.err");
        ProcessBuilder pb = new ProcessBuilder("ip", "netns", "exec", ns, java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "dev.siitdc.cli.Main", "run", "--config", config.toString())
                .redirectOutput(outFile.toFile()).redirectError(errFile.toFile());
        pb.environment().put("SIITDC_LOG_FORMAT", "journal");
        daemon = pb.start();

        String summary = await(outFile, l -> l.contains("siitdc: border-relay on "), 60, "the start-up summary");
        assertThat(summary).startsWith("<5>siitdc: border-relay on siit0: 1 queue,")
                .contains(", 1 EAM,", "metrics http://127.0.0.1:9464/metrics", "drop logging off (SIGUSR1 toggles)");

        // Traffic: 3 echo requests translated 4 -> 6, 2 with TTL 1 dropped (Time Exceeded sent back).
        ping("-c", "3", "-i", "0.2");
        ping("-c", "2", "-i", "0.2", "-t", "1");

        PrometheusText m = scrape();
        assertThat(m.value("siitdc_info", "role", "border-relay", "tun", "siit0")).isEqualTo(1);
        assertThat(m.value("siitdc_queues")).isEqualTo(1);
        assertThat(m.value("siitdc_eamt_entries")).isEqualTo(1);
        assertThat(m.value("siitdc_packets_translated_total", "direction", "4to6")).isGreaterThanOrEqualTo(3);
        assertThat(m.value("siitdc_bytes_translated_total", "direction", "4to6")).isGreaterThanOrEqualTo(3 * 104);
        assertThat(m.value("siitdc_drops_total", "reason", "drop-4to6-ttl-expired", "direction", "4to6")).isEqualTo(2);
        assertThat(m.value("siitdc_icmp_errors_originated_total", "protocol", "icmpv4")).isEqualTo(2);
        assertThat(m.value("siitdc_tun_packets_read_total")).isGreaterThanOrEqualTo(5);
        assertThat(m.value("siitdc_drop_logging")).isZero();
        assertThat(m.value("siitdc_start_time_seconds")).isGreaterThan(1.7e9);

        // SIGUSR1: drop logging on; a dropped packet is logged with its reason and addresses.
        ok("kill", "-USR1", Long.toString(daemon.pid()));
        await(errFile, l -> l.equals("<5>siitdc: drop logging on"), 10, "drop logging on");
        ping("-c", "1", "-t", "1");
        String drop = await(errFile, l -> l.contains("siitdc: drop: "), 10, "a drop line");
        assertThat(drop).isEqualTo("<6>siitdc: drop: reason=drop-4to6-ttl-expired queue=0 proto=icmp src=198.51.100.2"
                + " dst=192.0.2.10 type=8/0 len=84");
        PrometheusText again = scrape();
        assertThat(again.value("siitdc_drop_logging")).isEqualTo(1);
        assertThat(again.value("siitdc_drops_total", "reason", "drop-4to6-ttl-expired", "direction", "4to6")).isEqualTo(3);

        ok("kill", "-TERM", Long.toString(daemon.pid()));
        assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s after SIGTERM").isTrue();
        String out = Files.readString(outFile), err = Files.readString(errFile);
        assertThat(daemon.exitValue()).as("exit status; stdout:%n%s%nstderr:%n%s", out, err).isZero();
        assertThat(out).contains("<5>siitdc: stopped (SIGTERM)").containsPattern("(?m)^<6>translated-4to6 [1-9]");
        // one line per event, each with its priority
        for (String l : (out + err).lines().toList()) assertThat(l).as("journal line").matches("<[0-7]>.*");
    }

    private void ping(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, "ping", "-n", "-W", "1"));
        cmd.addAll(List.of(args));
        cmd.add("192.0.2.10");
        BorderRelaySmokeTest.run(cmd, 30);   // no answer: nothing behind 2001:db8:1::10 (the exit status is 1)
    }

    /** Scrapes http://127.0.0.1:9464/metrics from inside the namespace, parsed strictly. */
    private PrometheusText scrape() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path body = dir.resolve("scrape.txt");
        Process p = new ProcessBuilder("ip", "netns", "exec", ns, java, "-cp", System.getProperty("java.class.path"),
                ScrapeChild.class.getName(), "http://127.0.0.1:9464/metrics")
                .redirectOutput(body.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("scrape within 60 s").isTrue();
        assertThat(p.exitValue()).as("scrape exit status").isZero();
        return PrometheusText.parse(Files.readString(body, StandardCharsets.UTF_8));
    }

    /** Waits for a line of {@code file} that matches; returns it. */
    private String await(Path file, Predicate<String> match, int seconds, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            List<String> lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
            for (String l : lines) if (match.test(l)) return l;
            if (System.nanoTime() > deadline || !daemon.isAlive())
                throw new AssertionError(what + " not seen within " + seconds + " s; " + file.getFileName() + ":\n"
                        + String.join("\n", lines) + "\n(daemon " + (daemon.isAlive() ? "running" : "exited "
                        + daemon.exitValue()) + ")");
            Thread.sleep(100);
        }
    }

    private static String ok(String... cmd) throws IOException, InterruptedException {
        BorderRelaySmokeTest.Result r = run(List.of(cmd), 20);
        assertThat(r.exit()).as("%s:%n%s", String.join(" ", cmd), r.out()).isZero();
        return r.out();
    }

    private static BorderRelaySmokeTest.Result run(List<String> cmd, int timeoutSeconds) throws IOException, InterruptedException {
        return BorderRelaySmokeTest.run(cmd, timeoutSeconds);
    }
}
