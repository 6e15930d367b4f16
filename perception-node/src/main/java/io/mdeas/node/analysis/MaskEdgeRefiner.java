package io.mdeas.node.analysis;

import java.nio.FloatBuffer;

/**
 * Snaps the network's mask to the outlines in the frame it was computed from: a colour-guided filter (He, Sun and
 * Tang, "Guided Image Filtering", 2010) with the model's own input frame as the guide.
 *
 * <p>Why: MDEAS rebuilds its mask from a 14×14 bottleneck through nearest-neighbour and pixel-shuffle upsampling, so
 * outlines come out blocky; on the validation split half of the wrong mask pixels lie within one pixel of a true
 * outline and 71 % within two (TRAINING_LOG.md, session 21). The filter models the mask in every window as a linear
 * function of the frame's colour, so where the window holds an edge in the image the mask follows that edge, and
 * where the image is flat the mask is just smoothed.
 *
 * <p>Computed in double precision: OpenCV's {@code ximgproc.guidedFilter} works in float32 and, at the small
 * regularisation this needs, measured far worse (fg IoU below the unrefined mask). Every buffer is allocated once for
 * the map size; {@link #refine} allocates nothing. One instance per thread.
 */
public final class MaskEdgeRefiner {
    /** A mask with no pixel above this has nothing to refine (a static scene): left as it is, the filter skipped. */
    static final float NOTHING_CHANGED = 0.05f;

    private final MaskEdgeParams params;
    private final int size;
    private final int n;
    // guide (RGB), the mask, and their window means
    private final float[][] guide = new float[3][];
    private final float[] p;
    private final float[][] meanI = new float[3][];
    private final float[] meanP;
    /** Window means of I_c·I_d for (c, d) in {@link #PAIRS}. */
    private final float[][] meanII = new float[6][];
    private final float[][] meanIp = new float[3][];
    private final float[][] coefA = new float[3][];
    private final float[] coefB;
    private final float[] product;
    private final double[] rowSums;
    /** 1/k, so the box means multiply instead of divide. */
    private final double[] inverse;
    private final float[] pass;
    /** The region being filtered this call: rows [y0, y1), columns [x0, x1). */
    private int y0;
    private int y1;
    private int x0;
    private int x1;
    private static final int[][] PAIRS = {{0, 0}, {0, 1}, {0, 2}, {1, 1}, {1, 2}, {2, 2}};

    /** @param size side of the square maps (the model's input size) */
    public MaskEdgeRefiner(MaskEdgeParams params, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("map size must be >= 1, got " + size);
        }
        this.params = params;
        this.size = size;
        this.n = size * size;
        boolean on = params.enabled();
        int len = on ? n : 0; // an instance that never refines holds no buffers
        for (int c = 0; c < 3; c++) {
            guide[c] = new float[len];
            meanI[c] = new float[len];
            meanIp[c] = new float[len];
            coefA[c] = new float[len];
        }
        for (int k = 0; k < PAIRS.length; k++) {
            meanII[k] = new float[len];
        }
        p = new float[len];
        meanP = new float[len];
        coefB = new float[len];
        product = new float[len];
        pass = new float[len];
        rowSums = new double[on ? size + 1 : 0];
        inverse = new double[on ? size + 1 : 0];
        for (int k = 1; k < inverse.length; k++) {
            inverse[k] = 1.0 / k;
        }
    }

    public MaskEdgeParams params() {
        return params;
    }

    /**
     * Refines {@code mask} in place.
     *
     * @param frameChw the frame the mask was predicted from: NCHW [1,3,S,S], RGB in [0,1], read from its index 0
     *                 (the model's {@code fg_bg} input)
     * @param mask     [S,S] foreground probabilities, read and written from index 0; stays within [0, 1]
     * @return whether the mask was changed (false when off, or when nothing in it changed)
     */
    public boolean refine(FloatBuffer frameChw, FloatBuffer mask) {
        if (!params.enabled()) {
            return false;
        }
        if (frameChw.capacity() < 3 * n || mask.capacity() < n) {
            throw new IllegalArgumentException("need a 3x" + size + "x" + size + " frame and a " + size + "x" + size
                    + " mask, got " + frameChw.capacity() + " and " + mask.capacity() + " floats");
        }
        mask.get(0, p, 0, n);
        // The filter is run on the changed part of the map (pixels above NOTHING_CHANGED) and a margin: its output
        // moves up to two window radii from that part (a pixel averages the windows over it, each window's
        // coefficients come from the pixels in it), and computing those exactly reads three radii out. Beyond two
        // radii the network's value (at most NOTHING_CHANGED) is kept. An object covering a tenth of the image costs
        // about a third of the whole-image filter.
        int r = params.radiusPx();
        int top = size;
        int bottom = -1;
        int left = size;
        int right = -1;
        for (int y = 0; y < size; y++) {
            int row = y * size;
            for (int x = 0; x < size; x++) {
                if (p[row + x] > NOTHING_CHANGED) {
                    top = Math.min(top, y);
                    bottom = y;
                    left = Math.min(left, x);
                    right = Math.max(right, x);
                }
            }
        }
        if (bottom < 0) {
            return false;
        }
        y0 = Math.max(0, top - 3 * r);
        y1 = Math.min(size, bottom + 3 * r + 1);
        x0 = Math.max(0, left - 3 * r);
        x1 = Math.min(size, right + 3 * r + 1);
        for (int c = 0; c < 3; c++) {
            frameChw.get(c * n, guide[c], 0, n);
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
        solveCoefficients();
        // the output is the window average of every window's linear model, evaluated at the pixel
        float[] meanB = meanP; // meanP is no longer needed: reuse its storage
        boxMean(coefB, meanB, r);
        for (int c = 0; c < 3; c++) {
            boxMean(coefA[c], meanIp[c], r); // likewise meanIp
        }
        int wy0 = Math.max(0, top - 2 * r);
        int wy1 = Math.min(size, bottom + 2 * r + 1);
        int wx0 = Math.max(0, left - 2 * r);
        int wx1 = Math.min(size, right + 2 * r + 1);
        for (int y = wy0; y < wy1; y++) {
            for (int i = y * size + wx0, end = y * size + wx1; i < end; i++) {
                float q = meanIp[0][i] * guide[0][i] + meanIp[1][i] * guide[1][i] + meanIp[2][i] * guide[2][i]
                        + meanB[i];
                mask.put(i, Math.min(1f, Math.max(0f, q)));
            }
        }
        return true;
    }

    /** Per window: a = (Σ + eps·I)⁻¹ cov(I, p), b = mean(p) − a·mean(I). */
    private void solveCoefficients() {
        double eps = params.eps();
        for (int y = y0; y < y1; y++) {
            for (int i = y * size + x0, end = y * size + x1; i < end; i++) {
                solveAt(i, eps);
            }
        }
    }

    private void solveAt(int i, double eps) {
        {
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
            double det = s00 * i00 + s01 * i01 + s02 * i02;
            double a0 = (i00 * c0 + i01 * c1 + i02 * c2) / det;
            double a1 = (i01 * c0 + i11 * c1 + i12 * c2) / det;
            double a2 = (i02 * c0 + i12 * c1 + i22 * c2) / det;
            coefA[0][i] = (float) a0;
            coefA[1][i] = (float) a1;
            coefA[2][i] = (float) a2;
            coefB[i] = (float) (mp - a0 * m0 - a1 * m1 - a2 * m2);
        }
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
        for (int y = y0; y < y1; y++) {
            int row = y * s;
            rowSums[x0] = 0;
            for (int x = x0; x < x1; x++) {
                rowSums[x + 1] = rowSums[x] + in[row + x];
            }
            for (int x = x0; x < x1; x++) {
                int a = Math.max(x0, x - r);
                int b = Math.min(x1 - 1, x + r);
                pass[row + x] = (float) ((rowSums[b + 1] - rowSums[a]) * inverse[b - a + 1]);
            }
        }
        for (int x = x0; x < x1; x++) {
            rowSums[y0] = 0;
            for (int y = y0; y < y1; y++) {
                rowSums[y + 1] = rowSums[y] + pass[y * s + x];
            }
            for (int y = y0; y < y1; y++) {
                int a = Math.max(y0, y - r);
                int b = Math.min(y1 - 1, y + r);
                out[y * s + x] = (float) ((rowSums[b + 1] - rowSums[a]) * inverse[b - a + 1]);
            }
        }
    }
}
