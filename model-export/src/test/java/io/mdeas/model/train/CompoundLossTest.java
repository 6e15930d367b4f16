package io.mdeas.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.mdeas.model.eval.GaussianSsim;
import io.mdeas.model.net.TorchRuntime;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CompoundLossTest {

    private static final int H = 20;
    private static final int W = 24;

    @BeforeAll
    static void engine() {
        TorchRuntime.start(null, 1);
    }

    @Test
    void identicalPredictionsHaveZeroLoss() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray depth = m.randomUniform(0, 1, new Shape(2, 1, H, W));
            NDArray mask = m.randomUniform(0, 1, new Shape(2, 1, H, W)).gt(0.5f).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
            NDArray valid = m.ones(new Shape(2, 1, H, W));
            float[] v = new CompoundLoss(withLogDepth(LossWeights.original(), 1), DepthEncoding.LINEAR, 10f)
                    .compute(depth, mask, depth, valid, mask)
                    .values().toFloatArray();
            for (int i = 0; i < v.length; i++) {
                assertEquals(0f, v[i], 1e-5f, CompoundLoss.TERM_NAMES[i]);
            }
        }
    }

    @Test
    void ssimMatchesTheEvaluationDefinitionOnValidPixels() {
        Random r = new Random(3);
        float[] a = new float[H * W];
        float[] b = new float[H * W];
        float[] valid = new float[H * W];
        double[] da = new double[H * W];
        double[] db = new double[H * W];
        boolean[] dv = new boolean[H * W];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextFloat();
            b[i] = Math.min(1, Math.max(0, a[i] + (float) r.nextGaussian() * 0.2f));
            valid[i] = r.nextFloat() < 0.8f ? 1 : 0;
            da[i] = a[i];
            db[i] = b[i];
            dv[i] = valid[i] > 0;
        }
        double expected = new GaussianSsim().mean(da, db, dv, H, W);
        try (NDManager m = NDManager.newBaseManager()) {
            Shape s = new Shape(1, 1, H, W);
            float got = Ssim.mean(m.create(a, s), m.create(b, s), m.create(valid, s)).getFloat();
            assertEquals(expected, got, 1e-4);
            assertTrue(expected < 0.95, "the maps differ, so SSIM is clearly below 1");
        }
    }

    @Test
    void depthTermsIgnoreUnknownPixels() {
        try (NDManager m = NDManager.newBaseManager()) {
            Shape s = new Shape(1, 1, 2, 2);
            NDArray target = m.create(new float[] {0.5f, 0.5f, 0.5f, 0f}, s);
            NDArray valid = m.create(new float[] {1, 1, 1, 0}, s);
            NDArray pred = m.create(new float[] {0.5f, 0.5f, 0.7f, 0.9f}, s);
            NDArray mask = m.zeros(s);
            float[] v = new CompoundLoss(LossWeights.original(), DepthEncoding.LINEAR, 10f).compute(pred, mask, target, valid, mask)
                    .values().toFloatArray();
            assertEquals(0.04f / 3, v[3], 1e-6f, "mse_depth over the three known pixels");
            assertEquals(0.2f / 3, v[5], 1e-6f, "l1_depth over the three known pixels");
        }
    }

    @Test
    void diceMakesAMissedSmallObjectCostNearlyAsMuchAsAMissedLargeOne() {
        try (NDManager m = NDManager.newBaseManager()) {
            Shape s = new Shape(2, 1, H, W);
            float[] target = new float[2 * H * W];
            for (int i = 0; i < 4; i++) {
                target[i] = 1; // image 0: a 4-pixel object
            }
            for (int i = 0; i < 200; i++) {
                target[H * W + i] = 1; // image 1: a 200-pixel object
            }
            NDArray mask = m.create(target, s);
            NDArray none = m.zeros(s);
            float[] dice = CompoundLoss.dice(none, mask).neg().add(1f).toFloatArray();
            assertEquals(1 - 1 / 5f, dice[0], 1e-6f, "missing 4 pixels");
            assertEquals(1 - 1 / 201f, dice[1], 1e-6f, "missing 200 pixels");
            float[] v = new CompoundLoss(new LossWeights(0, 0, 0, 1, 0, 0, 1, 0, 0, 0), DepthEncoding.LINEAR, 10f)
                    .compute(none, none, none, m.ones(s), mask).values().toFloatArray();
            assertEquals(204f / (2 * H * W), v[4], 1e-6f, "mse_mask: the small object is 4 of 960 pixels");
            assertEquals((dice[0] + dice[1]) / 2, v[7], 1e-6f, "dice_mask_loss: mean over images");
            assertEquals(v[4] + v[7], v[0], 1e-6f, "total");
        }
    }

    @Test
    void foregroundDepthWeightCountsObjectPixelsMore() {
        try (NDManager m = NDManager.newBaseManager()) {
            Shape s = new Shape(1, 1, 2, 2);
            NDArray target = m.create(new float[] {0.5f, 0.5f, 0.5f, 0.5f}, s);
            NDArray pred = m.create(new float[] {0.7f, 0.5f, 0.6f, 0.5f}, s);
            NDArray valid = m.create(new float[] {1, 1, 1, 0}, s);
            NDArray mask = m.create(new float[] {1, 0, 0, 1}, s);
            float[] v = new CompoundLoss(new LossWeights(0, 0, 1, 0, 1, 0, 0, 3, 0, 0), DepthEncoding.LINEAR, 10f)
                    .compute(pred, mask, target, valid, mask).values().toFloatArray();
            // weights 4, 1, 1 on the known pixels (the unknown foreground pixel stays out)
            assertEquals((4 * 0.04f + 0.01f) / 6, v[3], 1e-6f, "mse_depth");
            assertEquals((4 * 0.2f + 0.1f) / 6, v[5], 1e-6f, "l1_depth");
        }
    }

    @Test
    void logDepthTermIsTheRelativeErrorInEitherEncoding() {
        try (NDManager m = NDManager.newBaseManager()) {
            Shape s = new Shape(1, 1, 1, 4);
            // 1 m read as 1.1 m, 5 m read as 5.5 m: the same ratio costs the same; the third pixel is unknown,
            // the fourth (0.5 m) is predicted below 0 m and is floored at 5 cm.
            float[] metresTrue = {1f, 5f, 3f, 0.5f};
            float[] metresPred = {1.1f, 5.5f, 9f, -1f};
            NDArray valid = m.create(new float[] {1, 1, 0, 1}, s);
            NDArray mask = m.create(new float[] {1, 0, 0, 0}, s);
            LossWeights w = new LossWeights(0, 0, 0, 0, 0, 0, 0, 1, 1, 0);
            double ratio = Math.log(1.1);
            double floored = Math.log(0.5 / DepthEncoding.minMetres(10f));
            // foreground weight 1 + 1 on the first pixel
            double expected = (2 * ratio + ratio + floored) / 4;
            float[] v = new CompoundLoss(w, DepthEncoding.LINEAR, 10f).compute(
                    m.create(scale(metresPred, 0.1f), s), mask, m.create(scale(metresTrue, 0.1f), s), valid, mask)
                    .values().toFloatArray();
            assertEquals(expected, v[8], 1e-5, "log_l1_depth, linear encoding");
            assertEquals(v[8], v[0], 1e-6f, "total is the one weighted term");

            DepthEncoding log = DepthEncoding.LOG;
            float[] encPred = new float[4];
            float[] encTrue = new float[4];
            for (int i = 0; i < 4; i++) {
                encPred[i] = log.encode(Math.max(metresPred[i], DepthEncoding.minMetres(10f)), 10f);
                encTrue[i] = log.encode(metresTrue[i], 10f);
            }
            float[] vl = new CompoundLoss(w, log, 10f).compute(m.create(encPred, s), mask, m.create(encTrue, s),
                    valid, mask).values().toFloatArray();
            assertEquals(expected, vl[8], 1e-5, "log_l1_depth, log encoding");
        }
    }

    @Test
    void scaleInvariantTermChargesTheShapeNotTheOverallScale() {
        try (NDManager m = NDManager.newBaseManager()) {
            Shape s = new Shape(2, 1, 1, 4);
            // Image 1 reads everything 1.5x too far; image 2 is exact but for one pixel read 2x too far. The third
            // pixel of each image is unknown and must not count.
            float[] metresTrue = {1f, 2f, 9f, 4f, 1f, 2f, 9f, 4f};
            float[] metresPred = {1.5f, 3f, 1f, 6f, 1f, 2f, 1f, 8f};
            NDArray valid = m.create(new float[] {1, 1, 0, 1, 1, 1, 0, 1}, s);
            NDArray noMask = m.zeros(s);
            LossWeights w = new LossWeights(0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
            float[] v = new CompoundLoss(w, DepthEncoding.LINEAR, 10f).compute(m.create(scale(metresPred, 0.1f), s),
                    noMask, m.create(scale(metresTrue, 0.1f), s), valid, noMask).values().toFloatArray();
            // image 2: log errors {0, 0, ln 2}: SD = ln 2 · √2 / 3 (as √(SD² + ε) − √ε); image 1: constant, 0
            double sd2 = Math.log(2) * Math.sqrt(2) / 3;
            double expected = (0 + Math.sqrt(sd2 * sd2 + 1e-6) - Math.sqrt(1e-6)) / 2;
            assertEquals(expected, v[9], 1e-4, "si_log_depth: mean over images of the log error's SD");
            assertEquals(v[9], v[0], 1e-6f, "total is the one weighted term");
            assertEquals((3 * Math.log(1.5) + Math.log(2)) / 6, v[8], 1e-4,
                    "log_l1_depth still charges image 1's overall scale");
        }
    }

    private static float[] scale(float[] a, float f) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] * f;
        }
        return out;
    }

    private static LossWeights withLogDepth(LossWeights w, double logDepth) {
        return new LossWeights(w.ssimDepth(), w.ssimMask(), w.mseDepth(), w.mseMask(), w.l1Depth(), w.l1Mask(),
                w.diceMask(), w.fgDepth(), logDepth, w.siLogDepth());
    }

    @Test
    void weightsSavedBeforeTheNewTermsReadAsTheOriginalLoss() throws Exception {
        LossWeights w = Checkpoint.JSON.readValue("{\"ssimDepth\":2.0,\"ssimMask\":0.4,\"mseDepth\":1.0,"
                + "\"mseMask\":1.0,\"l1Depth\":2.0,\"l1Mask\":1e-6}", LossWeights.class);
        assertEquals(new LossWeights(2.0, 0.4, 1.0, 1.0, 2.0, 1e-6, 0, 0, 0, 0), w);
        assertEquals(0, w.siLogDepth(), "a checkpoint from before the scale-invariant term trains without it");
    }

    @Test
    void everyWeightMustBeFiniteAndNonNegative() {
        IllegalArgumentException dice = assertThrows(IllegalArgumentException.class,
                () -> new LossWeights(2, 0.4, 1, 1, 2, 0, -0.5, 0, 0, 0));
        assertTrue(dice.getMessage().contains("--w-dice-mask") && dice.getMessage().contains("-0.5"), dice.getMessage());
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> new LossWeights(Double.NaN, 0.4, 1, 1, 2, 0, 0, 0, 0, 0));
        assertTrue(nan.getMessage().contains("--w-ssim-depth"), nan.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new LossWeights(2, 0.4, 1, 1, 2, 0, 0, -1, 0, 0));
        IllegalArgumentException log = assertThrows(IllegalArgumentException.class,
                () -> new LossWeights(2, 0.4, 1, 1, 2, 0, 0, 0, Double.POSITIVE_INFINITY, 0));
        assertTrue(log.getMessage().contains("--w-log-depth"), log.getMessage());
        assertEquals(0, new LossWeights(0, 0, 0, 0, 0, 0, 0, 0, 0, 0).diceMask());
    }
}
