package io.mdeas.model.data;

/** A capped cylinder from point p0 along a unit axis for {@code length} metres, with radius {@code r}. */
public final class CylinderPrimitive extends Primitive {
    final double px0;
    final double py0;
    final double pz0;
    /** Local frame: a = axis, b and c perpendicular. */
    final double ax, ay, az, bx, by, bz, ex, ey, ez;
    final double length;
    final double r;

    public CylinderPrimitive(Material m, double x0, double y0, double z0, double x1, double y1, double z1, double r) {
        super(m, (x0 + x1) / 2, (y0 + y1) / 2, (z0 + z1) / 2,
                Math.sqrt(sq(x1 - x0) + sq(y1 - y0) + sq(z1 - z0)) / 2 + r);
        this.px0 = x0;
        this.py0 = y0;
        this.pz0 = z0;
        this.length = Math.sqrt(sq(x1 - x0) + sq(y1 - y0) + sq(z1 - z0));
        if (!(length > 0) || !(r > 0)) {
            throw new IllegalArgumentException("cylinder needs a positive length and radius");
        }
        this.r = r;
        ax = (x1 - x0) / length;
        ay = (y1 - y0) / length;
        az = (z1 - z0) / length;
        // b: any unit vector perpendicular to a.
        double tx;
        double ty;
        double tz;
        if (Math.abs(ay) < 0.9) {
            tx = 0;
            ty = 1;
            tz = 0;
        } else {
            tx = 1;
            ty = 0;
            tz = 0;
        }
        double cxp = ay * tz - az * ty;
        double cyp = az * tx - ax * tz;
        double czp = ax * ty - ay * tx;
        double n = Math.sqrt(cxp * cxp + cyp * cyp + czp * czp);
        bx = cxp / n;
        by = cyp / n;
        bz = czp / n;
        ex = ay * bz - az * by;
        ey = az * bx - ax * bz;
        ez = ax * by - ay * bx;
    }

    /** A vertical cylinder standing on {@code yBottom}. */
    public static CylinderPrimitive vertical(Material m, double x, double z, double yBottom, double height, double r) {
        return new CylinderPrimitive(m, x, yBottom, z, x, yBottom + height, z, r);
    }

    private static double sq(double v) {
        return v * v;
    }

    @Override
    double intersect(double ox, double oy, double oz, double dx, double dy, double dz, double tMax) {
        double qx = ox - px0;
        double qy = oy - py0;
        double qz = oz - pz0;
        // local coordinates: h along the axis, (s, w) across it
        double oh = qx * ax + qy * ay + qz * az;
        double os = qx * bx + qy * by + qz * bz;
        double ow = qx * ex + qy * ey + qz * ez;
        double dh = dx * ax + dy * ay + dz * az;
        double ds = dx * bx + dy * by + dz * bz;
        double dw = dx * ex + dy * ey + dz * ez;
        double best = MISS;
        double a = ds * ds + dw * dw;
        if (a > 1e-18) {
            double b = os * ds + ow * dw;
            double c = os * os + ow * ow - r * r;
            double disc = b * b - a * c;
            if (disc < 0) {
                return MISS; // the infinite cylinder is missed, so are the caps
            }
            double sq = Math.sqrt(disc);
            double t = (-b - sq) / a;
            if (t > EPS && t < tMax) {
                double h = oh + t * dh;
                if (h >= 0 && h <= length) {
                    return t; // nearest side hit; a cap hit would be farther
                }
            }
        }
        // caps
        if (dh != 0) {
            double t = (0 - oh) / dh;
            if (t > EPS && t < tMax && t < best) {
                double s = os + t * ds;
                double w = ow + t * dw;
                if (s * s + w * w <= r * r) {
                    best = t;
                }
            }
            t = (length - oh) / dh;
            if (t > EPS && t < tMax && t < best) {
                double s = os + t * ds;
                double w = ow + t * dw;
                if (s * s + w * w <= r * r) {
                    best = t;
                }
            }
        }
        return best;
    }

    @Override
    void surface(double px, double py, double pz, SurfaceHit out) {
        double qx = px - px0;
        double qy = py - py0;
        double qz = pz - pz0;
        double h = qx * ax + qy * ay + qz * az;
        double s = qx * bx + qy * by + qz * bz;
        double w = qx * ex + qy * ey + qz * ez;
        double rr = Math.sqrt(s * s + w * w);
        double capTol = 1e-4;
        if (h < capTol && rr < r * (1 - 1e-3)) {
            out.nx = -ax;
            out.ny = -ay;
            out.nz = -az;
        } else if (h > length - capTol && rr < r * (1 - 1e-3)) {
            out.nx = ax;
            out.ny = ay;
            out.nz = az;
        } else {
            double inv = rr > 0 ? 1 / rr : 0;
            out.nx = (s * bx + w * ex) * inv;
            out.ny = (s * by + w * ey) * inv;
            out.nz = (s * bz + w * ez) * inv;
        }
        // around the axis: the arc length from a cheap pseudo-angle; along it: h.
        double ang = (Math.abs(s) + 1e-12 >= Math.abs(w)) ? (s >= 0 ? w / (Math.abs(s) + 1e-12) : 4 - w / (Math.abs(s) + 1e-12))
                : (w >= 0 ? 2 - s / (Math.abs(w) + 1e-12) : 6 + s / (Math.abs(w) + 1e-12));
        out.u = ang * r * 0.785;
        out.v = h;
    }

    @Override
    double occlusion(double px, double py, double pz, double nx, double ny, double nz) {
        double h = (px - px0) * ax + (py - py0) * ay + (pz - pz0) * az;
        h = Math.max(0, Math.min(length, h));
        return sphereOcclusion(px, py, pz, nx, ny, nz, px0 + h * ax, py0 + h * ay, pz0 + h * az, r);
    }
}
