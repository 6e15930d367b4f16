package io.mdeas.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
            float[] v = new CompoundLoss(LossWeights.original()).compute(depth, mask, depth, valid, mask)
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
            float[] v = new CompoundLoss(LossWeights.original()).compute(pred, mask, target, valid, mask)
                    .values().toFloatArray();
            assertEquals(0.04f / 3, v[3], 1e-6f, "mse_depth over the three known pixels");
            assertEquals(0.2f / 3, v[5], 1e-6f, "l1_depth over the three known pixels");
        }
    }
}
