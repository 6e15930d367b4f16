package io.mdeas.node.service;

import io.mdeas.node.analysis.FloorScaleAnchor;
import io.mdeas.node.background.BackgroundStatus;
import io.mdeas.node.capture.SourceStatus;
import io.mdeas.node.pipeline.PipelineStatus;
import java.time.Duration;
import java.util.Locale;

/**
 * Turns a {@link PipelineStatus} into the {@code camera}, {@code model} and {@code background} health checks.
 * The camera is DOWN when it failed, ended, or delivered no frame for {@code frameTimeout}; it is DEGRADED while it
 * is being reopened (a camera that vanished is retried with backoff and the node keeps running, so operators see
 * a degraded node rather than a dead one);
 * the background is DEGRADED while it is learnt or while change detection is paused (robot moving); depth is
 * DEGRADED when the floor has disagreed with the configured camera mount for {@link #REFUSED_FRAMES} frames in a row
 * (distances then keep the network's own scale: the mount in {@code camera.*} is likely wrong, or the camera moved).
 */
public final class PipelineHealth {
    /** Consecutive frames whose floor was refused before depth counts as degraded (seconds at camera rates). */
    static final int REFUSED_FRAMES = 30;

    private final Duration frameTimeout;
    private final long startNanos;

    public PipelineHealth(Duration frameTimeout, long startNanos) {
        this.frameTimeout = frameTimeout;
        this.startNanos = startNanos;
    }

    public HealthCheck camera(PipelineStatus s, long nowNanos) {
        SourceStatus src = s.source();
        String name = src.name();
        switch (src.state()) {
            case FAILED:
                return HealthCheck.down(name + " failed: " + src.reason());
            case RETRYING:
                return HealthCheck.degraded(name + " is being reopened (" + src.reopens() + " reopen(s)): " + src.reason());
            case ENDED:
                return HealthCheck.down(name + " ended: " + src.reason());
            default:
                break;
        }
        if (s.lastFrameNanos() == 0) {
            double waited = (nowNanos - startNanos) / 1e9;
            return waited > frameTimeout.toNanos() / 1e9
                    ? HealthCheck.down(name + ": no frame since start " + seconds(waited) + " ago")
                    : HealthCheck.degraded(name + ": waiting for the first frame");
        }
        double age = (nowNanos - s.lastFrameNanos()) / 1e9;
        if (age > frameTimeout.toNanos() / 1e9) {
            return HealthCheck.down(name + ": no frame for " + seconds(age));
        }
        return HealthCheck.up(name + ": " + s.framesProcessed() + " frames processed, last " + seconds(age) + " ago");
    }

    public HealthCheck model(PipelineStatus s) {
        if (s.failure() != null) {
            return HealthCheck.down("processing stopped: " + s.failure());
        }
        return HealthCheck.up("version " + s.model().version() + " (sha256 " + s.model().sha256() + ") on "
                + s.model().provider() + (s.model().mirrorAverage() ? ", mirror-averaged" : ""));
    }

    public HealthCheck background(PipelineStatus s) {
        BackgroundStatus bg = s.background();
        String reason = bg.reason() == null ? "" : " (" + bg.reason() + ")";
        return switch (bg.state()) {
            case STABLE -> HealthCheck.up("stable for " + seconds(bg.ageS()) + reason);
            case INITIALISING -> HealthCheck.degraded("learning the background" + reason);
            case DEPTH_ONLY -> HealthCheck.degraded("change detection paused, depth only" + reason);
        };
    }

    public HealthCheck depth(PipelineStatus s) {
        FloorScaleAnchor.State a = s.floorAnchor();
        if (a.outcome() != FloorScaleAnchor.Outcome.OFF && s.framesProcessed() == 0) {
            return HealthCheck.up("floor anchor on, waiting for the first frame");
        }
        if (a.refusedFrames() >= REFUSED_FRAMES) {
            return HealthCheck.degraded(String.format(Locale.ROOT, "the floor has disagreed with camera.* by more than "
                    + "a factor %.2f for %d frames: depth kept at x %.3f; check camera.height_m and camera.pitch_deg "
                    + "against the robot (or depth.floor_anchor_max_correction)", a.maxCorrection(), a.refusedFrames(),
                    a.factor()));
        }
        return switch (a.outcome()) {
            case ANCHORED -> HealthCheck.up(String.format(Locale.ROOT, "depth x %.3f from the floor", a.factor()));
            case TOO_LITTLE_FLOOR -> HealthCheck.up(String.format(Locale.ROOT,
                    "depth x %.3f held: too little floor in view", a.factor()));
            case IMPLAUSIBLE -> HealthCheck.up(String.format(Locale.ROOT, "depth x %.3f held: the floor disagreed with "
                    + "camera.* for %d frame(s)", a.factor(), a.refusedFrames()));
            case OFF -> HealthCheck.up("floor anchor off: the network's own depth scale");
        };
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.1f s", s);
    }
}
