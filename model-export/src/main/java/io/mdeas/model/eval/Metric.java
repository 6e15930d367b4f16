package io.mdeas.model.eval;

/**
 * The seven {@code DATASET.md} metrics, in report order: their names, which way is better, and how a set of
 * images is summarised. The one place these facts live; evaluation, per-sample tables, intervals, {@code compare}
 * and the training log all read them from here.
 */
public enum Metric {
    MASK_FG_IOU("mask_fg_iou", true, BootstrapInterval.Statistic.MEAN),
    MASK_MIOU("mask_miou", true, BootstrapInterval.Statistic.MEAN),
    DEPTH_SSIM("depth_ssim", true, BootstrapInterval.Statistic.MEAN),
    DEPTH_ABSREL("depth_absrel", false, BootstrapInterval.Statistic.MEAN),
    DEPTH_RMSE_M("depth_rmse_m", false, BootstrapInterval.Statistic.MEAN),
    DEPTH_DELTA1("depth_delta1", true, BootstrapInterval.Statistic.MEAN),
    /** A median: robust to the odd image whose predicted foreground misses the object entirely. */
    NEAREST_RELERR("nearest_relerr", false, BootstrapInterval.Statistic.MEDIAN);

    private final String key;
    private final boolean higherIsBetter;
    private final BootstrapInterval.Statistic statistic;

    Metric(String key, boolean higherIsBetter, BootstrapInterval.Statistic statistic) {
        this.key = key;
        this.higherIsBetter = higherIsBetter;
        this.statistic = statistic;
    }

    /** The {@code DATASET.md} name, as reports, JSON and CSV headers spell it. */
    public String key() {
        return key;
    }

    /** Whether a larger value is better (IoU, SSIM, δ1) rather than worse (errors). */
    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    /** How the metric summarises its images. */
    public BootstrapInterval.Statistic statistic() {
        return statistic;
    }
}
