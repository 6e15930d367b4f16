package io.mdeas.model.data;

/**
 * A pinhole camera: position, yaw (about the world up axis), pitch (negative looks down), horizontal field of
 * view and the aspect ratio of its sensor. World axes: y up, the floor is y = 0.
 *
 * <p>With {@code sensorAspect} 1 an image of any size has square pixels. Otherwise the image is what the node
 * makes of a {@code sensorAspect}:1 camera frame when it squashes it to the model's square input: the whole
 * horizontal field of view across the width, the camera's smaller vertical one across the height.
 *
 * <p>Ray directions are built as {@code forward + xn * right + yn * up}, so the ray parameter t of a hit is
 * directly its depth Z along the optical axis.
 */
public final class Camera {
    final double x;
    final double y;
    final double z;
    final double yawDeg;
    final double pitchDeg;
    final double hfovDeg;
    final double sensorAspect;
    /** Basis: forward, right, up (unit, orthogonal). */
    final double fx, fy, fz, rx, ry, rz, ux, uy, uz;

    public Camera(double x, double y, double z, double yawDeg, double pitchDeg, double hfovDeg) {
        this(x, y, z, yawDeg, pitchDeg, hfovDeg, 1);
    }

    /** A camera whose sensor is {@code sensorAspect} times as wide as high, imaged squashed to a square. */
    public Camera(double x, double y, double z, double yawDeg, double pitchDeg, double hfovDeg, double sensorAspect) {
        if (!(hfovDeg > 1 && hfovDeg < 179)) {
            throw new IllegalArgumentException("camera hfov_deg must be in (1, 179), got " + hfovDeg);
        }
        if (!(sensorAspect >= 0.25 && sensorAspect <= 4)) {
            throw new IllegalArgumentException("camera sensor aspect must be in [0.25, 4], got " + sensorAspect);
        }
        this.sensorAspect = sensorAspect;
        this.x = x;
        this.y = y;
        this.z = z;
        this.yawDeg = yawDeg;
        this.pitchDeg = pitchDeg;
        this.hfovDeg = hfovDeg;
        double yaw = Math.toRadians(yawDeg);
        double pitch = Math.toRadians(pitchDeg);
        double cp = StrictMath.cos(pitch);
        double sp = StrictMath.sin(pitch);
        // yaw 0 looks along +z; positive yaw turns towards +x.
        fx = StrictMath.sin(yaw) * cp;
        fy = sp;
        fz = StrictMath.cos(yaw) * cp;
        rx = StrictMath.cos(yaw);
        ry = 0;
        rz = -StrictMath.sin(yaw);
        // up = right x forward ... chosen so that up has a positive y component.
        ux = -StrictMath.sin(yaw) * sp;
        uy = cp;
        uz = -StrictMath.cos(yaw) * sp;
    }

    public double height() {
        return y;
    }

    public double pitchDeg() {
        return pitchDeg;
    }

    public double hfovDeg() {
        return hfovDeg;
    }

    public double yawDeg() {
        return yawDeg;
    }

    public double x() {
        return x;
    }

    public double z() {
        return z;
    }

    /** Focal length in pixels for an image {@code width} pixels wide. */
    public double focalPx(int width) {
        return (width / 2.0) / StrictMath.tan(Math.toRadians(hfovDeg) / 2);
    }

    /**
     * Vertical focal length in pixels for a {@code width} × {@code height} image: equal to {@link #focalPx} for
     * square pixels; for a squashed {@code sensorAspect}:1 frame the camera's vertical field of view spans the
     * whole height.
     */
    public double focalPxY(int width, int height) {
        return sensorAspect == 1 ? focalPx(width) : focalPx(width) * sensorAspect * height / width;
    }

    public double sensorAspect() {
        return sensorAspect;
    }

    /**
     * Normalised image coordinate x/z of the centre of pixel column {@code u} (0 = left) in a {@code width} wide
     * image whose principal point is the image centre.
     */
    public static double xn(double u, int width, double focalPx) {
        return (u + 0.5 - width / 2.0) / focalPx;
    }

    /** Normalised image coordinate y/z (positive up) of the centre of pixel row {@code v} (0 = top). */
    public static double yn(double v, int height, double focalPx) {
        return (height / 2.0 - v - 0.5) / focalPx;
    }

    /** Transforms a world point into camera coordinates {right, up, forward} written to {@code out}. */
    public void toCamera(double px, double py, double pz, double[] out) {
        double dx = px - x;
        double dy = py - y;
        double dz = pz - z;
        out[0] = dx * rx + dy * ry + dz * rz;
        out[1] = dx * ux + dy * uy + dz * uz;
        out[2] = dx * fx + dy * fy + dz * fz;
    }
}
