package io.mdeas.model.train;

import java.util.Arrays;
import java.util.Locale;

/**
 * The training loop's record of each step's global gradient norm: an epoch summary (mean, largest, how often
 * {@code --max-grad-norm} scaled) to choose the limit from, and outliers flagged so the run log names the step
 * and its samples. Session 13 saw one step of a check run reach a norm of ~3e10 against a usual 1–30, and an
 * identical rerun not repeat it: finding the source needs the batch that did it. The outlier reference is the
 * median of the last {@link #WINDOW} ordinary norms (a few large steps do not move it); a flagged norm does not
 * join them. A norm that is not finite is always flagged and kept out of the epoch's mean and largest: the loop
 * discards that step's gradients instead of updating.
 */
final class GradientNorms {

    /** How many times the recent median the training loop flags as an outlier. */
    static final double OUTLIER_FACTOR = 100;
    /** Ordinary norms kept as the outlier reference. */
    static final int WINDOW = 50;
    /** Steps seen before anything is flagged: a run started from other weights begins with a transient. */
    static final int QUIET_STEPS = 10;

    private final double factor;
    private final double limit;
    private final double[] recent = new double[WINDOW];
    private final double[] sorted = new double[WINDOW];
    private int kept;
    private double median = Double.NaN;
    private double epochSum;
    private double epochLargest;
    private long epochSteps;
    private long epochScaled;
    private long epochDiscarded;

    /**
     * @param factor how many times the recent median counts as an outlier
     * @param limit the run's {@code --max-grad-norm} (0 = off), for the count of scaled steps
     */
    GradientNorms(double factor, double limit) {
        this.factor = factor;
        this.limit = limit;
    }

    /** Records one step's norm; true when it is more than {@code factor} times the recent median (or not finite). */
    boolean outlier(double norm) {
        epochSteps++;
        if (!Double.isFinite(norm)) {
            epochDiscarded++;
            return true;
        }
        epochSum += norm;
        epochLargest = Math.max(epochLargest, norm);
        if (Adam.scales(norm, limit)) {
            epochScaled++;
        }
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

    /** The finished epoch's summary line; starts the next epoch's. */
    String endEpoch(long epoch) {
        long finite = epochSteps - epochDiscarded;
        String line = String.format(Locale.ROOT, "epoch %d gradient norm: mean %.4g, largest %.4g", epoch,
                epochSum / Math.max(1, finite), epochLargest);
        if (limit > 0) {
            line += String.format(Locale.ROOT, "; scaled down to %.4g on %d of %d steps", limit, epochScaled,
                    epochSteps);
        }
        if (epochDiscarded > 0) {
            line += String.format(Locale.ROOT, "; %d of %d steps discarded (not finite)", epochDiscarded, epochSteps);
        }
        epochSum = 0;
        epochLargest = 0;
        epochSteps = 0;
        epochScaled = 0;
        epochDiscarded = 0;
        return line;
    }
}
