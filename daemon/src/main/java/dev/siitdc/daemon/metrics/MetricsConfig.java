package dev.siitdc.daemon.metrics;

import java.net.InetAddress;

/**
 * The {@code [relay]} keys of the Prometheus endpoint: {@code metrics} (on or off), {@code metrics-address}
 * and {@code metrics-port}. The endpoint is {@code http://ADDRESS:PORT/metrics}.
 *
 * @param enabled {@code metrics = false} switches the endpoint off
 * @param address the IPv4 or IPv6 address literal to listen on; {@value #DEFAULT_ADDRESS} by default, so
 *        that only the node itself (a local Prometheus, an agent, {@code curl}) can scrape it
 * @param port the TCP port, 1 to 65535; 0 switches the endpoint off as {@code metrics = false} does
 */
public record MetricsConfig(boolean enabled, String address, int port) {
    /** The default port: the one registered for Prometheus exporters of this kind (OpenTelemetry's too). */
    public static final int DEFAULT_PORT = 9464;
    public static final String DEFAULT_ADDRESS = "127.0.0.1";
    /** The endpoint a file without metrics keys gets: on, 127.0.0.1:9464. */
    public static final MetricsConfig DEFAULT = new MetricsConfig(true, DEFAULT_ADDRESS, DEFAULT_PORT);
    /** No endpoint. */
    public static final MetricsConfig OFF = new MetricsConfig(false, DEFAULT_ADDRESS, DEFAULT_PORT);

    public MetricsConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("metrics-port must be 0 (off) to 65535: " + port);
        }
        String why = addressProblem(address);
        if (why != null) {
            throw new IllegalArgumentException("metrics-address: " + why);
        }
    }

    /** Whether the endpoint runs: enabled and a port other than 0. */
    public boolean on() {
        return enabled && port != 0;
    }

    /** {@code http://ADDRESS:PORT/metrics} (an IPv6 address in brackets). */
    public String url() {
        return url(address, port);
    }

    static String url(String address, int port) {
        return "http://" + (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port + "/metrics";
    }

    /** Why {@code address} cannot be listened on (not an IPv4 or IPv6 address literal), or null. */
    public static String addressProblem(String address) {
        if (address == null || address.isBlank()) {
            return "must be an IPv4 or IPv6 address, e.g. \"127.0.0.1\" or \"::1\"";
        }
        try {
            InetAddress a = InetAddress.ofLiteral(address);
            if (a.isMulticastAddress()) {
                return "\"" + address + "\" is a multicast address";
            }
            return null;
        } catch (IllegalArgumentException e) {
            return "\"" + address + "\" is not an IPv4 or IPv6 address (names are not resolved: give an address)";
        }
    }
}
