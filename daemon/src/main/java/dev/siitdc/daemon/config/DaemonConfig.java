package dev.siitdc.daemon.config;

import dev.siitdc.core.config.TranslatorConfig;
import dev.siitdc.daemon.RelayConfig;
import dev.siitdc.daemon.metrics.MetricsConfig;

import java.util.Map;

/**
 * A whole siitdc file as {@code siitdc run} sees it: the {@code [translator]} / {@code [[eamt]]} contract
 * and the daemon's {@code [relay]} section, with the line of each {@code [relay]} key so that problems
 * found only at start-up (an upstream interface that does not exist, a Service Address in use) can still
 * be reported as {@code FILE:LINE: KEY: REASON}.
 *
 * @param file the file's name as given
 * @param translator the translator's configuration
 * @param relay the {@code [relay]} section, or null when the file has none (fine for translate and
 *        check-config, not for run)
 * @param lines line of each {@code [relay]} key as errors name it without the "relay." prefix
 *        ("role", "service-addresses[2]"); "" is the line of the {@code [relay]} header
 * @param metrics the Prometheus endpoint ({@code [relay]} metrics, metrics-address, metrics-port)
 */
public record DaemonConfig(String file, TranslatorConfig translator, RelayConfig relay, Map<String, Integer> lines,
        MetricsConfig metrics) {
    public DaemonConfig {
        lines = Map.copyOf(lines);
        java.util.Objects.requireNonNull(metrics, "metrics");
    }

    /** A configuration with the default metrics endpoint. */
    public DaemonConfig(String file, TranslatorConfig translator, RelayConfig relay, Map<String, Integer> lines) {
        this(file, translator, relay, lines, MetricsConfig.DEFAULT);
    }

    /**
     * The line of {@code [relay]} key {@code key} ("upstream-interface", "service-addresses[2]"); for an
     * array element that was not recorded, the array's line; else the {@code [relay]} header's; else 1.
     */
    public int line(String key) {
        Integer l = lines.get(key);
        if (l == null && key.indexOf('[') > 0) l = lines.get(key.substring(0, key.indexOf('[')));
        if (l == null) l = lines.get("");
        return l == null ? 1 : l;
    }

    /** {@code FILE:LINE: relay.KEY: REASON} for a problem with {@code [relay]} key {@code key}. */
    public ConfigError error(String key, String reason) {
        return new ConfigError(file, line(key), "relay." + key, reason);
    }
}
