package io.mdeas.node.analysis;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * A colour-guided filter (He, Sun and Tang, "Guided Image Filtering", 2010) over a rectangle of a square map, the
 * frame the map was predicted from as the guide: in every (2r+1)² window the map is fitted as a linear function of
 * the frame's RGB, a = (Σ + eps·I)⁻¹ cov(I, p), b = mean(p) − a·mean(I), and each pixel gets the average of the
 * models of the windows over it. Where a window holds an edge in the frame the map follows it; where the frame is
 * flat the map is smoothed. Linear in the map, so a map in metres can be filtered as it is.
 *
 * <p>Computed in double precision: OpenCV's {@code ximgproc.guidedFilter} works in float32 and, at the small
 * regularisation the mask needs, measured far worse (TRAINING_LOG.md, session 21). Every buffer is allocated once
 * for the map size; {@link #run} allocates nothing. One instance per thread.
 */
final class GuidedFilter {
    private static final int[][] PAIRS = {{0, 0}, {0, 1}, {0, 2}, {1, 1}, {1, 2}, {2, 2}};

    private final int size;
    private final int n;
    private final float[][] guide = new float[3][];
    private final float[][] meanI = new float[3][];
    private final float[] meanP;
    /** Window means of I_c·I_d for (c, d) in {@link #PAIRS}. */
    private final float[][] meanII = new float[6][];
    private final float[][] meanIp = new float[3][];
    private final float[][] coefA = new float[3][];
    private final float[] coefB;
    private final float[] product;
    private final float[] pass;
    private final double[] columnSums;
    /** 1/k, so the box means multiply instead of divide. */
    private final double[] inverse;
    /** The region of the current run: rows [y0, y1), columns [x0, x1). */
    private int y0;
    private int y1;
    private int x0;
    private int x1;

    /** @param size side of the square maps (the model's input size) */
    GuidedFilter(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("map size must be >= 1, got " + size);
        }
        this.size = size;
        this.n = size * size;
        for (int c = 0; c < 3; c++) {
            guide[c] = new float[n];
            meanI[c] = new float[n];
            meanIp[c] = new float[n];
            coefA[c] = new float[n];
        }
        for (int k = 0; k < PAIRS.length; k++) {
            meanII[k] = new float[n];
        }
        meanP = new float[n];
        coefB = new float[n];
        product = new float[n];
        pass = new float[n];
        columnSums = new double[size];
        inverse = new double[size + 1];
        for (int k = 1; k < inverse.length; k++) {
            inverse[k] = 1.0 / k;
        }
    }

    /** Throws unless the guide holds a 3×size×size frame and the map size×size values. */
    void checkCapacity(FloatBuffer guideChw, FloatBuffer map) {
        if (guideChw.capacity() < 3 * n || map.capacity() < n) {
            throw new IllegalArgumentException("need a 3x" + size + "x" + size + " frame and a " + size + "x" + size
                    + " map, got " + guideChw.capacity() + " and " + map.capacity() + " floats");
        }
    }

    /**
     * Filters {@code p} over the region rows [y0, y1), columns [x0, x1), its windows clipped to the region; then the
     * result at pixel i of the region is {@link #output(int)}. A pixel two radii inside the region's border (or at the
     * map's border) gets exactly the whole-map result, since everything it depends on lies within three radii.
     */
    void run(FloatBuffer guideChw, float[] p, int r, double eps, int y0, int y1, int x0, int x1) {
        this.y0 = y0;
        this.y1 = y1;
        this.x0 = x0;
        this.x1 = x1;
        for (int c = 0; c < 3; c++) {
            guideChw.get(c * n, guide[c], 0, n);
        }
        for (int c = 0; c < 3; c++) {
            boxMean(guide[c], meanI[c], r);
            multiply(guide[c], p, product);
            boxMean(product, meanIp[c], r);
        }
        boxMean(p, meanP, r);
        for (int k = 0; k < PAIRS.length; k++) {
            multiply(guide[PAIRS[k][0]], guide[PAIRS[k][1]], product);
            boxMean(product, meanII[k], r);
        }
        for (int y = y0; y < y1; y++) {
            for (int i = y * size + x0, end = y * size + x1; i < end; i++) {
                solveAt(i, eps);
            }
        }
        // the output is the window average of every window's linear model; meanP and meanIp are no longer needed,
        // so they hold the averaged coefficients
        boxMean(coefB, meanP, r);
        for (int c = 0; c < 3; c++) {
            boxMean(coefA[c], meanIp[c], r);
        }
    }

    /** The filtered value at pixel {@code i} of the last run's region. */
    float output(int i) {
        return meanIp[0][i] * guide[0][i] + meanIp[1][i] * guide[1][i] + meanIp[2][i] * guide[2][i] + meanP[i];
    }

    /** Per window: a = (Σ + eps·I)⁻¹ cov(I, p), b = mean(p) − a·mean(I). */
    private void solveAt(int i, double eps) {
        double m0 = meanI[0][i];
        double m1 = meanI[1][i];
        double m2 = meanI[2][i];
        double mp = meanP[i];
        double s00 = meanII[0][i] - m0 * m0 + eps;
        double s01 = meanII[1][i] - m0 * m1;
        double s02 = meanII[2][i] - m0 * m2;
        double s11 = meanII[3][i] - m1 * m1 + eps;
        double s12 = meanII[4][i] - m1 * m2;
        double s22 = meanII[5][i] - m2 * m2 + eps;
        double c0 = meanIp[0][i] - m0 * mp;
        double c1 = meanIp[1][i] - m1 * mp;
        double c2 = meanIp[2][i] - m2 * mp;
        // inverse of the symmetric 3×3 by its adjugate; positive definite thanks to eps
        double i00 = s11 * s22 - s12 * s12;
        double i01 = s02 * s12 - s01 * s22;
        double i02 = s01 * s12 - s02 * s11;
        double i11 = s00 * s22 - s02 * s02;
        double i12 = s02 * s01 - s00 * s12;
        double i22 = s00 * s11 - s01 * s01;
        double invDet = 1.0 / (s00 * i00 + s01 * i01 + s02 * i02);
        double a0 = (i00 * c0 + i01 * c1 + i02 * c2) * invDet;
        double a1 = (i01 * c0 + i11 * c1 + i12 * c2) * invDet;
        double a2 = (i02 * c0 + i12 * c1 + i22 * c2) * invDet;
        coefA[0][i] = (float) a0;
        coefA[1][i] = (float) a1;
        coefA[2][i] = (float) a2;
        coefB[i] = (float) (mp - a0 * m0 - a1 * m1 - a2 * m2);
    }

    private void multiply(float[] a, float[] b, float[] out) {
        for (int y = y0; y < y1; y++) {
            for (int i = y * size + x0, end = y * size + x1; i < end; i++) {
                out[i] = a[i] * b[i];
            }
        }
    }

    /**
     * Mean over the (2r+1)² window around each pixel of the region, the window clipped to the region (and the mean
     * taken over what is inside): a horizontal then a vertical running sum, accumulated in double.
     */
    private void boxMean(float[] in, float[] out, int r) {
        int s = size;
        // horizontally: a running sum slid along each row
        for (int y = y0; y < y1; y++) {
            int row = y * s;
            double sum = 0;
            for (int x = x0; x < Math.min(x1, x0 + r); x++) {
                sum += in[row + x];
            }
            for (int x = x0; x < x1; x++) {
                if (x + r < x1) {
                    sum += in[row + x + r];
                }
                if (x - r - 1 >= x0) {
                    sum -= in[row + x - r - 1];
                }
                pass[row + x] = (float) (sum * inverse[Math.min(x1 - 1, x + r) - Math.max(x0, x - r) + 1]);
            }
        }
        // vertically: a running sum per column, slid down row by row (rows are contiguous, columns are not)
        Arrays.fill(columnSums, x0, x1, 0.0);
        for (int y = y0; y < Math.min(y1, y0 + r); y++) {
            addRow(y, 1.0);
        }
        for (int y = y0; y < y1; y++) {
            if (y + r < y1) {
                addRow(y + r, 1.0);
            }
            if (y - r - 1 >= y0) {
                addRow(y - r - 1, -1.0);
            }
            double k = inverse[Math.min(y1 - 1, y + r) - Math.max(y0, y - r) + 1];
            for (int x = x0, i = y * s + x0; x < x1; x++, i++) {
                out[i] = (float) (columnSums[x] * k);
            }
        }
    }

    /** columnSums[x] += sign · pass[row, x] over the region's columns. */
    private void addRow(int row, double sign) {
        for (int x = x0, i = row * size + x0; x < x1; x++, i++) {
            columnSums[x] += sign * pass[i];
        }
    }
}
