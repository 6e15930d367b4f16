package io.mdeas.node.service;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The node's health as served at {@code GET /health}: {@code {status, checks: {camera, model, broker,
 * background}}}. The node is DOWN when it cannot see (camera) or think (model); DEGRADED when any check is
 * not UP (e.g. the broker is unreachable: results still flow to the other sinks and events are buffered).
 *
 * @param status overall status
 * @param checks each check by name, in a fixed order
 */
public record HealthReport(HealthStatus status, Map<String, HealthCheck> checks) {

    /** The checks that make the node DOWN when they are DOWN. */
    private static final java.util.Set<String> ESSENTIAL = java.util.Set.of("camera", "model");

    public HealthReport {
        checks = Collections.unmodifiableMap(new LinkedHashMap<>(checks));
    }

    /** Evaluates every check now and combines them. */
    public static HealthReport evaluate(Map<String, Supplier<HealthCheck>> checks) {
        Map<String, HealthCheck> results = new LinkedHashMap<>();
        HealthStatus overall = HealthStatus.UP;
        for (Map.Entry<String, Supplier<HealthCheck>> e : checks.entrySet()) {
            HealthCheck c;
            try {
                c = e.getValue().get();
            } catch (RuntimeException ex) {
                c = HealthCheck.down("check failed: " + ex);
            }
            results.put(e.getKey(), c);
            if (c.status() == HealthStatus.DOWN && ESSENTIAL.contains(e.getKey())) {
                overall = HealthStatus.DOWN;
            } else if (c.status() != HealthStatus.UP && overall == HealthStatus.UP) {
                overall = HealthStatus.DEGRADED;
            }
        }
        return new HealthReport(overall, results);
    }
}
