package io.mdeas.model.data;

import java.util.Locale;

/**
 * The camera mounts a dataset draws from: height above the floor, pitch (negative looks down) and horizontal field
 * of view, each uniform in [min, max], and the sensor's aspect ratio (width / height; a non-square sensor is rendered
 * squashed to the square image, as the node squashes camera frames to the model's input; see {@link Camera}).
 *
 * <p>Metric depth from one image is only defined up to the camera's height and focal length: a set that mixes
 * mounts from 5 to 40 cm high and 55° to 90° wide asks the network to guess them. A robot's camera is fixed, so the
 * model it ships is trained on its mount with a little jitter; {@link #ANY_FLOOR_ROBOT} is the generic range.
 */
public record MountRange(double minHeightM, double maxHeightM, double minPitchDeg, double maxPitchDeg,
        double minHfovDeg, double maxHfovDeg, double sensorAspect) {

    /** Any small floor robot: 0.05–0.40 m high, pitch −20° to 0°, hfov 55°–90°, square images. */
    public static final MountRange ANY_FLOOR_ROBOT = new MountRange(0.05, 0.40, -20, 0, 55, 90, 1);

    public MountRange {
        if (!(sensorAspect >= 0.25 && sensorAspect <= 4)) {
            throw new IllegalArgumentException("sensor aspect must be in [0.25, 4], got " + sensorAspect);
        }
        check("camera height", minHeightM, maxHeightM, 0.01, 3);
        check("pitch", minPitchDeg, maxPitchDeg, -80, 80);
        check("hfov", minHfovDeg, maxHfovDeg, 10, 170);
    }

    /** Parses an aspect ratio written {@code W:H} (e.g. 4:3) or as a number. */
    public static double parseAspect(String text) {
        double[] r = parseRange("--sensor-aspect", text);
        double a = text.contains(":") ? r[0] / r[1] : r[0];
        if (!(a > 0) || Double.isInfinite(a)) {
            throw new IllegalArgumentException("--sensor-aspect must be W:H or a positive number, got '" + text + "'");
        }
        return a;
    }

    /** Parses {@code MIN:MAX} (or a single value) for the option {@code name}. */
    public static double[] parseRange(String name, String text) {
        String[] parts = text.trim().split(":", -1);
        try {
            if (parts.length == 1) {
                double v = Double.parseDouble(parts[0]);
                return new double[] {v, v};
            }
            if (parts.length == 2) {
                return new double[] {Double.parseDouble(parts[0]), Double.parseDouble(parts[1])};
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be MIN:MAX or one number, got '" + text + "'");
    }

    private static void check(String name, double min, double max, double lo, double hi) {
        if (!(min <= max) || min < lo || max > hi) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s range %.3g:%.3g must have min <= max within [%.3g, %.3g]", name, min, max, lo, hi));
        }
    }
}
