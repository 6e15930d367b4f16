package io.mdeas.model.data;

/**
 * Resizes float image planes between fixed sizes. Continuous values use area averaging along an axis that shrinks
 * and bilinear interpolation (half-pixel centres) along an axis that grows; labels and depth use nearest
 * neighbour so no value is invented between classes or across depth edges. The weight tables are computed once
 * per (source, target) size pair and the intermediate row buffer is reused, so repeated calls allocate nothing.
 */
final class PlaneResizer {

    private final int srcW;
    private final int srcH;
    private final int dstW;
    private final int dstH;
    private final AxisWeights horizontal;
    private final AxisWeights vertical;
    private final int[] nearestX;
    private final int[] nearestY;
    /** Horizontally resized rows: srcH x dstW. */
    private final float[] rows;

    PlaneResizer(int srcW, int srcH, int dstW, int dstH) {
        this.srcW = srcW;
        this.srcH = srcH;
        this.dstW = dstW;
        this.dstH = dstH;
        this.horizontal = AxisWeights.of(srcW, dstW);
        this.vertical = AxisWeights.of(srcH, dstH);
        this.nearestX = nearest(srcW, dstW);
        this.nearestY = nearest(srcH, dstH);
        this.rows = new float[srcH * dstW];
    }

    boolean fits(int sw, int sh, int dw, int dh) {
        return sw == srcW && sh == srcH && dw == dstW && dh == dstH;
    }

    /** Area/bilinear resize of {@code src[srcOff ..]} (srcH x srcW) into {@code dst[dstOff ..]} (dstH x dstW). */
    void smooth(float[] src, int srcOff, float[] dst, int dstOff) {
        AxisWeights hw = horizontal;
        for (int y = 0; y < srcH; y++) {
            int in = srcOff + y * srcW;
            int out = y * dstW;
            for (int x = 0; x < dstW; x++) {
                int start = hw.start[x];
                int base = x * hw.taps;
                float acc = 0f;
                for (int t = 0; t < hw.count[x]; t++) {
                    acc += hw.weight[base + t] * src[in + start + t];
                }
                rows[out + x] = acc;
            }
        }
        AxisWeights vw = vertical;
        for (int y = 0; y < dstH; y++) {
            int start = vw.start[y];
            int base = y * vw.taps;
            int out = dstOff + y * dstW;
            for (int x = 0; x < dstW; x++) {
                dst[out + x] = 0f;
            }
            for (int t = 0; t < vw.count[y]; t++) {
                float w = vw.weight[base + t];
                int in = (start + t) * dstW;
                for (int x = 0; x < dstW; x++) {
                    dst[out + x] += w * rows[in + x];
                }
            }
        }
    }

    /** Nearest-neighbour resize of {@code src} (srcH x srcW) into {@code dst} (dstH x dstW). */
    void nearest(float[] src, float[] dst) {
        for (int y = 0; y < dstH; y++) {
            int in = nearestY[y] * srcW;
            int out = y * dstW;
            for (int x = 0; x < dstW; x++) {
                dst[out + x] = src[in + nearestX[x]];
            }
        }
    }

    private static int[] nearest(int n, int m) {
        int[] idx = new int[m];
        for (int i = 0; i < m; i++) {
            idx[i] = Math.min(n - 1, (int) Math.floor((i + 0.5) * n / m));
        }
        return idx;
    }

    /** Sparse resampling weights along one axis: output i reads count[i] inputs from start[i]. */
    static final class AxisWeights {
        final int taps;
        final int[] start;
        final int[] count;
        final float[] weight;

        private AxisWeights(int m, int taps) {
            this.taps = taps;
            this.start = new int[m];
            this.count = new int[m];
            this.weight = new float[m * taps];
        }

        static AxisWeights of(int n, int m) {
            return m <= n ? area(n, m) : bilinear(n, m);
        }

        /** Each output averages the input pixels its footprint covers, weighted by the covered fraction. */
        private static AxisWeights area(int n, int m) {
            double scale = (double) n / m;
            int taps = (int) Math.ceil(scale) + 1;
            AxisWeights w = new AxisWeights(m, taps);
            for (int i = 0; i < m; i++) {
                double lo = i * scale;
                double hi = (i + 1) * scale;
                int first = (int) Math.floor(lo);
                int last = Math.min(n - 1, (int) Math.ceil(hi) - 1);
                w.start[i] = first;
                int c = 0;
                for (int k = first; k <= last; k++) {
                    double cover = Math.min(hi, k + 1) - Math.max(lo, k);
                    if (cover > 0) {
                        w.weight[i * taps + (k - first)] = (float) (cover / scale);
                    }
                    c = k - first + 1;
                }
                w.count[i] = c;
            }
            return w;
        }

        private static AxisWeights bilinear(int n, int m) {
            AxisWeights w = new AxisWeights(m, 2);
            for (int i = 0; i < m; i++) {
                double x = Math.max(0, Math.min(n - 1, (i + 0.5) * n / m - 0.5));
                int k0 = Math.min((int) Math.floor(x), n - 1);
                float f = (float) (x - k0);
                w.start[i] = k0;
                if (k0 + 1 < n) {
                    w.count[i] = 2;
                    w.weight[2 * i] = 1f - f;
                    w.weight[2 * i + 1] = f;
                } else {
                    w.count[i] = 1;
                    w.weight[2 * i] = 1f;
                }
            }
            return w;
        }
    }
}
