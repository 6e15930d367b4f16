package io.mdeas.model.train;

/**
 * Weights of the compound loss terms (defaults are the original MDEAS ones). The last four are ours and off in the
 * original recipe: a checkpoint saved before they existed reads them as 0, so it resumes with the loss it had.
 *
 * @param ssimDepth weight of 1 − SSIM on depth (valid pixels)
 * @param ssimMask weight of 1 − SSIM on the mask
 * @param mseDepth weight of the depth MSE (valid pixels)
 * @param mseMask weight of the mask MSE
 * @param l1Depth weight of the depth L1 (valid pixels)
 * @param l1Mask weight of the mask L1
 * @param diceMask weight of the soft Dice loss on the mask, per image then averaged: every object counts as much
 *     as the next whatever its area, where the per-pixel terms let large regions and empty frames dominate
 * @param fgDepth extra weight of foreground pixels in the depth MSE and L1 (a pixel weighs 1 + fgDepth inside
 *     the true mask): the obstacles are the depth the robot acts on, and a small share of the pixels
 * @param logDepth weight of the L1 distance of log metres (valid pixels, foreground-weighted like MSE and L1):
 *     a relative error, so 10 cm wrong at 1 m costs what 1 m wrong at 10 m does — the linear terms let the near
 *     range drift while they pull the far room in (AbsRel and δ1 are relative measures)
 * @param siLogDepth weight of the scale-invariant log-depth error (per image, the standard deviation of the log
 *     error over its pixels; see {@link CompoundLoss#scaleInvariant}): the scene's shape, apart from its overall
 *     scale, which a camera of uncertain height and pitch leaves ambiguous and the L1 terms already hold
 */
public record LossWeights(
        double ssimDepth, double ssimMask, double mseDepth, double mseMask, double l1Depth, double l1Mask,
        double diceMask, double fgDepth, double logDepth, double siLogDepth) {

    public LossWeights {
        // A negative weight turns a term into something the optimiser maximises; NaN poisons every step.
        double[] w = {ssimDepth, ssimMask, mseDepth, mseMask, l1Depth, l1Mask, diceMask, fgDepth, logDepth,
            siLogDepth};
        String[] option = {"--w-ssim-depth", "--w-ssim-mask", "--w-mse-depth", "--w-mse-mask", "--w-l1-depth",
            "--w-l1-mask", "--w-dice-mask", "--w-fg-depth", "--w-log-depth", "--w-si-log-depth"};
        for (int i = 0; i < w.length; i++) {
            if (!(w[i] >= 0) || Double.isInfinite(w[i])) {
                throw new IllegalArgumentException("loss weight " + option[i] + " must be a finite number >= 0, got "
                        + w[i]);
            }
        }
    }

    /** 2.0·SSIM(depth) + 0.4·SSIM(mask) + 0.1·MSE(depth) + 1.0·MSE(mask) + 1e-6·L1(depth) + 1e-6·L1(mask). */
    public static LossWeights original() {
        return new LossWeights(2.0, 0.4, 0.1, 1.0, 1e-6, 1e-6, 0, 0, 0, 0);
    }
}
