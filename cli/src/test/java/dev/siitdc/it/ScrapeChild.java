package dev.siitdc.it;

import dev.siitdc.daemon.metrics.PrometheusText;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * For {@link MetricsDaemonTest} and {@link TunDropsDaemonTest}: scrapes URL with java.net.http.HttpClient from inside the daemon's network
 * namespace ({@code ip netns exec NS java ... ScrapeChild URL}), prints the body on stdout and exits 0 for a
 * 200, 1 otherwise.
 */
public final class ScrapeChild {
    /** The daemon's default Prometheus endpoint ([metrics] listen 127.0.0.1:9464). */
    static final String DEFAULT_METRICS_URL = "http://127.0.0.1:9464/metrics";

    private ScrapeChild() {}

    /**
     * Scrapes {@link #DEFAULT_METRICS_URL} from inside {@code ns} (this class in a child JVM there), the body to
     * {@code body}; asserts it exits 0 within 60 s and returns the body, parsed strictly.
     */
    static PrometheusText scrape(String ns, Path body) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(Namespaces.javaCommand(ns, ScrapeChild.class.getName(), DEFAULT_METRICS_URL))
                .redirectOutput(body.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("scrape within 60 s").isTrue();
        assertThat(p.exitValue()).as("scrape exit status").isZero();
        return PrometheusText.parse(Files.readString(body, StandardCharsets.UTF_8));
    }

    public static void main(String[] args) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(args[0])).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
        System.out.print(r.body());
        System.out.flush();
        if (r.statusCode() != 200) {
            System.err.println("HTTP " + r.statusCode());
            System.exit(1);
        }
    }
}
