package io.mdeas.model.eval;

/**
 * SSIM of two single-channel images with an 11-tap Gaussian window (σ = 1.5), C1 = 0.01², C2 = 0.03², as
 * {@code DATASET.md} defines {@code depth_ssim}. The window statistics come from separable Gaussian filtering of the
 * full image with zero padding ("same" size, the convention of the original MDEAS pytorch-ssim code); the SSIM map
 * is then averaged over the pixels the caller marks as valid. Buffers are kept between calls; not thread-safe.
 */
public final class GaussianSsim {

    /** Window side. */
    public static final int WINDOW = 11;
    /** Window standard deviation in pixels. */
    public static final double SIGMA = 1.5;
    /** Stabiliser of the luminance term, (0.01 L)² with L = 1. */
    public static final double C1 = 0.01 * 0.01;
    /** Stabiliser of the contrast-structure term, (0.03 L)². */
    public static final double C2 = 0.03 * 0.03;

    private static final double[] KERNEL = kernel();

    private int capacity;
    private double[] xx;
    private double[] yy;
    private double[] xy;
    private double[] muX;
    private double[] muY;
    private double[] sXX;
    private double[] sYY;
    private double[] sXY;
    private double[] tmp;

    /** The normalised 1-D Gaussian of the window. */
    public static double[] kernel() {
        double[] k = new double[WINDOW];
        int r = WINDOW / 2;
        double sum = 0;
        for (int i = 0; i < WINDOW; i++) {
            k[i] = Math.exp(-((i - r) * (i - r)) / (2 * SIGMA * SIGMA));
            sum += k[i];
        }
        for (int i = 0; i < WINDOW; i++) {
            k[i] /= sum;
        }
        return k;
    }

    /**
     * Mean SSIM of images {@code x} and {@code y} (h x w, row-major, values expected in [0,1]) over the pixels where
     * {@code valid[i]} is true, or over all pixels when {@code valid} is null. Returns NaN when no pixel is valid.
     */
    public double mean(double[] x, double[] y, boolean[] valid, int h, int w) {
        int n = h * w;
        ensure(n);
        for (int i = 0; i < n; i++) {
            xx[i] = x[i] * x[i];
            yy[i] = y[i] * y[i];
            xy[i] = x[i] * y[i];
        }
        blur(x, muX, h, w);
        blur(y, muY, h, w);
        blur(xx, sXX, h, w);
        blur(yy, sYY, h, w);
        blur(xy, sXY, h, w);
        double sum = 0;
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (valid != null && !valid[i]) {
                continue;
            }
            double mx = muX[i];
            double my = muY[i];
            double vx = sXX[i] - mx * mx;
            double vy = sYY[i] - my * my;
            double cxy = sXY[i] - mx * my;
            sum += ((2 * mx * my + C1) * (2 * cxy + C2)) / ((mx * mx + my * my + C1) * (vx + vy + C2));
            count++;
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    /** Separable Gaussian filter with zero padding: rows into {@code tmp}, then columns into {@code dst}. */
    private void blur(double[] src, double[] dst, int h, int w) {
        int r = WINDOW / 2;
        for (int y = 0; y < h; y++) {
            int row = y * w;
            for (int x = 0; x < w; x++) {
                int lo = Math.max(0, x - r);
                int hi = Math.min(w - 1, x + r);
                double acc = 0;
                for (int k = lo; k <= hi; k++) {
                    acc += KERNEL[k - x + r] * src[row + k];
                }
                tmp[row + x] = acc;
            }
        }
        for (int y = 0; y < h; y++) {
            int lo = Math.max(0, y - r);
            int hi = Math.min(h - 1, y + r);
            int row = y * w;
            for (int x = 0; x < w; x++) {
                dst[row + x] = 0;
            }
            for (int k = lo; k <= hi; k++) {
                double kv = KERNEL[k - y + r];
                int in = k * w;
                for (int x = 0; x < w; x++) {
                    dst[row + x] += kv * tmp[in + x];
                }
            }
        }
    }

    private void ensure(int n) {
        if (capacity >= n) {
            return;
        }
        capacity = n;
        xx = new double[n];
        yy = new double[n];
        xy = new double[n];
        muX = new double[n];
        muY = new double[n];
        sXX = new double[n];
        sYY = new double[n];
        sXY = new double[n];
        tmp = new double[n];
    }
}
