package io.mdeas.model.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Accumulates the {@code DATASET.md} metrics over images. Per image: mask IoU of foreground and background
 * (prediction thresholded at 0.5, {@code >= 0.5} is foreground; IoU is 1 when both sets are empty); depth
 * AbsRel, RMSE, δ1 (a predicted depth {@code <= 0} counts as a miss) and SSIM over valid ground-truth pixels
 * (gt > 0) — see {@link GaussianSsim} for the SSIM convention; the nearest-obstacle relative error with the
 * predicted nearest depth taken as the 5th percentile (linear interpolation between order statistics, as numpy's
 * default) of predicted depth over predicted-foreground pixels. Means are over images;
 * {@code nearest_relerr} is the median over qualifying images. Scratch buffers are reused; not thread-safe.
 */
public final class MetricAccumulator {

    /** Depth that maps to 1 when depth maps are scaled for SSIM. */
    public static final double SSIM_DEPTH_RANGE_M = 10.0;
    /** Threshold of the δ1 ratio. */
    public static final double DELTA1 = 1.25;
    /** Percentile of predicted foreground depth taken as the nearest obstacle. */
    public static final double NEAREST_PERCENTILE = 0.05;

    /**
     * Lower bounds of the {@link EvaluationResult#byForegroundShare()} bins after the first two (images without
     * foreground, then foreground under 1 %): small, far objects are where a mask rebuilt from a 1/16-resolution
     * bottleneck loses most.
     */
    static final double[] SHARE_BOUNDS = {0.01, 0.05, 0.20};
    static final String[] SHARE_LABELS = {"none", "<1%", "1-5%", "5-20%", ">=20%"};

    private final GaussianSsim ssim = new GaussianSsim();
    private final PerSampleMetrics perSample = new PerSampleMetrics();

    private int images;
    private double fgIouSum;
    private double miouSum;
    private final int[] shareImages = new int[SHARE_LABELS.length];
    private final double[] shareFgIouSum = new double[SHARE_LABELS.length];
    private final double[] shareMiouSum = new double[SHARE_LABELS.length];

    private int depthImages;
    private double absrelSum;
    private double rmseSum;
    private double delta1Sum;
    private double ssimSum;

    /** Per region (0 = ground-truth foreground, 1 = the rest): images with valid pixels there, sums of means. */
    static final String[] DEPTH_REGIONS = {"foreground", "background"};
    private final int[] regionImages = new int[2];
    private final double[] regionAbsrelSum = new double[2];
    private final double[] regionDelta1Sum = new double[2];
    private final int[] regionCount = new int[2];
    private final double[] regionAbsrel = new double[2];
    private final int[] regionHits = new int[2];

    /**
     * Upper bounds (m) of the {@link EvaluationResult#byDepthRange()} and
     * {@link EvaluationResult#byPredictedRange()} bins; the last bin is open.
     */
    static final double[] RANGE_BOUNDS_M = {0.5, 1, 2, 4};
    /** Pixels pooled by true distance: where the network is wrong. */
    private final RangeBins byTrueRange = new RangeBins();
    /** Pixels pooled by predicted distance: whether the network is biased given its own output. */
    private final RangeBins byPredictedRange = new RangeBins();

    /**
     * Half-size (px) of the window that marks a pixel as at a depth edge: the decoders rebuild depth from 1/16
     * resolution, so the blur across an outline spans a few pixels on either side.
     */
    public static final int EDGE_RADIUS = 2;
    static final String[] EDGE_REGIONS = {"edges", "interior"};
    private final long[] edgePixels = new long[2];
    private final double[] edgeAbsrelSum = new double[2];
    private final long[] edgeHits = new long[2];
    private float[] rowMin = new float[0];
    private float[] rowMax = new float[0];
    private boolean[] edge = new boolean[0];

    /**
     * Per-image scale-aligned depth (a breakdown): each prediction multiplied by the median of true / predicted
     * over its valid pixels before AbsRel and δ1. What remains is the error of the scene's shape; the difference to
     * the plain metrics is the error of each image's overall scale (camera height, pitch, the room's size).
     */
    private int alignedImages;
    private double alignedAbsrelSum;
    private double alignedDelta1Sum;
    private double logScaleSum;
    private double logScaleSqSum;
    private float[] ratios = new float[0];

    private double[] ssimX = new double[0];
    private double[] ssimY = new double[0];
    private boolean[] valid = new boolean[0];
    private float[] fgDepths = new float[0];

    /**
     * Adds one image.
     *
     * @param predMask   predicted foreground probabilities, h*w
     * @param gtMask     ground-truth mask, 0/1, h*w
     * @param predDepthM predicted depth in metres, or null (depth and nearest metrics then skip this image)
     * @param gtDepthM   ground-truth depth in metres (0 = unknown), or null (depth metrics skip this image)
     * @param nearestFgM ground-truth distance to the nearest foreground pixel, or null
     */
    public void add(float[] predMask, float[] gtMask, float[] predDepthM, float[] gtDepthM, int h, int w,
                    Double nearestFgM) {
        int n = h * w;
        check("predMask", predMask, n);
        check("gtMask", gtMask, n);
        if (predDepthM != null) {
            check("predDepthM", predDepthM, n);
        }
        if (gtDepthM != null) {
            check("gtDepthM", gtDepthM, n);
        }
        int row = perSample.addRow();
        addMask(row, predMask, gtMask, n);
        if (predDepthM != null && gtDepthM != null) {
            addDepth(row, predDepthM, gtDepthM, gtMask, h, w);
        }
        if (predDepthM != null && nearestFgM != null && nearestFgM > 0) {
            addNearest(row, predMask, predDepthM, n, nearestFgM);
        }
        images++;
    }

    /** Number of images added. */
    public int count() {
        return images;
    }

    /** The metrics so far; null where no image qualified. */
    public EvaluationResult result() {
        Double fg = images == 0 ? null : fgIouSum / images;
        Double miou = images == 0 ? null : miouSum / images;
        boolean d = depthImages > 0;
        return new EvaluationResult(fg, miou,
                d ? ssimSum / depthImages : null,
                d ? absrelSum / depthImages : null,
                d ? rmseSum / depthImages : null,
                d ? delta1Sum / depthImages : null,
                medianOrNull(perSample.column(Metric.NEAREST_RELERR)),
                images, shareBins(), depthRegions(), byTrueRange.list(), byPredictedRange.list(), depthEdges(),
                scaleAligned(), perSample.copy());
    }

    private EvaluationResult.ScaleAligned scaleAligned() {
        if (alignedImages == 0) {
            return new EvaluationResult.ScaleAligned(0, null, null, null, null);
        }
        double mean = logScaleSum / alignedImages;
        double var = Math.max(0, logScaleSqSum / alignedImages - mean * mean);
        return new EvaluationResult.ScaleAligned(alignedImages, alignedAbsrelSum / alignedImages,
                alignedDelta1Sum / alignedImages, mean, Math.sqrt(var));
    }

    /** Adds one image to the scale-aligned breakdown (see {@link #alignedImages}). */
    private void addScaleAligned(float[] pred, float[] gt, int n) {
        if (ratios.length < n) {
            ratios = new float[n];
        }
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (gt[i] > 0 && pred[i] > 0) {
                ratios[m++] = gt[i] / pred[i];
            }
        }
        if (m == 0) {
            return;
        }
        Arrays.sort(ratios, 0, m);
        double scale = percentile(ratios, m, 0.5);
        int count = 0;
        double absrel = 0;
        int hits = 0;
        for (int i = 0; i < n; i++) {
            double d = gt[i];
            if (d <= 0) {
                continue;
            }
            double p = scale * pred[i];
            count++;
            absrel += Math.abs(p - d) / d;
            hits += p > 0 && Math.max(p / d, d / p) < DELTA1 ? 1 : 0;
        }
        alignedImages++;
        alignedAbsrelSum += absrel / count;
        alignedDelta1Sum += (double) hits / count;
        double logScale = Math.log(scale);
        logScaleSum += logScale;
        logScaleSqSum += logScale * logScale;
    }

    private List<EvaluationResult.DepthEdge> depthEdges() {
        long all = edgePixels[0] + edgePixels[1];
        double absrelAll = edgeAbsrelSum[0] + edgeAbsrelSum[1];
        List<EvaluationResult.DepthEdge> out = new ArrayList<>(2);
        for (int r = 0; r < 2; r++) {
            out.add(new EvaluationResult.DepthEdge(EDGE_REGIONS[r], all == 0 ? 0 : (double) edgePixels[r] / all,
                    meanOrNull(edgeAbsrelSum[r], edgePixels[r]), meanOrNull(edgeHits[r], edgePixels[r]),
                    absrelAll == 0 ? 0 : edgeAbsrelSum[r] / absrelAll));
        }
        return out;
    }

    /**
     * Marks in {@link #edge} the valid pixels whose (2·{@link #EDGE_RADIUS} + 1)² window holds valid true depths
     * more than {@link #DELTA1} apart (separable min/max filters).
     */
    private void markEdges(float[] gt, int h, int w) {
        int n = h * w;
        if (edge.length < n) {
            rowMin = new float[n];
            rowMax = new float[n];
            edge = new boolean[n];
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float lo = Float.POSITIVE_INFINITY;
                float hi = 0;
                for (int k = Math.max(0, x - EDGE_RADIUS); k <= Math.min(w - 1, x + EDGE_RADIUS); k++) {
                    float d = gt[y * w + k];
                    if (d > 0) {
                        lo = Math.min(lo, d);
                        hi = Math.max(hi, d);
                    }
                }
                rowMin[y * w + x] = lo;
                rowMax[y * w + x] = hi;
            }
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float lo = Float.POSITIVE_INFINITY;
                float hi = 0;
                for (int k = Math.max(0, y - EDGE_RADIUS); k <= Math.min(h - 1, y + EDGE_RADIUS); k++) {
                    lo = Math.min(lo, rowMin[k * w + x]);
                    hi = Math.max(hi, rowMax[k * w + x]);
                }
                edge[y * w + x] = hi > DELTA1 * lo;
            }
        }
    }

    /** Bin of a depth: the number of {@link #RANGE_BOUNDS_M} it reaches. */
    static int rangeBin(double depthM) {
        return boundsReached(depthM, RANGE_BOUNDS_M);
    }

    /** How many of the ascending {@code bounds} {@code v} reaches (a bound belongs to the bin above it). */
    private static int boundsReached(double v, double[] bounds) {
        int b = 0;
        while (b < bounds.length && v >= bounds[b]) {
            b++;
        }
        return b;
    }

    private static Double meanOrNull(double sum, long count) {
        return count == 0 ? null : sum / count;
    }

    private List<EvaluationResult.DepthRegion> depthRegions() {
        List<EvaluationResult.DepthRegion> out = new ArrayList<>(DEPTH_REGIONS.length);
        for (int r = 0; r < DEPTH_REGIONS.length; r++) {
            int k = regionImages[r];
            out.add(new EvaluationResult.DepthRegion(DEPTH_REGIONS[r], k, meanOrNull(regionAbsrelSum[r], k),
                    meanOrNull(regionDelta1Sum[r], k)));
        }
        return out;
    }

    private List<EvaluationResult.ShareBin> shareBins() {
        List<EvaluationResult.ShareBin> bins = new ArrayList<>(SHARE_LABELS.length);
        for (int b = 0; b < SHARE_LABELS.length; b++) {
            int k = shareImages[b];
            bins.add(new EvaluationResult.ShareBin(SHARE_LABELS[b], k, meanOrNull(shareFgIouSum[b], k),
                    meanOrNull(shareMiouSum[b], k)));
        }
        return bins;
    }

    /** Bin of a ground-truth foreground share: 0 for none, else 1 + the number of {@link #SHARE_BOUNDS} reached. */
    static int shareBin(double share) {
        return share <= 0 ? 0 : 1 + boundsReached(share, SHARE_BOUNDS);
    }

    private void addMask(int row, float[] pred, float[] gt, int n) {
        int interFg = 0;
        int unionFg = 0;
        int interBg = 0;
        int unionBg = 0;
        int gtFg = 0;
        for (int i = 0; i < n; i++) {
            boolean p = pred[i] >= 0.5f;
            boolean g = gt[i] >= 0.5f;
            if (g) {
                gtFg++;
            }
            if (p && g) {
                interFg++;
                unionFg++;
            } else if (!p && !g) {
                interBg++;
                unionBg++;
            } else {
                unionFg++;
                unionBg++;
            }
        }
        double iouFg = unionFg == 0 ? 1.0 : (double) interFg / unionFg;
        double iouBg = unionBg == 0 ? 1.0 : (double) interBg / unionBg;
        fgIouSum += iouFg;
        miouSum += (iouFg + iouBg) / 2;
        perSample.set(row, Metric.MASK_FG_IOU, iouFg);
        perSample.set(row, Metric.MASK_MIOU, (iouFg + iouBg) / 2);
        int bin = shareBin((double) gtFg / n);
        shareImages[bin]++;
        shareFgIouSum[bin] += iouFg;
        shareMiouSum[bin] += (iouFg + iouBg) / 2;
    }

    private void addDepth(int row, float[] pred, float[] gt, float[] gtMask, int h, int w) {
        int n = h * w;
        if (ssimX.length < n) {
            ssimX = new double[n];
            ssimY = new double[n];
            valid = new boolean[n];
        }
        int count = 0;
        double absrel = 0;
        double sq = 0;
        int hits = 0;
        Arrays.fill(regionCount, 0);
        Arrays.fill(regionAbsrel, 0);
        Arrays.fill(regionHits, 0);
        markEdges(gt, h, w);
        for (int i = 0; i < n; i++) {
            double d = gt[i];
            double p = pred[i];
            ssimX[i] = clip01(p / SSIM_DEPTH_RANGE_M);
            ssimY[i] = clip01(d / SSIM_DEPTH_RANGE_M);
            boolean ok = d > 0;
            valid[i] = ok;
            if (!ok) {
                continue;
            }
            count++;
            double err = p - d;
            double rel = Math.abs(err) / d;
            absrel += rel;
            sq += err * err;
            boolean hit = p > 0 && Math.max(p / d, d / p) < DELTA1;
            if (hit) {
                hits++;
            }
            int region = gtMask[i] >= 0.5f ? 0 : 1;
            regionCount[region]++;
            regionAbsrel[region] += rel;
            regionHits[region] += hit ? 1 : 0;
            int e = edge[i] ? 0 : 1;
            edgePixels[e]++;
            edgeAbsrelSum[e] += rel;
            edgeHits[e] += hit ? 1 : 0;
            double logRatio = p > 0 ? Math.log(p / d) : Double.NaN;
            byTrueRange.add(rangeBin(d), rel, hit, logRatio);
            byPredictedRange.add(rangeBin(p), rel, hit, logRatio);
        }
        if (count == 0) {
            return;
        }
        for (int r = 0; r < regionCount.length; r++) {
            if (regionCount[r] > 0) {
                regionImages[r]++;
                regionAbsrelSum[r] += regionAbsrel[r] / regionCount[r];
                regionDelta1Sum[r] += (double) regionHits[r] / regionCount[r];
            }
        }
        addScaleAligned(pred, gt, n);
        double imageSsim = ssim.mean(ssimX, ssimY, valid, h, w);
        depthImages++;
        absrelSum += absrel / count;
        rmseSum += Math.sqrt(sq / count);
        delta1Sum += (double) hits / count;
        ssimSum += imageSsim;
        perSample.set(row, Metric.DEPTH_SSIM, imageSsim);
        perSample.set(row, Metric.DEPTH_ABSREL, absrel / count);
        perSample.set(row, Metric.DEPTH_RMSE_M, Math.sqrt(sq / count));
        perSample.set(row, Metric.DEPTH_DELTA1, (double) hits / count);
    }

    private void addNearest(int row, float[] predMask, float[] predDepth, int n, double nearestM) {
        if (fgDepths.length < n) {
            fgDepths = new float[n];
        }
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (predMask[i] >= 0.5f) {
                fgDepths[m++] = predDepth[i];
            }
        }
        if (m == 0) {
            return;
        }
        Arrays.sort(fgDepths, 0, m);
        double near = percentile(fgDepths, m, NEAREST_PERCENTILE);
        perSample.set(row, Metric.NEAREST_RELERR, Math.abs(near - nearestM) / nearestM);
    }

    /** Percentile {@code q} of the first {@code m} sorted values, interpolating linearly between neighbours. */
    static double percentile(float[] sorted, int m, double q) {
        double pos = q * (m - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(m - 1, lo + 1);
        double f = pos - lo;
        return sorted[lo] + f * (sorted[hi] - sorted[lo]);
    }

    /** Median of the non-NaN values (images that qualified); null when there is none. */
    private static Double medianOrNull(double[] values) {
        double[] s = Arrays.stream(values).filter(v -> !Double.isNaN(v)).toArray();
        return s.length == 0 ? null : BootstrapInterval.Statistic.MEDIAN.of(s, s.length);
    }

    private static double clip01(double v) {
        return v < 0 ? 0 : (v > 1 ? 1 : v);
    }

    private static void check(String name, float[] a, int n) {
        if (a == null || a.length < n) {
            throw new IllegalArgumentException(name + " must hold h*w = " + n + " values, got "
                    + (a == null ? "null" : a.length));
        }
    }

    /** Depth errors pooled over the pixels of each {@link #RANGE_BOUNDS_M} bin (of true or of predicted distance). */
    private static final class RangeBins {
        private final long[] pixels = new long[RANGE_BOUNDS_M.length + 1];
        private final double[] absrelSum = new double[RANGE_BOUNDS_M.length + 1];
        private final long[] hits = new long[RANGE_BOUNDS_M.length + 1];
        private final double[] logRatioSum = new double[RANGE_BOUNDS_M.length + 1];
        /** Pixels predicted at depth <= 0 (no log ratio; they count as misses of AbsRel 1). */
        private final long[] nonPositive = new long[RANGE_BOUNDS_M.length + 1];

        /** @param logRatio ln(predicted / true), NaN for a prediction at or below 0 */
        void add(int bin, double rel, boolean hit, double logRatio) {
            pixels[bin]++;
            absrelSum[bin] += rel;
            hits[bin] += hit ? 1 : 0;
            if (Double.isNaN(logRatio)) {
                nonPositive[bin]++;
            } else {
                logRatioSum[bin] += logRatio;
            }
        }

        List<EvaluationResult.DepthRange> list() {
            long all = 0;
            for (long k : pixels) {
                all += k;
            }
            List<EvaluationResult.DepthRange> out = new ArrayList<>(pixels.length);
            for (int b = 0; b < pixels.length; b++) {
                long k = pixels[b];
                out.add(new EvaluationResult.DepthRange(b == 0 ? 0 : RANGE_BOUNDS_M[b - 1],
                        b < RANGE_BOUNDS_M.length ? RANGE_BOUNDS_M[b] : null,
                        all == 0 ? 0 : (double) k / all, meanOrNull(absrelSum[b], k), meanOrNull(hits[b], k),
                        meanOrNull(logRatioSum[b], k - nonPositive[b])));
            }
            return out;
        }
    }
}
