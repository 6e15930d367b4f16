package io.mdeas.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;

/**
 * The training loss: a weighted sum of SSIM loss (1 − SSIM), MSE and L1 on depth and on the mask. Depth terms
 * use only pixels with known ground truth ({@code valid} = 1): masked means, and for SSIM the SSIM map averaged
 * over valid pixels. Depth is compared in the encoded space (see {@link DepthEncoding}).
 */
public final class CompoundLoss {

    /** Names of the values in {@link Terms#values()}, in order. */
    public static final String[] TERM_NAMES = {
        "loss", "ssim_depth_loss", "ssim_mask_loss", "mse_depth", "mse_mask", "l1_depth", "l1_mask", "dice_mask_loss",
        "log_l1_depth", "si_log_depth"
    };

    /** Keeps an empty prediction of an empty mask at zero Dice loss and the ratio finite. */
    private static final float DICE_SMOOTH = 1f;
    /** Keeps the square root of the scale-invariant term differentiable where an image's log error is flat. */
    private static final float SI_EPS = 1e-6f;

    private final LossWeights weights;
    private final DepthEncoding encoding;
    private final float maxDepthM;

    /**
     * @param weights term weights
     * @param encoding how the depth arrays encode metres (the log term compares metres)
     * @param maxDepthM metres that encoded 1.0 stands for
     */
    public CompoundLoss(LossWeights weights, DepthEncoding encoding, float maxDepthM) {
        this.weights = weights;
        this.encoding = encoding;
        this.maxDepthM = maxDepthM;
    }

    public LossWeights weights() {
        return weights;
    }

    /**
     * The loss and its unweighted terms.
     *
     * @param total scalar to differentiate
     * @param values [10]: total then the nine unweighted terms, in {@link #TERM_NAMES} order
     */
    public record Terms(NDArray total, NDArray values) {}

    /**
     * Computes the loss for a batch; all arrays [N,1,H,W].
     *
     * @param depthPred encoded depth prediction
     * @param maskPred mask probability
     * @param depthTarget encoded depth target
     * @param valid 1 where depth is known, else 0
     * @param maskTarget 0/1 mask
     */
    public Terms compute(NDArray depthPred, NDArray maskPred, NDArray depthTarget, NDArray valid,
            NDArray maskTarget) {
        // Per-pixel depth weights: known pixels, foreground ones weighing 1 + fgDepth (normalised, so the
        // scale of the terms does not move with the foreground share).
        NDArray pixelWeight = weights.fgDepth() == 0 ? valid
                : valid.mul(maskTarget.mul((float) weights.fgDepth()).add(1f));
        NDArray count = pixelWeight.sum().maximum(1f);
        NDArray dDiff = depthPred.sub(depthTarget);
        NDArray mseDepth = dDiff.square().mul(pixelWeight).sum().div(count);
        NDArray l1Depth = dDiff.abs().mul(pixelWeight).sum().div(count);
        NDArray ssimDepthLoss = Ssim.mean(depthPred, depthTarget, valid).neg().add(1f);
        NDArray mDiff = maskPred.sub(maskTarget);
        NDArray mseMask = mDiff.square().mean();
        NDArray l1Mask = mDiff.abs().mean();
        NDArray ssimMaskLoss = Ssim.mean(maskPred, maskTarget, null).neg().add(1f);
        NDArray diceMaskLoss = dice(maskPred, maskTarget).neg().add(1f).mean();
        // Computed at weight 0 too, like every term: the log shows the relative depth error of any run.
        NDArray logDiff = encoding.logMetres(depthPred, maxDepthM).sub(encoding.logMetres(depthTarget, maxDepthM));
        NDArray logL1Depth = logDiff.abs().mul(pixelWeight).sum().div(count);
        NDArray siLogDepth = scaleInvariant(logDiff, pixelWeight).mean();
        NDArray total = ssimDepthLoss.mul((float) weights.ssimDepth())
                .add(ssimMaskLoss.mul((float) weights.ssimMask()))
                .add(mseDepth.mul((float) weights.mseDepth()))
                .add(mseMask.mul((float) weights.mseMask()))
                .add(l1Depth.mul((float) weights.l1Depth()))
                .add(l1Mask.mul((float) weights.l1Mask()))
                .add(diceMaskLoss.mul((float) weights.diceMask()))
                .add(logL1Depth.mul((float) weights.logDepth()))
                .add(siLogDepth.mul((float) weights.siLogDepth()));
        NDArray values = NDArrays.stack(new NDList(total, ssimDepthLoss, ssimMaskLoss, mseDepth, mseMask,
                l1Depth, l1Mask, diceMaskLoss, logL1Depth, siLogDepth));
        return new Terms(total, values);
    }

    /**
     * Per image, [N]: the weighted standard deviation of the log-depth error over its pixels, √(E[d²] − E[d]²) with
     * d = ln(predicted) − ln(true): Eigen et al.'s scale-invariant error at λ = 1 (ε under the root, taken off again,
     * keeps it differentiable where the error is flat). Multiplying an image's prediction by any factor leaves it
     * unchanged, so it charges only the shape of the depth map — which parts are nearer or farther than which — the
     * error left once each image's overall scale is right. An image without weight scores 0 and passes no gradient.
     */
    static NDArray scaleInvariant(NDArray logDiff, NDArray pixelWeight) {
        int[] perImage = {1, 2, 3};
        NDArray weight = pixelWeight.sum(perImage).maximum(1f);
        NDArray mean = logDiff.mul(pixelWeight).sum(perImage).div(weight);
        NDArray meanSq = logDiff.square().mul(pixelWeight).sum(perImage).div(weight);
        return meanSq.sub(mean.square()).maximum(0f).add(SI_EPS).sqrt().sub((float) Math.sqrt(SI_EPS));
    }

    /** Soft Dice coefficient per image, [N]: (2·Σpg + s) / (Σp + Σg + s). */
    static NDArray dice(NDArray pred, NDArray target) {
        int[] perImage = {1, 2, 3};
        NDArray overlap = pred.mul(target).sum(perImage).mul(2f).add(DICE_SMOOTH);
        return overlap.div(pred.sum(perImage).add(target.sum(perImage)).add(DICE_SMOOTH));
    }
}
