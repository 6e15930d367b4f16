package io.mdeas.node.analysis;

/**
 * Mask → blobs.
 *
 * @param maskThreshold    mask probability at or above which a pixel is "changed"
 * @param morphKernelPx    side of the elliptic kernel for the open/close clean-up, in map pixels (0 = none)
 * @param minAreaFrac      blobs smaller than this share of the image are ignored
 * @param depthPercentile  percentile (0-100) of depth / range inside a blob taken as its nearest part; a low
 *                         percentile rather than the minimum so a few bad pixels do not move it
 */
public record BlobParams(double maskThreshold, int morphKernelPx, double minAreaFrac, double depthPercentile) {
    public static final BlobParams DEFAULTS = new BlobParams(0.5, 3, 0.002, 5.0);

    public BlobParams {
        if (!(maskThreshold > 0 && maskThreshold < 1)) {
            throw new IllegalArgumentException("mask threshold must be in (0, 1), got " + maskThreshold);
        }
        if (morphKernelPx < 0) {
            throw new IllegalArgumentException("morphology kernel must be >= 0 px, got " + morphKernelPx);
        }
        if (!(minAreaFrac >= 0 && minAreaFrac < 1)) {
            throw new IllegalArgumentException("min area fraction must be in [0, 1), got " + minAreaFrac);
        }
        if (!(depthPercentile >= 0 && depthPercentile <= 100)) {
            throw new IllegalArgumentException("depth percentile must be in [0, 100], got " + depthPercentile);
        }
    }
}
