package io.mdeas.node.analysis;

/**
 * How the camera sits on the robot: a pinhole with square pixels at {@code heightM} above a flat floor,
 * pitched by {@code pitchDeg} (negative = looking down), seeing {@code hfovDeg} across the image width.
 */
public record CameraMount(double heightM, double pitchDeg, double hfovDeg) {
    /** The mount of the bundled demo clip (src/main/resources/demo/camera.json). */
    public static final CameraMount DEFAULTS = new CameraMount(0.15, -8.0, 70.0);

    public CameraMount {
        if (!(heightM > 0)) {
            throw new IllegalArgumentException("camera height_m must be > 0, got " + heightM);
        }
        if (!(pitchDeg > -89 && pitchDeg < 89)) {
            throw new IllegalArgumentException("camera pitch_deg must be in (-89, 89), got " + pitchDeg);
        }
        if (!(hfovDeg > 1 && hfovDeg < 179)) {
            throw new IllegalArgumentException("camera hfov_deg must be in (1, 179), got " + hfovDeg);
        }
    }
}
