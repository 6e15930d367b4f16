package io.mdeas.node.analysis;

/**
 * The depth map's edge refinement ({@link DepthEdgeRefiner}).
 *
 * @param enabled  whether depth maps are refined at all
 * @param radiusPx half-side of the filter's square window, in model-input pixels
 * @param eps      regularisation: how strong a colour edge must be (variance in the window, RGB in [0, 1]) before
 *                 the depth may follow it rather than stay smooth
 */
public record DepthEdgeParams(boolean enabled, int radiusPx, double eps) {
    /**
     * Off by default: it costs 4.3 ms per frame on one x86 core (the whole map) for depth SSIM +0.006, and the pipeline
     * runs it in sequence with inference (BENCHMARKS.md); radius and eps chosen on the validation split
     * (TRAINING_LOG.md, session 21).
     */
    public static final DepthEdgeParams DEFAULTS = new DepthEdgeParams(false, 4, 1e-3);
    /** Refinement turned off: depth maps pass unchanged. */
    public static final DepthEdgeParams OFF = DEFAULTS;
    /** Refinement on, with the default window. */
    public static final DepthEdgeParams ON = new DepthEdgeParams(true, 4, 1e-3);

    public DepthEdgeParams {
        if (radiusPx < 1) {
            throw new IllegalArgumentException("depth.edge_refine_radius_px must be >= 1, got " + radiusPx);
        }
        if (!(eps > 0)) {
            throw new IllegalArgumentException("depth.edge_refine_eps must be > 0, got " + eps);
        }
    }
}
