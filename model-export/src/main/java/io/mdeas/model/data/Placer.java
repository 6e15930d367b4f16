package io.mdeas.model.data;

import java.util.List;

/**
 * Builds the primitives of one object in its own frame (origin on the floor, turned by a yaw) and adds them to
 * a list in world coordinates, all with the same object id.
 */
final class Placer {
    private final double x;
    private final double z;
    private final double yaw;
    private final double cos;
    private final double sin;
    private final int objectId;
    private final List<Primitive> out;
    /**
     * Walking phase in [-1, 1] for figures (legs and arms apart), or NaN to let the shape pick a random pose.
     * Set by the sequence renderer to animate people and pets.
     */
    double pose = Double.NaN;

    Placer(double x, double z, double yaw, int objectId, List<Primitive> out) {
        this.x = x;
        this.z = z;
        this.yaw = yaw;
        this.cos = StrictMath.cos(yaw);
        this.sin = StrictMath.sin(yaw);
        this.objectId = objectId;
        this.out = out;
    }

    /** Sets the walking phase of figures built through this placer. */
    Placer withPose(double pose) {
        this.pose = pose;
        return this;
    }

    private double wx(double lx, double lz) {
        return x + cos * lx - sin * lz;
    }

    private double wz(double lx, double lz) {
        return z + sin * lx + cos * lz;
    }

    private void add(Primitive p) {
        p.objectId = objectId;
        out.add(p);
    }

    void box(Material m, double lx, double ly, double lz, double hx, double hy, double hz) {
        add(new BoxPrimitive(m, wx(lx, lz), ly, wz(lx, lz), hx, hy, hz, yaw));
    }

    void box(Material m, double lx, double ly, double lz, double hx, double hy, double hz, double extraYaw) {
        add(new BoxPrimitive(m, wx(lx, lz), ly, wz(lx, lz), hx, hy, hz, yaw + extraYaw));
    }

    void ellipsoid(Material m, double lx, double ly, double lz, double ax, double ay, double az) {
        add(new EllipsoidPrimitive(m, wx(lx, lz), ly, wz(lx, lz), ax, ay, az, yaw));
    }

    void cylinder(Material m, double lx0, double ly0, double lz0, double lx1, double ly1, double lz1, double r) {
        add(new CylinderPrimitive(m, wx(lx0, lz0), ly0, wz(lx0, lz0), wx(lx1, lz1), ly1, wz(lx1, lz1), r));
    }
}
