package io.mdeas.node.analysis;

import java.nio.FloatBuffer;

/**
 * Smooths the network's depth map along the frame it was computed from, with a {@link GuidedFilter} over the whole
 * map guided by the model's own input frame: within a region of one colour the depth is smoothed, across an edge in
 * the frame its step is kept.
 *
 * <p>Why: like the mask, depth is rebuilt from the 14×14 bottleneck by upsampling and pixel shuffle, which leaves
 * block artefacts that depth SSIM (which compares local structure) charges. On the validation split a small window
 * (radius 4) lifts SSIM by 0.006 with AbsRel and δ1 a little better (TRAINING_LOG.md, session 21); larger windows
 * smooth the nearest obstacle's distance. It cannot move a step misplaced by more than a pixel or two to the frame's
 * edge (the window's linear model cannot hold both). Linear in depth, so the floor anchor's rescaling may come before
 * or after it. "No return" pixels (at the model's range) keep their value, and the result is kept within (0, range].
 * Allocates nothing per call; one instance per thread.
 */
public final class DepthEdgeRefiner {
    /** The nearest a refined pixel may read, metres: the filter may overshoot at a strong edge, depth is positive. */
    static final float MIN_DEPTH_M = 0.01f;

    private final DepthEdgeParams params;
    private final int size;
    private final GuidedFilter filter;
    private final float[] d;

    /** @param size side of the square maps (the model's input size) */
    public DepthEdgeRefiner(DepthEdgeParams params, int size) {
        this(params, params.enabled() ? new GuidedFilter(size) : null, size);
    }

    /** With a filter shared with the other refiner of the same frames ({@link EdgeRefiner}). */
    DepthEdgeRefiner(DepthEdgeParams params, GuidedFilter filter, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("map size must be >= 1, got " + size);
        }
        this.params = params;
        this.size = size;
        this.filter = filter;
        this.d = new float[params.enabled() ? size * size : 0];
    }

    public DepthEdgeParams params() {
        return params;
    }

    /**
     * Refines {@code depth} in place.
     *
     * @param frameChw  the frame the depth was predicted from: NCHW [1,3,S,S], RGB in [0,1] (the model's {@code fg_bg})
     * @param depth     [S,S] metres, read and written from index 0
     * @param maxDepthM the model's range: pixels at it are "no return" and stay so
     * @return whether the map was changed (false when off)
     */
    public boolean refine(FloatBuffer frameChw, FloatBuffer depth, float maxDepthM) {
        if (!params.enabled()) {
            return false;
        }
        filter.checkCapacity(frameChw, depth);
        int n = size * size;
        depth.get(0, d, 0, n);
        filter.run(frameChw, d, params.radiusPx(), params.eps(), 0, size, 0, size);
        for (int i = 0; i < n; i++) {
            if (d[i] < maxDepthM) {
                depth.put(i, Math.min(maxDepthM, Math.max(MIN_DEPTH_M, filter.output(i))));
            }
        }
        return true;
    }
}
