package io.mdeas.model.train;

import java.util.Arrays;

/**
 * Flags a training step whose gradient norm is far above the recent ones, so the run log names the step and its
 * samples. Session 13 saw one step of a check run reach a norm of ~3e10 against a usual 1–30, and an identical
 * rerun not repeat it: finding the source needs the batch that did it. The median of the last {@link #WINDOW}
 * ordinary norms is the reference (a few large steps do not move it); a flagged norm does not join them.
 */
final class GradientNormWatch {

    /** Ordinary norms kept as the reference. */
    static final int WINDOW = 50;
    /** Steps seen before anything is flagged: a run started from other weights begins with a transient. */
    static final int QUIET_STEPS = 10;

    private final double factor;
    private final double[] recent = new double[WINDOW];
    private final double[] sorted = new double[WINDOW];
    private int kept;
    private double median = Double.NaN;

    /** @param factor how many times the recent median counts as an outlier */
    GradientNormWatch(double factor) {
        this.factor = factor;
    }

    /** Records one step's norm; true when it is more than {@code factor} times the recent median (or not finite). */
    boolean outlier(double norm) {
        int n = Math.min(kept, WINDOW);
        boolean flagged = false;
        if (n >= QUIET_STEPS) {
            System.arraycopy(recent, 0, sorted, 0, n);
            Arrays.sort(sorted, 0, n);
            median = sorted[n / 2];
            flagged = !(norm <= factor * median);
        }
        if (!flagged) {
            recent[kept % WINDOW] = norm;
            kept++;
        }
        return flagged;
    }

    /** The median the last {@link #outlier} call compared with (NaN until {@link #QUIET_STEPS} steps were seen). */
    double median() {
        return median;
    }
}
