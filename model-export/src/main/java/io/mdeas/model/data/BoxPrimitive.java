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
        // Slab test in the box's frame: the ray is inside all three slabs between the latest entry and the
        // earliest exit.
        double ix = 1 / ldx;
        double iy = 1 / dy;
        double iz = 1 / ldz;
        double t0 = slabEntry(slabEntry(slabEntry(EPS, hx, lox, ix), hy, loy, iy), hz, loz, iz);
        double t1 = slabExit(slabExit(slabExit(tMax, hx, lox, ix), hy, loy, iy), hz, loz, iz);
        if (t0 > t1 || t0 <= EPS) {
            // t0 <= EPS: the origin is inside the box (never the case for cameras) or grazing.
            return MISS;
        }
        return t0;
    }

    /** The later of {@code t} and where the ray enters the slab |o + t/inv| <= h (a NaN bound is ignored). */
    private static double slabEntry(double t, double h, double o, double inv) {
        double a = (-h - o) * inv;
        double b = (h - o) * inv;
        double near = a > b ? b : a;
        return near > t ? near : t;
    }

    /** The earlier of {@code t} and where the ray leaves that slab. */
    private static double slabExit(double t, double h, double o, double inv) {
        double a = (-h - o) * inv;
        double b = (h - o) * inv;
        double far = a > b ? a : b;
        return far < t ? far : t;
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
