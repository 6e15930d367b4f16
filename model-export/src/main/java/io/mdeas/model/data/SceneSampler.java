package io.mdeas.model.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws random indoor scenes seen from a floor robot: a room with textured floor, walls and ceiling,
 * background furniture, 1-3 foreground objects standing on the floor 0.2-5 m from the camera, a light, a
 * camera (by default any floor-robot mount: height 0.05-0.40 m, pitch 0 to -20 degrees, hfov 55-90 degrees; see
 * {@link MountRange}) and the sensor settings.
 *
 * <p>Everything comes from the given random source, so a sample is a pure function of its seed.
 */
public final class SceneSampler {
    public static final double MIN_FG_DISTANCE = 0.2;
    public static final double MAX_FG_DISTANCE = 5.0;

    /** Share of samples with no foreground object (lighting and noise may still change). */
    static final double P_NO_FOREGROUND = 0.10;
    /** Share of samples whose fg_bg is the bg image itself. */
    static final double P_UNCHANGED = 0.04;

    /** A footprint circle on the floor, for placing things apart. */
    record Footprint(double x, double z, double r) {}

    private final MountRange mounts;

    /** Scenes seen from any floor-robot mount ({@link MountRange#ANY_FLOOR_ROBOT}). */
    public SceneSampler() {
        this(MountRange.ANY_FLOOR_ROBOT);
    }

    /** Scenes seen from the camera mounts in {@code mounts}. */
    public SceneSampler(MountRange mounts) {
        this.mounts = mounts;
    }

    /** Draws one sample. */
    public SampledScene sample(SplittableRandom rng) {
        Room room = room(rng);
        Camera camera = camera(rng, room, mounts);
        List<Footprint> used = new ArrayList<>();
        List<Primitive> background = furniture(rng, room, camera, used);
        wallDecor(rng, room, background);
        clutter(rng, room, camera, used, background);
        double roll = rng.nextDouble();
        SampleKind kind = roll < P_UNCHANGED ? SampleKind.UNCHANGED
                : roll < P_UNCHANGED + P_NO_FOREGROUND ? SampleKind.NO_FOREGROUND : SampleKind.FOREGROUND;
        List<Primitive> foreground = new ArrayList<>();
        if (kind == SampleKind.FOREGROUND) {
            int n = 1 + rng.nextInt(3);
            for (int i = 0; i < n; i++) {
                placeForeground(rng, room, camera, used, i + 1, foreground);
            }
        }
        Light light = light(rng, room);
        FillLight fill = fill(rng, light);
        return new SampledScene(new Scene(room, background, foreground, light, fill), camera, kind,
                sensor(rng, kind));
    }

    static double u(SplittableRandom rng, double a, double b) {
        return a + rng.nextDouble() * (b - a);
    }

    /** A room a few metres across. */
    public static Room room(SplittableRandom rng) {
        double w = u(rng, 2.5, 7.0);
        double l = u(rng, 3.0, 8.0);
        // "optional ceiling": most rooms are 2.3-3 m high, some are halls whose ceiling is rarely in view
        double h = rng.nextDouble() < 0.8 ? u(rng, 2.3, 3.0) : u(rng, 3.5, 6.0);
        Material walls = Palette.wall(rng);
        Material ceiling = rng.nextDouble() < 0.7 ? Material.plain(0.8, 0.8, 0.78) : Palette.wall(rng);
        double skirting = rng.nextDouble() < 0.5 ? u(rng, 0.04, 0.12) : 0;
        Material skirtingMaterial = rng.nextBoolean() ? Palette.any(rng) : Material.plain(0.85, 0.85, 0.85);
        return new Room(0, w, 0, l, h, Palette.floor(rng), walls, ceiling, skirting, skirtingMaterial);
    }

    /** A floor-robot camera inside the room, looking into it. */
    static Camera camera(SplittableRandom rng, Room room, MountRange mounts) {
        double x = u(rng, room.x0 + 0.3, room.x1 - 0.3);
        double z = u(rng, room.z0 + 0.3, room.z0 + (room.z1 - room.z0) * 0.6);
        // look at a random point of the room at least 1.5 m away (most of the time)
        double yaw = 0;
        for (int i = 0; i < 20; i++) {
            double tx = u(rng, room.x0, room.x1);
            double tz = u(rng, room.z0, room.z1);
            yaw = Math.toDegrees(StrictMath.atan2(tx - x, tz - z));
            if (StrictMath.hypot(tx - x, tz - z) > 1.5) {
                break;
            }
        }
        double height = u(rng, mounts.minHeightM(), mounts.maxHeightM());
        double pitch = u(rng, mounts.minPitchDeg(), mounts.maxPitchDeg());
        double hfov = u(rng, mounts.minHfovDeg(), mounts.maxHfovDeg());
        return new Camera(x, height, z, yaw, pitch, hfov, mounts.sensorAspect());
    }

    /** 0-6 pieces of furniture, mostly against the walls, never on top of the camera. */
    static List<Primitive> furniture(SplittableRandom rng, Room room, Camera camera, List<Footprint> used) {
        List<Primitive> out = new ArrayList<>();
        int n = rng.nextInt(7);
        ObjectLibrary.Furniture[] kinds = ObjectLibrary.Furniture.values();
        for (int i = 0; i < n; i++) {
            ObjectLibrary.Furniture kind = kinds[pickIndex(rng, ObjectLibrary.FURNITURE_WEIGHTS)];
            long seed = rng.nextLong();
            double[] ext = extent(seed, p -> ObjectLibrary.furniture(kind, new SplittableRandom(seed), p));
            for (int attempt = 0; attempt < 8; attempt++) {
                double x;
                double z;
                double yaw;
                if (rng.nextDouble() < 0.7) {
                    // back against a wall, facing into the room (local -z is the back)
                    int wall = rng.nextInt(4);
                    double depth = ext[1] + 0.02;
                    switch (wall) {
                        case 0 -> { x = u(rng, room.x0 + ext[0], room.x1 - ext[0]); z = room.z0 + depth; yaw = 0; }
                        case 1 -> { x = u(rng, room.x0 + ext[0], room.x1 - ext[0]); z = room.z1 - depth; yaw = Math.PI; }
                        case 2 -> { z = u(rng, room.z0 + ext[0], room.z1 - ext[0]); x = room.x0 + depth; yaw = -Math.PI / 2; }
                        default -> { z = u(rng, room.z0 + ext[0], room.z1 - ext[0]); x = room.x1 - depth; yaw = Math.PI / 2; }
                    }
                } else {
                    x = u(rng, room.x0 + 0.5, room.x1 - 0.5);
                    z = u(rng, room.z0 + 0.5, room.z1 - 0.5);
                    yaw = rng.nextDouble() * Math.PI * 2;
                }
                double r = StrictMath.hypot(ext[0], ext[1]);
                if (!fits(room, x, z, r * 0.7) || StrictMath.hypot(x - camera.x, z - camera.z) < r + 0.4
                        || overlaps(used, x, z, r * 0.8)) {
                    continue;
                }
                used.add(new Footprint(x, z, r * 0.8));
                int before = out.size();
                ObjectLibrary.furniture(kind, new SplittableRandom(seed), new Placer(x, z, yaw, 100 + i, out));
                if (!insideRoom(room, out, before)) {
                    while (out.size() > before) {
                        out.remove(out.size() - 1);
                    }
                    used.remove(used.size() - 1);
                    continue;
                }
                break;
            }
        }
        return out;
    }

    /**
     * Places one foreground object of a random kind 0.2-5 m in front of the camera, within or slightly beyond
     * the horizontal field of view (so some are cut by the image border).
     */
    static void placeForeground(SplittableRandom rng, Room room, Camera camera, List<Footprint> used, int id,
                                List<Primitive> out) {
        ObjectLibrary.Foreground kind = ObjectLibrary.Foreground.values()[
                pickIndex(rng, ObjectLibrary.FOREGROUND_WEIGHTS)];
        placeForeground(rng, kind, room, camera, used, id, out);
    }

    static boolean placeForeground(SplittableRandom rng, ObjectLibrary.Foreground kind, Room room, Camera camera,
                                   List<Footprint> used, int id, List<Primitive> out) {
        long seed = rng.nextLong();
        double[] ext = extent(seed, p -> ObjectLibrary.foreground(kind, new SplittableRandom(seed), p));
        double r = StrictMath.hypot(ext[0], ext[1]);
        for (int attempt = 0; attempt < 10; attempt++) {
            // distance of the nearest part: log-uniform, so near objects are common
            double near = StrictMath.exp(u(rng, StrictMath.log(MIN_FG_DISTANCE), StrictMath.log(MAX_FG_DISTANCE)));
            double dist = near + Math.min(r, ext[1] + 0.05);
            double bearing = Math.toRadians(u(rng, -0.6, 0.6) * camera.hfovDeg);
            double dir = Math.toRadians(camera.yawDeg) + bearing;
            double x = camera.x + StrictMath.sin(dir) * dist;
            double z = camera.z + StrictMath.cos(dir) * dist;
            double yaw = rng.nextDouble() * Math.PI * 2;
            if (!fits(room, x, z, Math.min(r, 0.3)) || overlaps(used, x, z, r * 0.6)) {
                continue;
            }
            int before = out.size();
            ObjectLibrary.foreground(kind, new SplittableRandom(seed), new Placer(x, z, yaw, id, out));
            if (!insideRoom(room, out, before) || touchesCamera(camera, out, before)) {
                while (out.size() > before) {
                    out.remove(out.size() - 1);
                }
                continue;
            }
            used.add(new Footprint(x, z, r * 0.6));
            return true;
        }
        return false;
    }

    /** The light: a ceiling lamp most of the time, sometimes a low side light (long shadows). */
    static Light light(SplittableRandom rng, Room room) {
        double x = u(rng, room.x0 + 0.3, room.x1 - 0.3);
        double z = u(rng, room.z0 + 0.3, room.z1 - 0.3);
        double y = rng.nextDouble() < 0.75 ? u(rng, 1.6, Math.min(room.height - 0.05, 3.0))
                : u(rng, 0.4, 1.6);
        double temp = u(rng, -1, 1); // warm .. cool
        double r = 1 + 0.15 * Math.max(0, -temp) - 0.1 * Math.max(0, temp);
        double g = 0.95 - 0.03 * Math.abs(temp);
        double b = 0.8 + 0.25 * Math.max(0, temp) - 0.1 * Math.max(0, -temp);
        if (rng.nextDouble() < 0.1) {
            double[] c = Palette.colour(rng, 0.5, 0.8, 1);
            r = c[0];
            g = c[1];
            b = c[2];
        }
        double intensity = u(rng, 0.5, 1.3);
        double ambient = u(rng, 0.12, 0.5);
        double at = u(rng, -0.1, 0.1);
        // a third hard (bare bulb, spot), the rest soft (shades, panels)
        double size = rng.nextDouble() < 0.33 ? 0.01 : u(rng, 0.05, 0.35);
        return new Light(x, y, z, r * intensity, g * intensity, b * intensity, u(rng, 1.5, 3.5),
                ambient * (1 + at), ambient, ambient * (1 - at), size);
    }

    /** A shadowless directional fill light in half of the scenes (window light, bounce light). */
    static FillLight fill(SplittableRandom rng, Light main) {
        if (rng.nextBoolean()) {
            return FillLight.NONE;
        }
        double az = rng.nextDouble() * Math.PI * 2;
        double el = u(rng, 0.1, 1.2);
        double k = u(rng, 0.1, 0.5);
        double warm = u(rng, -0.15, 0.15);
        return new FillLight(StrictMath.cos(el) * StrictMath.sin(az), StrictMath.sin(el), StrictMath.cos(el) * StrictMath.cos(az),
                k * (1 + warm), k, k * (1 - warm));
    }

    /** Pictures, a window and a door on the walls: flat boxes a few centimetres deep. */
    static void wallDecor(SplittableRandom rng, Room room, List<Primitive> out) {
        int pictures = rng.nextInt(5);
        for (int i = 0; i < pictures + 2; i++) {
            boolean window = i == pictures && rng.nextDouble() < 0.4;
            boolean door = i == pictures + 1 && rng.nextDouble() < 0.4;
            if (i >= pictures && !window && !door) {
                continue;
            }
            int wall = rng.nextInt(4);
            double halfW = door ? u(rng, 0.4, 0.5) : window ? u(rng, 0.4, 1.0) : u(rng, 0.1, 0.5);
            double halfH = door ? 1.0 : window ? u(rng, 0.4, 0.7) : u(rng, 0.08, 0.4);
            double cy = door ? 1.0 : window ? u(rng, 1.0, 1.6) : u(rng, 0.5, 1.8);
            if (cy + halfH > room.height - 0.05) {
                continue;
            }
            double depth = door ? 0.03 : 0.015;
            Material m = window
                    ? Palette.material(rng, rng.nextBoolean() ? TextureKind.NOISE : TextureKind.PLAIN,
                        Palette.colour(rng, 0.3, 0.6, 1.0), 0.5).withEmission(u(rng, 1.0, 3.0))
                    : Palette.any(rng);
            double along;
            double cx;
            double cz;
            double yaw;
            if (wall < 2) {
                along = u(rng, room.x0 + halfW + 0.1, room.x1 - halfW - 0.1);
                cx = along;
                cz = wall == 0 ? room.z0 + depth : room.z1 - depth;
                yaw = 0;
            } else {
                along = u(rng, room.z0 + halfW + 0.1, room.z1 - halfW - 0.1);
                cz = along;
                cx = wall == 2 ? room.x0 + depth : room.x1 - depth;
                yaw = Math.PI / 2;
            }
            Primitive p = new BoxPrimitive(m, cx, cy, cz, halfW, halfH, depth, yaw);
            p.objectId = 200 + i;
            out.add(p);
            if (!window && rng.nextDouble() < 0.5) {
                // a frame around the picture or door: a slightly larger, thinner box behind it
                Primitive frame = new BoxPrimitive(Palette.any(rng), cx, cy, cz, halfW + 0.03, halfH + 0.03,
                        depth * 0.6, yaw);
                frame.objectId = 200 + i;
                out.add(frame);
            }
        }
    }

    /**
     * Small things lying about in the background: the same kinds of object as the foreground (boxes, balls,
     * toys, cables, bags, even pets and people), so that only "present in both images" tells them apart.
     */
    static void clutter(SplittableRandom rng, Room room, Camera camera, List<Footprint> used, List<Primitive> out) {
        int n = rng.nextDouble() < 0.3 ? 0 : rng.nextInt(6);
        ObjectLibrary.Foreground[] kinds = ObjectLibrary.Foreground.values();
        for (int i = 0; i < n; i++) {
            ObjectLibrary.Foreground kind = kinds[pickIndex(rng, ObjectLibrary.CLUTTER_WEIGHTS)];
            List<Primitive> placed = new ArrayList<>();
            if (placeForeground(rng, kind, room, camera, used, 300 + i, placed)) {
                out.addAll(placed);
            }
        }
    }

    static SensorSettings sensor(SplittableRandom rng, SampleKind kind) {
        double exposure = StrictMath.exp(u(rng, StrictMath.log(0.5), StrictMath.log(1.8)));
        double gr = 1;
        double gg = 1;
        double gb = 1;
        if (kind != SampleKind.UNCHANGED && rng.nextDouble() < 0.3) {
            double brightness = u(rng, 0.75, 1.25);
            gr = brightness * u(rng, 0.94, 1.06);
            gg = brightness;
            gb = brightness * u(rng, 0.94, 1.06);
        }
        double noise = rng.nextDouble() < 0.15 ? 0 : u(rng, 0.5, 5);
        boolean blur = rng.nextDouble() < 0.5;
        int jpeg = rng.nextDouble() < 0.4 ? 50 + rng.nextInt(46) : 0;
        int jx = 0;
        int jy = 0;
        if (kind != SampleKind.UNCHANGED && rng.nextDouble() < 0.25) {
            do {
                jx = rng.nextInt(5) - 2;
                jy = rng.nextInt(5) - 2;
            } while (jx == 0 && jy == 0);
        }
        double vignette = rng.nextDouble() < 0.5 ? 0 : u(rng, 0.05, 0.45);
        return new SensorSettings(exposure, gr, gg, gb, noise, blur, jpeg, jx, jy, rng.nextLong(), vignette, true);
    }

    static int pickIndex(SplittableRandom rng, double[] weights) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double x = rng.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            x -= weights[i];
            if (x < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    /** Half extents {x, z} of an object built at the origin with yaw 0, from its bounding spheres. */
    static double[] extent(long seed, java.util.function.Consumer<Placer> build) {
        List<Primitive> tmp = new ArrayList<>();
        build.accept(new Placer(0, 0, 0, 0, tmp));
        double ex = 0.01;
        double ez = 0.01;
        for (Primitive p : tmp) {
            double rx = p.radius;
            if (p instanceof BoxPrimitive b) {
                rx = StrictMath.hypot(b.hx, b.hz);
            }
            ex = Math.max(ex, Math.abs(p.cx) + rx);
            ez = Math.max(ez, Math.abs(p.cz) + rx);
        }
        return new double[] {ex, ez};
    }

    private static boolean fits(Room room, double x, double z, double r) {
        return x - r > room.x0 && x + r < room.x1 && z - r > room.z0 && z + r < room.z1;
    }

    private static boolean overlaps(List<Footprint> used, double x, double z, double r) {
        for (Footprint f : used) {
            if (StrictMath.hypot(f.x() - x, f.z() - z) < f.r() + r) {
                return true;
            }
        }
        return false;
    }

    /** True if every listed primitive's bounding sphere centre lies inside the room. */
    private static boolean insideRoom(Room room, List<Primitive> prims, int from) {
        for (int i = from; i < prims.size(); i++) {
            Primitive p = prims.get(i);
            if (!room.contains(p.cx, Math.max(p.cy, 1e-3), p.cz)) {
                return false;
            }
        }
        return true;
    }

    /** True if the camera would be inside or within 5 cm of a primitive. */
    private static boolean touchesCamera(Camera camera, List<Primitive> prims, int from) {
        for (int i = from; i < prims.size(); i++) {
            Primitive p = prims.get(i);
            double d = Math.sqrt((p.cx - camera.x) * (p.cx - camera.x) + (p.cy - camera.y) * (p.cy - camera.y)
                    + (p.cz - camera.z) * (p.cz - camera.z));
            if (d < p.radius + 0.05) {
                return true;
            }
        }
        return false;
    }
}
