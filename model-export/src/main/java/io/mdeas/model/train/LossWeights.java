package io.mdeas.model.train;

/**
 * Weights of the compound loss terms (defaults are the original MDEAS ones).
 *
 * @param ssimDepth weight of 1 − SSIM on depth (valid pixels)
 * @param ssimMask weight of 1 − SSIM on the mask
 * @param mseDepth weight of the depth MSE (valid pixels)
 * @param mseMask weight of the mask MSE
 * @param l1Depth weight of the depth L1 (valid pixels)
 * @param l1Mask weight of the mask L1
 */
public record LossWeights(
        double ssimDepth, double ssimMask, double mseDepth, double mseMask, double l1Depth, double l1Mask) {

    /** 2.0·SSIM(depth) + 0.4·SSIM(mask) + 0.1·MSE(depth) + 1.0·MSE(mask) + 1e-6·L1(depth) + 1e-6·L1(mask). */
    public static LossWeights original() {
        return new LossWeights(2.0, 0.4, 0.1, 1.0, 1e-6, 1e-6);
    }
}
