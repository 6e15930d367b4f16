package io.mdeas.node.analysis;

import java.nio.FloatBuffer;

/**
 * The network's maps aligned with the outlines of the frame they were computed from: the mask
 * ({@link MaskEdgeRefiner}, {@code mask.edge_refine}) and the depth map ({@link DepthEdgeRefiner},
 * {@code depth.edge_refine}), the two sharing one {@link GuidedFilter}'s buffers. Runs right after inference, so
 * every later stage reads the refined maps. Allocates nothing per frame; one instance per thread.
 */
public final class EdgeRefiner {
    private final MaskEdgeRefiner mask;
    private final DepthEdgeRefiner depth;

    /** @param size side of the square maps (the model's input size) */
    public EdgeRefiner(MaskEdgeParams maskParams, DepthEdgeParams depthParams, int size) {
        GuidedFilter filter = maskParams.enabled() || depthParams.enabled() ? new GuidedFilter(size) : null;
        this.mask = new MaskEdgeRefiner(maskParams, maskParams.enabled() ? filter : null, size);
        this.depth = new DepthEdgeRefiner(depthParams, depthParams.enabled() ? filter : null, size);
    }

    /** Neither map refined. */
    public static EdgeRefiner off(int size) {
        return new EdgeRefiner(MaskEdgeParams.OFF, DepthEdgeParams.OFF, size);
    }

    /**
     * Refines both maps in place (each only if its refinement is on).
     *
     * @param frameChw  the frame they were predicted from: NCHW [1,3,S,S], RGB in [0,1] (the model's {@code fg_bg})
     * @param maskMap   [S,S] foreground probabilities
     * @param depthMap  [S,S] metres
     * @param maxDepthM the model's range ("no return")
     */
    public void refine(FloatBuffer frameChw, FloatBuffer maskMap, FloatBuffer depthMap, float maxDepthM) {
        mask.refine(frameChw, maskMap);
        depth.refine(frameChw, depthMap, maxDepthM);
    }

    public MaskEdgeParams maskParams() {
        return mask.params();
    }

    public DepthEdgeParams depthParams() {
        return depth.params();
    }
}
