package io.mdeas.node.service;

import java.util.Objects;

/**
 * The state of one part of the node, with a reason a person can act on.
 *
 * @param status UP, DEGRADED or DOWN
 * @param reason what was seen, e.g. "no frame for 7.2 s (source video0: reopening)"
 */
public record HealthCheck(HealthStatus status, String reason) {
    public HealthCheck {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reason, "reason");
    }

    public static HealthCheck up(String reason) {
        return new HealthCheck(HealthStatus.UP, reason);
    }

    public static HealthCheck degraded(String reason) {
        return new HealthCheck(HealthStatus.DEGRADED, reason);
    }

    public static HealthCheck down(String reason) {
        return new HealthCheck(HealthStatus.DOWN, reason);
    }
}
