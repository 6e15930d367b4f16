package io.mdeas.node.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mdeas.node.analysis.FloorScaleAnchor;
import io.mdeas.node.background.BackgroundState;
import io.mdeas.node.background.BackgroundStatus;
import io.mdeas.node.capture.SourceState;
import io.mdeas.node.capture.SourceStatus;
import io.mdeas.node.inference.ModelInfo;
import io.mdeas.node.pipeline.PipelineStatus;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** How pipeline snapshots become the camera, model and background checks, and the overall status. */
class PipelineHealthTest {
    private static final long S = 1_000_000_000L;
    private static final ModelInfo MODEL = new ModelInfo("bundled", "1.0", "linear", 10f, 224, "cpu", "ab",
            new io.mdeas.node.inference.TrainingMounts(null, null, null), false);
    private final PipelineHealth health = new PipelineHealth(Duration.ofSeconds(5), 100 * S);

    private static PipelineStatus status(SourceState source, String reason, long lastFrameNanos,
                                         BackgroundState bg, String failure) {
        return status(source, reason, lastFrameNanos, bg, failure, MODEL);
    }

    private static PipelineStatus status(SourceState source, String reason, long lastFrameNanos,
                                         BackgroundState bg, String failure, ModelInfo model) {
        return new PipelineStatus(10, lastFrameNanos == 0 ? 0 : 9, 1, 0, lastFrameNanos,
                new SourceStatus("video0", source, reason, 2, 15), new BackgroundStatus(bg, 12.0, "start", 0), model,
                0, false, failure, new FloorScaleAnchor.State(1.07f, FloorScaleAnchor.Outcome.ANCHORED, 0, 1.5));
    }

    private static PipelineStatus withFloorAnchor(FloorScaleAnchor.State anchor) {
        PipelineStatus s = status(SourceState.RUNNING, null, 110 * S, BackgroundState.STABLE, null);
        return new PipelineStatus(s.framesCaptured(), s.framesProcessed(), s.framesDropped(), s.lastFrameEpochMs(),
                s.lastFrameNanos(), s.source(), s.background(), s.model(), s.obstacles(), s.ended(), s.failure(), anchor);
    }

    @Test
    void depthIsDegradedOnlyWhenTheFloorKeepsDisagreeingWithTheMount() {
        HealthCheck anchored = health.depth(withFloorAnchor(
                new FloorScaleAnchor.State(1.07f, FloorScaleAnchor.Outcome.ANCHORED, 0, 1.5)));
        assertEquals(HealthStatus.UP, anchored.status());
        assertEquals("depth x 1.070 from the floor", anchored.reason());
        HealthCheck briefly = health.depth(withFloorAnchor(new FloorScaleAnchor.State(1.07f,
                FloorScaleAnchor.Outcome.IMPLAUSIBLE, PipelineHealth.REFUSED_FRAMES - 1, 1.5)));
        assertEquals(HealthStatus.UP, briefly.status(), "a few odd frames are not a misconfigured mount");
        HealthCheck wrongMount = health.depth(withFloorAnchor(new FloorScaleAnchor.State(1f,
                FloorScaleAnchor.Outcome.IMPLAUSIBLE, PipelineHealth.REFUSED_FRAMES, 1.5)));
        assertEquals(HealthStatus.DEGRADED, wrongMount.status());
        assertTrue(wrongMount.reason().contains("camera.height_m"), wrongMount.reason());
        HealthCheck off = health.depth(withFloorAnchor(
                new FloorScaleAnchor.State(1f, FloorScaleAnchor.Outcome.OFF, 0, 1.5)));
        assertEquals(HealthStatus.UP, off.status());
        assertEquals(HealthStatus.UP, health.depth(withFloorAnchor(
                new FloorScaleAnchor.State(1f, FloorScaleAnchor.Outcome.TOO_LITTLE_FLOOR, 0, 1.5))).status());
    }

    @Test
    void theCameraIsDownWhenItFailedOrStalledAndDegradedWhileReopening() {
        assertEquals(HealthStatus.UP, health.camera(status(SourceState.RUNNING, null, 110 * S, BackgroundState.STABLE,
                null), 111 * S).status());
        HealthCheck stalled = health.camera(status(SourceState.RUNNING, null, 110 * S, BackgroundState.STABLE, null),
                116 * S);
        assertEquals(HealthStatus.DOWN, stalled.status());
        assertEquals("video0: no frame for 6.0 s", stalled.reason());
        assertEquals(HealthStatus.DEGRADED, health.camera(status(SourceState.RETRYING, "device gone", 110 * S,
                BackgroundState.STABLE, null), 111 * S).status());
        assertTrue(health.camera(status(SourceState.FAILED, "no such file", 0, BackgroundState.INITIALISING, null),
                101 * S).reason().contains("no such file"));
        assertEquals(HealthStatus.DEGRADED, health.camera(status(SourceState.OPENING, null, 0,
                BackgroundState.INITIALISING, null), 101 * S).status(), "waiting for the first frame");
        assertEquals(HealthStatus.DOWN, health.camera(status(SourceState.OPENING, null, 0,
                BackgroundState.INITIALISING, null), 106 * S).status(), "no first frame within the timeout");
    }

    @Test
    void backgroundAndModelChecksAndTheOverallStatus() {
        PipelineStatus learning = status(SourceState.RUNNING, null, 110 * S, BackgroundState.INITIALISING, null);
        assertEquals(HealthStatus.DEGRADED, health.background(learning).status());
        assertEquals(HealthStatus.DEGRADED, health.background(status(SourceState.RUNNING, null, 110 * S,
                BackgroundState.DEPTH_ONLY, null)).status());
        assertEquals(HealthStatus.UP, health.background(status(SourceState.RUNNING, null, 110 * S,
                BackgroundState.STABLE, null)).status());
        assertEquals("version 1.0 (sha256 ab) on cpu", health.model(learning).reason());
        ModelInfo mirrored = new ModelInfo("bundled", "1.0", "linear", 10f, 224, "cpu", "ab",
                new io.mdeas.node.inference.TrainingMounts(null, null, null), true);
        assertEquals("version 1.0 (sha256 ab) on cpu, mirror-averaged", health.model(status(SourceState.RUNNING, null,
                110 * S, BackgroundState.STABLE, null, mirrored)).reason());
        PipelineStatus failed = status(SourceState.RUNNING, null, 110 * S, BackgroundState.STABLE, "OrtException: boom");
        assertEquals(HealthStatus.DOWN, health.model(failed).status());

        assertEquals(HealthStatus.DEGRADED, overall(learning, HealthCheck.up("connected")));
        assertEquals(HealthStatus.DOWN, overall(failed, HealthCheck.up("connected")));
        PipelineStatus fine = status(SourceState.RUNNING, null, 110 * S, BackgroundState.STABLE, null);
        assertEquals(HealthStatus.UP, overall(fine, HealthCheck.up("connected")));
        assertEquals(HealthStatus.DEGRADED, overall(fine, HealthCheck.down("broker gone")),
                "a lost broker degrades, it does not take the node down");
    }

    private HealthStatus overall(PipelineStatus s, HealthCheck broker) {
        Map<String, Supplier<HealthCheck>> checks = new LinkedHashMap<>();
        checks.put("camera", () -> health.camera(s, 111 * S));
        checks.put("model", () -> health.model(s));
        checks.put("broker", () -> broker);
        checks.put("background", () -> health.background(s));
        return HealthReport.evaluate(checks).status();
    }
}
