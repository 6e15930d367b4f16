package io.mdeas.model.data;

/**
 * One exact shape of a scene. Rays are {@code o + t d} with an unnormalised direction d; {@link #intersect}
 * returns the smallest t in (EPS, tMax) or {@link Double#POSITIVE_INFINITY}. Each primitive carries a bounding
 * sphere used to cull it before the exact test.
 */
public abstract sealed class Primitive permits BoxPrimitive, EllipsoidPrimitive, CylinderPrimitive {
    static final double EPS = 1e-6;
    static final double MISS = Double.POSITIVE_INFINITY;

    final Material material;
    /** Id of the object this primitive belongs to (several primitives may share one). */
    int objectId;
    /** True for foreground objects (present only in fg_bg). */
    boolean foreground;
    final double cx;
    final double cy;
    final double cz;
    final double radius;

    Primitive(Material material, double cx, double cy, double cz, double radius) {
        this.material = material;
        this.cx = cx;
        this.cy = cy;
        this.cz = cz;
        this.radius = radius;
    }

    abstract double intersect(double ox, double oy, double oz, double dx, double dy, double dz, double tMax);

    /** Fills normal and texture coordinates at a point on this primitive's surface. */
    abstract void surface(double px, double py, double pz, SurfaceHit out);

    /**
     * Ambient occlusion this shape causes at point p with normal n, approximated by a sphere at the shape's
     * nearest medial point: cos(angle) * r^2 / d^2, clipped to [0, 1]. Gives the soft darkening where objects
     * meet the floor or stand near walls.
     */
    abstract double occlusion(double px, double py, double pz, double nx, double ny, double nz);

    /** The sphere-occlusion term of a sphere of radius r at q, seen from p with normal n. */
    static double sphereOcclusion(double px, double py, double pz, double nx, double ny, double nz,
                                  double qx, double qy, double qz, double r) {
        double vx = qx - px;
        double vy = qy - py;
        double vz = qz - pz;
        double d2 = vx * vx + vy * vy + vz * vz;
        double nv = nx * vx + ny * vy + nz * vz;
        if (nv <= 0) {
            return 0;
        }
        double occ = nv * r * r / (d2 * Math.sqrt(d2));
        return occ > 1 ? 1 : occ;
    }

    public boolean foreground() {
        return foreground;
    }

    public int objectId() {
        return objectId;
    }
}
