package io.mdeas.node.tracking;

/**
 * Tracking, hysteresis and event rules.
 *
 * @param confirmHits        an obstacle exists once seen in this many (M) of the last {@code confirmWindow} frames
 * @param confirmWindow      the window N for {@code confirmHits}
 * @param endAfterMissing    an obstacle ends after this many (K) consecutive frames without it
 * @param minIou             bounding-box IoU that associates a blob with a track
 * @param maxCentroidJump    failing IoU, a blob whose centroid is within this share of the frame diagonal associates
 * @param updateIntervalMs   obstacle_update events per obstacle at most this often
 * @param nearM              obstacle_near when an obstacle's distance falls below this (alert.near_m)
 * @param nearHysteresisM    it must rise above nearM + this before it can be "near" again
 * @param changeFrac         change_start when this share of pixels changed for {@code changeMinMs}; change_end when
 *                           below it for {@code changeMinMs}
 * @param changeMinMs        how long the changed share must stay above (or below) the threshold
 */
public record TrackerParams(int confirmHits, int confirmWindow, int endAfterMissing, double minIou,
                            double maxCentroidJump, long updateIntervalMs, double nearM, double nearHysteresisM,
                            double changeFrac, long changeMinMs) {
    public static final TrackerParams DEFAULTS = new TrackerParams(3, 5, 5, 0.1, 0.15, 1000, 0.5, 0.1, 0.02, 300);

    public TrackerParams {
        if (confirmHits < 1 || confirmWindow < confirmHits || confirmWindow > 63) {
            throw new IllegalArgumentException("tracker needs 1 <= confirm_hits <= confirm_window <= 63");
        }
        if (endAfterMissing < 1) {
            throw new IllegalArgumentException("tracker end_after_missing must be >= 1");
        }
        if (!(minIou > 0 && minIou <= 1) || !(maxCentroidJump >= 0)) {
            throw new IllegalArgumentException("tracker min_iou must be in (0, 1], max_centroid_jump >= 0");
        }
        if (updateIntervalMs < 0 || changeMinMs < 0 || !(nearM >= 0) || !(nearHysteresisM >= 0)
                || !(changeFrac > 0 && changeFrac < 1)) {
            throw new IllegalArgumentException("tracker intervals, near distance and change fraction out of range");
        }
    }
}
