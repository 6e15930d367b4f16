package io.mdeas.model.eval;

import io.mdeas.model.data.LoadedSample;
import io.mdeas.model.data.Sample;
import io.mdeas.model.data.SampleLoader;
import io.mdeas.node.analysis.DepthEdgeParams;
import io.mdeas.node.analysis.EdgeRefiner;
import io.mdeas.node.analysis.MaskEdgeParams;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Runs a {@link DepthMaskPredictor} over samples and accumulates the {@code DATASET.md} metrics. Samples are
 * decoded by a small pool of named loader threads, a few ahead of the predictor, so decoding overlaps
 * prediction; prediction and metrics stay on the calling thread, in sample order. Loaded-sample slots and output
 * buffers are allocated once per run. Optionally each prediction goes through the node's post-inference stages before
 * it is scored, in the node's order: the maps through their edge refinement ({@link EdgeRefiner}, guided by the
 * sample's {@code fg_bg} image), then the depth map through the floor anchor ({@link FloorAnchoredDepth}).
 */
public final class Evaluator {

    private final int loaderThreads;
    private final FloorAnchoredDepth floorAnchor;
    private final MaskEdgeParams maskEdges;
    private final DepthEdgeParams depthEdges;

    /** An evaluator decoding with {@code loaderThreads} background threads. */
    public Evaluator(int loaderThreads) {
        this(loaderThreads, null, MaskEdgeParams.OFF, DepthEdgeParams.OFF);
    }

    private Evaluator(int loaderThreads, FloorAnchoredDepth floorAnchor, MaskEdgeParams maskEdges,
                      DepthEdgeParams depthEdges) {
        if (loaderThreads < 1) {
            throw new IllegalArgumentException("loader threads must be at least 1, got " + loaderThreads);
        }
        this.loaderThreads = loaderThreads;
        this.floorAnchor = floorAnchor;
        this.maskEdges = maskEdges;
        this.depthEdges = depthEdges;
    }

    /** This evaluator with every predicted depth map rescaled by {@code anchor} before it is scored. */
    public Evaluator withFloorAnchor(FloorAnchoredDepth anchor) {
        return new Evaluator(loaderThreads, anchor, maskEdges, depthEdges);
    }

    /**
     * This evaluator with every predicted mask and depth map refined as the node's {@code mask.edge_refine} and
     * {@code depth.edge_refine} with these settings (either may be off).
     */
    public Evaluator withEdges(MaskEdgeParams mask, DepthEdgeParams depth) {
        return new Evaluator(loaderThreads, floorAnchor, mask, depth);
    }

    /**
     * Evaluates {@code predictor} on {@code samples}.
     *
     * @param progress called with the number of samples done after each one (may be null)
     * @throws IOException when a sample cannot be loaded (message names the sample)
     * @throws Exception   what the predictor throws
     */
    public EvaluationResult run(List<Sample> samples, DepthMaskPredictor predictor, IntConsumer progress)
            throws Exception {
        int size = predictor.inputSize();
        int slots = loaderThreads + 1;
        ArrayBlockingQueue<LoadedSample> free = new ArrayBlockingQueue<>(slots);
        for (int i = 0; i < slots; i++) {
            free.add(LoadedSample.allocate(size));
        }
        ThreadLocal<SampleLoader> loaders = ThreadLocal.withInitial(() -> new SampleLoader(size));
        float[] depth = new float[size * size];
        float[] mask = new float[size * size];
        EdgeRefiner refiner = new EdgeRefiner(maskEdges, depthEdges, size);
        FloatBuffer maskView = FloatBuffer.wrap(mask);
        FloatBuffer depthView = FloatBuffer.wrap(depth);
        MetricAccumulator metrics = new MetricAccumulator();
        ExecutorService pool = Executors.newFixedThreadPool(loaderThreads, named("eval-loader"));
        try {
            ArrayDeque<Future<LoadedSample>> pending = new ArrayDeque<>();
            int next = 0;
            while (next < samples.size() && pending.size() < slots) {
                pending.add(submit(pool, loaders, samples.get(next++), free.remove()));
            }
            while (!pending.isEmpty()) {
                LoadedSample s = take(pending.remove());
                boolean hasDepth = predictor.predict(s.bg, s.fgBg, size, depth, mask);
                refiner.refine(FloatBuffer.wrap(s.fgBg), maskView, depthView, predictor.maxDepthM());
                if (hasDepth && floorAnchor != null) {
                    floorAnchor.apply(s.sample, depth, mask, size, predictor.maxDepthM());
                }
                metrics.add(mask, s.mask, hasDepth ? depth : null, s.hasDepth ? s.depthM : null,
                        size, size, s.nearestFgM());
                free.add(s);
                if (progress != null) {
                    progress.accept(metrics.count());
                }
                if (next < samples.size()) {
                    pending.add(submit(pool, loaders, samples.get(next++), free.remove()));
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return metrics.result();
    }

    private static Future<LoadedSample> submit(ExecutorService pool, ThreadLocal<SampleLoader> loaders,
                                               Sample sample, LoadedSample slot) {
        return pool.submit(() -> {
            loaders.get().load(sample, slot);
            return slot;
        });
    }

    private static LoadedSample take(Future<LoadedSample> f) throws Exception {
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            throw e;
        }
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
