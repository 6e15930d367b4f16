package io.mdeas.node.pipeline;

import ai.onnxruntime.OrtException;
import io.mdeas.node.analysis.BlobExtractor;
import io.mdeas.node.analysis.CameraMount;
import io.mdeas.node.analysis.DepthEdgeParams;
import io.mdeas.node.analysis.EdgeRefiner;
import io.mdeas.node.analysis.FloorAnchorParams;
import io.mdeas.node.analysis.FloorAwareScanner;
import io.mdeas.node.analysis.FloorScaleAnchor;
import io.mdeas.node.analysis.MapGeometry;
import io.mdeas.node.analysis.MaskEdgeParams;
import io.mdeas.node.analysis.MaskAnalysis;
import io.mdeas.node.analysis.RangeScan;
import io.mdeas.node.background.BackgroundState;
import io.mdeas.node.background.RollingBackground;
import io.mdeas.node.inference.MdeasModel;
import io.mdeas.node.inference.NchwWriter;
import io.mdeas.node.publish.EventMessage;
import io.mdeas.node.publish.MessageSink;
import io.mdeas.node.publish.ObstaclesMessage;
import io.mdeas.node.publish.ScanMessage;
import io.mdeas.node.publish.Topic;
import io.mdeas.node.tracking.ObstacleTracker;
import io.mdeas.node.tracking.TrackingResult;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/**
 * One frame through every stage, on the calling thread: background → preprocess → inference → edges (mask, depth)
 * → floor anchor → analysis → tracking → sinks, with a timer around each stage. {@link FramePipeline} calls it from
 * its pipeline thread; tests call it directly.
 *
 * <p>Reused per frame: the model-sized frame, the NCHW input buffers (written in place), the model's output
 * buffers (wrapped once as an OpenCV matrix for the background update), the analysis matrices. What is
 * allocated per frame is small: result records and messages handed to the sinks.
 */
public final class FrameProcessor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FrameProcessor.class);

    private final MdeasModel model;
    private final RollingBackground background;
    private final CameraMount mount;
    private final EdgeRefiner edges;
    private final FloorScaleAnchor floorAnchor;
    private final BlobExtractor blobs;
    private final FloorAwareScanner scanner;
    private final ObstacleTracker tracker;
    private final List<MessageSink> sinks;
    private final PipelineMetrics metrics;
    private final OutputParams output;
    private final FrameFit fit;
    private final int size;
    private final Size modelSize;
    private final Mat small = new Mat();
    private final NchwWriter fgWriter;
    private final NchwWriter bgWriter;
    private final Mat maskView;
    private MapGeometry geometry;
    private long lastObstaclesTs = Long.MIN_VALUE;
    private long lastScanTs = Long.MIN_VALUE;

    /**
     * With the default edge refinements ({@link MaskEdgeParams#DEFAULTS}, {@link DepthEdgeParams#DEFAULTS}), floor
     * anchor ({@link FloorAnchorParams#DEFAULTS}) and squashed frames.
     */
    public FrameProcessor(MdeasModel model, RollingBackground background, CameraMount mount, BlobExtractor blobs,
                          FloorAwareScanner scanner, ObstacleTracker tracker, List<MessageSink> sinks,
                          PipelineMetrics metrics, OutputParams output) {
        this(model, background, mount,
                new EdgeRefiner(MaskEdgeParams.DEFAULTS, DepthEdgeParams.DEFAULTS, model.inputSize()),
                new FloorScaleAnchor(FloorAnchorParams.DEFAULTS), blobs, scanner, tracker, sinks, metrics, output,
                FrameFit.SQUASH);
    }

    public FrameProcessor(MdeasModel model, RollingBackground background, CameraMount mount,
                          EdgeRefiner edges, FloorScaleAnchor floorAnchor, BlobExtractor blobs,
                          FloorAwareScanner scanner,
                          ObstacleTracker tracker, List<MessageSink> sinks, PipelineMetrics metrics,
                          OutputParams output, FrameFit fit) {
        if (background.size() != model.inputSize()) {
            throw new IllegalArgumentException("background size " + background.size() + " != model input size "
                    + model.inputSize());
        }
        this.model = model;
        this.background = background;
        this.mount = mount;
        this.edges = edges;
        this.floorAnchor = floorAnchor;
        this.blobs = blobs;
        this.scanner = scanner;
        this.tracker = tracker;
        this.sinks = List.copyOf(sinks);
        this.metrics = metrics;
        this.output = output;
        this.fit = fit;
        this.size = model.inputSize();
        this.modelSize = new Size(size, size);
        this.fgWriter = new NchwWriter(size, model.fgInput());
        this.bgWriter = new NchwWriter(size, model.bgInput());
        this.maskView = new Mat(size, size, CV_32FC1, new FloatPointer(model.mask()));
    }

    /**
     * Processes one frame and publishes its results.
     *
     * @param frame        8-bit BGR, source size
     * @param index        0-based frame index from the source's start
     * @param ts           capture time, epoch ms
     * @param captureNanos capture time on {@link System#nanoTime()}, for the latency timer
     */
    public FrameResult process(Mat frame, long index, long ts, long captureNanos) throws OrtException {
        int w = frame.cols();
        int h = frame.rows();
        int side = Math.min(w, h);
        boolean crop = fit == FrameFit.CENTER_CROP && w != h;
        int rx = crop ? (w - side) / 2 : 0;
        int ry = crop ? (h - side) / 2 : 0;
        int rw = crop ? side : w;
        int rh = crop ? side : h;
        if (geometry == null || !geometry.fits(w, h, rx, ry, rw, rh, size, size)) {
            geometry = new MapGeometry(mount, w, h, rx, ry, rw, rh, size, size);
            log.info("frames {}x{} ({} {}x{} at {},{}) → model {}x{}; camera {} m high, pitch {}°, hfov {}°; depth "
                            + "floor anchor {}; edge refinement: mask {}, depth {}", w, h,
                    fit.name().toLowerCase(java.util.Locale.ROOT), rw, rh, rx, ry, size, size, mount.heightM(),
                    mount.pitchDeg(), mount.hfovDeg(), onOff(floorAnchor.params().enabled()),
                    onOff(edges.maskParams().enabled()), onOff(edges.depthParams().enabled()));
        }

        long t0 = System.nanoTime();
        if (crop) {
            try (Rect r = new Rect(rx, ry, rw, rh); Mat region = new Mat(frame, r)) {
                resize(region, small, modelSize, 0, 0, INTER_AREA);
            }
        } else {
            resize(frame, small, modelSize, 0, 0, INTER_AREA);
        }
        BackgroundState state = background.observe(small, ts);
        fgWriter.write(small);
        bgWriter.write(background.image());
        long t1 = System.nanoTime();
        metrics.preprocess.record(t1 - t0, TimeUnit.NANOSECONDS);

        model.run();
        long t2 = System.nanoTime();
        metrics.inference.record(t2 - t1, TimeUnit.NANOSECONDS);

        float maxDepth = model.info().maxDepthM();
        // every later stage (floor anchor, blobs, scan, background blending) reads the refined maps
        edges.refine(model.fgInput(), model.mask(), model.depth(), maxDepth);
        float depthFactor = floorAnchor.apply(model.depth(), model.mask(), geometry, maxDepth);
        metrics.floorAnchor(floorAnchor.lastOutcome(), depthFactor);
        MaskAnalysis mask = state.detectsChange()
                ? blobs.extract(model.mask(), model.depth(), geometry, maxDepth)
                : MaskAnalysis.EMPTY;
        RangeScan scan = scanner.scan(model.depth(), geometry, maxDepth);
        metrics.nearest(scan.nearest());
        background.blendOutside(small, maskView);
        long t3 = System.nanoTime();
        metrics.analysis.record(t3 - t2, TimeUnit.NANOSECONDS);

        TrackingResult tracking = tracker.update(mask.blobs(), mask.changedFrac(), state.detectsChange(), ts, index, w, h);
        publish(index, ts, scan, tracking);
        long latency = System.nanoTime() - captureNanos;
        metrics.latency.record(latency, TimeUnit.NANOSECONDS);
        return new FrameResult(index, ts, state, mask, scan, tracking, latency);
    }

    private void publish(long index, long ts, RangeScan scan, TrackingResult tracking) {
        if (!tracking.obstacles().isEmpty()) {
            if (ts - lastObstaclesTs >= output.obstaclesMinIntervalMs() || lastObstaclesTs == Long.MIN_VALUE) {
                lastObstaclesTs = ts;
                send(Topic.OBSTACLES, new ObstaclesMessage(ts, index, tracking.obstacles()));
            }
        } else if (tracking.lastJustEnded()) {
            lastObstaclesTs = ts;
            send(Topic.OBSTACLES, new ObstaclesMessage(ts, index, List.of()));
        }
        if (ts - lastScanTs >= output.scanMinIntervalMs() || lastScanTs == Long.MIN_VALUE) {
            lastScanTs = ts;
            send(Topic.SCAN, ScanMessage.of(ts, index, scan.angleMinDeg(), scan.angleIncrementDeg(),
                    scan.rangeMinM(), scan.rangeMaxM(), scan.ranges()));
        }
        for (EventMessage e : tracking.events()) {
            send(Topic.EVENTS, e);
        }
    }

    private void send(Topic topic, Object payload) {
        for (MessageSink sink : sinks) {
            try {
                sink.publish(topic, payload);
            } catch (RuntimeException e) {
                // One failing sink must not stop the others or the pipeline.
                log.warn("sink {} failed to publish {}: {}", sink.getClass().getSimpleName(), topic.suffix(), e.toString());
            }
        }
    }

    private static String onOff(boolean on) {
        return on ? "on" : "off";
    }

    /** What the floor anchor is doing now (any thread). */
    public FloorScaleAnchor.State floorAnchorState() {
        return floorAnchor.state();
    }

    /** Obstacles that exist after the last frame. */
    public int obstacleCount() {
        return tracker.obstacleCount();
    }

    @Override
    public void close() {
        fgWriter.close();
        bgWriter.close();
        maskView.close();
        small.close();
        modelSize.close();
        blobs.close();
    }
}
