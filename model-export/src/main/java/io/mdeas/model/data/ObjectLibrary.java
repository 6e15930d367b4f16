package io.mdeas.model.data;

import java.util.SplittableRandom;

/**
 * The object shapes of the generator, each built from primitives in its own frame (origin on the floor at
 * the footprint centre). Background furniture and foreground objects come from the same shapes where that
 * makes sense, so the only thing telling them apart is whether they are in both images.
 */
final class ObjectLibrary {
    private ObjectLibrary() {}

    /** Kinds of background furniture. */
    enum Furniture { CABINET, TABLE, SOFA, SHELF, CHAIR, BED, PLANT }

    /** Kinds of foreground objects. */
    enum Foreground { BOX, CYLINDER, BALL, PERSON, PET, CHAIR, CABLE, POLE, BAG, STOOL, TOY }

    static final double[] FOREGROUND_WEIGHTS = {2.0, 1.5, 1.0, 2.0, 1.5, 1.0, 1.0, 0.8, 0.8, 0.6, 0.8};
    /** Background clutter: mostly small things, sometimes a pet or a person standing still. */
    static final double[] CLUTTER_WEIGHTS = {2.0, 1.5, 1.0, 0.4, 0.4, 0.5, 1.0, 0.5, 1.0, 0.5, 1.5};
    static final double[] FURNITURE_WEIGHTS = {2.0, 2.0, 1.5, 1.5, 1.2, 0.8, 0.6};

    private static double u(SplittableRandom rng, double a, double b) {
        return a + rng.nextDouble() * (b - a);
    }

    static void furniture(Furniture kind, SplittableRandom rng, Placer p) {
        switch (kind) {
            case CABINET -> {
                Material m = Palette.any(rng);
                double hx = u(rng, 0.2, 0.8);
                double hz = u(rng, 0.2, 0.35);
                double hy = u(rng, 0.25, 1.0);
                p.box(m, 0, hy, 0, hx, hy, hz);
                if (rng.nextBoolean()) {
                    // plinth: a darker recessed base
                    p.box(Material.plain(0.03, 0.03, 0.03), 0, 0.03, 0, hx - 0.02, 0.03, hz - 0.02);
                }
            }
            case TABLE -> {
                double hx = u(rng, 0.4, 0.8);
                double hz = u(rng, 0.3, 0.6);
                double height = u(rng, 0.3, 0.75);
                table(rng, p, Palette.any(rng), hx, hz, height, u(rng, 0.015, 0.04), rng.nextBoolean());
                int items = rng.nextInt(4);
                for (int i = 0; i < items; i++) {
                    Material m = Palette.any(rng);
                    double s = u(rng, 0.03, 0.12);
                    double x = u(rng, -hx + s, hx - s);
                    double z = u(rng, -hz + s, hz - s);
                    if (rng.nextBoolean()) {
                        p.box(m, x, height + s, z, s, s, s * u(rng, 0.5, 1.5), u(rng, 0, 1.5));
                    } else {
                        p.cylinder(m, x, height, z, x, height + s * u(rng, 1, 4), z, s * 0.6);
                    }
                }
            }
            case SOFA -> {
                Material m = rng.nextDouble() < 0.7 ? Palette.cloth(rng) : Palette.any(rng);
                double hx = u(rng, 0.6, 1.1);
                double hz = u(rng, 0.35, 0.5);
                double seat = u(rng, 0.2, 0.28);
                double back = u(rng, 0.35, 0.5);
                p.box(m, 0, seat, 0, hx, seat, hz);
                p.box(m, 0, (2 * seat + back) / 2 + seat / 2, -hz + 0.1, hx, (back + seat) / 2, 0.1);
                p.box(m, -hx + 0.08, seat + 0.12, 0, 0.08, seat + 0.12, hz);
                p.box(m, hx - 0.08, seat + 0.12, 0, 0.08, seat + 0.12, hz);
            }
            case SHELF -> {
                Material m = Palette.any(rng);
                double hx = u(rng, 0.3, 0.6);
                double hz = u(rng, 0.14, 0.22);
                double hy = u(rng, 0.4, 1.0);
                double board = 0.012;
                p.box(m, -hx + board, hy, 0, board, hy, hz);
                p.box(m, hx - board, hy, 0, board, hy, hz);
                p.box(m, 0, hy, -hz + board, hx, hy, board);
                int shelves = 2 + rng.nextInt(4);
                for (int i = 0; i < shelves; i++) {
                    double y = 0.05 + i * (2 * hy - 0.08) / (shelves - 1);
                    p.box(m, 0, y, 0, hx, board, hz);
                    if (rng.nextDouble() < 0.6 && i < shelves - 1) {
                        // some books
                        Material bm = Palette.any(rng);
                        double bh = u(rng, 0.08, 0.14);
                        p.box(bm, u(rng, -hx / 2, hx / 2), y + board + bh, 0, u(rng, 0.05, hx / 2), bh, hz * 0.8);
                    }
                }
            }
            case CHAIR -> chair(rng, p, Palette.any(rng), u(rng, 0.8, 1.1));
            case BED -> {
                Material frame = Palette.any(rng);
                Material cover = Palette.cloth(rng);
                double hx = u(rng, 0.45, 0.9);
                double hz = u(rng, 0.95, 1.05);
                p.box(frame, 0, 0.15, 0, hx, 0.15, hz);
                p.box(cover, 0, 0.38, 0.02, hx - 0.02, 0.08, hz - 0.02);
                p.box(frame, 0, 0.5, -hz + 0.03, hx, 0.5, 0.03);
            }
            case PLANT -> {
                Material pot = Palette.any(rng);
                double r = u(rng, 0.1, 0.25);
                double h = u(rng, 0.2, 0.45);
                p.cylinder(pot, 0, 0, 0, 0, h, 0, r);
                double g = u(rng, 0.15, 0.6);
                Material leaves = Palette.material(rng, TextureKind.NOISE,
                        new double[] {0.02 + 0.05 * g, 0.08 + 0.2 * g, 0.02 + 0.04 * g}, 0.05);
                p.ellipsoid(leaves, 0, h + r * 1.5, 0, r * 1.5, r * u(rng, 1.5, 3), r * 1.5);
            }
            default -> throw new IllegalStateException(kind.name());
        }
    }

    static void foreground(Foreground kind, SplittableRandom rng, Placer p) {
        switch (kind) {
            case BOX -> {
                double hx = StrictMath.exp(u(rng, StrictMath.log(0.04), StrictMath.log(0.4)));
                double hz = hx * u(rng, 0.4, 1.6);
                double hy = StrictMath.exp(u(rng, StrictMath.log(0.04), StrictMath.log(0.5)));
                p.box(Palette.any(rng), 0, hy, 0, hx, hy, hz);
                if (rng.nextDouble() < 0.3) {
                    // a second box on top
                    double s = u(rng, 0.4, 0.9);
                    p.box(Palette.any(rng), 0, 2 * hy + hy * s, 0, hx * s, hy * s, hz * s, u(rng, -0.5, 0.5));
                }
            }
            case CYLINDER -> {
                double r = StrictMath.exp(u(rng, StrictMath.log(0.03), StrictMath.log(0.3)));
                double h = StrictMath.exp(u(rng, StrictMath.log(0.08), StrictMath.log(1.2)));
                p.cylinder(Palette.any(rng), 0, 0, 0, 0, h, 0, r);
            }
            case BALL -> {
                double r = StrictMath.exp(u(rng, StrictMath.log(0.03), StrictMath.log(0.35)));
                p.ellipsoid(Palette.any(rng), 0, r, 0, r, r, r);
            }
            case PERSON -> person(rng, p, u(rng, 0.9, 1.95));
            case PET -> pet(rng, p);
            case CHAIR -> chair(rng, p, Palette.any(rng), u(rng, 0.8, 1.1));
            case CABLE -> {
                Material m = Palette.any(rng);
                double r = u(rng, 0.003, 0.015);
                int segments = 2 + rng.nextInt(4);
                double x = 0;
                double z = 0;
                double dir = rng.nextDouble() * Math.PI * 2;
                for (int i = 0; i < segments; i++) {
                    double len = u(rng, 0.2, 0.8);
                    dir += u(rng, -0.8, 0.8);
                    double nx = x + StrictMath.cos(dir) * len;
                    double nz = z + StrictMath.sin(dir) * len;
                    p.cylinder(m, x, r, z, nx, r, nz, r);
                    x = nx;
                    z = nz;
                }
            }
            case POLE -> {
                Material m = Palette.any(rng);
                double r = StrictMath.exp(u(rng, StrictMath.log(0.006), StrictMath.log(0.04)));
                double h = u(rng, 0.3, 1.5);
                p.cylinder(m, 0, 0, 0, 0, h, 0, r);
                if (rng.nextBoolean()) {
                    // a base plate, like a lamp or a stand
                    p.cylinder(m, 0, 0, 0, 0, 0.02, 0, u(rng, 0.08, 0.2));
                }
            }
            case BAG -> {
                Material m = Palette.cloth(rng);
                double a = u(rng, 0.12, 0.3);
                p.ellipsoid(m, 0, a * 0.8, 0, a, a * 0.8, a * u(rng, 0.4, 0.8));
            }
            case STOOL -> table(rng, p, Palette.any(rng), u(rng, 0.12, 0.25), u(rng, 0.12, 0.25),
                    u(rng, 0.2, 0.35), u(rng, 0.01, 0.025), false);
            case TOY -> {
                int n = 2 + rng.nextInt(4);
                double base = 0;
                for (int i = 0; i < n; i++) {
                    Material m = Palette.any(rng);
                    double s = u(rng, 0.03, 0.12);
                    double ox = u(rng, -0.05, 0.05);
                    double oz = u(rng, -0.05, 0.05);
                    switch (rng.nextInt(3)) {
                        case 0 -> p.box(m, ox, base + s, oz, s, s, s, u(rng, 0, 1.5));
                        case 1 -> p.ellipsoid(m, ox, base + s, oz, s, s, s);
                        default -> p.cylinder(m, ox, base, oz, ox, base + 2 * s, oz, s * 0.8);
                    }
                    base += 2 * s;
                }
            }
            default -> throw new IllegalStateException(kind.name());
        }
    }

    private static void table(SplittableRandom rng, Placer p, Material m, double hx, double hz, double height,
                              double legR, boolean roundLegs) {
        double top = 0.015 + rng.nextDouble() * 0.02;
        p.box(m, 0, height - top, 0, hx, top, hz);
        Material legs = rng.nextDouble() < 0.5 ? m : Palette.any(rng);
        double ix = hx - legR * 2;
        double iz = hz - legR * 2;
        for (int sx = -1; sx <= 1; sx += 2) {
            for (int sz = -1; sz <= 1; sz += 2) {
                if (roundLegs) {
                    p.cylinder(legs, sx * ix, 0, sz * iz, sx * ix, height - 2 * top, sz * iz, legR);
                } else {
                    p.box(legs, sx * ix, (height - 2 * top) / 2, sz * iz, legR, (height - 2 * top) / 2, legR);
                }
            }
        }
    }

    private static void chair(SplittableRandom rng, Placer p, Material m, double s) {
        double hx = 0.22 * s;
        double seatY = 0.45 * s;
        double legR = u(rng, 0.008, 0.022);
        Material legs = rng.nextDouble() < 0.5 ? m : Palette.any(rng);
        p.box(m, 0, seatY, 0, hx, 0.02, hx);
        boolean round = rng.nextBoolean();
        for (int sx = -1; sx <= 1; sx += 2) {
            for (int sz = -1; sz <= 1; sz += 2) {
                double lx = sx * (hx - legR);
                double lz = sz * (hx - legR);
                if (round) {
                    p.cylinder(legs, lx, 0, lz, lx, seatY - 0.02, lz, legR);
                } else {
                    p.box(legs, lx, (seatY - 0.02) / 2, lz, legR, (seatY - 0.02) / 2, legR);
                }
            }
        }
        double backH = u(rng, 0.3, 0.45) * s;
        p.box(m, 0, seatY + 0.02 + backH / 2, -hx + 0.015, hx, backH / 2, 0.015);
    }

    private static void person(SplittableRandom rng, Placer p, double height) {
        double s = height / 1.75;
        Material trousers = Palette.cloth(rng);
        Material shirt = Palette.cloth(rng);
        Material shoes = Palette.material(rng, TextureKind.PLAIN, Palette.colour(rng, 0.5, 0.02, 0.6), 1);
        double tone = u(rng, 0.15, 0.9);
        Material skin = Material.plain(tone, tone * u(rng, 0.6, 0.8), tone * u(rng, 0.45, 0.65));
        double hairTone = u(rng, 0.02, 0.6);
        Material hair = Palette.material(rng, TextureKind.NOISE,
                new double[] {hairTone, hairTone * u(rng, 0.6, 0.9), hairTone * u(rng, 0.3, 0.7)}, 0.02);
        boolean bald = rng.nextDouble() < 0.2;
        double legR = u(rng, 0.05, 0.075) * s;
        double randomPose = u(rng, -1, 1);
        double gap = u(rng, 0.07, 0.12) * s;
        double pose = Double.isNaN(p.pose) ? randomPose : p.pose;
        double hip = 0.87 * s;
        double ankleY = 0.08 * s;
        double legLen = hip - ankleY;
        double stride = 0.32 * s * pose;
        // legs: hip -> knee -> ankle, knees bent forward just enough to reach the ankle
        for (int side = -1; side <= 1; side += 2) {
            double az = side * stride / 2;
            double ax = side * gap;
            double hx = side * gap * 0.8;
            double d = Math.sqrt(az * az + (hip - ankleY) * (hip - ankleY) + (ax - hx) * (ax - hx));
            double bend = Math.sqrt(Math.max(0, legLen * legLen / 4 - d * d / 4)) + 0.01 * s;
            double kx = (ax + hx) / 2;
            double ky = (ankleY + hip) / 2;
            double kz = az / 2 + bend;
            p.cylinder(trousers, hx, hip, 0, kx, ky, kz, legR);
            p.cylinder(trousers, kx, ky, kz, ax, ankleY, az, legR * 0.85);
            p.ellipsoid(trousers, kx, ky, kz, legR, legR, legR);
            p.box(shoes, ax, 0.04 * s, az + 0.05 * s, 0.05 * s, 0.04 * s, 0.12 * s);
        }
        double shoulder = 1.45 * s;
        double torsoHx = u(rng, 0.16, 0.22) * s;
        p.ellipsoid(shirt, 0, (hip + shoulder) / 2, 0, torsoHx, (shoulder - hip) / 2 + 0.05 * s, 0.12 * s);
        double armR = 0.04 * s;
        // arms swing against the legs
        for (int side = -1; side <= 1; side += 2) {
            double swing = -side * 0.25 * s * pose;
            double sx = side * (torsoHx + armR);
            double ex = side * (torsoHx + armR * 1.3);
            double ey = shoulder - 0.3 * s;
            double ez = swing * 0.6;
            p.cylinder(shirt, sx, shoulder - 0.05 * s, 0, ex, ey, ez, armR);
            p.cylinder(skin, ex, ey, ez, ex, ey - 0.27 * s, swing + 0.05 * s, armR * 0.8);
        }
        p.cylinder(skin, 0, shoulder - 0.02 * s, 0, 0, 1.55 * s, 0, 0.045 * s);
        p.ellipsoid(skin, 0, 1.62 * s, 0, 0.09 * s, 0.12 * s, 0.1 * s);
        if (!bald) {
            p.ellipsoid(hair, 0, 1.66 * s, -0.01 * s, 0.095 * s, 0.1 * s, 0.105 * s);
        }
    }

    private static void pet(SplittableRandom rng, Placer p) {
        double len = u(rng, 0.15, 0.45);
        double legH = u(rng, 0.06, 0.3);
        double bodyR = len * u(rng, 0.3, 0.5);
        double k = u(rng, 0.05, 0.8);
        double[] fur = rng.nextDouble() < 0.6
                ? new double[] {k, k * u(rng, 0.6, 0.9), k * u(rng, 0.35, 0.7)}
                : Palette.colour(rng, 0.3, 0.02, 0.95);
        Material m = Palette.material(rng, rng.nextBoolean() ? TextureKind.NOISE : TextureKind.PLAIN, fur, 0.05);
        double bodyY = legH + bodyR * 0.8;
        p.ellipsoid(m, 0, bodyY, 0, bodyR, bodyR * 0.8, len);
        double legR = u(rng, 0.012, 0.035);
        double randomPose = u(rng, -1, 1);
        double pose = Double.isNaN(p.pose) ? randomPose : p.pose;
        for (int sx = -1; sx <= 1; sx += 2) {
            for (int sz = -1; sz <= 1; sz += 2) {
                // diagonal pairs move together, as in a trot
                double swing = sx * sz * pose * legH * 0.5;
                double x = sx * bodyR * 0.5;
                double z = sz * len * 0.65;
                p.cylinder(m, x, 0, z + swing, x, bodyY, z, legR);
            }
        }
        double head = bodyR * u(rng, 0.6, 0.9);
        p.ellipsoid(m, 0, bodyY + bodyR * 0.7, len + head * 0.5, head, head, head * 1.1);
        p.cylinder(m, 0, bodyY, -len * 0.95, 0, bodyY + u(rng, -0.1, 0.2), -len - u(rng, 0.1, 0.3), legR * 0.7);
    }
}
