package io.mdeas.model.data;

/**
 * The closed room the camera stands in: floor y = 0, ceiling y = {@code height}, walls x = x0, x1 and z = z0,
 * z1. Rays start inside, so every ray leaves through exactly one face: the scene always has a hit.
 */
public final class Room {
    public static final int FLOOR = 0;
    public static final int CEILING = 1;
    public static final int WALL_X0 = 2;
    public static final int WALL_X1 = 3;
    public static final int WALL_Z0 = 4;
    public static final int WALL_Z1 = 5;

    final double x0;
    final double x1;
    final double z0;
    final double z1;
    final double height;
    final Material floor;
    final Material walls;
    final Material ceiling;
    /** Height of a skirting band at the bottom of the walls (0 = none) and its material. */
    final double skirting;
    final Material skirtingMaterial;

    public Room(double x0, double x1, double z0, double z1, double height, Material floor, Material walls,
                Material ceiling, double skirting, Material skirtingMaterial) {
        if (!(x1 > x0 && z1 > z0 && height > 0)) {
            throw new IllegalArgumentException("room needs x1 > x0, z1 > z0 and a positive height");
        }
        this.x0 = x0;
        this.x1 = x1;
        this.z0 = z0;
        this.z1 = z1;
        this.height = height;
        this.floor = floor;
        this.walls = walls;
        this.ceiling = ceiling;
        this.skirting = skirting;
        this.skirtingMaterial = skirtingMaterial;
    }

    public boolean contains(double x, double y, double z) {
        return x > x0 && x < x1 && z > z0 && z < z1 && y > 0 && y < height;
    }

    /**
     * Exit distance of a ray starting inside the room; the face it leaves through is written to
     * {@code face[0]}.
     */
    double exit(double ox, double oy, double oz, double dx, double dy, double dz, int[] face) {
        double t = Double.POSITIVE_INFINITY;
        int f = FLOOR;
        if (dy < 0) {
            t = -oy / dy;
            f = FLOOR;
        } else if (dy > 0) {
            t = (height - oy) / dy;
            f = CEILING;
        }
        if (dx < 0) {
            double tx = (x0 - ox) / dx;
            if (tx < t) {
                t = tx;
                f = WALL_X0;
            }
        } else if (dx > 0) {
            double tx = (x1 - ox) / dx;
            if (tx < t) {
                t = tx;
                f = WALL_X1;
            }
        }
        if (dz < 0) {
            double tz = (z0 - oz) / dz;
            if (tz < t) {
                t = tz;
                f = WALL_Z0;
            }
        } else if (dz > 0) {
            double tz = (z1 - oz) / dz;
            if (tz < t) {
                t = tz;
                f = WALL_Z1;
            }
        }
        face[0] = f;
        return t;
    }

    /** Normal (pointing into the room), texture coordinates and material of a point on {@code face}. */
    Material surface(int face, double px, double py, double pz, SurfaceHit out) {
        out.nx = 0;
        out.ny = 0;
        out.nz = 0;
        switch (face) {
            case FLOOR -> {
                out.ny = 1;
                out.u = px;
                out.v = pz;
                return floor;
            }
            case CEILING -> {
                out.ny = -1;
                out.u = px;
                out.v = pz;
                return ceiling;
            }
            case WALL_X0, WALL_X1 -> {
                out.nx = face == WALL_X0 ? 1 : -1;
                out.u = pz;
                out.v = py;
            }
            default -> {
                out.nz = face == WALL_Z0 ? 1 : -1;
                out.u = px;
                out.v = py;
            }
        }
        return py < skirting ? skirtingMaterial : walls;
    }
}
