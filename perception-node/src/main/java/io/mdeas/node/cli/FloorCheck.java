package io.mdeas.node.cli;

import ai.onnxruntime.OrtException;
import io.mdeas.node.analysis.BlobExtractor;
import io.mdeas.node.analysis.CameraMount;
import io.mdeas.node.analysis.FloorAnchorParams;
import io.mdeas.node.analysis.FloorAwareScanner;
import io.mdeas.node.analysis.FloorScaleAnchor;
import io.mdeas.node.analysis.EdgeRefiner;
import io.mdeas.node.background.RollingBackground;
import io.mdeas.node.config.NodeConfig;
import io.mdeas.node.config.StageParams;
import io.mdeas.node.inference.MdeasModel;
import io.mdeas.node.pipeline.FrameProcessor;
import io.mdeas.node.pipeline.PipelineMetrics;
import io.mdeas.node.service.NodeService;
import io.mdeas.node.tracking.ObstacleTracker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Locale;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * The {@code floor:} line of {@code check}: one frame through the configured stages, and what the floor anchor
 * made of it — whether the floor the network sees agrees with {@code camera.*}. A robot whose height or pitch is
 * configured wrong gets distances scaled wrong; this is where an installer finds out before it drives.
 */
final class FloorCheck {
    private FloorCheck() {}

    static String line(MdeasModel model, Mat frame, NodeConfig config) {
        try {
            return check(model, frame, config);
        } catch (OrtException | RuntimeException e) {
            return "floor: FAILED running the model on the first frame: " + e.getMessage();
        }
    }

    private static String check(MdeasModel model, Mat frame, NodeConfig config) throws OrtException {
        FloorAnchorParams params = StageParams.floorAnchorParams(config);
        if (!params.enabled()) {
            return "floor: not checked (depth.floor_anchor is off)";
        }
        CameraMount mount = NodeService.mountFor(config); // the mount `run` would use (the demo clip brings its own)
        FloorScaleAnchor anchor = new FloorScaleAnchor(params);
        try (RollingBackground bg = new RollingBackground(StageParams.backgroundParams(config), model.inputSize());
             FrameProcessor p = new FrameProcessor(model, bg, mount,
                     new EdgeRefiner(StageParams.maskEdgeParams(config), StageParams.depthEdgeParams(config),
                             model.inputSize()), anchor,
                     new BlobExtractor(StageParams.blobParams(config)),
                     new FloorAwareScanner(StageParams.scanParams(config)),
                     new ObstacleTracker(StageParams.trackerParams(config)), List.of(),
                     new PipelineMetrics(new SimpleMeterRegistry(), () -> 0), StageParams.outputParams(config),
                     StageParams.frameFit(config))) {
            p.process(frame, 0, System.currentTimeMillis(), System.nanoTime());
        }
        // the config counts a downward tilt as positive (0.0 - p: no "-0.0" for a level camera)
        String mountText = String.format(Locale.ROOT, "camera.height_m=%.3f, pitch_deg=%.1f, hfov_deg=%.1f",
                mount.heightM(), 0.0 - mount.pitchDeg(), mount.hfovDeg());
        return switch (anchor.lastOutcome()) {
            case ANCHORED -> String.format(Locale.ROOT, "floor: OK the first frame's floor (%.0f %% of the image, "
                    + "within %.1f m) agrees with %s: depth x %.3f", 100 * anchor.lastFloorShare(), params.maxRangeM(),
                    mountText, anchor.factor());
            case TOO_LITTLE_FLOOR -> String.format(Locale.ROOT, "floor: not checked: the first frame shows too little "
                    + "floor (%.0f %% of the image within %.1f m, %.0f %% needed); point the camera at open floor to "
                    + "check %s", 100 * anchor.lastFloorShare(), params.maxRangeM(), 100 * params.minFloorShare(),
                    mountText);
            case IMPLAUSIBLE -> String.format(Locale.ROOT, "floor: WARNING the first frame's floor is more than a factor "
                    + "%.2f %s than %s put it: measure the camera's height and tilt and set camera.* (until then "
                    + "depth keeps the network's own scale)", params.maxCorrection(),
                    anchor.lastEstimate() > 1 ? "nearer" : "farther", mountText);
            case OFF -> "floor: not checked (depth.floor_anchor is off)";
        };
    }
}
