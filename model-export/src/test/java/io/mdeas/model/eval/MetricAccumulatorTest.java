package io.mdeas.model.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricAccumulatorTest {

    @Test
    void bothMasksEmptyIsPerfect() {
        MetricAccumulator acc = new MetricAccumulator();
        acc.add(new float[16], new float[16], null, null, 4, 4, null);
        EvaluationResult r = acc.result();
        assertEquals(1.0, r.maskFgIou());
        assertEquals(1.0, r.maskMiou());
        assertNull(r.depthSsim());
        assertNull(r.nearestRelerr());
        assertEquals(1, r.samples());
        assertEquals(List.of("mask_fg_iou", "mask_miou", "depth_ssim", "depth_absrel", "depth_rmse_m",
                "depth_delta1", "nearest_relerr"), List.copyOf(r.asMap().keySet()));
    }

    @Test
    void maskIouByHand() {
        float[] pred = new float[16];
        float[] gt = new float[16];
        pred[0] = 0.9f;
        pred[1] = 0.5f;   // >= 0.5 is foreground
        pred[2] = 0.7f;
        pred[5] = 0.49f;  // below threshold
        gt[1] = 1;
        gt[2] = 1;
        gt[3] = 1;
        MetricAccumulator acc = new MetricAccumulator();
        acc.add(pred, gt, null, null, 4, 4, null);
        // fg: inter {1,2} = 2, union {0,1,2,3} = 4. bg: pred bg 13, gt bg 13, inter 12, union 14.
        acc.add(new float[16], gt, null, null, 4, 4, null); // fg IoU 0, bg IoU 13/16
        EvaluationResult r = acc.result();
        assertEquals((0.5 + 0.0) / 2, r.maskFgIou(), 1e-12);
        assertEquals(((0.5 + 12.0 / 14) / 2 + (0 + 13.0 / 16) / 2) / 2, r.maskMiou(), 1e-12);
        // The same numbers image by image; no depth given, so the depth columns did not qualify.
        assertEquals(2, r.perSample().rows());
        assertEquals(0.5, r.perSample().get(0, Metric.MASK_FG_IOU), 1e-12);
        assertEquals((0 + 13.0 / 16) / 2, r.perSample().get(1, Metric.MASK_MIOU), 1e-12);
        assertTrue(Double.isNaN(r.perSample().get(1, Metric.DEPTH_ABSREL)));
        assertTrue(Double.isNaN(r.perSample().get(1, Metric.NEAREST_RELERR)));
    }

    @Test
    void depthMetricsByHand() {
        int h = 4;
        int w = 4;
        float[] gt = new float[16];
        float[] pred = new float[16];
        Arrays.fill(gt, 2f);
        gt[15] = 0f;          // unknown: ignored
        pred[15] = 100f;
        for (int i = 0; i < 15; i++) {
            pred[i] = i < 10 ? 2.4f : 3f; // ratio 1.2 (hit) for 10 pixels, 1.5 (miss) for 5
        }
        pred[9] = 0f;         // non-positive prediction: a miss, abs rel 1
        MetricAccumulator acc = new MetricAccumulator();
        acc.add(new float[16], new float[16], pred, gt, h, w, null);
        EvaluationResult r = acc.result();
        assertEquals((9 * 0.2 + 1.0 + 5 * 0.5) / 15, r.depthAbsrel(), 1e-6);
        assertEquals(Math.sqrt((9 * 0.16 + 4.0 + 5 * 1.0) / 15), r.depthRmseM(), 1e-6);
        assertEquals(9.0 / 15, r.depthDelta1(), 1e-12);

        // Perfect depth: SSIM 1, errors 0; averaged with the image above.
        acc.add(new float[16], new float[16], gt.clone(), gt, h, w, null);
        r = acc.result();
        assertEquals((9.0 / 15 + 1) / 2, r.depthDelta1(), 1e-12);
        // No valid pixel at all: the image is skipped by the depth metrics.
        acc.add(new float[16], new float[16], pred, new float[16], h, w, null);
        assertEquals((9.0 / 15 + 1) / 2, acc.result().depthDelta1(), 1e-12);
        assertEquals(3, acc.count());
    }

    @Test
    void nearestIsMedianOfFifthPercentileErrors() {
        int n = 20;
        float[] mask = new float[n];
        float[] depth = new float[n];
        for (int i = 0; i < n; i++) {
            mask[i] = 1f;
            depth[i] = 20 - i; // values 1..20
        }
        mask[0] = 0f;          // depth 20 not in the foreground: values 1..19
        MetricAccumulator acc = new MetricAccumulator();
        // p5 of 1..19 = 1 + 0.05 * 18 = 1.9
        acc.add(mask, mask, depth, null, 4, 5, 2.0);  // |1.9 - 2| / 2 = 0.05
        acc.add(mask, mask, depth, null, 4, 5, 1.0);  // 0.9
        acc.add(mask, mask, depth, null, 4, 5, 1.9);  // 0
        acc.add(new float[n], mask, depth, null, 4, 5, 1.0); // no predicted foreground: skipped
        acc.add(mask, mask, null, null, 4, 5, 1.0);          // no predicted depth: skipped
        assertEquals(0.05, acc.result().nearestRelerr(), 1e-6);
        assertNull(acc.result().depthAbsrel());
    }

    @Test
    void theBreakdownBinsImagesByTheirGroundTruthForegroundShare() {
        int n = 200 * 100;
        MetricAccumulator acc = new MetricAccumulator();
        acc.add(new float[n], new float[n], null, null, 200, 100, null);           // no foreground, none predicted
        float[] small = new float[n];
        Arrays.fill(small, 0, 100, 1f);                                             // 0.5 % of the image
        acc.add(new float[n], small, null, null, 200, 100, null);                   // missed: fg IoU 0
        float[] large = new float[n];
        Arrays.fill(large, 0, 5000, 1f);                                            // 25 %
        acc.add(large, large, null, null, 200, 100, null);                          // exact: 1
        float[] half = new float[n];
        Arrays.fill(half, 0, 2500, 1f);
        acc.add(half, large, null, null, 200, 100, null);                           // half of it: 0.5
        List<EvaluationResult.ShareBin> bins = acc.result().byForegroundShare();
        assertEquals(List.of("none", "<1%", "1-5%", "5-20%", ">=20%"),
                bins.stream().map(EvaluationResult.ShareBin::share).toList());
        assertEquals(List.of(1, 1, 0, 0, 2), bins.stream().map(EvaluationResult.ShareBin::samples).toList());
        assertEquals(1.0, bins.get(0).maskFgIou());
        assertEquals(0.0, bins.get(1).maskFgIou());
        assertNull(bins.get(2).maskFgIou());
        assertEquals(0.75, bins.get(4).maskFgIou(), 1e-12);
        // bg IoU of the half-found large object: 15000 / 17500.
        assertEquals(((1 + 1) / 2.0 + (0.5 + 15000.0 / 17500) / 2) / 2, bins.get(4).maskMiou(), 1e-12);
    }

    @Test
    void depthBreakdownSeparatesForegroundFromBackgroundPixels() {
        float[] gt = new float[16];
        float[] pred = new float[16];
        float[] mask = new float[16];
        Arrays.fill(gt, 2f);
        Arrays.fill(pred, 2f);
        for (int i = 0; i < 4; i++) {
            mask[i] = 1;
            pred[i] = 4f;     // the object read at twice its distance: abs rel 1, all misses
        }
        pred[4] = 2.2f;       // one background pixel off by 10 %: a hit
        MetricAccumulator acc = new MetricAccumulator();
        acc.add(mask, mask, pred, gt, 4, 4, null);
        acc.add(new float[16], new float[16], gt.clone(), gt, 4, 4, null); // no foreground: background only
        List<EvaluationResult.DepthRegion> regions = acc.result().byDepthRegion();
        assertEquals("foreground", regions.get(0).region());
        assertEquals(1, regions.get(0).samples());
        assertEquals(1.0, regions.get(0).depthAbsrel(), 1e-6);
        assertEquals(0.0, regions.get(0).depthDelta1(), 1e-12);
        assertEquals(2, regions.get(1).samples());
        assertEquals((0.1 / 12 + 0) / 2, regions.get(1).depthAbsrel(), 1e-6);
        assertEquals(1.0, regions.get(1).depthDelta1(), 1e-12);
        assertEquals((4 * 1.0 + 0.1) / 16 / 2, acc.result().depthAbsrel(), 1e-6, "the whole-image metric is unchanged");
    }

    /** Eight pixels 0.3-6 m (one unknown) read twice as far, exactly, at 0 m or half as far. */
    private static EvaluationResult rangeFixture() {
        float[] gt = {0.3f, 0.3f, 1.5f, 1.5f, 6f, 6f, 0f, 4f};
        float[] pred = {0.6f, 0.6f, 1.5f, 0f, 3f, 6f, 9f, 4f};
        MetricAccumulator acc = new MetricAccumulator();
        acc.add(new float[8], new float[8], pred, gt, 2, 4, null);
        return acc.result();
    }

    @Test
    void depthRangesPoolPixelsByTrueDistanceWithTheBias() {
        List<EvaluationResult.DepthRange> r = rangeFixture().byDepthRange();
        assertEquals(5, r.size());
        EvaluationResult.DepthRange near = r.get(0);
        assertEquals(0.0, near.fromM());
        assertEquals(0.5, near.toM());
        assertEquals(2.0 / 7, near.pixelShare(), 1e-12, "the unknown pixel is not counted");
        assertEquals(1.0, near.depthAbsrel(), 1e-6);
        assertEquals(0.0, near.depthDelta1(), 1e-12);
        assertEquals(Math.log(2), near.meanLogRatio(), 1e-6, "read twice as far");
        assertNull(r.get(1).depthAbsrel(), "no pixel in 0.5-1 m");
        EvaluationResult.DepthRange mid = r.get(2);
        assertEquals(0.5, mid.depthAbsrel(), 1e-6, "one exact, one predicted at 0 (abs rel 1)");
        assertEquals(0.0, mid.meanLogRatio(), 1e-12, "the non-positive prediction has no log ratio");
        EvaluationResult.DepthRange far = r.get(4);
        assertEquals(4.0, far.fromM());
        assertNull(far.toM());
        assertEquals(3.0 / 7, far.pixelShare(), 1e-12, "4 m belongs to the upper bin");
        assertEquals(Math.log(0.5) / 3, far.meanLogRatio(), 1e-6);
    }

    @Test
    void predictedRangesPoolTheSamePixelsByPredictedDistance() {
        EvaluationResult result = rangeFixture();
        List<EvaluationResult.DepthRange> r = result.byPredictedRange();
        assertEquals(5, r.size());
        EvaluationResult.DepthRange zero = r.get(0);
        assertEquals(1.0 / 7, zero.pixelShare(), 1e-12, "the pixel predicted at 0 m");
        assertEquals(1.0, zero.depthAbsrel(), 1e-6);
        assertNull(zero.meanLogRatio(), "no positive prediction in the bin: no bias");
        EvaluationResult.DepthRange near = r.get(1);
        assertEquals(2.0 / 7, near.pixelShare(), 1e-12, "0.3 m read as 0.6 m lands in 0.5-1 m");
        assertEquals(Math.log(2), near.meanLogRatio(), 1e-6);
        assertEquals(0.0, r.get(2).meanLogRatio(), 1e-12);
        assertEquals(Math.log(0.5), r.get(3).meanLogRatio(), 1e-6, "6 m read as 3 m lands in 2-4 m");
        EvaluationResult.DepthRange far = r.get(4);
        assertEquals(2.0 / 7, far.pixelShare(), 1e-12, "the unknown pixel is not counted, 4 m is the upper bin");
        assertEquals(0.0, far.depthAbsrel(), 1e-12);
        assertEquals(1.0, far.depthDelta1(), 1e-12);
        assertEquals(result.byDepthRange().stream().mapToDouble(EvaluationResult.DepthRange::pixelShare).sum(),
                r.stream().mapToDouble(EvaluationResult.DepthRange::pixelShare).sum(), 1e-12, "the same pixels");
    }

    @Test
    void shareBinEdgesBelongToTheUpperBin() {
        assertEquals(0, MetricAccumulator.shareBin(0));
        assertEquals(1, MetricAccumulator.shareBin(0.009));
        assertEquals(2, MetricAccumulator.shareBin(0.01));
        assertEquals(3, MetricAccumulator.shareBin(0.05));
        assertEquals(4, MetricAccumulator.shareBin(0.20));
        assertEquals(4, MetricAccumulator.shareBin(1.0));
    }

    @Test
    void depthEdgesMarkPixelsNearATrueDepthStep() {
        MetricAccumulator acc = new MetricAccumulator();
        // A 3x step between x = 7 and 8: pixels 6..9 lie within 2 px of it; the unknown pixel 0 makes no edge.
        float[] gt = {0f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 3f, 3f};
        float[] pred = {5f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 3f};
        acc.add(new float[10], new float[10], pred, gt, 1, 10, null);
        // Steps under the δ1 ratio (1.2x) are not edges.
        float[] gentle = {1f, 1.2f, 1.2f, 1f, 1f};
        acc.add(new float[5], new float[5], gentle.clone(), gentle, 1, 5, null);
        List<EvaluationResult.DepthEdge> e = acc.result().byDepthEdge();
        assertEquals("edges", e.get(0).region());
        assertEquals(4.0 / 14, e.get(0).pixelShare(), 1e-12);
        assertEquals((2.0 / 3) / 4, e.get(0).depthAbsrel(), 1e-6, "one edge pixel read at a third of its depth");
        assertEquals(0.75, e.get(0).depthDelta1(), 1e-12);
        assertEquals(1.0, e.get(0).absrelShare(), 1e-12, "all the error sits at the edge");
        assertEquals("interior", e.get(1).region());
        assertEquals(10.0 / 14, e.get(1).pixelShare(), 1e-12);
        assertEquals(0.0, e.get(1).depthAbsrel(), 1e-12);
        assertEquals(0.0, e.get(1).absrelShare(), 1e-12);
    }

    @Test
    void scaleAlignmentRemovesEachImagesOverallScaleButNotItsShape() {
        MetricAccumulator acc = new MetricAccumulator();
        // Image 1: everything read twice as far (pure scale error); the unknown pixel is ignored.
        float[] gt1 = {1f, 2f, 3f, 0f};
        acc.add(new float[4], new float[4], new float[] {2f, 4f, 6f, 7f}, gt1, 1, 4, null);
        // Image 2: exact but for one pixel at half its depth (shape error); the median ratio is 1.
        float[] gt2 = {1f, 1f, 1f, 4f};
        acc.add(new float[4], new float[4], new float[] {1f, 1f, 1f, 2f}, gt2, 1, 4, null);
        EvaluationResult r = acc.result();
        assertEquals((0 + 0.75) / 2, r.depthDelta1(), 1e-12, "plain δ1: image 1 misses everywhere");
        EvaluationResult.ScaleAligned a = r.scaleAligned();
        assertEquals(2, a.samples());
        assertEquals((0 + 0.5 / 4) / 2, a.depthAbsrel(), 1e-6, "only image 2's odd pixel is left");
        assertEquals((1 + 0.75) / 2, a.depthDelta1(), 1e-12);
        assertEquals(Math.log(0.5) / 2, a.logScaleMean(), 1e-6);
        assertEquals(Math.abs(Math.log(0.5)) / 2, a.logScaleSd(), 1e-6, "scales 0.5 and 1");
    }

    @Test
    void scaleAlignmentIsEmptyWithoutDepth() {
        MetricAccumulator acc = new MetricAccumulator();
        acc.add(new float[4], new float[4], null, null, 2, 2, null);
        EvaluationResult.ScaleAligned a = acc.result().scaleAligned();
        assertEquals(0, a.samples());
        assertNull(a.depthDelta1());
    }
}
