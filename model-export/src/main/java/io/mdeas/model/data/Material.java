package io.mdeas.model.data;

/**
 * A procedural surface: a pattern over surface coordinates (metres) mixing two colours (linear RGB in
 * [0, 1]).
 *
 * @param kind pattern
 * @param r1 first colour, red
 * @param g1 first colour, green
 * @param b1 first colour, blue
 * @param r2 second colour, red
 * @param g2 second colour, green
 * @param b2 second colour, blue
 * @param scale pattern period in metres (tile size, stripe width, noise feature size)
 * @param seed noise seed of this surface
 * @param gloss strength of the specular highlight (0 = matte)
 * @param emission light the surface gives off itself, as a multiple of its albedo (windows, lamps; 0 = none)
 */
public record Material(TextureKind kind, double r1, double g1, double b1, double r2, double g2, double b2,
                       double scale, int seed, double gloss, double emission) {

    /** A plain matte surface of one colour. */
    public static Material plain(double r, double g, double b) {
        return new Material(TextureKind.PLAIN, r, g, b, r, g, b, 1, 0, 0, 0);
    }

    /** The same surface glowing with {@code e} times its albedo. */
    public Material withEmission(double e) {
        return new Material(kind, r1, g1, b1, r2, g2, b2, scale, seed, gloss, e);
    }

    /** Writes the albedo at surface coordinates (u, v) into {@code out[0..2]}. */
    void albedo(double u, double v, double[] out) {
        double m; // mix factor between colour 1 (0) and colour 2 (1)
        double s = 1 / scale;
        switch (kind) {
            case PLAIN -> m = 0;
            case NOISE -> m = ValueNoise.fbm(u * s, v * s, 3, seed);
            case CARPET -> {
                double fine = ValueNoise.noise(u * s * 8, v * s * 8, seed);
                double coarse = ValueNoise.noise(u * s, v * s, seed + 7);
                m = 0.35 * coarse + 0.65 * fine;
            }
            case WOOD -> {
                // Planks along u; rings from a distorted coordinate across the plank.
                double plank = Math.floor(v * s);
                double offset = ValueNoise.lattice((int) plank, 3, seed) * 10;
                double w = (v * s - plank);
                double grain = ValueNoise.noise((u + offset) * s * 0.7, w * 6, seed) * 6 + w * 3;
                double ring = grain - Math.floor(grain);
                double edge = (w < 0.03 || w > 0.97) ? 1 : 0;
                m = Math.min(1, 0.6 * ring + 0.3 * ValueNoise.lattice((int) plank, 9, seed) + edge);
            }
            case TILES -> {
                double tu = u * s - Math.floor(u * s);
                double tv = v * s - Math.floor(v * s);
                double grout = 0.05;
                if (tu < grout || tv < grout) {
                    m = 1;
                } else {
                    m = 0.15 * ValueNoise.lattice((int) Math.floor(u * s), (int) Math.floor(v * s), seed);
                }
            }
            case CHECKER -> {
                long cu = (long) Math.floor(u * s);
                long cv = (long) Math.floor(v * s);
                m = ((cu + cv) & 1) == 0 ? 0 : 1;
            }
            case STRIPES -> {
                double t = u * s;
                m = (t - Math.floor(t)) < 0.5 ? 0 : 1;
            }
            default -> m = 0;
        }
        out[0] = r1 + (r2 - r1) * m;
        out[1] = g1 + (g2 - g1) * m;
        out[2] = b1 + (b2 - b1) * m;
    }
}
