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
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The registry of every configuration key of the perception node. This is the single place that says
 * which keys exist, their types, defaults, ranges and meanings; {@code docs/CONFIG.md} is generated from it.
 * Defaults of stage parameters come from the stages' own {@code DEFAULTS} records, so they cannot disagree.
 */
public final class ConfigKeys {
    private ConfigKeys() {}

    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9_-]{0,64}");
    private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9.\\-]+:\\d{1,5}|\\[[0-9a-fA-F:]+]:\\d{1,5}");
    private static final Pattern BROKER_URI = Pattern.compile("(tcp|ssl)://([A-Za-z0-9.\\-]+|\\[[0-9a-fA-F:]+]):\\d{1,5}");
    private static final Predicate<String> EMPTY_OR_READABLE_FILE = s -> s.isEmpty() || readableFile(s);

    // --- node -------------------------------------------------------------------------------------------
    public static final ConfigKey<String> NODE_ID_KEY = ConfigKey.text("node.id", "",
            s -> NODE_ID.matcher(s).matches(), "letters, digits, '-' or '_' (at most 64), or empty", false,
            "Node name used in MQTT topics `mdeas/<node-id>/...`; empty means the host name (sanitised).");

    // --- source -----------------------------------------------------------------------------------------
    public static final ConfigKey<String> SOURCE_URI = ConfigKey.text("source.uri", SourceOptions.DEFAULTS.uri(),
            s -> s.equals("demo") || s.matches("(?i)(v4l2:|file:|dir:|rtsps?://|https?://).+"),
            "demo, v4l2:/dev/videoN, file:PATH, dir:PATH, rtsp://..., http(s)://...", false,
            "What to read frames from: `demo` (the bundled clip), a V4L2 camera, a video file, a folder of "
                    + "images (sorted by name) or a stream URL.");
    public static final ConfigKey<Integer> SOURCE_WIDTH = ConfigKey.integer("source.width",
            SourceOptions.DEFAULTS.width(), 0, 8192, "Capture width asked of a camera, pixels; 0 = the device's default.");
    public static final ConfigKey<Integer> SOURCE_HEIGHT = ConfigKey.integer("source.height",
            SourceOptions.DEFAULTS.height(), 0, 8192, "Capture height asked of a camera, pixels; 0 = the device's default.");
    public static final ConfigKey<Double> SOURCE_FPS = ConfigKey.decimal("source.fps", SourceOptions.DEFAULTS.fps(),
            0, 240, "Frame rate asked of a camera, or the pacing rate of `dir:` with `source.realtime`; 0 = default.");
    public static final ConfigKey<String> SOURCE_PIXEL_FORMAT = ConfigKey.text("source.pixel_format", "",
            s -> s.isEmpty() || s.matches("[a-z0-9_]+"), "empty or an FFmpeg pixel/input format name", false,
            "V4L2 input format, e.g. `mjpeg` or `yuyv422`; empty = the device's default.");
    public static final ConfigKey<Double> SOURCE_RETRY_MIN_S = ConfigKey.decimal("source.retry_min_s",
            SourceOptions.DEFAULTS.retryMin().toMillis() / 1000.0, 0.05, 60,
            "First delay before reopening a failed camera or stream, seconds; doubles up to the maximum.");
    public static final ConfigKey<Double> SOURCE_RETRY_MAX_S = ConfigKey.decimal("source.retry_max_s",
            SourceOptions.DEFAULTS.retryMax().toMillis() / 1000.0, 0.1, 600,
            "Longest delay between reopen attempts, seconds.");
    public static final ConfigKey<String> SOURCE_BACKGROUND = ConfigKey.text("source.background", "",
            EMPTY_OR_READABLE_FILE, "empty or a readable PNG file", false,
            "Background image to start from (PNG); empty means learn it from the first frames.");
    public static final ConfigKey<Boolean> SOURCE_REALTIME = ConfigKey.bool("source.realtime", false,
            "Pace file sources at their native frame rate (as a live camera would deliver them).");
    public static final ConfigKey<Integer> SOURCE_MAX_FRAMES = ConfigKey.integer("source.max_frames", 0,
            0, Integer.MAX_VALUE, "Stop (exit 0) after this many captured frames; 0 means no limit.");

    // --- model ------------------------------------------------------------------------------------------
    public static final ConfigKey<String> MODEL_PATH = ConfigKey.text("model.path", "",
            EMPTY_OR_READABLE_FILE, "empty or a readable .onnx file", false,
            "ONNX model file; empty means the bundled model.");
    public static final ConfigKey<String> MODEL_PROVIDERS = ConfigKey.text("model.providers",
            String.join(",", ModelOptions.DEFAULTS.providers()),
            s -> s.matches("(tensorrt|cuda|cpu)(,(tensorrt|cuda|cpu))*"),
            "a comma-separated list of tensorrt, cuda, cpu", false,
            "ONNX Runtime execution providers to try, in order; the first that loads is used.");
    public static final ConfigKey<Integer> MODEL_CPU_THREADS = ConfigKey.integer("model.cpu_threads",
            ModelOptions.DEFAULTS.cpuThreads(), 0, 256, "Intra-op threads for the CPU provider; 0 = one less than the cores (at least 1), leaving a core to capture, analysis and publishing.");
    public static final ConfigKey<String> MODEL_FRAME_FIT = ConfigKey.choice("model.frame_fit",
            FrameFit.SQUASH.name().toLowerCase(Locale.ROOT), List.of("squash", "center_crop"),
            "How a frame is fitted to the square model input: `squash` (whole frame, aspect not kept) or "
                    + "`center_crop` (the centred square: square pixels, the sides are lost).");
    public static final ConfigKey<Boolean> MODEL_TRT_FP16 = ConfigKey.bool("model.trt_fp16",
            ModelOptions.DEFAULTS.trtFp16(), "Let TensorRT build fp16 engines. Off by default: fp16 is a property of the weights and must be checked "
                    + "per model (scripts/gpu_check.py); robot-jetson.yaml turns it on for a bundled model whose GPU check passed.");
    public static final ConfigKey<String> MODEL_MIRROR_AVERAGE = ConfigKey.choice("model.mirror_average",
            ModelOptions.DEFAULTS.mirrorAverage().name().toLowerCase(Locale.ROOT), List.of("auto", "true", "false"),
            "Run each frame together with its left-right mirror image and average the two answers: better depth on "
                    + "every measure of the model card (e.g. SSIM +0.002, delta1 +0.005) for a second pass per frame. "
                    + "`auto`: on with a GPU provider (tensorrt, cuda), off on the CPU, which pays the full second pass "
                    + "(also after a fallback from the GPU).");
    public static final ConfigKey<String> MODEL_TRT_CACHE_DIR = ConfigKey.text("model.trt_cache_dir", "", s -> true,
            "empty or a directory path", false,
            "Where TensorRT keeps built engines between runs (saves minutes at start); empty = no cache.");

    // --- camera mount -----------------------------------------------------------------------------------
    public static final ConfigKey<Double> CAMERA_HEIGHT_M = ConfigKey.decimal("camera.height_m",
            CameraMount.DEFAULTS.heightM(), 0.02, 5.0, "Height of the camera's optical centre above the floor, metres.");
    /** Positive = looking down (as a mount is usually described); {@link CameraMount} counts down as negative. */
    public static final ConfigKey<Double> CAMERA_PITCH_DEG = ConfigKey.decimal("camera.pitch_deg",
            -CameraMount.DEFAULTS.pitchDeg(), -45.0, 85.0,
            "Downward tilt of the optical axis below the horizontal, degrees (positive looks at the floor).");
    public static final ConfigKey<Double> CAMERA_HFOV_DEG = ConfigKey.decimal("camera.hfov_deg",
            CameraMount.DEFAULTS.hfovDeg(), 10.0, 170.0, "Horizontal field of view of the camera, degrees.");

    // --- background -------------------------------------------------------------------------------------
    private static final BackgroundParams BG = BackgroundParams.DEFAULTS;
    public static final ConfigKey<Integer> BACKGROUND_PIXEL_DIFF_LEVELS = ConfigKey.integer(
            "background.pixel_diff_levels", BG.pixelDiffLevels(), 0, 255,
            "A pixel has changed when a colour channel differs by more than this many levels (0-255).");
    public static final ConfigKey<Integer> BACKGROUND_STABLE_FRAMES = ConfigKey.integer("background.stable_frames",
            BG.stableFrames(), 1, 10_000, "Consecutive quiet frames before the scene counts as stable (background taken).");
    public static final ConfigKey<Double> BACKGROUND_STABLE_MAX_CHANGED_FRAC = ConfigKey.decimal(
            "background.stable_max_changed_frac", BG.stableMaxChangedFrac(), 0.0, 0.99,
            "A frame is quiet when less than this share of pixels changed since the previous one.");
    public static final ConfigKey<Double> BACKGROUND_BLEND_ALPHA = ConfigKey.decimal("background.blend_alpha",
            BG.blendAlpha(), 0.0, 1.0, "Weight of the current frame in the slow per-frame blend of unchanged pixels.");
    public static final ConfigKey<Double> BACKGROUND_MASK_THRESHOLD = ConfigKey.decimal("background.mask_threshold",
            BG.maskThreshold(), 0.0, 1.0, "Pixels with mask probability at or above this are not blended into the background.");
    public static final ConfigKey<Double> BACKGROUND_GLOBAL_CHANGE_FRAC = ConfigKey.decimal(
            "background.global_change_frac", BG.globalChangeFrac(), 0.01, 1.0,
            "A share of pixels differing from the background at least this large is a global change (lights, camera moved).");
    public static final ConfigKey<Integer> BACKGROUND_GLOBAL_CHANGE_FRAMES = ConfigKey.integer(
            "background.global_change_frames", BG.globalChangeFrames(), 1, 10_000,
            "Consecutive globally changed frames that make the background start again.");

    // --- detection (mask → obstacles) -----------------------------------------------------------------
    public static final ConfigKey<Double> DETECT_MASK_THRESHOLD = ConfigKey.decimal("detect.mask_threshold",
            BlobParams.DEFAULTS.maskThreshold(), 0.01, 0.99, "Mask probability at or above which a pixel is changed.");
    public static final ConfigKey<Integer> DETECT_MORPH_KERNEL_PX = ConfigKey.integer("detect.morph_kernel_px",
            BlobParams.DEFAULTS.morphKernelPx(), 0, 64, "Side of the open/close clean-up kernel, model-map pixels; 0 = none.");
    public static final ConfigKey<Double> DETECT_MIN_AREA_FRAC = ConfigKey.decimal("detect.min_area_frac",
            BlobParams.DEFAULTS.minAreaFrac(), 0.0, 0.99, "Changed regions smaller than this share of the image are ignored.");
    public static final ConfigKey<Double> DETECT_DEPTH_PERCENTILE = ConfigKey.decimal("detect.depth_percentile",
            BlobParams.DEFAULTS.depthPercentile(), 0.0, 100.0,
            "Percentile of depth inside an obstacle taken as its nearest part (low, not the minimum, to resist outliers).");

    // --- mask: edge refinement -------------------------------------------------------------------------
    public static final ConfigKey<Boolean> MASK_EDGE_REFINE = ConfigKey.bool("mask.edge_refine",
            MaskEdgeParams.DEFAULTS.enabled(),
            "Snap the network's mask to the outlines in the frame (a colour-guided filter): the network draws outlines "
                    + "in blocks of a few pixels, the frame has them sharp. Every stage after inference uses the refined "
                    + "mask.");
    public static final ConfigKey<Integer> MASK_EDGE_REFINE_RADIUS_PX = ConfigKey.integer("mask.edge_refine_radius_px",
            MaskEdgeParams.DEFAULTS.radiusPx(), 1, 32,
            "Half-side of the refinement's window, in model-input pixels (224 across for the bundled model).");
    public static final ConfigKey<Double> MASK_EDGE_REFINE_EPS = ConfigKey.decimal("mask.edge_refine_eps",
            MaskEdgeParams.DEFAULTS.eps(), 1e-6, 1.0,
            "Regularisation of the refinement: the colour variance (RGB in [0, 1]) below which a window's mask is only "
                    + "smoothed instead of following the image; larger follows only stronger edges.");

    // --- depth: edge refinement ------------------------------------------------------------------------
    public static final ConfigKey<Boolean> DEPTH_EDGE_REFINE = ConfigKey.bool("depth.edge_refine",
            DepthEdgeParams.DEFAULTS.enabled(),
            "Smooth the depth map's block artefacts along the frame (a colour-guided filter over the whole map, as for "
                    + "the mask but with a smaller window): smoothed within a region of one colour, steps kept at the "
                    + "frame's edges. Depth SSIM +0.006 for about 4 ms of CPU per frame (x86 core), in sequence with "
                    + "inference: turn on where the CPU has the time.");
    public static final ConfigKey<Integer> DEPTH_EDGE_REFINE_RADIUS_PX = ConfigKey.integer(
            "depth.edge_refine_radius_px", DepthEdgeParams.DEFAULTS.radiusPx(), 1, 32,
            "Half-side of the depth refinement's window, in model-input pixels; larger windows smooth the nearest "
                    + "obstacle's distance.");
    public static final ConfigKey<Double> DEPTH_EDGE_REFINE_EPS = ConfigKey.decimal("depth.edge_refine_eps",
            DepthEdgeParams.DEFAULTS.eps(), 1e-6, 1.0,
            "Regularisation of the depth refinement (colour variance, RGB in [0, 1]); larger follows only stronger edges.");

    // --- depth: floor anchor ------------------------------------------------------------------------------
    public static final ConfigKey<Boolean> DEPTH_FLOOR_ANCHOR = ConfigKey.bool("depth.floor_anchor",
            FloorAnchorParams.DEFAULTS.enabled(),
            "Rescale each depth map so that the floor it shows lies where the camera mount (`camera.*`) puts it: the "
                    + "network guesses each image's overall scale, the known mount fixes it. Needs `camera.height_m` "
                    + "and `camera.pitch_deg` measured on the robot; turn off for a camera that does not see a flat floor.");
    public static final ConfigKey<Double> DEPTH_FLOOR_ANCHOR_RANGE_M = ConfigKey.decimal("depth.floor_anchor_range_m",
            FloorAnchorParams.DEFAULTS.maxRangeM(), 0.1, 20.0,
            "Only floor pixels whose floor (from the mount) is nearer than this fix the scale, metres.");
    public static final ConfigKey<Double> DEPTH_FLOOR_ANCHOR_MIN_SHARE = ConfigKey.decimal(
            "depth.floor_anchor_min_share", FloorAnchorParams.DEFAULTS.minFloorShare(), 0.0, 0.9,
            "With fewer unchanged floor pixels than this share of the image in view, a frame keeps the last scale.");
    public static final ConfigKey<Double> DEPTH_FLOOR_ANCHOR_MAX_CORRECTION = ConfigKey.decimal(
            "depth.floor_anchor_max_correction", FloorAnchorParams.DEFAULTS.maxCorrection(), 1.01, 10.0,
            "A frame whose floor asks for a larger factor (or its inverse) keeps the last scale, and a warning says the "
                    + "camera mount is likely misconfigured.");

    // --- virtual scan -----------------------------------------------------------------------------------
    public static final ConfigKey<Integer> SCAN_SECTORS = ConfigKey.integer("scan.sectors",
            ScanParams.DEFAULTS.sectors(), 1, 4096, "Number of angular sectors of the virtual scan across the field of view.");
    public static final ConfigKey<Double> SCAN_RANGE_MIN_M = ConfigKey.decimal("scan.range_min_m",
            ScanParams.DEFAULTS.rangeMinM(), 0.0, 100.0, "Scan returns nearer than this are ignored, metres.");
    public static final ConfigKey<Double> SCAN_RANGE_MAX_M = ConfigKey.decimal("scan.range_max_m",
            ScanParams.DEFAULTS.rangeMaxM(), 0.01, 100.0, "Scan returns farther than this are ignored, metres.");
    public static final ConfigKey<Double> SCAN_FLOOR_TOLERANCE_M = ConfigKey.decimal("scan.floor_tolerance_m",
            ScanParams.DEFAULTS.floorToleranceM(), 0.0, 1.0, "Points lower than this above the floor count as floor, metres.");
    public static final ConfigKey<Double> SCAN_MAX_HEIGHT_M = ConfigKey.decimal("scan.max_height_m",
            ScanParams.DEFAULTS.maxHeightM(), 0.01, 10.0, "Points higher than this above the floor are ignored, metres.");
    public static final ConfigKey<Integer> SCAN_MIN_POINTS = ConfigKey.integer("scan.min_points",
            ScanParams.DEFAULTS.minPoints(), 1, 64,
            "A sector's range is that of its N-th nearest point, so a few stray depth pixels make no phantom return.");

    // --- tracking and events ---------------------------------------------------------------------------
    private static final TrackerParams TR = TrackerParams.DEFAULTS;
    public static final ConfigKey<Integer> TRACKING_CONFIRM_HITS = ConfigKey.integer("tracking.confirm_hits",
            TR.confirmHits(), 1, 63, "An obstacle exists once seen in this many (M) of the last `tracking.confirm_window` frames.");
    public static final ConfigKey<Integer> TRACKING_CONFIRM_WINDOW = ConfigKey.integer("tracking.confirm_window",
            TR.confirmWindow(), 1, 63, "The window N of frames for `tracking.confirm_hits`.");
    public static final ConfigKey<Integer> TRACKING_END_AFTER_MISSING = ConfigKey.integer("tracking.end_after_missing",
            TR.endAfterMissing(), 1, 10_000, "An obstacle ends after this many consecutive frames without it.");
    public static final ConfigKey<Double> TRACKING_MIN_IOU = ConfigKey.decimal("tracking.min_iou", TR.minIou(), 0.01,
            1.0, "Bounding-box overlap (IoU) that associates a region with an existing obstacle.");
    public static final ConfigKey<Double> TRACKING_MAX_CENTROID_JUMP = ConfigKey.decimal("tracking.max_centroid_jump",
            TR.maxCentroidJump(), 0.0, 1.0,
            "Failing IoU, a region whose centre moved less than this share of the image diagonal associates.");
    public static final ConfigKey<Integer> TRACKING_UPDATE_INTERVAL_MS = ConfigKey.integer("tracking.update_interval_ms",
            (int) TR.updateIntervalMs(), 0, 3_600_000, "`obstacle_update` events per obstacle at most this often, ms.");
    public static final ConfigKey<Double> ALERT_NEAR_M = ConfigKey.decimal("alert.near_m", TR.nearM(), 0.0, 20.0,
            "An `obstacle_near` event is sent when an obstacle comes nearer than this, metres.");
    public static final ConfigKey<Double> ALERT_NEAR_HYSTERESIS_M = ConfigKey.decimal("alert.near_hysteresis_m",
            TR.nearHysteresisM(), 0.0, 10.0,
            "An obstacle must move this much beyond `alert.near_m` before it can be reported near again, metres.");
    public static final ConfigKey<Double> CHANGE_FRAC = ConfigKey.decimal("change.frac", TR.changeFrac(), 0.001, 0.99,
            "`change_start` when this share of pixels has changed for `change.min_ms`; `change_end` when below for as long.");
    public static final ConfigKey<Integer> CHANGE_MIN_MS = ConfigKey.integer("change.min_ms", (int) TR.changeMinMs(), 0,
            600_000, "How long the changed share must stay above (or below) `change.frac`, ms.");

    // --- output rates -----------------------------------------------------------------------------------
    public static final ConfigKey<Integer> OUTPUT_OBSTACLES_MIN_INTERVAL_MS = ConfigKey.integer(
            "output.obstacles_min_interval_ms", (int) OutputParams.DEFAULTS.obstaclesMinIntervalMs(), 0, 600_000,
            "`obstacles` messages at most this often, ms (0 = every processed frame); the empty list after the last "
                    + "obstacle ends is always sent.");
    public static final ConfigKey<Integer> OUTPUT_SCAN_MIN_INTERVAL_MS = ConfigKey.integer("output.scan_min_interval_ms",
            (int) OutputParams.DEFAULTS.scanMinIntervalMs(), 0, 600_000,
            "`scan` messages at most this often, ms (0 = every processed frame).");

    // --- stats ------------------------------------------------------------------------------------------
    public static final ConfigKey<Double> STATS_INTERVAL_S = ConfigKey.decimal("stats.interval_s", 5.0, 0.5, 3600.0,
            "Period of the `stats` message and of the fps gauges, seconds.");

    // --- output -----------------------------------------------------------------------------------------
    public static final ConfigKey<Boolean> OUTPUT_PRINT = ConfigKey.bool("output.print", false,
            "Also write every message as one JSON line `{topic, payload}` to stdout.");

    // --- MQTT -------------------------------------------------------------------------------------------
    public static final ConfigKey<String> MQTT_BROKER = ConfigKey.text("mqtt.broker", "auto",
            s -> s.equals("auto") || s.equals("embedded") || s.equals("none") || BROKER_URI.matcher(s).matches(),
            "auto, embedded, none, tcp://host:port or ssl://host:port", false,
            "Where to publish. `auto`: a broker on `mqtt.embedded_listen` if one answers, else start the embedded "
                    + "one there; `embedded`: always start the in-process broker; `none`: publish nowhere.");
    public static final ConfigKey<String> MQTT_EMBEDDED_LISTEN = ConfigKey.text("mqtt.embedded_listen",
            "127.0.0.1:1883", s -> HOST_PORT.matcher(s).matches(), "host:port", false,
            "Address probed by `auto` and bound by the embedded broker.");
    public static final ConfigKey<String> MQTT_USERNAME = ConfigKey.text("mqtt.username", "", s -> true,
            "any text", false, "User name for the broker; empty means anonymous.");
    public static final ConfigKey<String> MQTT_PASSWORD = ConfigKey.text("mqtt.password", "", s -> true,
            "any text", true, "Password for the broker (prefer the environment variable `MDEAS_MQTT_PASSWORD`).");
    public static final ConfigKey<String> MQTT_TLS_CA_FILE = ConfigKey.text("mqtt.tls.ca_file", "",
            EMPTY_OR_READABLE_FILE, "empty or a readable PEM file", false,
            "PEM CA certificate(s) to trust for `ssl://`; empty means the JVM's trust store.");
    public static final ConfigKey<String> MQTT_TLS_CERT_FILE = ConfigKey.text("mqtt.tls.cert_file", "",
            EMPTY_OR_READABLE_FILE, "empty or a readable PEM file", false,
            "PEM client certificate (chain) for mutual TLS; needs `mqtt.tls.key_file`.");
    public static final ConfigKey<String> MQTT_TLS_KEY_FILE = ConfigKey.text("mqtt.tls.key_file", "",
            EMPTY_OR_READABLE_FILE, "empty or a readable PEM file", false,
            "PEM PKCS#8 private key of the client certificate (unencrypted).");
    public static final ConfigKey<Integer> MQTT_KEEPALIVE_S = ConfigKey.integer("mqtt.keepalive_s", 10, 1, 600,
            "MQTT keep-alive, seconds; the broker sends the `offline` last will about 1.5× this after a crash.");
    public static final ConfigKey<Double> MQTT_RECONNECT_MIN_S = ConfigKey.decimal("mqtt.reconnect_min_s", 0.5,
            0.05, 60.0, "First reconnect delay after losing the broker, seconds; doubles up to the maximum.");
    public static final ConfigKey<Double> MQTT_RECONNECT_MAX_S = ConfigKey.decimal("mqtt.reconnect_max_s", 30.0,
            0.1, 600.0, "Longest delay between reconnect attempts, seconds.");
    public static final ConfigKey<Integer> MQTT_EVENT_BUFFER = ConfigKey.integer("mqtt.event_buffer", 1000, 1,
            1_000_000, "Events kept while the broker is unreachable; when full the oldest is dropped and counted.");
    public static final ConfigKey<Integer> MQTT_QOS_AVAILABILITY = qos("availability", 1);
    public static final ConfigKey<Integer> MQTT_QOS_EVENTS = qos("events", 1);
    public static final ConfigKey<Integer> MQTT_QOS_OBSTACLES = qos("obstacles", 0);
    public static final ConfigKey<Integer> MQTT_QOS_SCAN = qos("scan", 0);
    public static final ConfigKey<Integer> MQTT_QOS_STATS = qos("stats", 0);

    // --- HTTP -------------------------------------------------------------------------------------------
    public static final ConfigKey<String> HTTP_LISTEN = ConfigKey.text("http.listen", "127.0.0.1:9464",
            s -> s.equals("none") || HOST_PORT.matcher(s).matches(), "host:port or none", false,
            "Address of the HTTP server for `/metrics` and `/health`; `none` disables it.");

    // --- health -----------------------------------------------------------------------------------------
    public static final ConfigKey<Double> HEALTH_FRAME_TIMEOUT_S = ConfigKey.decimal("health.frame_timeout_s", 5.0,
            0.1, 3600.0, "The camera check fails when no frame arrived for this long, seconds.");

    private static ConfigKey<Integer> qos(String topic, int def) {
        return ConfigKey.integer("mqtt.qos." + topic, def, 0, 2, "MQTT QoS of the `" + topic + "` topic.");
    }

    /** Every key, in documentation order. */
    public static final List<ConfigKey<?>> ALL = List.of(
            NODE_ID_KEY,
            SOURCE_URI, SOURCE_BACKGROUND, SOURCE_REALTIME, SOURCE_MAX_FRAMES, SOURCE_WIDTH, SOURCE_HEIGHT,
            SOURCE_FPS, SOURCE_PIXEL_FORMAT, SOURCE_RETRY_MIN_S, SOURCE_RETRY_MAX_S,
            MODEL_PATH, MODEL_PROVIDERS, MODEL_CPU_THREADS, MODEL_FRAME_FIT, MODEL_TRT_FP16, MODEL_TRT_CACHE_DIR, MODEL_MIRROR_AVERAGE,
            CAMERA_HEIGHT_M, CAMERA_PITCH_DEG, CAMERA_HFOV_DEG,
            BACKGROUND_PIXEL_DIFF_LEVELS, BACKGROUND_STABLE_FRAMES, BACKGROUND_STABLE_MAX_CHANGED_FRAC,
            BACKGROUND_BLEND_ALPHA, BACKGROUND_MASK_THRESHOLD, BACKGROUND_GLOBAL_CHANGE_FRAC,
            BACKGROUND_GLOBAL_CHANGE_FRAMES,
            MASK_EDGE_REFINE, MASK_EDGE_REFINE_RADIUS_PX, MASK_EDGE_REFINE_EPS,
            DETECT_MASK_THRESHOLD, DETECT_MORPH_KERNEL_PX, DETECT_MIN_AREA_FRAC, DETECT_DEPTH_PERCENTILE,
            DEPTH_EDGE_REFINE, DEPTH_EDGE_REFINE_RADIUS_PX, DEPTH_EDGE_REFINE_EPS,
            DEPTH_FLOOR_ANCHOR, DEPTH_FLOOR_ANCHOR_RANGE_M, DEPTH_FLOOR_ANCHOR_MIN_SHARE,
            DEPTH_FLOOR_ANCHOR_MAX_CORRECTION,
            SCAN_SECTORS, SCAN_RANGE_MIN_M, SCAN_RANGE_MAX_M, SCAN_FLOOR_TOLERANCE_M, SCAN_MAX_HEIGHT_M, SCAN_MIN_POINTS,
            TRACKING_CONFIRM_HITS, TRACKING_CONFIRM_WINDOW, TRACKING_END_AFTER_MISSING, TRACKING_MIN_IOU,
            TRACKING_MAX_CENTROID_JUMP, TRACKING_UPDATE_INTERVAL_MS, ALERT_NEAR_M, ALERT_NEAR_HYSTERESIS_M,
            CHANGE_FRAC, CHANGE_MIN_MS,
            STATS_INTERVAL_S,
            OUTPUT_PRINT, OUTPUT_OBSTACLES_MIN_INTERVAL_MS, OUTPUT_SCAN_MIN_INTERVAL_MS,
            MQTT_BROKER, MQTT_EMBEDDED_LISTEN, MQTT_USERNAME, MQTT_PASSWORD,
            MQTT_TLS_CA_FILE, MQTT_TLS_CERT_FILE, MQTT_TLS_KEY_FILE, MQTT_KEEPALIVE_S,
            MQTT_RECONNECT_MIN_S, MQTT_RECONNECT_MAX_S, MQTT_EVENT_BUFFER,
            MQTT_QOS_AVAILABILITY, MQTT_QOS_EVENTS, MQTT_QOS_OBSTACLES, MQTT_QOS_SCAN, MQTT_QOS_STATS,
            HTTP_LISTEN,
            HEALTH_FRAME_TIMEOUT_S);

    private static final Map<String, ConfigKey<?>> BY_NAME;

    static {
        Map<String, ConfigKey<?>> m = new LinkedHashMap<>();
        for (ConfigKey<?> k : ALL) {
            if (m.put(k.name(), k) != null) {
                throw new IllegalStateException("duplicate config key " + k.name());
            }
        }
        BY_NAME = Map.copyOf(m);
    }

    /** The key with this dotted name, if there is one. */
    public static Optional<ConfigKey<?>> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** The known key closest to a misspelt name (for "did you mean"), if any is reasonably close. */
    public static Optional<String> closest(String name) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String known : BY_NAME.keySet()) {
            int d = editDistance(name, known);
            if (d < bestDistance) {
                bestDistance = d;
                best = known;
            }
        }
        return bestDistance <= Math.max(2, name.length() / 4) ? Optional.ofNullable(best) : Optional.empty();
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static boolean readableFile(String s) {
        try {
            Path p = Path.of(s);
            return Files.isRegularFile(p) && Files.isReadable(p);
        } catch (InvalidPathException e) {
            return false;
        }
    }
}
