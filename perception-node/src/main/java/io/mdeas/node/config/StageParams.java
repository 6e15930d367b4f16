package io.mdeas.node.config;

import io.mdeas.node.analysis.BlobParams;
import io.mdeas.node.analysis.CameraMount;
import io.mdeas.node.analysis.DepthEdgeParams;
import io.mdeas.node.analysis.FloorAnchorParams;
import io.mdeas.node.analysis.MaskEdgeParams;
import io.mdeas.node.analysis.ScanParams;
import io.mdeas.node.background.BackgroundParams;
import io.mdeas.node.capture.SourceOptions;
import io.mdeas.node.inference.ModelOptions;
import io.mdeas.node.pipeline.FrameFit;
import io.mdeas.node.pipeline.OutputParams;
import io.mdeas.node.tracking.TrackerParams;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;

/** Maps the validated configuration onto the stages' parameter records. */
public final class StageParams {
    private StageParams() {}

    public static CameraMount cameraMount(NodeConfig c) {
        // The config counts a downward tilt as positive; CameraMount counts it as negative.
        return build("camera.*", () -> new CameraMount(c.get(ConfigKeys.CAMERA_HEIGHT_M),
                -c.get(ConfigKeys.CAMERA_PITCH_DEG), c.get(ConfigKeys.CAMERA_HFOV_DEG)));
    }

    public static BackgroundParams backgroundParams(NodeConfig c) {
        return build("background.*", () -> new BackgroundParams(c.get(ConfigKeys.BACKGROUND_PIXEL_DIFF_LEVELS),
                c.get(ConfigKeys.BACKGROUND_STABLE_FRAMES), c.get(ConfigKeys.BACKGROUND_STABLE_MAX_CHANGED_FRAC),
                c.get(ConfigKeys.BACKGROUND_BLEND_ALPHA), c.get(ConfigKeys.BACKGROUND_MASK_THRESHOLD),
                c.get(ConfigKeys.BACKGROUND_GLOBAL_CHANGE_FRAC), c.get(ConfigKeys.BACKGROUND_GLOBAL_CHANGE_FRAMES)));
    }

    public static BlobParams blobParams(NodeConfig c) {
        return build("detect.*", () -> new BlobParams(c.get(ConfigKeys.DETECT_MASK_THRESHOLD),
                c.get(ConfigKeys.DETECT_MORPH_KERNEL_PX), c.get(ConfigKeys.DETECT_MIN_AREA_FRAC),
                c.get(ConfigKeys.DETECT_DEPTH_PERCENTILE)));
    }

    public static MaskEdgeParams maskEdgeParams(NodeConfig c) {
        return build("mask.*", () -> new MaskEdgeParams(c.get(ConfigKeys.MASK_EDGE_REFINE),
                c.get(ConfigKeys.MASK_EDGE_REFINE_RADIUS_PX), c.get(ConfigKeys.MASK_EDGE_REFINE_EPS)));
    }

    public static DepthEdgeParams depthEdgeParams(NodeConfig c) {
        return build("depth.edge_refine*", () -> new DepthEdgeParams(c.get(ConfigKeys.DEPTH_EDGE_REFINE),
                c.get(ConfigKeys.DEPTH_EDGE_REFINE_RADIUS_PX), c.get(ConfigKeys.DEPTH_EDGE_REFINE_EPS)));
    }

    public static FloorAnchorParams floorAnchorParams(NodeConfig c) {
        return build("depth.*", () -> new FloorAnchorParams(c.get(ConfigKeys.DEPTH_FLOOR_ANCHOR),
                c.get(ConfigKeys.DEPTH_FLOOR_ANCHOR_RANGE_M), c.get(ConfigKeys.DEPTH_FLOOR_ANCHOR_MIN_SHARE),
                c.get(ConfigKeys.DEPTH_FLOOR_ANCHOR_MAX_CORRECTION)));
    }

    public static ScanParams scanParams(NodeConfig c) {
        return build("scan.*", () -> new ScanParams(c.get(ConfigKeys.SCAN_SECTORS), c.get(ConfigKeys.SCAN_RANGE_MIN_M),
                c.get(ConfigKeys.SCAN_RANGE_MAX_M), c.get(ConfigKeys.SCAN_FLOOR_TOLERANCE_M),
                c.get(ConfigKeys.SCAN_MAX_HEIGHT_M), c.get(ConfigKeys.SCAN_MIN_POINTS)));
    }

    public static TrackerParams trackerParams(NodeConfig c) {
        return build("tracking.*, alert.*, change.*", () -> new TrackerParams(c.get(ConfigKeys.TRACKING_CONFIRM_HITS),
                c.get(ConfigKeys.TRACKING_CONFIRM_WINDOW), c.get(ConfigKeys.TRACKING_END_AFTER_MISSING),
                c.get(ConfigKeys.TRACKING_MIN_IOU), c.get(ConfigKeys.TRACKING_MAX_CENTROID_JUMP),
                c.get(ConfigKeys.TRACKING_UPDATE_INTERVAL_MS), c.get(ConfigKeys.ALERT_NEAR_M),
                c.get(ConfigKeys.ALERT_NEAR_HYSTERESIS_M), c.get(ConfigKeys.CHANGE_FRAC), c.get(ConfigKeys.CHANGE_MIN_MS)));
    }

    public static OutputParams outputParams(NodeConfig c) {
        return build("output.*", () -> new OutputParams(c.get(ConfigKeys.OUTPUT_OBSTACLES_MIN_INTERVAL_MS),
                c.get(ConfigKeys.OUTPUT_SCAN_MIN_INTERVAL_MS)));
    }

    public static FrameFit frameFit(NodeConfig c) {
        return FrameFit.valueOf(c.get(ConfigKeys.MODEL_FRAME_FIT).toUpperCase(Locale.ROOT));
    }

    public static ModelOptions modelOptions(NodeConfig c) {
        String path = c.get(ConfigKeys.MODEL_PATH);
        String cache = c.get(ConfigKeys.MODEL_TRT_CACHE_DIR);
        return build("model.*", () -> new ModelOptions(path.isEmpty() ? null : Path.of(path),
                Arrays.asList(c.get(ConfigKeys.MODEL_PROVIDERS).split(",")), c.get(ConfigKeys.MODEL_CPU_THREADS),
                c.get(ConfigKeys.MODEL_TRT_FP16), cache.isEmpty() ? null : Path.of(cache),
                ModelOptions.MirrorAverage.parse(c.get(ConfigKeys.MODEL_MIRROR_AVERAGE))));
    }

    public static SourceOptions sourceOptions(NodeConfig c) {
        String format = c.get(ConfigKeys.SOURCE_PIXEL_FORMAT);
        return build("source.*", () -> new SourceOptions(c.get(ConfigKeys.SOURCE_URI), c.get(ConfigKeys.SOURCE_WIDTH),
                c.get(ConfigKeys.SOURCE_HEIGHT), c.get(ConfigKeys.SOURCE_FPS), format.isEmpty() ? null : format,
                c.get(ConfigKeys.SOURCE_REALTIME), c.get(ConfigKeys.SOURCE_MAX_FRAMES),
                seconds(c.get(ConfigKeys.SOURCE_RETRY_MIN_S)), seconds(c.get(ConfigKeys.SOURCE_RETRY_MAX_S))));
    }

    /** The background image to start from, or null to learn it. */
    public static Path backgroundImage(NodeConfig c) {
        String s = c.get(ConfigKeys.SOURCE_BACKGROUND);
        return s.isEmpty() ? null : Path.of(s);
    }

    private static Duration seconds(double s) {
        return Duration.ofNanos(Math.round(s * 1e9));
    }

    /** Stage records check their own invariants; their complaint becomes a one-line config error. */
    private static <T> T build(String keys, Supplier<T> make) {
        try {
            return make.get();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(keys + ": " + e.getMessage());
        }
    }
}
