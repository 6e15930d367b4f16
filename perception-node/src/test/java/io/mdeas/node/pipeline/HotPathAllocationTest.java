package io.mdeas.node.pipeline;

import io.mdeas.node.analysis.BlobExtractor;
import io.mdeas.node.analysis.BlobParams;
import io.mdeas.node.analysis.CameraMount;
import io.mdeas.node.analysis.FloorAwareScanner;
import io.mdeas.node.analysis.ScanParams;
import io.mdeas.node.background.BackgroundParams;
import io.mdeas.node.background.RollingBackground;
import io.mdeas.node.inference.MdeasModel;
import io.mdeas.node.inference.ModelOptions;
import io.mdeas.node.testing.TinyModels;
import io.mdeas.node.tracking.ObstacleTracker;
import io.mdeas.node.tracking.TrackerParams;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-frame path allocates nothing frame-sized on the Java heap: after warm-up, the bytes the pipeline thread
 * allocates per frame (result records, messages) stay far below the size of one input tensor.
 */
class HotPathAllocationTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "mirror averaging {0}")
    @ValueSource(booleans = {false, true})
    void perFrameHeapAllocationIsSmallNextToAFrame(boolean mirrorAverage) throws Exception {
        int size = 128;
        long tensorBytes = 3L * size * size * Float.BYTES; // 196 KB
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Path modelFile = TinyModels.builder().inputSize(size).write(dir.resolve("m.onnx"));
        try (MdeasModel model = MdeasModel.load(ModelOptions.DEFAULTS.withPath(modelFile).withProviders(List.of("cpu"))
                .withMirrorAverage(mirrorAverage));
             RollingBackground bg = new RollingBackground(BackgroundParams.DEFAULTS, size);
             FrameProcessor p = new FrameProcessor(model, bg, new CameraMount(0.15, 0, 70),
                     new BlobExtractor(BlobParams.DEFAULTS), new FloorAwareScanner(ScanParams.DEFAULTS),
                     new ObstacleTracker(TrackerParams.DEFAULTS), List.of(new DiscardingSink()),
                     new PipelineMetrics(new SimpleMeterRegistry(), () -> 0), OutputParams.DEFAULTS);
             Mat empty = new Mat(240, 320, CV_8UC3, new Scalar(60, 60, 60, 0));
             Mat busy = empty.clone();
             Rect box = new Rect(40, 40, 80, 60);
             Mat roi = new Mat(busy, box)) {
            roi.put(new Scalar(220, 220, 220, 0));
            // Warm-up: background learnt, an obstacle confirmed, every buffer sized.
            for (int i = 0; i < 20; i++) {
                p.process(i < 10 ? empty : busy, i, i * 100L, System.nanoTime());
            }
            int frames = 30;
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 20; i < 20 + frames; i++) {
                p.process(busy, i, i * 100L, System.nanoTime());
            }
            long perFrame = (threads.getCurrentThreadAllocatedBytes() - before) / frames;
            System.out.printf("heap allocated per frame: %d bytes (one %dx%d input tensor: %d bytes)%n",
                    perFrame, size, size, tensorBytes);
            assertTrue(perFrame < tensorBytes / 8, "per-frame allocation " + perFrame + " B");
        }
    }

    /** A sink that drops everything (messages are still built, as for a real sink). */
    private static final class DiscardingSink implements io.mdeas.node.publish.MessageSink {
        @Override
        public void publish(io.mdeas.node.publish.Topic topic, Object payload) {
            // discarded
        }
    }
}
