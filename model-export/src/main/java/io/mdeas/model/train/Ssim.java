package io.mdeas.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

/**
 * Differentiable SSIM of single-channel NCHW maps with the definition of {@code DATASET.md}: 11×11 Gaussian
 * window, σ 1.5, C1 = 0.01², C2 = 0.03², "same" size with zero padding (as {@code eval.GaussianSsim}). The five
 * window statistics come from one grouped convolution of [x, y, x², y², xy].
 */
public final class Ssim {

    /** Window side. */
    public static final int WINDOW = 11;
    /** Window standard deviation. */
    public static final double SIGMA = 1.5;
    /** Luminance stabiliser. */
    public static final float C1 = 0.01f * 0.01f;
    /** Contrast-structure stabiliser. */
    public static final float C2 = 0.03f * 0.03f;

    private Ssim() {}

    /** The 2-D window as a [5,1,11,11] grouped-conv weight (the same normalised kernel per group). */
    static NDArray window(NDManager manager) {
        double[] k1 = new double[WINDOW];
        double sum = 0;
        int r = WINDOW / 2;
        for (int i = 0; i < WINDOW; i++) {
            k1[i] = Math.exp(-((i - r) * (i - r)) / (2 * SIGMA * SIGMA));
            sum += k1[i];
        }
        float[] w = new float[5 * WINDOW * WINDOW];
        for (int g = 0; g < 5; g++) {
            for (int y = 0; y < WINDOW; y++) {
                for (int x = 0; x < WINDOW; x++) {
                    w[g * WINDOW * WINDOW + y * WINDOW + x] = (float) (k1[y] / sum * k1[x] / sum);
                }
            }
        }
        return manager.create(w, new Shape(5, 1, WINDOW, WINDOW));
    }

    /** The SSIM map of {@code x} and {@code y} ([N,1,H,W] each), same shape. */
    public static NDArray map(NDArray x, NDArray y) {
        NDArray stacked = NDArrays.concat(new NDList(x, y, x.mul(x), y.mul(y), x.mul(y)), 1);
        NDArray w = window(x.getManager());
        NDArray s = Conv2d.conv2d(stacked, w, null, new Shape(1, 1), new Shape(WINDOW / 2, WINDOW / 2),
                new Shape(1, 1), 5).head();
        NDList parts = s.split(5, 1);
        NDArray mx = parts.get(0);
        NDArray my = parts.get(1);
        NDArray mxmy = mx.mul(my);
        NDArray mx2 = mx.mul(mx);
        NDArray my2 = my.mul(my);
        NDArray vx = parts.get(2).sub(mx2);
        NDArray vy = parts.get(3).sub(my2);
        NDArray cxy = parts.get(4).sub(mxmy);
        NDArray num = mxmy.mul(2).add(C1).mul(cxy.mul(2).add(C2));
        NDArray den = mx2.add(my2).add(C1).mul(vx.add(vy).add(C2));
        return num.div(den);
    }

    /**
     * Mean SSIM over the pixels where {@code valid} is 1 (a 0/1 map like x), or over all pixels when
     * {@code valid} is null; a scalar. With no valid pixel the result is 0 (sum 0 over count clamped to 1).
     */
    public static NDArray mean(NDArray x, NDArray y, NDArray valid) {
        NDArray m = map(x, y);
        if (valid == null) {
            return m.mean();
        }
        return m.mul(valid).sum().div(valid.sum().maximum(1f));
    }
}
