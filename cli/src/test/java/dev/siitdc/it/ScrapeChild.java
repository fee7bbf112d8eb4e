package dev.siitdc.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * For {@link MetricsDaemonTest}: scrapes URL with java.net.http.HttpClient from inside the daemon's network
 * namespace ({@code ip netns exec NS java ... ScrapeChild URL}), prints the body on stdout and exits 0 for a
 * 200, 1 otherwise.
 */
public final class ScrapeChild {
    private ScrapeChild() {}

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
