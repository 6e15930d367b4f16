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

    public boolean foreground() {
        return foreground;
    }

    public int objectId() {
        return objectId;
    }
}
