package io.mdeas.node.inference;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The camera mounts a model was trained for ({@code mdeas.mount.camera_height_m}, {@code mdeas.mount.pitch_deg},
 * {@code mdeas.mount.hfov_deg}, each "min:max"). A monocular model learns metric depth for the camera heights and
 * fields of view it saw: on a camera mounted twice as high its distances come out about half as large. Ranges the
 * model does not state are null and never checked.
 */
public record TrainingMounts(double[] heightM, double[] pitchDeg, double[] hfovDeg) {

    /** Slack before a mount counts as outside: 10 % of the height, 2° of pitch or field of view. */
    static final double HEIGHT_SLACK = 0.10;
    static final double ANGLE_SLACK_DEG = 2.0;

    /** The ranges in a model's metadata; malformed entries are reported in {@code problems} and left out. */
    public static TrainingMounts fromMetadata(Map<String, String> meta, List<String> problems) {
        return new TrainingMounts(range(meta, "mdeas.mount.camera_height_m", problems),
                range(meta, "mdeas.mount.pitch_deg", problems), range(meta, "mdeas.mount.hfov_deg", problems));
    }

    /** True when the model states at least one range. */
    public boolean known() {
        return heightM != null || pitchDeg != null || hfovDeg != null;
    }

    /** What of a camera mount lies outside the trained ranges, as readable phrases (empty when it fits). */
    public List<String> misfits(double cameraHeightM, double cameraPitchDeg, double cameraHfovDeg) {
        List<String> out = new ArrayList<>();
        misfit(out, "camera.height_m", cameraHeightM, heightM, heightM == null ? 0 : heightM[0] * HEIGHT_SLACK,
                heightM == null ? 0 : heightM[1] * HEIGHT_SLACK);
        misfit(out, "camera.pitch_deg", cameraPitchDeg, pitchDeg, ANGLE_SLACK_DEG, ANGLE_SLACK_DEG);
        misfit(out, "camera.hfov_deg", cameraHfovDeg, hfovDeg, ANGLE_SLACK_DEG, ANGLE_SLACK_DEG);
        return out;
    }

    /** Adds "KEY value not in min:max" when a stated range, widened by the slack below and above, misses value. */
    private static void misfit(List<String> out, String key, double value, double[] range, double slackBelow,
            double slackAbove) {
        if (range != null && (value < range[0] - slackBelow || value > range[1] + slackAbove)) {
            out.add(String.format(Locale.ROOT, "%s %.3g not in %.3g:%.3g", key, value, range[0], range[1]));
        }
    }

    private static double[] range(Map<String, String> meta, String key, List<String> problems) {
        String v = meta.get(key);
        if (v == null || v.isBlank()) {
            return null;
        }
        String[] parts = v.trim().split(":");
        try {
            if (parts.length == 2) {
                double lo = Double.parseDouble(parts[0]);
                double hi = Double.parseDouble(parts[1]);
                if (lo <= hi) {
                    return new double[] {lo, hi};
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(key + " = '" + v + "' is not MIN:MAX; the model's " + key.substring("mdeas.mount.".length())
                + " range is not checked");
        return null;
    }
}
