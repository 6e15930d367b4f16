package io.mdeas.model.eval;

/**
 * The classical change-detection baseline: foreground where the largest per-channel absolute difference between
 * fg_bg and bg, smoothed with a 3x3 binomial blur, exceeds a threshold; then a 3x3 opening removes isolated
 * noise pixels and a 3x3 closing fills pinholes. It predicts no depth. It sets the bar a learned mask must beat.
 */
public final class AbsDiffBaseline implements DepthMaskPredictor {

    /** Default threshold on the blurred difference (RGB in [0,1]): above JPEG and sensor noise, below most objects. */
    public static final float DEFAULT_THRESHOLD = 0.12f;

    private final int size;
    private final float threshold;
    private float[] diff = new float[0];
    private float[] blurred = new float[0];
    private boolean[] fg = new boolean[0];
    private boolean[] tmp = new boolean[0];

    /** A baseline working at {@code size} x {@code size} with the given threshold on the blurred difference. */
    public AbsDiffBaseline(int size, float threshold) {
        if (size <= 0) {
            throw new IllegalArgumentException("baseline input size must be positive, got " + size);
        }
        if (!(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("absdiff threshold must be in (0, 1), got " + threshold);
        }
        this.size = size;
        this.threshold = threshold;
    }

    @Override
    public int inputSize() {
        return size;
    }

    @Override
    public boolean predict(float[] bg, float[] fgBg, int size, float[] outDepthM, float[] outMask) {
        int h = size;
        int w = size;
        int n = h * w;
        ensure(n);
        for (int i = 0; i < n; i++) {
            float d = Math.abs(fgBg[i] - bg[i]);
            d = Math.max(d, Math.abs(fgBg[n + i] - bg[n + i]));
            d = Math.max(d, Math.abs(fgBg[2 * n + i] - bg[2 * n + i]));
            diff[i] = d;
        }
        blur(diff, blurred, h, w);
        for (int i = 0; i < n; i++) {
            fg[i] = blurred[i] > threshold;
        }
        // Opening (erode, dilate) then closing (dilate, erode).
        morph(fg, tmp, h, w, false);
        morph(tmp, fg, h, w, true);
        morph(fg, tmp, h, w, true);
        morph(tmp, fg, h, w, false);
        for (int i = 0; i < n; i++) {
            outMask[i] = fg[i] ? 1f : 0f;
        }
        return false;
    }

    @Override
    public String describe() {
        return "absdiff baseline (max channel |fg_bg - bg|, 3x3 blur, threshold " + threshold
                + ", 3x3 open + close; no depth) at " + size + "x" + size;
    }

    @Override
    public void close() {
    }

    /** 3x3 binomial (1-2-1) blur; the border replicates edge pixels. */
    private void blur(float[] src, float[] dst, int h, int w) {
        for (int y = 0; y < h; y++) {
            int ym = Math.max(0, y - 1) * w;
            int yc = y * w;
            int yp = Math.min(h - 1, y + 1) * w;
            for (int x = 0; x < w; x++) {
                int xm = Math.max(0, x - 1);
                int xp = Math.min(w - 1, x + 1);
                float top = src[ym + xm] + 2 * src[ym + x] + src[ym + xp];
                float mid = src[yc + xm] + 2 * src[yc + x] + src[yc + xp];
                float bot = src[yp + xm] + 2 * src[yp + x] + src[yp + xp];
                dst[yc + x] = (top + 2 * mid + bot) / 16f;
            }
        }
    }

    /** 3x3 dilation ({@code dilate}) or erosion; pixels outside the image are ignored. */
    private static void morph(boolean[] src, boolean[] dst, int h, int w, boolean dilate) {
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean v = !dilate;
                for (int dy = -1; dy <= 1 && v != dilate; dy++) {
                    int yy = y + dy;
                    if (yy < 0 || yy >= h) {
                        continue;
                    }
                    for (int dx = -1; dx <= 1; dx++) {
                        int xx = x + dx;
                        if (xx < 0 || xx >= w) {
                            continue;
                        }
                        if (src[yy * w + xx] == dilate) {
                            v = dilate;
                            break;
                        }
                    }
                }
                dst[y * w + x] = v;
            }
        }
    }

    private void ensure(int n) {
        if (diff.length < n) {
            diff = new float[n];
            blurred = new float[n];
            fg = new boolean[n];
            tmp = new boolean[n];
        }
    }
}
