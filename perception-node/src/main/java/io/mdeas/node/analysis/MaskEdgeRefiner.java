package io.mdeas.node.analysis;

import java.nio.FloatBuffer;

/**
 * Snaps the network's mask to the outlines in the frame it was computed from, with a {@link GuidedFilter} guided by
 * the model's own input frame.
 *
 * <p>Why: MDEAS rebuilds its mask from a 14×14 bottleneck through nearest-neighbour and pixel-shuffle upsampling, so
 * outlines come out blocky; on the validation split half of the wrong mask pixels lie within one pixel of a true
 * outline and 71 % within two (TRAINING_LOG.md, session 21). The frame has them sharp.
 *
 * <p>Only the changed part of the map (pixels above {@link #NOTHING_CHANGED}) and a margin are filtered: the output
 * moves up to two window radii from that part (a pixel averages the windows over it, each window's coefficients come
 * from the pixels in it), and computing those exactly reads three radii out. Beyond two radii the network's value
 * (at most {@link #NOTHING_CHANGED}) is kept, and a frame where nothing changed is not filtered at all. An object
 * covering a tenth of the image costs about a third of the whole-map filter. Allocates nothing per call; one
 * instance per thread.
 */
public final class MaskEdgeRefiner {
    /** A mask with no pixel above this has nothing to refine (a static scene): left as it is, the filter skipped. */
    static final float NOTHING_CHANGED = 0.05f;

    private final MaskEdgeParams params;
    private final int size;
    private final GuidedFilter filter;
    private final float[] p;

    /** @param size side of the square maps (the model's input size) */
    public MaskEdgeRefiner(MaskEdgeParams params, int size) {
        this(params, params.enabled() ? new GuidedFilter(size) : null, size);
    }

    /** With a filter shared with the other refiner of the same frames ({@link EdgeRefiner}). */
    MaskEdgeRefiner(MaskEdgeParams params, GuidedFilter filter, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("map size must be >= 1, got " + size);
        }
        this.params = params;
        this.size = size;
        this.filter = filter;
        this.p = new float[params.enabled() ? size * size : 0];
    }

    public MaskEdgeParams params() {
        return params;
    }

    /**
     * Refines {@code mask} in place.
     *
     * @param frameChw the frame the mask was predicted from: NCHW [1,3,S,S], RGB in [0,1], read from its index 0
     *                 (the model's {@code fg_bg} input)
     * @param mask     [S,S] foreground probabilities, read and written from index 0; stays within [0, 1]
     * @return whether the mask was changed (false when off, or when nothing in it changed)
     */
    public boolean refine(FloatBuffer frameChw, FloatBuffer mask) {
        if (!params.enabled()) {
            return false;
        }
        filter.checkCapacity(frameChw, mask);
        mask.get(0, p, 0, size * size);
        int top = size;
        int bottom = -1;
        int left = size;
        int right = -1;
        for (int y = 0; y < size; y++) {
            int row = y * size;
            for (int x = 0; x < size; x++) {
                if (p[row + x] > NOTHING_CHANGED) {
                    top = Math.min(top, y);
                    bottom = y;
                    left = Math.min(left, x);
                    right = Math.max(right, x);
                }
            }
        }
        if (bottom < 0) {
            return false;
        }
        int r = params.radiusPx();
        filter.run(frameChw, p, r, params.eps(), Math.max(0, top - 3 * r), Math.min(size, bottom + 3 * r + 1),
                Math.max(0, left - 3 * r), Math.min(size, right + 3 * r + 1));
        int wy1 = Math.min(size, bottom + 2 * r + 1);
        int wx0 = Math.max(0, left - 2 * r);
        int wx1 = Math.min(size, right + 2 * r + 1);
        for (int y = Math.max(0, top - 2 * r); y < wy1; y++) {
            for (int i = y * size + wx0, end = y * size + wx1; i < end; i++) {
                mask.put(i, Math.min(1f, Math.max(0f, filter.output(i))));
            }
        }
        return true;
    }
}
