package io.mdeas.node.bench;

import io.mdeas.node.analysis.CameraMount;
import io.mdeas.node.background.RollingBackground;
import io.mdeas.node.capture.FrameSource;
import io.mdeas.node.capture.SourceOptions;
import io.mdeas.node.config.NodeConfig;
import io.mdeas.node.config.StageParams;
import io.mdeas.node.inference.MdeasModel;
import io.mdeas.node.pipeline.FramePipeline;
import io.mdeas.node.pipeline.FrameResult;
import io.mdeas.node.publish.MessageSink;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The full pipeline on {@code warmup + frames} frames: source → background → preprocess → inference → analysis →
 * tracking → serialisation → publish, wired like the node ({@link FramePipeline} with the configuration's stage
 * parameters). Measured over the frames after the warm-up, from the pipeline thread's own frame listener: frames
 * per second, capture-to-published latency of each frame, process CPU time, and bytes allocated by each thread.
 * Resident memory is read at the end of the measured window (steady state).
 */
public final class PipelineBench {
    private static final int CAPTURE_AHEAD = 5;

    private PipelineBench() {}

    /** What one pipeline run measured. */
    public record Result(int frames, double seconds, long[] e2eNanos, double cpuCores, double rssMb,
                         Map<String, Long> allocatedByThread, int threads) {
        public double fps() {
            return frames / seconds;
        }
    }

    /**
     * Runs the pipeline until {@code warmup + frames} frames are processed. Takes ownership of the model, the
     * background and the source (the pipeline closes them); the sinks stay the caller's.
     *
     * @param paced false: every frame, as fast as the source decodes; true: the source paced at its
     *              {@link FrameSource#fps()} like a camera, the latest frame winning (stale ones dropped)
     */
    public static Result run(NodeConfig config, CameraMount mount, FrameSource source, SourceOptions sourceOptions,
                             MdeasModel model, RollingBackground background, List<MessageSink> sinks,
                             MeterRegistry registry, int warmup, int frames, boolean paced) throws InterruptedException {
        Window window = new Window(warmup, frames);
        // Unpaced: a few frames past the window keep the capture thread alive (and its allocation counted) at the
        // window's end. Paced: frames may be dropped as stale, so capture runs until the window is full.
        long captureFrames = paced ? 0 : warmup + frames + CAPTURE_AHEAD;
        try (FramePipeline pipeline = FramePipeline.builder()
                .source(source, sourceOptions.withMaxFrames(captureFrames).withRealtime(paced))
                .background(background)
                .model(model)
                .mount(mount)
                .blobs(StageParams.blobParams(config))
                .maskEdges(StageParams.maskEdgeParams(config))
                .depthEdges(StageParams.depthEdgeParams(config))
                .floorAnchor(StageParams.floorAnchorParams(config))
                .scan(StageParams.scanParams(config))
                .tracker(StageParams.trackerParams(config))
                .output(StageParams.outputParams(config))
                .sinks(sinks)
                .registry(registry)
                .build()) {
            pipeline.onFrameProcessed(window);
            pipeline.start();
            while (!pipeline.awaitEnd(java.time.Duration.ofMillis(100)) && window.done.getCount() > 0) {
                // The window fills on the pipeline thread; closing the pipeline then stops capture.
            }
            if (pipeline.status().failure() != null) {
                throw new IllegalStateException("pipeline failed: " + pipeline.status().failure());
            }
            if (window.done.getCount() > 0) {
                throw new IllegalStateException("source " + source.name() + " ended after "
                        + pipeline.status().framesProcessed() + " frames; " + (warmup + frames) + " needed ("
                        + pipeline.status().source().reason() + ")");
            }
        }
        return window.result();
    }

    /** Runs on the pipeline thread after each frame; allocates only at the two window edges. */
    private static final class Window implements io.mdeas.node.pipeline.FrameListener {
        private final int warmup;
        private final int frames;
        private final long[] e2e;
        private final CountDownLatch done = new CountDownLatch(1);
        private int seen;
        private long t0;
        private long cpu0;
        private Map<Long, ProcessProbe.ThreadBytes> alloc0;
        private Result result;

        Window(int warmup, int frames) {
            if (warmup < 1 || frames < 1) {
                throw new IllegalArgumentException("need at least one warm-up frame and one measured frame");
            }
            this.warmup = warmup;
            this.frames = frames;
            this.e2e = new long[frames];
        }

        @Override
        public void frameProcessed(FrameResult r) {
            int i = seen++;
            if (i == warmup - 1) {
                // The measured window starts after the last warm-up frame.
                alloc0 = ProcessProbe.allocatedByThread();
                cpu0 = ProcessProbe.processCpuNanos();
                t0 = System.nanoTime();
                return;
            }
            int k = i - warmup;
            if (k < 0 || k >= frames) {
                return;
            }
            e2e[k] = r.latencyNanos();
            if (k == frames - 1) {
                long t1 = System.nanoTime();
                long cpu1 = ProcessProbe.processCpuNanos();
                Map<Long, ProcessProbe.ThreadBytes> alloc1 = ProcessProbe.allocatedByThread();
                double seconds = (t1 - t0) / 1e9;
                result = new Result(frames, seconds, e2e, (cpu1 - cpu0) / 1e9 / seconds, ProcessProbe.rssMb(),
                        ProcessProbe.allocatedBetween(alloc0, alloc1), ProcessProbe.threadCount());
                done.countDown();
            }
        }

        Result result() {
            return result;
        }
    }
}
