package io.mdeas.model.data;

/**
 * Mutable, reusable holder for one decoded sample at a square size, as planar CHW float arrays. Filled by
 * {@link SampleLoader#load}; allocate one per loading slot and reuse it.
 */
public final class LoadedSample {

    /** Side of the square images. */
    public final int size;
    /** Background, 3*size*size, CHW, RGB in [0,1]. */
    public final float[] bg;
    /** Image with foreground, 3*size*size, CHW, RGB in [0,1]. */
    public final float[] fgBg;
    /** Ground-truth mask, size*size, exactly 0 or 1. */
    public final float[] mask;
    /** Ground-truth depth, size*size, metres; 0 = unknown. */
    public final float[] depthM;
    /** False when the sample has no depth file (then {@link #depthM} is all 0). */
    public boolean hasDepth;
    /** The index row this was loaded from (id, nearest foreground distance, camera mount). */
    public Sample sample;

    private LoadedSample(int size) {
        this.size = size;
        int plane = size * size;
        this.bg = new float[3 * plane];
        this.fgBg = new float[3 * plane];
        this.mask = new float[plane];
        this.depthM = new float[plane];
    }

    /** The sample id. */
    public String id() {
        return sample.id();
    }

    /** Metres to the nearest foreground pixel, when the index gives it. */
    public Double nearestFgM() {
        return sample.nearestFgM();
    }

    /** Allocates the arrays for {@code size} x {@code size} images. */
    public static LoadedSample allocate(int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("sample size must be positive, got " + size);
        }
        return new LoadedSample(size);
    }
}
