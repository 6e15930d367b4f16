package io.mdeas.node.pipeline;

import io.mdeas.node.analysis.BlobExtractor;
import io.mdeas.node.analysis.BlobParams;
import io.mdeas.node.analysis.CameraMount;
import io.mdeas.node.analysis.FloorAnchorParams;
import io.mdeas.node.analysis.FloorAwareScanner;
import io.mdeas.node.analysis.FloorScaleAnchor;
import io.mdeas.node.analysis.DepthEdgeParams;
import io.mdeas.node.analysis.EdgeRefiner;
import io.mdeas.node.analysis.MaskEdgeParams;
import io.mdeas.node.analysis.ScanParams;
import io.mdeas.node.background.BackgroundStatus;
import io.mdeas.node.background.RollingBackground;
import io.mdeas.node.capture.CapturedFrame;
import io.mdeas.node.capture.FrameCapture;
import io.mdeas.node.capture.FrameSlot;
import io.mdeas.node.capture.FrameSource;
import io.mdeas.node.capture.SourceOptions;
import io.mdeas.node.inference.MdeasModel;
import io.mdeas.node.publish.MessageSink;
import io.mdeas.node.tracking.ObstacleTracker;
import io.mdeas.node.tracking.TrackerParams;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The running node: a capture thread ({@code capture-<source>}) hands frames through a {@link FrameSlot}
 * (latest-frame-wins for live sources, none dropped for files and folders) to the pipeline thread
 * ({@code pipeline}), which runs {@link FrameProcessor} on each.
 *
 * <p>Owns and closes what it is built from: the source, the background, the model and its stages (not the
 * sinks: whoever made them closes them, after the pipeline). Commands ({@link #requestBackgroundReset()},
 * {@link #setMoving(boolean)}) and {@link #status()} may be called from any thread.
 */
public final class FramePipeline implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FramePipeline.class);
    private static final long TAKE_TIMEOUT_MS = 200;

    private final FrameSource source;
    private final RollingBackground background;
    private final MdeasModel model;
    private final FrameProcessor processor;
    private final PipelineMetrics metrics;
    private final FrameSlot slot;
    private final FrameCapture capture;
    private final List<FrameListener> listeners = new CopyOnWriteArrayList<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    private Thread captureThread;
    private Thread pipelineThread;
    private volatile boolean stopping;
    private volatile boolean closed;
    private volatile long framesProcessed;
    private volatile long lastFrameEpochMs;
    private volatile long lastFrameNanos;
    private volatile String failure;

    private FramePipeline(Builder b) {
        this.source = b.source;
        this.background = b.background;
        this.model = b.model;
        this.metrics = new PipelineMetrics(b.registry, () -> background.status(System.currentTimeMillis()).ageS());
        this.processor = new FrameProcessor(model, background, b.mount,
                new EdgeRefiner(b.maskEdgeParams, b.depthEdgeParams, model.inputSize()), new FloorScaleAnchor(b.floorAnchorParams),
                new BlobExtractor(b.blobParams), new FloorAwareScanner(b.scanParams),
                new ObstacleTracker(b.trackerParams), b.sinks, metrics, b.output, b.fit);
        FrameSlot.Policy policy = FrameCapture.handsOffLatest(source, b.sourceOptions)
                ? FrameSlot.Policy.LATEST_WINS : FrameSlot.Policy.NONE_DROPPED;
        this.slot = new FrameSlot(policy, () -> metrics.dropped(PipelineMetrics.DROP_STALE));
        this.capture = new FrameCapture(source, b.sourceOptions, slot, new FrameCapture.Listener() {
            @Override
            public void captured() {
                metrics.captured.increment();
            }

            @Override
            public void dropped(String reason) {
                metrics.dropped(reason);
            }
        });
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts the capture and pipeline threads. */
    public synchronized void start() {
        if (pipelineThread != null) {
            throw new IllegalStateException("pipeline already started");
        }
        log.info("pipeline: source {} ({}), model {} on {}", source.name(),
                slot.policy() == FrameSlot.Policy.LATEST_WINS ? "live: latest frame wins" : "every frame",
                model.info().version(), model.info().provider());
        captureThread = new Thread(capture, "capture-" + source.name());
        pipelineThread = new Thread(this::runPipeline, "pipeline");
        captureThread.start();
        pipelineThread.start();
    }

    private void runPipeline() {
        try {
            while (!stopping) {
                CapturedFrame frame = slot.take(TAKE_TIMEOUT_MS);
                if (frame == null) {
                    if (slot.finished()) {
                        break;
                    }
                    continue;
                }
                try {
                    FrameResult result = processor.process(frame.image, frame.index, frame.captureEpochMs, frame.captureNanos);
                    metrics.processed.increment();
                    framesProcessed++;
                    lastFrameEpochMs = frame.captureEpochMs;
                    lastFrameNanos = System.nanoTime();
                    for (FrameListener l : listeners) {
                        l.frameProcessed(result);
                    }
                } finally {
                    slot.release(frame);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception | LinkageError e) {
            failure = e.toString();
            log.error("pipeline stopped: frame processing failed", e);
        } finally {
            // However processing ends, capture must not wait on a slot nobody takes from any more.
            capture.stop();
            ended.countDown();
        }
    }

    /** Blocks until the run is over: the source ended (or hit --max-frames), processing failed, or close(). */
    public void awaitEnd() throws InterruptedException {
        ended.await();
    }

    /** Like {@link #awaitEnd()} with a limit; true when the run is over. */
    public boolean awaitEnd(Duration timeout) throws InterruptedException {
        return ended.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Re-initialise the background from the next quiet frames. */
    public void requestBackgroundReset() {
        background.requestReset();
    }

    /** Motion hint: while moving the node runs depth-only. */
    public void setMoving(boolean moving) {
        background.setMoving(moving);
    }

    /** Adds a listener called after each processed frame, on the pipeline thread. */
    public void onFrameProcessed(FrameListener listener) {
        listeners.add(Objects.requireNonNull(listener));
    }

    public PipelineMetrics metrics() {
        return metrics;
    }

    public PipelineStatus status() {
        BackgroundStatus bg = background.status(System.currentTimeMillis());
        return new PipelineStatus((long) metrics.captured.count(), framesProcessed, metrics.droppedTotal(),
                lastFrameEpochMs, lastFrameNanos, capture.status(), bg, model.info(), processor.obstacleCount(),
                ended.getCount() == 0, failure, processor.floorAnchorState());
    }

    /** Stops capture, finishes the frame in flight, joins both threads and closes everything it owns. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopping = true;
        capture.stop();
        join(captureThread, "capture");
        join(pipelineThread, "pipeline");
        if (pipelineThread == null) {
            ended.countDown();
        }
        processor.close();
        slot.close();
        background.close();
        model.close();
        source.close();
    }

    private static void join(Thread t, String what) {
        if (t == null) {
            return;
        }
        try {
            t.join(TimeUnit.SECONDS.toMillis(10));
            if (t.isAlive()) {
                log.warn("{} thread did not stop within 10 s", what);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Collects the stages and their parameters; {@link #build()} wires them. */
    public static final class Builder {
        private FrameSource source;
        private SourceOptions sourceOptions = SourceOptions.DEFAULTS;
        private RollingBackground background;
        private MdeasModel model;
        private CameraMount mount = CameraMount.DEFAULTS;
        private BlobParams blobParams = BlobParams.DEFAULTS;
        private ScanParams scanParams = ScanParams.DEFAULTS;
        private MaskEdgeParams maskEdgeParams = MaskEdgeParams.DEFAULTS;
        private DepthEdgeParams depthEdgeParams = DepthEdgeParams.DEFAULTS;
        private FloorAnchorParams floorAnchorParams = FloorAnchorParams.DEFAULTS;
        private TrackerParams trackerParams = TrackerParams.DEFAULTS;
        private OutputParams output = OutputParams.DEFAULTS;
        private FrameFit fit = FrameFit.SQUASH;
        private final List<MessageSink> sinks = new ArrayList<>();
        private MeterRegistry registry;

        private Builder() {}

        public Builder source(FrameSource s, SourceOptions options) {
            this.source = s;
            this.sourceOptions = options;
            return this;
        }

        public Builder background(RollingBackground b) {
            this.background = b;
            return this;
        }

        public Builder model(MdeasModel m) {
            this.model = m;
            return this;
        }

        public Builder mount(CameraMount m) {
            this.mount = m;
            return this;
        }

        public Builder blobs(BlobParams p) {
            this.blobParams = p;
            return this;
        }

        public Builder maskEdges(MaskEdgeParams p) {
            this.maskEdgeParams = p;
            return this;
        }

        public Builder depthEdges(DepthEdgeParams p) {
            this.depthEdgeParams = p;
            return this;
        }

        public Builder floorAnchor(FloorAnchorParams p) {
            this.floorAnchorParams = p;
            return this;
        }

        public Builder scan(ScanParams p) {
            this.scanParams = p;
            return this;
        }

        public Builder tracker(TrackerParams p) {
            this.trackerParams = p;
            return this;
        }

        public Builder output(OutputParams p) {
            this.output = p;
            return this;
        }

        /** How frames are fitted to the square model input (default {@link FrameFit#SQUASH}). */
        public Builder fit(FrameFit f) {
            this.fit = Objects.requireNonNull(f);
            return this;
        }

        public Builder sink(MessageSink s) {
            this.sinks.add(s);
            return this;
        }

        public Builder sinks(List<? extends MessageSink> s) {
            this.sinks.addAll(s);
            return this;
        }

        public Builder registry(MeterRegistry r) {
            this.registry = r;
            return this;
        }

        public FramePipeline build() {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(background, "background");
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(registry, "registry");
            return new FramePipeline(this);
        }
    }
}
