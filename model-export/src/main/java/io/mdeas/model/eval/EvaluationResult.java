package io.mdeas.model.eval;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The {@code DATASET.md} metrics of one evaluation; a value is {@code null} where no sample qualified for it.
 * {@code nearestRelerr} is the median over the qualifying samples (robust to the odd sample whose predicted
 * foreground misses the object entirely); the other values are means over images.
 *
 * @param samples           number of images evaluated
 * @param byForegroundShare the mask metrics again, per bin of the ground truth's foreground share of the image
 *                          (a breakdown, not a {@code DATASET.md} metric)
 * @param byDepthRegion     depth AbsRel and δ1 again, over the ground truth's foreground pixels and over the rest
 *                          (a breakdown: where the depth error sits)
 * @param byDepthRange      depth errors pooled over all valid pixels by their true distance (a breakdown)
 * @param byPredictedRange  the same pooled by predicted distance: a bias near 0 in every bin means the network is
 *                          unbiased given its output, so errors by true distance are regression to the mean, which no
 *                          remapping of its output can remove
 * @param byDepthEdge       depth errors pooled over the pixels at a true depth edge and over the rest (a breakdown:
 *                          how much of AbsRel the blur across object outlines makes)
 * @param scaleAligned      depth AbsRel and δ1 after scaling each image's prediction by its median true/predicted
 *                          ratio (a breakdown: shape error against overall-scale error)
 * @param perSample         the seven metrics of every image, in evaluation order (for intervals and paired
 *                          comparisons)
 */
public record EvaluationResult(Double maskFgIou, Double maskMiou, Double depthSsim, Double depthAbsrel,
                               Double depthRmseM, Double depthDelta1, Double nearestRelerr, int samples,
                               List<ShareBin> byForegroundShare, List<DepthRegion> byDepthRegion,
                               List<DepthRange> byDepthRange, List<DepthRange> byPredictedRange,
                               List<DepthEdge> byDepthEdge, ScaleAligned scaleAligned,
                               @JsonIgnore PerSampleMetrics perSample) {

    /** Mask metrics of the images whose ground-truth foreground share falls in one bin; null when it has none. */
    public record ShareBin(String share, int samples, @JsonProperty("mask_fg_iou") Double maskFgIou,
                           @JsonProperty("mask_miou") Double maskMiou) {
    }

    /**
     * Depth metrics over one region's valid pixels of each image, averaged over the images that have such pixels;
     * null when none has.
     */
    public record DepthRegion(String region, int samples, @JsonProperty("depth_absrel") Double depthAbsrel,
                              @JsonProperty("depth_delta1") Double depthDelta1) {
    }

    /**
     * Depth errors over the valid pixels whose true (or, in {@link #byPredictedRange}, predicted) depth lies in
     * {@code [fromM, toM)}, pooled over all images:
     * their share of all valid pixels, AbsRel, δ1 and the mean of ln(predicted / true) — the bias, positive when
     * the network reads that range too far. Values are null when the range has no pixel; {@code toM} is null for the
     * open last range.
     */
    public record DepthRange(@JsonProperty("from_m") double fromM, @JsonProperty("to_m") Double toM,
                             @JsonProperty("pixel_share") double pixelShare,
                             @JsonProperty("depth_absrel") Double depthAbsrel,
                             @JsonProperty("depth_delta1") Double depthDelta1,
                             @JsonProperty("mean_log_ratio") Double meanLogRatio) {
    }

    /**
     * Depth errors pooled over the valid pixels near a true depth edge ({@code edges}: within
     * {@link MetricAccumulator#EDGE_RADIUS} px of a pixel whose true depth differs by more than the δ1 ratio) or
     * not ({@code interior}): their share of the valid pixels, AbsRel, δ1, and their share of the pooled AbsRel sum.
     * Values are null when the region has no pixel.
     */
    public record DepthEdge(String region, @JsonProperty("pixel_share") double pixelShare,
                            @JsonProperty("depth_absrel") Double depthAbsrel,
                            @JsonProperty("depth_delta1") Double depthDelta1,
                            @JsonProperty("absrel_share") double absrelShare) {
    }

    /**
     * Depth metrics after each image's prediction is multiplied by the median of true / predicted over its valid
     * pixels (the "scale-invariant" evaluation of monocular depth work), averaged over {@code samples} images, with
     * the mean and standard deviation over images of that scale's natural log. A large gain over the plain AbsRel
     * and δ1 says the error is mostly each image's overall scale; a small one, the scene's shape. Values are null
     * when no image had a valid pixel with a positive prediction.
     */
    public record ScaleAligned(int samples, @JsonProperty("depth_absrel") Double depthAbsrel,
                               @JsonProperty("depth_delta1") Double depthDelta1,
                               @JsonProperty("log_scale_mean") Double logScaleMean,
                               @JsonProperty("log_scale_sd") Double logScaleSd) {
    }

    /** The value of one metric; null where no sample qualified. */
    public Double value(Metric metric) {
        return switch (metric) {
            case MASK_FG_IOU -> maskFgIou;
            case MASK_MIOU -> maskMiou;
            case DEPTH_SSIM -> depthSsim;
            case DEPTH_ABSREL -> depthAbsrel;
            case DEPTH_RMSE_M -> depthRmseM;
            case DEPTH_DELTA1 -> depthDelta1;
            case NEAREST_RELERR -> nearestRelerr;
        };
    }

    /**
     * The 95 % bootstrap interval of each metric over this evaluation's images, by {@link Metric#key()} in
     * {@link Metric} order; null for a
     * metric fewer than two images qualified for. With a few hundred images it is what separates a real difference
     * between two checkpoints from the luck of the sample.
     */
    public LinkedHashMap<String, BootstrapInterval.Interval> ci95() {
        LinkedHashMap<String, BootstrapInterval.Interval> m = new LinkedHashMap<>();
        for (Metric metric : Metric.values()) {
            m.put(metric.key(), BootstrapInterval.of(perSample.column(metric), metric.statistic()));
        }
        return m;
    }

    /** The seven metrics under their {@code DATASET.md} names, in {@link Metric} order. */
    public LinkedHashMap<String, Double> asMap() {
        LinkedHashMap<String, Double> m = new LinkedHashMap<>();
        for (Metric metric : Metric.values()) {
            m.put(metric.key(), value(metric));
        }
        return m;
    }
}
