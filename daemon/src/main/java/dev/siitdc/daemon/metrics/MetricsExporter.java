package dev.siitdc.daemon.metrics;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetAddress;

/**
 * The Prometheus endpoint: the official client's HTTP server ({@code io.prometheus:
 * prometheus-metrics-exporter-httpserver}) serving {@code /metrics} (Prometheus text format, or OpenMetrics
 * when the scraper asks for it) from a registry of its own that holds one {@link SiitdcCollector}. Its
 * threads are daemon threads; {@link #close} stops it.
 */
public final class MetricsExporter implements AutoCloseable {
    private final HTTPServer server;
    private final String address;

    private MetricsExporter(HTTPServer server, String address) {
        this.server = server;
        this.address = address;
    }

    /**
     * Starts the endpoint on {@code address} (an address literal) and {@code port} (0: a free port, see
     * {@link #port()}).
     *
     * @throws IOException if the address cannot be bound (in use, not an address of this node)
     */
    public static MetricsExporter start(String address, int port, MetricsSource source) throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(new SiitdcCollector(source));
        InetAddress a;
        try {
            a = InetAddress.ofLiteral(address);
        } catch (IllegalArgumentException e) {
            throw new IOException("not an IP address: " + address, e);
        }
        HTTPServer server = HTTPServer.builder().inetAddress(a).port(port).registry(registry).buildAndStart();
        return new MetricsExporter(server, address);
    }

    /** Starts the endpoint of {@code config}, which must be {@link MetricsConfig#on()}. */
    public static MetricsExporter start(MetricsConfig config, MetricsSource source) throws IOException {
        if (!config.on()) {
            throw new IllegalArgumentException("metrics are off");
        }
        return start(config.address(), config.port(), source);
    }

    /** The port it listens on. */
    public int port() {
        return server.getPort();
    }

    /** {@code http://ADDRESS:PORT/metrics}. */
    public String url() {
        return MetricsConfig.url(address, port());
    }

    @Override
    public void close() {
        server.close();
    }
}
