package io.mdeas.model.train;

import java.util.SplittableRandom;

/**
 * The training data order as a pure function of (seed, position): position k in the endless stream is sample
 * {@code perm(k / n)[k % n]}, each pass over the n samples a fresh seeded permutation, and whether sample k is
 * mirrored is a seeded coin. Saving the position is therefore all that resuming needs.
 */
public final class SampleOrder {

    private final long seed;
    private final int n;
    private long cachedPass = -1;
    private int[] cachedPerm;

    public SampleOrder(long seed, int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("dataset is empty");
        }
        this.seed = seed;
        this.n = n;
    }

    /** Index of the sample at stream position {@code k}. */
    public int sampleAt(long k) {
        long pass = k / n;
        if (pass != cachedPass) {
            cachedPerm = permutation(pass);
            cachedPass = pass;
        }
        return cachedPerm[(int) (k % n)];
    }

    /** Whether the sample at position {@code k} is mirrored left-right. */
    public boolean flipAt(long k) {
        return (mix(seed ^ 0x5DEECE66DL, k) & 1L) == 1L;
    }

    private int[] permutation(long pass) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        SplittableRandom r = new SplittableRandom(mix(seed, pass));
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static long mix(long a, long b) {
        long z = a * 0x9E3779B97F4A7C15L + b;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
