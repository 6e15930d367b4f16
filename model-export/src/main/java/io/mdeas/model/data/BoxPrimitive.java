package io.mdeas.model.data;

/** A box turned by {@code yaw} about the vertical axis through its centre. */
public final class BoxPrimitive extends Primitive {
    final double hx;
    final double hy;
    final double hz;
    final double cos;
    final double sin;

    /**
     * @param cx centre x
     * @param cy centre y
     * @param cz centre z
     * @param hx half size along the local x axis
     * @param hy half height
     * @param hz half size along the local z axis
     * @param yawRad rotation about the vertical axis
     */
    public BoxPrimitive(Material m, double cx, double cy, double cz, double hx, double hy, double hz, double yawRad) {
        super(m, cx, cy, cz, Math.sqrt(hx * hx + hy * hy + hz * hz));
        this.hx = hx;
        this.hy = hy;
        this.hz = hz;
        this.cos = StrictMath.cos(yawRad);
        this.sin = StrictMath.sin(yawRad);
    }

    @Override
    double intersect(double ox, double oy, double oz, double dx, double dy, double dz, double tMax) {
        double px = ox - cx;
        double pz = oz - cz;
        double lox = cos * px + sin * pz;
        double loz = -sin * px + cos * pz;
        double loy = oy - cy;
        double ldx = cos * dx + sin * dz;
        double ldz = -sin * dx + cos * dz;
        double t0 = EPS;
        double t1 = tMax;
        // slab x
        double inv = 1 / ldx;
        double a = (-hx - lox) * inv;
        double b = (hx - lox) * inv;
        if (a > b) {
            double s = a;
            a = b;
            b = s;
        }
        if (a > t0) {
            t0 = a;
        }
        if (b < t1) {
            t1 = b;
        }
        if (t0 > t1) {
            return MISS;
        }
        inv = 1 / dy;
        a = (-hy - loy) * inv;
        b = (hy - loy) * inv;
        if (a > b) {
            double s = a;
            a = b;
            b = s;
        }
        if (a > t0) {
            t0 = a;
        }
        if (b < t1) {
            t1 = b;
        }
        if (t0 > t1) {
            return MISS;
        }
        inv = 1 / ldz;
        a = (-hz - loz) * inv;
        b = (hz - loz) * inv;
        if (a > b) {
            double s = a;
            a = b;
            b = s;
        }
        if (a > t0) {
            t0 = a;
        }
        if (b < t1) {
            t1 = b;
        }
        if (t0 > t1 || t0 <= EPS) {
            // t0 <= EPS: the origin is inside the box (never the case for cameras) or grazing.
            return MISS;
        }
        return t0;
    }

    @Override
    void surface(double px, double py, double pz, SurfaceHit out) {
        double wx = px - cx;
        double wz = pz - cz;
        double lx = cos * wx + sin * wz;
        double lz = -sin * wx + cos * wz;
        double ly = py - cy;
        double ax = Math.abs(lx) / hx;
        double ay = Math.abs(ly) / hy;
        double az = Math.abs(lz) / hz;
        double nlx = 0;
        double nly = 0;
        double nlz = 0;
        if (ax >= ay && ax >= az) {
            nlx = Math.signum(lx);
        } else if (ay >= az) {
            nly = Math.signum(ly);
        } else {
            nlz = Math.signum(lz);
        }
        out.nx = cos * nlx - sin * nlz;
        out.ny = nly;
        out.nz = sin * nlx + cos * nlz;
        out.uvFromDominantAxis(lx, ly, lz, nlx, nly, nlz);
    }

    @Override
    double occlusion(double px, double py, double pz, double nx, double ny, double nz) {
        double m = Math.min(hx, Math.min(hy, hz));
        double wx = px - cx;
        double wz = pz - cz;
        double lx = cos * wx + sin * wz;
        double lz = -sin * wx + cos * wz;
        double ly = py - cy;
        // nearest point of the inner box whose inflation by m is this box
        double qx = Math.max(-hx + m, Math.min(hx - m, lx));
        double qy = Math.max(-hy + m, Math.min(hy - m, ly));
        double qz = Math.max(-hz + m, Math.min(hz - m, lz));
        return sphereOcclusion(px, py, pz, nx, ny, nz, cx + cos * qx - sin * qz, cy + qy, cz + sin * qx + cos * qz, m);
    }
}
