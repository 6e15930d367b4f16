package io.mdeas.node.analysis;

/**
 * The mask's edge refinement ({@link MaskEdgeRefiner}).
 *
 * @param enabled  whether masks are refined at all
 * @param radiusPx half-side of the filter's square window, in model-input pixels (224 across for the bundled model):
 *                 wide enough to span the blocks the network's ×4 upsampling leaves along an outline
 * @param eps      regularisation: how strong a colour edge must be (variance in the window, RGB in [0, 1]) before
 *                 the mask may follow it rather than stay smooth
 */
public record MaskEdgeParams(boolean enabled, int radiusPx, double eps) {
    /** Chosen on the validation split (TRAINING_LOG.md, session 21). */
    public static final MaskEdgeParams DEFAULTS = new MaskEdgeParams(true, 10, 1e-4);
    /** Refinement turned off: masks pass unchanged. */
    public static final MaskEdgeParams OFF = new MaskEdgeParams(false, 10, 1e-4);

    public MaskEdgeParams {
        if (radiusPx < 1) {
            throw new IllegalArgumentException("mask.edge_refine_radius_px must be >= 1, got " + radiusPx);
        }
        if (!(eps > 0)) {
            throw new IllegalArgumentException("mask.edge_refine_eps must be > 0, got " + eps);
        }
    }
}
