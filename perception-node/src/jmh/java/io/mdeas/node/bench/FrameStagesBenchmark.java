package io.mdeas.node.bench;

import io.mdeas.node.analysis.BlobExtractor;
import io.mdeas.node.analysis.BlobParams;
import io.mdeas.node.analysis.CameraMount;
import io.mdeas.node.analysis.FloorAnchorParams;
import io.mdeas.node.analysis.FloorScaleAnchor;
import io.mdeas.node.analysis.FloorAwareScanner;
import io.mdeas.node.analysis.MapGeometry;
import io.mdeas.node.analysis.DepthEdgeParams;
import io.mdeas.node.analysis.DepthEdgeRefiner;
import io.mdeas.node.analysis.MaskAnalysis;
import io.mdeas.node.analysis.MaskEdgeParams;
import io.mdeas.node.analysis.MaskEdgeRefiner;
import io.mdeas.node.analysis.RangeScan;
import io.mdeas.node.analysis.ScanParams;
import io.mdeas.node.background.BackgroundParams;
import io.mdeas.node.background.BackgroundState;
import io.mdeas.node.background.RollingBackground;
import io.mdeas.node.inference.NchwWriter;
import io.mdeas.node.publish.ObstacleReport;
import io.mdeas.node.publish.ObstaclesMessage;
import io.mdeas.node.publish.Payloads;
import io.mdeas.node.publish.ScanMessage;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/**
 * The per-frame stages around the network, each as the pipeline runs it on a 320x240 frame and a 224 model:
 * preprocess (resize, background update, both NCHW inputs), the floor anchor (the depth map's scale from the
 * floor), analysis (blobs, range scan, background blend) and JSON (an obstacles message with three obstacles and a
 * scan message). The node's analysis stage timer covers the floor anchor and analysis. Run with {@code scripts/jmh.sh}
 * ({@code -prof gc} reports bytes allocated per operation).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FrameStagesBenchmark {
    private static final int SIZE = 224;
    private static final int WIDTH = 320;
    private static final int HEIGHT = 240;
    private static final float MAX_DEPTH_M = 10f;

    private final Mat empty = new Mat(HEIGHT, WIDTH, CV_8UC3, new Scalar(90, 100, 110, 0));
    private final Mat withObject = new Mat(HEIGHT, WIDTH, CV_8UC3, new Scalar(90, 100, 110, 0));
    private final Mat small = new Mat();
    private final Size modelSize = new Size(SIZE, SIZE);
    private final FloatBuffer fg = floats(3 * SIZE * SIZE);
    private final FloatBuffer bgInput = floats(3 * SIZE * SIZE);
    private final FloatBuffer mask = floats(SIZE * SIZE);
    private final FloatBuffer depth = floats(SIZE * SIZE);
    private final FloatBuffer roomDepth = floats(SIZE * SIZE);
    private final FloatBuffer anchoredDepth = floats(SIZE * SIZE);
    private final FloatBuffer refinedMask = floats(SIZE * SIZE);
    private final FloatBuffer refinedDepth = floats(SIZE * SIZE);
    private FloorScaleAnchor floorAnchor;
    private MaskEdgeRefiner maskEdges;
    private DepthEdgeRefiner depthEdges;
    private NchwWriter fgWriter;
    private NchwWriter bgWriter;
    private RollingBackground background;
    private BlobExtractor blobs;
    private FloorAwareScanner scanner;
    private MapGeometry geometry;
    private Mat maskView;
    private ObjectMapper json;
    private ObstaclesMessage obstacles;
    private RangeScan scan;
    private long now;
    private long frame;

    @Setup(Level.Trial)
    public void setUp() {
        rectangle(withObject, new Rect(120, 110, 60, 80), new Scalar(20, 200, 240, 0), -1, 8, 0);
        fgWriter = new NchwWriter(SIZE, fg);
        bgWriter = new NchwWriter(SIZE, bgInput);
        background = new RollingBackground(BackgroundParams.DEFAULTS, SIZE);
        resize(empty, small, modelSize, 0, 0, INTER_AREA);
        for (int i = 0; i < 200 && background.observe(small, now += 100) != BackgroundState.STABLE; i++) {
            // Let the background settle on the empty room, as after the node's start.
        }
        CameraMount mount = new CameraMount(0.15, -8, 70);
        geometry = new MapGeometry(mount, WIDTH, HEIGHT, SIZE, SIZE);
        blobs = new BlobExtractor(BlobParams.DEFAULTS);
        scanner = new FloorAwareScanner(ScanParams.DEFAULTS);
        maskView = new Mat(SIZE, SIZE, CV_32FC1, new FloatPointer(mask));
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                int i = y * SIZE + x;
                boolean inObject = x >= 84 && x < 126 && y >= 102 && y < 176;
                mask.put(i, inObject ? 0.95f : 0.02f);
                // Floor depth grows towards the horizon; the object stands at 1.5 m.
                depth.put(i, inObject ? 1.5f : Math.min(MAX_DEPTH_M, 0.4f + 30f / (1 + y)));
            }
        }
        // The floor anchor's input: the mount's own floor read 10 % too far, a wall at 4 m, the same object.
        for (int i = 0; i < SIZE * SIZE; i++) {
            roomDepth.put(i, mask.get(i) > 0.5f ? 1.5f : 1.1f * Math.min(geometry.floorDepth(i), 4f));
        }
        floorAnchor = new FloorScaleAnchor(FloorAnchorParams.DEFAULTS);
        maskEdges = new MaskEdgeRefiner(MaskEdgeParams.DEFAULTS, SIZE);
        depthEdges = new DepthEdgeRefiner(DepthEdgeParams.ON, SIZE);
        resize(withObject, small, modelSize, 0, 0, INTER_AREA);
        fgWriter.write(small); // the guide: the frame with the object, as the model saw it
        json = Payloads.mapper();
        obstacles = new ObstaclesMessage(1_700_000_000_000L, 42, List.of(
                new ObstacleReport(1, 1.234, 1.225, -3.5, List.of(120, 110, 60, 80), 0.0625, 1200),
                new ObstacleReport(2, 2.5, 2.49, 12.25, List.of(250, 100, 30, 50), 0.0195, 300),
                new ObstacleReport(3, 0.8, 0.78, -25.0, List.of(10, 150, 40, 70), 0.0365, 4100)));
        scan = scanner.scan(depth, geometry, MAX_DEPTH_M);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        fgWriter.close();
        bgWriter.close();
        background.close();
        blobs.close();
        maskView.close();
        small.close();
        modelSize.close();
        empty.close();
        withObject.close();
    }

    /** Resize to the model size, update the background, write both model inputs. */
    @Benchmark
    public float preprocess() {
        Mat src = (frame++ & 1) == 0 ? empty : withObject;
        resize(src, small, modelSize, 0, 0, INTER_AREA);
        background.observe(small, now += 100);
        fgWriter.write(small);
        bgWriter.write(background.image());
        return fg.get(0) + bgInput.get(0);
    }

    /**
     * The floor anchor on a fresh copy of the room's depth map each time (the copy, a 200 KB bulk put, is part of
     * the score; the node rescales the model's output in place).
     */
    @Benchmark
    public float floorAnchor() {
        anchoredDepth.clear();
        anchoredDepth.put(roomDepth.duplicate().clear());
        return floorAnchor.apply(anchoredDepth.clear(), mask, geometry, MAX_DEPTH_M);
    }

    /**
     * The mask's edge refinement (a colour-guided filter at the node's defaults) on a fresh copy of a mask with an
     * object each time (the copy is part of the score; the node refines the model's output in place). A frame with
     * nothing changed skips the filter.
     */
    @Benchmark
    public float maskEdges() {
        refinedMask.clear();
        refinedMask.put(mask.duplicate().clear());
        maskEdges.refine(fg, refinedMask.clear());
        return refinedMask.get(SIZE * SIZE / 2);
    }

    /** The depth map's edge refinement (the whole map, at the node's defaults) on a fresh copy each time. */
    @Benchmark
    public float depthEdges() {
        refinedDepth.clear();
        refinedDepth.put(depth.duplicate().clear());
        depthEdges.refine(fg, refinedDepth.clear(), MAX_DEPTH_M);
        return refinedDepth.get(SIZE * SIZE / 2);
    }

    /** Blobs with their distances, the floor-aware range scan, and the background blend outside the mask. */
    @Benchmark
    public int analysis() {
        MaskAnalysis m = blobs.extract(mask, depth, geometry, MAX_DEPTH_M);
        RangeScan s = scanner.scan(depth, geometry, MAX_DEPTH_M);
        background.blendOutside(small, maskView);
        return m.blobs().size() + s.ranges().length;
    }

    /** The two messages most frames publish, built and serialised as the MQTT sink does. */
    @Benchmark
    public int json() throws Exception {
        ScanMessage s = ScanMessage.of(now, frame, scan.angleMinDeg(), scan.angleIncrementDeg(), scan.rangeMinM(),
                scan.rangeMaxM(), scan.ranges());
        return json.writeValueAsBytes(obstacles).length + json.writeValueAsBytes(s).length;
    }

    private static FloatBuffer floats(int n) {
        return ByteBuffer.allocateDirect(n * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }
}
