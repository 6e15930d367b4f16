package io.mdeas.model.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class GaussianSsimTest {

    @Test
    void identicalImagesGiveOne() {
        Random rnd = new Random(7);
        int h = 13;
        int w = 17;
        double[] x = new double[h * w];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextDouble();
        }
        assertEquals(1.0, new GaussianSsim().mean(x, x.clone(), null, h, w), 1e-12);
    }

    /**
     * Constant images a and b with zero padding: at a pixel whose window keeps weight s inside the image,
     * mu_x = a s, var_x = a² s (1 - s), cov = a b s (1 - s), which gives the closed form below; inside (s = 1)
     * it is (2ab + C1) / (a² + b² + C1).
     */
    @Test
    void constantOffsetMatchesClosedForm() {
        double a = 0.3;
        double b = 0.5;
        int h = 14;
        int w = 20;
        double[] x = new double[h * w];
        double[] y = new double[h * w];
        java.util.Arrays.fill(x, a);
        java.util.Arrays.fill(y, b);
        double c1 = 1e-4;
        double c2 = 9e-4;
        double[] k = new double[11];
        double ks = 0;
        for (int i = 0; i < 11; i++) {
            k[i] = Math.exp(-(i - 5) * (i - 5) / 4.5);
            ks += k[i];
        }
        double expected = 0;
        boolean[] valid = new boolean[h * w];
        int nValid = 0;
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                if ((r + c) % 3 == 0) {
                    continue; // leave some pixels out to check the valid-pixel average
                }
                valid[r * w + c] = true;
                nValid++;
                double s = inside(k, ks, r, h) * inside(k, ks, c, w);
                double ab = a * b;
                double sq = a * a + b * b;
                expected += (2 * ab * s * s + c1) * (2 * ab * s * (1 - s) + c2)
                        / ((sq * s * s + c1) * (sq * s * (1 - s) + c2));
            }
        }
        expected /= nValid;
        assertEquals(expected, new GaussianSsim().mean(x, y, valid, h, w), 1e-9);

        // Interior-only value, by hand: (2*0.15 + 1e-4) / (0.34 + 1e-4) = 0.3001 / 0.3401.
        boolean[] centre = new boolean[h * w];
        centre[7 * w + 10] = true;
        assertEquals(0.3001 / 0.3401, new GaussianSsim().mean(x, y, centre, h, w), 1e-12);
        assertTrue(expected < 0.3001 / 0.3401, "zero padding lowers SSIM near the border");
    }

    private static double inside(double[] k, double ks, int pos, int len) {
        double s = 0;
        for (int t = -5; t <= 5; t++) {
            if (pos + t >= 0 && pos + t < len) {
                s += k[t + 5];
            }
        }
        return s / ks;
    }
}
