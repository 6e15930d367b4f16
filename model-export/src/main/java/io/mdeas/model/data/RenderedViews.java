package io.mdeas.model.data;

/**
 * The raw output of {@link Renderer} for one scene: linear RGB of both views, Z depth and foreground of the
 * fg_bg view. Row-major, {@code width * height} pixels; reused between renders of the same size.
 */
public final class RenderedViews {
    final int width;
    final int height;
    /** Linear RGB, interleaved, of the view without foreground. */
    final float[] bg;
    /** Linear RGB, interleaved, of the view with foreground (and its shadows). */
    final float[] fgBg;
    /** Z depth (m) of the fg_bg view. */
    final float[] depth;
    /** Z depth (m) of the bg view. */
    final float[] bgDepth;
    /** Object id of the foreground object seen at each pixel, or -1 for background. */
    final int[] fgObject;
    // Shading parts, combined by the renderer's composite pass: colour = base + direct * visibility.
    final float[] baseBg;
    /** baseBg with the foreground's ambient occlusion as well (the background part of fg_bg). */
    final float[] baseBgWithFg;
    final float[] directBg;
    final float[] visBg;
    /** Visibility of the light from the bg surface with the foreground objects as extra casters. */
    final float[] visBgWithFg;
    /** Primitive index (or negative room face) of the bg surface at each pixel. */
    final int[] surfaceBg;
    final float[] baseFg;
    final float[] directFg;
    final float[] visFg;
    /** Primitive index of the foreground surface (valid where fgObject >= 0). */
    final int[] surfaceFg;

    public RenderedViews(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("render size must be positive, got " + width + "x" + height);
        }
        this.width = width;
        this.height = height;
        int n = width * height;
        bg = new float[3 * n];
        fgBg = new float[3 * n];
        depth = new float[n];
        bgDepth = new float[n];
        fgObject = new int[n];
        baseBg = new float[3 * n];
        baseBgWithFg = new float[3 * n];
        directBg = new float[3 * n];
        visBg = new float[n];
        visBgWithFg = new float[n];
        surfaceBg = new int[n];
        baseFg = new float[3 * n];
        directFg = new float[3 * n];
        visFg = new float[n];
        surfaceFg = new int[n];
    }

    int fgSurface(int pix) {
        return surfaceFg[pix];
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Z depth of the fg_bg view at (x, y), metres. */
    public float depthAt(int x, int y) {
        return depth[y * width + x];
    }

    /** Z depth of the bg view at (x, y), metres. */
    public float bgDepthAt(int x, int y) {
        return bgDepth[y * width + x];
    }

    /** True where a foreground object is the nearest surface. */
    public boolean foregroundAt(int x, int y) {
        return fgObject[y * width + x] >= 0;
    }

    /** Object id of the foreground object at (x, y), -1 for background. */
    public int objectAt(int x, int y) {
        return fgObject[y * width + x];
    }

    /** Linear colour channel c (0..2) of the bg view. */
    public float bgAt(int x, int y, int c) {
        return bg[3 * (y * width + x) + c];
    }

    /** Linear colour channel c (0..2) of the fg_bg view. */
    public float fgBgAt(int x, int y, int c) {
        return fgBg[3 * (y * width + x) + c];
    }
}
