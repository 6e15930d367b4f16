package io.mdeas.node.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MaskEdgeRefinerTest {
    private static final int S = 64;

    /** A textured grey-green room with a red disc of radius 14 at (30, 34): the frame, CHW RGB in [0, 1]. */
    private static float[] discScene(float[] truth) {
        Random rnd = new Random(7);
        float[] chw = new float[3 * S * S];
        for (int y = 0; y < S; y++) {
            for (int x = 0; x < S; x++) {
                int i = y * S + x;
                boolean in = (x - 30) * (x - 30) + (y - 34) * (y - 34) <= 14 * 14;
                truth[i] = in ? 1 : 0;
                float noise = 0.03f * (float) rnd.nextGaussian();
                float shade = 0.1f * x / S; // a gradient, so the background is not flat
                chw[i] = (in ? 0.75f : 0.35f + shade) + noise;
                chw[S * S + i] = (in ? 0.20f : 0.45f + shade) + noise;
                chw[2 * S * S + i] = (in ? 0.15f : 0.40f) + noise;
            }
        }
        return chw;
    }

    /** The truth as a network leaves it: decided on 8×8 blocks (nearest upsampling), outlines off by a few pixels. */
    private static float[] blocky(float[] truth) {
        float[] m = new float[S * S];
        for (int by = 0; by < S; by += 8) {
            for (int bx = 0; bx < S; bx += 8) {
                int fg = 0;
                for (int y = by; y < by + 8; y++) {
                    for (int x = bx; x < bx + 8; x++) {
                        fg += (int) truth[y * S + x];
                    }
                }
                float p = fg / 64f;
                for (int y = by; y < by + 8; y++) {
                    for (int x = bx; x < bx + 8; x++) {
                        m[y * S + x] = p;
                    }
                }
            }
        }
        return m;
    }

    private static double fgIou(float[] mask, float[] truth) {
        int inter = 0;
        int union = 0;
        for (int i = 0; i < mask.length; i++) {
            boolean p = mask[i] >= 0.5f;
            boolean g = truth[i] >= 0.5f;
            inter += p && g ? 1 : 0;
            union += p || g ? 1 : 0;
        }
        return (double) inter / union;
    }

    @Test
    void aBlockyMaskIsSnappedToTheOutlineInTheFrame() {
        float[] truth = new float[S * S];
        float[] frame = discScene(truth);
        float[] mask = blocky(truth);
        double before = fgIou(mask, truth);
        MaskEdgeRefiner refiner = new MaskEdgeRefiner(MaskEdgeParams.DEFAULTS, S);

        assertTrue(refiner.refine(FloatBuffer.wrap(frame), FloatBuffer.wrap(mask)));

        double after = fgIou(mask, truth);
        assertTrue(before < 0.93, "the blocky mask is off: " + before);
        assertTrue(after > 0.97, "refined: " + before + " -> " + after);
        for (float v : mask) {
            assertTrue(v >= 0 && v <= 1, "probabilities stay in [0, 1]: " + v);
        }
    }

    @Test
    void aMaskThatIsALinearFunctionOfTheFrameComesBackUnchanged() {
        // the filter's model is "mask = a·colour + b" per window: a mask that is exactly that must pass through,
        // which checks the window means and the 3×3 solve together
        float[] truth = new float[S * S];
        float[] frame = discScene(truth);
        float[] mask = new float[S * S];
        for (int i = 0; i < S * S; i++) {
            mask[i] = 0.9f * frame[i] - 0.5f * frame[S * S + i] + 0.3f * frame[2 * S * S + i] + 0.2f;
        }
        float[] expected = mask.clone();
        new MaskEdgeRefiner(new MaskEdgeParams(true, 4, 1e-6), S).refine(FloatBuffer.wrap(frame), FloatBuffer.wrap(mask));
        for (int i = 0; i < S * S; i++) {
            assertEquals(Math.min(1f, Math.max(0f, expected[i])), mask[i], 2e-3f, "pixel " + i);
        }
    }

    /** The guided filter over the whole map, straight from its definition (windows clipped at the borders). */
    private static double[] reference(float[] chw, float[] p, int r, double eps) {
        int n = S * S;
        double[][] a = new double[n][];
        double[] b = new double[n];
        for (int y = 0; y < S; y++) {
            for (int x = 0; x < S; x++) {
                double[] mi = new double[3];
                double[][] ii = new double[3][3];
                double[] ip = new double[3];
                double mp = 0;
                int count = 0;
                for (int v = Math.max(0, y - r); v <= Math.min(S - 1, y + r); v++) {
                    for (int u = Math.max(0, x - r); u <= Math.min(S - 1, x + r); u++) {
                        int j = v * S + u;
                        count++;
                        mp += p[j];
                        for (int c = 0; c < 3; c++) {
                            mi[c] += chw[c * n + j];
                            ip[c] += chw[c * n + j] * p[j];
                            for (int d = 0; d < 3; d++) {
                                ii[c][d] += chw[c * n + j] * chw[d * n + j];
                            }
                        }
                    }
                }
                mp /= count;
                double[][] m = new double[3][4];
                for (int c = 0; c < 3; c++) {
                    mi[c] /= count;
                }
                for (int c = 0; c < 3; c++) {
                    for (int d = 0; d < 3; d++) {
                        m[c][d] = ii[c][d] / count - mi[c] * mi[d] + (c == d ? eps : 0);
                    }
                    m[c][3] = ip[c] / count - mi[c] * mp;
                }
                double[] coef = solve(m);
                a[y * S + x] = coef;
                b[y * S + x] = mp - coef[0] * mi[0] - coef[1] * mi[1] - coef[2] * mi[2];
            }
        }
        double[] q = new double[n];
        for (int y = 0; y < S; y++) {
            for (int x = 0; x < S; x++) {
                double sum = 0;
                int count = 0;
                int i = y * S + x;
                for (int v = Math.max(0, y - r); v <= Math.min(S - 1, y + r); v++) {
                    for (int u = Math.max(0, x - r); u <= Math.min(S - 1, x + r); u++) {
                        int k = v * S + u;
                        sum += a[k][0] * chw[i] + a[k][1] * chw[n + i] + a[k][2] * chw[2 * n + i] + b[k];
                        count++;
                    }
                }
                q[i] = Math.min(1, Math.max(0, sum / count));
            }
        }
        return q;
    }

    /** Gaussian elimination of a 3×4 augmented matrix. */
    private static double[] solve(double[][] m) {
        for (int c = 0; c < 3; c++) {
            for (int r = c + 1; r < 3; r++) {
                double f = m[r][c] / m[c][c];
                for (int k = c; k < 4; k++) {
                    m[r][k] -= f * m[c][k];
                }
            }
        }
        double[] x = new double[3];
        for (int c = 2; c >= 0; c--) {
            double v = m[c][3];
            for (int k = c + 1; k < 3; k++) {
                v -= m[c][k] * x[k];
            }
            x[c] = v / m[c][c];
        }
        return x;
    }

    @Test
    void withinTwoRadiiOfTheChangeItIsTheWholeMapFilterAndBeyondTheNetworksValue() {
        float[] truth = new float[S * S];
        float[] frame = discScene(truth);
        // a small change near one corner, so the filtered region is a part of the map
        float[] mask = new float[S * S];
        java.util.Arrays.fill(mask, 0.02f);
        for (int y = 5; y < 12; y++) {
            for (int x = 48; x < 56; x++) {
                mask[y * S + x] = 0.9f;
            }
        }
        int r = 4;
        double[] expected = reference(frame, mask, r, 1e-4);
        float[] before = mask.clone();
        assertTrue(new MaskEdgeRefiner(new MaskEdgeParams(true, r, 1e-4), S)
                .refine(FloatBuffer.wrap(frame), FloatBuffer.wrap(mask)));
        int near = 0;
        for (int y = 0; y < S; y++) {
            for (int x = 0; x < S; x++) {
                int i = y * S + x;
                boolean withinTwoRadii = y >= 5 - 2 * r && y < 12 + 2 * r && x >= 48 - 2 * r && x < 56 + 2 * r;
                if (withinTwoRadii) {
                    near++;
                    assertEquals(expected[i], mask[i], 1e-4, "pixel " + x + "," + y);
                } else {
                    assertEquals(before[i], mask[i], 0f, "pixel " + x + "," + y + " keeps the network's value");
                }
            }
        }
        assertTrue(near > 300 && near < S * S / 2, "a part of the map was filtered: " + near);
    }

    @Test
    void aUniformMaskStaysUniform() {
        float[] truth = new float[S * S];
        float[] frame = discScene(truth);
        float[] mask = new float[S * S];
        java.util.Arrays.fill(mask, 0.7f);
        new MaskEdgeRefiner(MaskEdgeParams.DEFAULTS, S).refine(FloatBuffer.wrap(frame), FloatBuffer.wrap(mask));
        for (float v : mask) {
            assertEquals(0.7f, v, 1e-4f);
        }
    }

    @Test
    void aMaskWithNothingChangedIsLeftAlone() {
        float[] truth = new float[S * S];
        float[] frame = discScene(truth);
        float[] mask = new float[S * S];
        java.util.Arrays.fill(mask, 0.01f);
        mask[100] = MaskEdgeRefiner.NOTHING_CHANGED;
        float[] before = mask.clone();
        assertFalse(new MaskEdgeRefiner(MaskEdgeParams.DEFAULTS, S).refine(FloatBuffer.wrap(frame), FloatBuffer.wrap(mask)));
        assertArrayEquals(before, mask);
    }

    @Test
    void offLeavesTheMaskAsItIs() {
        float[] truth = new float[S * S];
        float[] frame = discScene(truth);
        float[] mask = blocky(truth);
        float[] before = mask.clone();
        assertFalse(new MaskEdgeRefiner(MaskEdgeParams.OFF, S).refine(FloatBuffer.wrap(frame), FloatBuffer.wrap(mask)));
        assertArrayEquals(before, mask);
    }

    @Test
    void buffersOfTheWrongSizeAreRefusedWithBothSizes() {
        MaskEdgeRefiner refiner = new MaskEdgeRefiner(MaskEdgeParams.DEFAULTS, S);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> refiner.refine(FloatBuffer.allocate(3 * 32 * 32), FloatBuffer.allocate(S * S)));
        assertTrue(e.getMessage().contains("3x64x64") && e.getMessage().contains("3072"), e.getMessage());
    }

    @Test
    void paramsAreCheckedByConfigName() {
        IllegalArgumentException r = assertThrows(IllegalArgumentException.class, () -> new MaskEdgeParams(true, 0, 1e-4));
        assertTrue(r.getMessage().contains("mask.edge_refine_radius_px"), r.getMessage());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MaskEdgeParams(true, 4, 0));
        assertTrue(e.getMessage().contains("mask.edge_refine_eps"), e.getMessage());
    }
}
