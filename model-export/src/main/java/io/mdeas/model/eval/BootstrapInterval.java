package io.mdeas.model.eval;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * 95 % percentile-bootstrap intervals of a statistic over images, and of the difference between two models on the
 * same images (paired: each resample draws the same images for both, so what the images have in common cancels).
 * A fixed seed makes every report reproducible. Images whose value is {@code NaN} (did not qualify) are left out;
 * for a paired difference, images where either model's value is {@code NaN}.
 */
public final class BootstrapInterval {

    /** Resamples per interval: enough for stable 2.5/97.5 percentiles at the 4 digits reports print. */
    public static final int RESAMPLES = 2000;
    private static final long SEED = 0x6d64656173L;

    private BootstrapInterval() {
    }

    /** How a metric summarises its images. */
    public enum Statistic {
        MEAN, MEDIAN;

        /** The statistic of the first {@code n} values (MEDIAN sorts them in place). */
        public double of(double[] v, int n) {
            if (this == MEAN) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += v[i];
                }
                return s / n;
            }
            Arrays.sort(v, 0, n);
            return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
        }
    }

    /**
     * A statistic, or a difference of two, with its 95 % interval.
     *
     * @param estimate the statistic on the images themselves
     * @param lo       2.5th percentile over the resamples
     * @param hi       97.5th percentile over the resamples
     * @param images   images (pairs) it rests on
     */
    public record Interval(double estimate, double lo, double hi, int images) {
        /** Whether the interval excludes 0: for a difference, the two models differ beyond resampling noise. */
        public boolean excludesZero() {
            return lo > 0 || hi < 0;
        }
    }

    /**
     * Two models on the same images: each one's statistic over the images where both qualify, and the interval of
     * the difference {@code candidate - base}.
     */
    public record Paired(double base, double candidate, Interval difference) {
    }

    /** The interval of {@code statistic} over the non-NaN {@code values}; null with fewer than 2 of them. */
    public static Interval of(double[] values, Statistic statistic) {
        Paired p = ofDifference(null, values, statistic);
        return p == null ? null : p.difference();
    }

    /**
     * {@code statistic} of {@code a} and of {@code b} over the images where both are non-NaN, with the interval of
     * {@code statistic(b) - statistic(a)}; null with fewer than 2 such images. {@code a} may be null: then the
     * interval of {@code statistic(b)} itself (base 0).
     */
    public static Paired ofDifference(double[] a, double[] b, Statistic statistic) {
        if (a != null && a.length != b.length) {
            throw new IllegalArgumentException("paired values need the same images, got " + a.length + " and "
                    + b.length);
        }
        int[] use = new int[b.length];
        int n = 0;
        for (int i = 0; i < b.length; i++) {
            if (!Double.isNaN(b[i]) && (a == null || !Double.isNaN(a[i]))) {
                use[n++] = i;
            }
        }
        if (n < 2) {
            return null;
        }
        double[] sa = new double[n];
        double[] sb = new double[n];
        double candidate = statistic(null, b, use, n, statistic, sa, sb);
        double base = a == null ? 0 : statistic(null, a, use, n, statistic, sa, sb);
        double[] stats = new double[RESAMPLES];
        int[] draw = new int[n];
        SplittableRandom random = new SplittableRandom(SEED);
        for (int r = 0; r < RESAMPLES; r++) {
            for (int i = 0; i < n; i++) {
                draw[i] = use[random.nextInt(n)];
            }
            stats[r] = statistic(a, b, draw, n, statistic, sa, sb);
        }
        Arrays.sort(stats);
        return new Paired(base, candidate,
                new Interval(candidate - base, percentile(stats, 0.025), percentile(stats, 0.975), n));
    }

    private static double statistic(double[] a, double[] b, int[] rows, int n, Statistic statistic, double[] sa,
                                    double[] sb) {
        for (int i = 0; i < n; i++) {
            sb[i] = b[rows[i]];
            if (a != null) {
                sa[i] = a[rows[i]];
            }
        }
        double vb = statistic.of(sb, n);
        return a == null ? vb : vb - statistic.of(sa, n);
    }

    private static double percentile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
