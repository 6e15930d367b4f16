package io.mdeas.model.data;

/**
 * Seeded 2-D value noise (smooth interpolation of hashed lattice values) and its fractal sum. Stateless apart
 * from the seed, so one instance is shared by all render threads.
 */
final class ValueNoise {
    private ValueNoise() {}

    /** Hash of a lattice point to [0, 1). */
    static double lattice(int ix, int iy, int seed) {
        int h = ix * 0x27d4eb2d ^ iy * 0x165667b1 ^ seed * 0x9E3779B9;
        h ^= h >>> 15;
        h *= 0x2c1b3c6d;
        h ^= h >>> 12;
        h *= 0x297a2d39;
        h ^= h >>> 15;
        return (h & 0xFFFFFF) / (double) 0x1000000;
    }

    /** Smooth value noise in [0, 1). */
    static double noise(double x, double y, int seed) {
        double fx = Math.floor(x);
        double fy = Math.floor(y);
        int ix = (int) fx;
        int iy = (int) fy;
        double tx = x - fx;
        double ty = y - fy;
        tx = tx * tx * (3 - 2 * tx);
        ty = ty * ty * (3 - 2 * ty);
        double a = lattice(ix, iy, seed);
        double b = lattice(ix + 1, iy, seed);
        double c = lattice(ix, iy + 1, seed);
        double d = lattice(ix + 1, iy + 1, seed);
        double ab = a + (b - a) * tx;
        double cd = c + (d - c) * tx;
        return ab + (cd - ab) * ty;
    }

    /** Fractal sum of {@code octaves} octaves, normalised to [0, 1). */
    static double fbm(double x, double y, int octaves, int seed) {
        double sum = 0;
        double amp = 1;
        double norm = 0;
        for (int o = 0; o < octaves; o++) {
            sum += amp * noise(x, y, seed + o * 101);
            norm += amp;
            amp *= 0.5;
            x *= 2.03;
            y *= 2.03;
        }
        return sum / norm;
    }
}
