package io.mdeas.model.data;

import java.util.SplittableRandom;

/** Random colours and materials: the appearance part of scene sampling. */
final class Palette {
    private Palette() {}

    /** A random colour from hue, saturation and value ranges, linear RGB. */
    static double[] colour(SplittableRandom rng, double satMax, double vMin, double vMax) {
        double hue = rng.nextDouble() * 6;
        double sat = rng.nextDouble() * satMax;
        double val = vMin + rng.nextDouble() * (vMax - vMin);
        int sector = (int) hue;
        double fpart = hue - sector;
        double p = val * (1 - sat);
        double q = val * (1 - sat * fpart);
        double t = val * (1 - sat * (1 - fpart));
        double[] rgb = switch (sector % 6) {
            case 0 -> new double[] {val, t, p};
            case 1 -> new double[] {q, val, p};
            case 2 -> new double[] {p, val, t};
            case 3 -> new double[] {p, q, val};
            case 4 -> new double[] {t, p, val};
            default -> new double[] {val, p, q};
        };
        // to linear light (colours were chosen in a perceptual space)
        for (int i = 0; i < 3; i++) {
            rgb[i] = StrictMath.pow(rgb[i], 2.2);
        }
        return rgb;
    }

    /** A second colour near {@code c} (for subtle patterns) or independent (for bold ones). */
    static double[] partner(SplittableRandom rng, double[] c, boolean bold) {
        if (bold) {
            return colour(rng, 0.9, 0.05, 1.0);
        }
        double k = 0.45 + rng.nextDouble() * 0.5;
        if (rng.nextBoolean()) {
            k = 1 / k;
        }
        return new double[] {Math.min(1, c[0] * k), Math.min(1, c[1] * k), Math.min(1, c[2] * k)};
    }

    static Material material(SplittableRandom rng, TextureKind kind, double[] c, double scale) {
        boolean bold = kind == TextureKind.CHECKER || kind == TextureKind.STRIPES
                ? rng.nextDouble() < 0.6 : rng.nextDouble() < 0.15;
        double[] c2 = kind == TextureKind.PLAIN ? c : partner(rng, c, bold);
        // a third of the surfaces are somewhat shiny (varnish, plastic, polished tiles)
        double gloss = rng.nextDouble() < 0.33 ? 0.05 + rng.nextDouble() * 0.5 : 0;
        return new Material(kind, c[0], c[1], c[2], c2[0], c2[1], c2[2], scale, rng.nextInt(), gloss, 0);
    }

    static TextureKind pick(SplittableRandom rng, TextureKind[] kinds, double[] weights) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double x = rng.nextDouble() * total;
        for (int i = 0; i < kinds.length; i++) {
            x -= weights[i];
            if (x < 0) {
                return kinds[i];
            }
        }
        return kinds[kinds.length - 1];
    }

    private static final TextureKind[] FLOOR_KINDS = {TextureKind.WOOD, TextureKind.TILES, TextureKind.CARPET,
        TextureKind.PLAIN, TextureKind.NOISE, TextureKind.CHECKER, TextureKind.STRIPES};
    private static final double[] FLOOR_WEIGHTS = {3, 2.5, 2, 1, 1.5, 0.6, 0.4};

    static Material floor(SplittableRandom rng) {
        TextureKind k = pick(rng, FLOOR_KINDS, FLOOR_WEIGHTS);
        double[] c = switch (k) {
            case WOOD -> colour(rng, 0.7, 0.25, 0.85);
            default -> colour(rng, 0.6, 0.1, 0.95);
        };
        double scale = switch (k) {
            case WOOD -> 0.1 + rng.nextDouble() * 0.15;
            case TILES -> 0.2 + rng.nextDouble() * 0.5;
            case CARPET -> 0.2 + rng.nextDouble() * 1.5;
            case CHECKER -> 0.15 + rng.nextDouble() * 0.5;
            case STRIPES -> 0.05 + rng.nextDouble() * 0.4;
            default -> 0.1 + rng.nextDouble() * 1.5;
        };
        if (k == TextureKind.WOOD) {
            // wood: warm brown hue most of the time
            if (rng.nextDouble() < 0.7) {
                double v = 0.2 + rng.nextDouble() * 0.6;
                c = new double[] {v, v * (0.55 + 0.2 * rng.nextDouble()), v * (0.25 + 0.2 * rng.nextDouble())};
            }
        }
        return material(rng, k, c, scale);
    }

    private static final TextureKind[] WALL_KINDS = {TextureKind.PLAIN, TextureKind.NOISE, TextureKind.STRIPES,
        TextureKind.TILES, TextureKind.WOOD, TextureKind.CHECKER};
    private static final double[] WALL_WEIGHTS = {4, 2, 1, 0.7, 0.5, 0.3};

    static Material wall(SplittableRandom rng) {
        TextureKind k = pick(rng, WALL_KINDS, WALL_WEIGHTS);
        double[] c = colour(rng, rng.nextDouble() < 0.6 ? 0.25 : 0.8, 0.3, 1.0);
        double scale = switch (k) {
            case STRIPES -> 0.05 + rng.nextDouble() * 0.3;
            case TILES -> 0.1 + rng.nextDouble() * 0.3;
            case WOOD -> 0.1 + rng.nextDouble() * 0.2;
            case CHECKER -> 0.1 + rng.nextDouble() * 0.4;
            default -> 0.3 + rng.nextDouble() * 2;
        };
        return material(rng, k, c, scale);
    }

    private static final TextureKind[] CLOTH_KINDS = {TextureKind.PLAIN, TextureKind.NOISE, TextureKind.CARPET,
        TextureKind.STRIPES, TextureKind.CHECKER};
    private static final double[] CLOTH_WEIGHTS = {4, 2, 2, 1, 0.4};

    /** Fabric for clothes and upholstery: plain, mottled, woven, striped or (rarely) checked. */
    static Material cloth(SplittableRandom rng) {
        TextureKind k = pick(rng, CLOTH_KINDS, CLOTH_WEIGHTS);
        double[] c = colour(rng, 0.8, 0.05, 0.95);
        double scale = switch (k) {
            case STRIPES, CHECKER -> 0.02 + rng.nextDouble() * 0.06;
            default -> 0.03 + rng.nextDouble() * 0.2;
        };
        return material(rng, k, c, scale);
    }

    /** Calm walls for the demo clip: pale, mostly plain. */
    static Material calmWall(SplittableRandom rng) {
        double[] c = colour(rng, 0.15, 0.55, 0.95);
        return material(rng, rng.nextDouble() < 0.7 ? TextureKind.PLAIN : TextureKind.NOISE, c,
                0.5 + rng.nextDouble());
    }

    /** A natural floor for the demo clip: wood, tiles or carpet in ordinary colours. */
    static Material calmFloor(SplittableRandom rng) {
        double roll = rng.nextDouble();
        if (roll < 0.5) {
            double v = 0.25 + rng.nextDouble() * 0.5;
            double[] c = {v, v * (0.55 + 0.2 * rng.nextDouble()), v * (0.25 + 0.2 * rng.nextDouble())};
            return material(rng, TextureKind.WOOD, c, 0.1 + rng.nextDouble() * 0.1);
        }
        double[] c = colour(rng, 0.2, 0.3, 0.85);
        return roll < 0.8 ? material(rng, TextureKind.TILES, c, 0.3 + rng.nextDouble() * 0.3)
                : material(rng, TextureKind.CARPET, c, 0.3 + rng.nextDouble());
    }

    private static final TextureKind[] ANY_KINDS = TextureKind.values();

    /** Any material, for furniture and foreground objects. */
    static Material any(SplittableRandom rng) {
        TextureKind k = ANY_KINDS[rng.nextInt(ANY_KINDS.length)];
        if (rng.nextDouble() < 0.3) {
            k = TextureKind.PLAIN;
        }
        double[] c = colour(rng, 1.0, 0.05, 1.0);
        double scale = switch (k) {
            case CARPET, NOISE -> 0.05 + rng.nextDouble() * 0.5;
            case WOOD -> 0.05 + rng.nextDouble() * 0.15;
            default -> 0.02 + rng.nextDouble() * 0.25;
        };
        return material(rng, k, c, scale);
    }
}
