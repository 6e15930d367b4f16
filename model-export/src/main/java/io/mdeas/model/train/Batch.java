package io.mdeas.model.train;

/**
 * One training batch as reusable planar float arrays (NCHW), filled by {@link BatchSource}.
 */
final class Batch {
    final int batch;
    final int size;
    /** [B,3,S,S] RGB in [0,1]. */
    final float[] bg;
    /** [B,3,S,S] RGB in [0,1]. */
    final float[] fgBg;
    /** [B,1,S,S] 0/1. */
    final float[] mask;
    /** [B,1,S,S] encoded depth target. */
    final float[] depth;
    /** [B,1,S,S] 1 where depth is known. */
    final float[] valid;
    /** Stream position of the first sample. */
    long cursor;

    Batch(int batch, int size) {
        this.batch = batch;
        this.size = size;
        int plane = size * size;
        bg = new float[batch * 3 * plane];
        fgBg = new float[batch * 3 * plane];
        mask = new float[batch * plane];
        depth = new float[batch * plane];
        valid = new float[batch * plane];
    }
}
