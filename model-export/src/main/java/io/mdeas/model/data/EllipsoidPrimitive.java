package io.mdeas.model.data;

/** An ellipsoid with radii (ax, ay, az) in a frame turned by {@code yaw} about the vertical axis. */
public final class EllipsoidPrimitive extends Primitive {
    final double ax;
    final double ay;
    final double az;
    final double cos;
    final double sin;

    public EllipsoidPrimitive(Material m, double cx, double cy, double cz, double ax, double ay, double az,
                              double yawRad) {
        super(m, cx, cy, cz, Math.max(ax, Math.max(ay, az)));
        this.ax = ax;
        this.ay = ay;
        this.az = az;
        this.cos = StrictMath.cos(yawRad);
        this.sin = StrictMath.sin(yawRad);
    }

    /** A sphere. */
    public static EllipsoidPrimitive sphere(Material m, double cx, double cy, double cz, double r) {
        return new EllipsoidPrimitive(m, cx, cy, cz, r, r, r, 0);
    }

    @Override
    double intersect(double ox, double oy, double oz, double dx, double dy, double dz, double tMax) {
        double px = ox - cx;
        double pz = oz - cz;
        double lox = (cos * px + sin * pz) / ax;
        double loz = (-sin * px + cos * pz) / az;
        double loy = (oy - cy) / ay;
        double ldx = (cos * dx + sin * dz) / ax;
        double ldz = (-sin * dx + cos * dz) / az;
        double ldy = dy / ay;
        double a = ldx * ldx + ldy * ldy + ldz * ldz;
        double b = lox * ldx + loy * ldy + loz * ldz;
        double c = lox * lox + loy * loy + loz * loz - 1;
        double disc = b * b - a * c;
        if (disc < 0) {
            return MISS;
        }
        double sq = Math.sqrt(disc);
        double t = (-b - sq) / a;
        if (t <= EPS) {
            t = (-b + sq) / a;
            if (t <= EPS) {
                return MISS;
            }
        }
        return t < tMax ? t : MISS;
    }

    @Override
    void surface(double px, double py, double pz, SurfaceHit out) {
        double wx = px - cx;
        double wz = pz - cz;
        double lx = cos * wx + sin * wz;
        double lz = -sin * wx + cos * wz;
        double ly = py - cy;
        double nlx = lx / (ax * ax);
        double nly = ly / (ay * ay);
        double nlz = lz / (az * az);
        double inv = 1 / Math.sqrt(nlx * nlx + nly * nly + nlz * nlz);
        nlx *= inv;
        nly *= inv;
        nlz *= inv;
        out.nx = cos * nlx - sin * nlz;
        out.ny = nly;
        out.nz = sin * nlx + cos * nlz;
        out.uvFromDominantAxis(lx, ly, lz, nlx, nly, nlz);
    }

    @Override
    double occlusion(double px, double py, double pz, double nx, double ny, double nz) {
        return sphereOcclusion(px, py, pz, nx, ny, nz, cx, cy, cz, (ax + ay + az) / 3);
    }
}
