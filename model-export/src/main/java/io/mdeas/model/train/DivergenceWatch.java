package io.mdeas.model.train;

import java.util.Locale;

/**
 * Notices a run that has diverged, before it overwrites {@code latest/}: the mean loss of the last {@link #WINDOW}
 * steps above {@code factor} times the lowest epoch-mean loss of this session. Unattended, time-boxed runs need it:
 * measured in session 8, a frozen-BatchNorm fine-tune at 1e-4 went from a loss of 0.27 to 1.9 within 40 steps and its
 * next 10-minute save would have replaced the last good checkpoint with the diverged one. Until the session's
 * first epoch ends there is no reference (a run started from other weights begins with a transient several times
 * its later loss), so the watch stays quiet then.
 */
final class DivergenceWatch {

    /** Steps averaged: long enough to ride out one bad batch, short enough to stop within a few dozen steps. */
    static final int WINDOW = 10;

    private final double factor;
    private final double[] recent = new double[WINDOW];
    private int seen;
    private double sum;
    private double bestEpochMean = Double.NaN;

    /** @param factor how many times the best epoch mean counts as diverged; 0 or less turns the watch off */
    DivergenceWatch(double factor) {
        this.factor = factor;
    }

    /** Records one step's loss. */
    void step(double loss) {
        int slot = seen % WINDOW;
        if (seen >= WINDOW) {
            sum -= recent[slot];
        }
        recent[slot] = loss;
        sum += loss;
        seen++;
    }

    /** Records a finished epoch's mean loss (the reference is the lowest). */
    void epochMean(double mean) {
        if (Double.isFinite(mean) && !(mean >= bestEpochMean)) {
            bestEpochMean = mean;
        }
    }

    /** True once the last {@link #WINDOW} steps average more than {@code factor} times the best epoch mean. */
    boolean diverged() {
        return factor > 0 && seen >= WINDOW && !Double.isNaN(bestEpochMean) && recentMean() > factor * bestEpochMean;
    }

    /** What was seen, for the stop reason. */
    String describe() {
        return String.format(Locale.ROOT, "loss over the last %d steps averaged %.4f, %.1fx the best epoch mean %.4f",
                WINDOW, recentMean(), recentMean() / bestEpochMean, bestEpochMean);
    }

    private double recentMean() {
        return sum / Math.min(seen, WINDOW);
    }
}
