package io.mdeas.model.train;

/**
 * The original MDEAS learning-rate shape as a pure function of the (fractional) epoch {@code e}:
 *
 * <pre>
 * warm-up   0 ≤ e &lt; W:            linear lrMin → lrMax
 * cycles    W ≤ e &lt; W + 2·C·E:    C triangles, each lrMax → lrMin over E epochs (down edge),
 *                                 then lrMin → lrMax over E epochs (up edge)
 * decay     e ≥ W + 2·C·E:         lrMax / factor^k, k = 1 + floor((e − W − 2·C·E) / E)
 *                                 (divided by {@code factor} at every further edge)
 * </pre>
 *
 * with W = {@code warmupEpochs}, C = {@code cycles}, E = {@code edgeEpochs}. Defaults: lrMin 1e-5, lrMax 1e-3,
 * W 5, C 3, E 5, factor 10: lrMax at epoch 5, lrMin at 10, lrMax at 15, …, lrMax at 35, then 1e-4 from 35,
 * 1e-5 from 40, 1e-6 from 45. An "epoch" is whatever the trainer says ({@code --epoch-samples} images), so a
 * short run can keep the shape.
 *
 * @param lrMin lowest rate of the cycles (and the warm-up start)
 * @param lrMax highest rate
 * @param warmupEpochs length of the linear warm-up (0 for none)
 * @param cycles number of triangles
 * @param edgeEpochs length of one edge (half a triangle), and of one decay step
 * @param decayFactor divisor applied at every edge after the cycles
 */
public record CyclicLrSchedule(
        double lrMin, double lrMax, double warmupEpochs, int cycles, double edgeEpochs, double decayFactor) {

    public CyclicLrSchedule {
        if (!(lrMin > 0 && lrMax >= lrMin)) {
            throw new IllegalArgumentException("learning rates need 0 < lr-min <= lr-max, got " + lrMin + ", " + lrMax);
        }
        if (warmupEpochs < 0 || cycles < 0 || !(edgeEpochs > 0) || !(decayFactor >= 1)) {
            throw new IllegalArgumentException("schedule needs warm-up >= 0, cycles >= 0, edge > 0, decay >= 1");
        }
    }

    /** The original MDEAS settings. */
    public static CyclicLrSchedule original() {
        return new CyclicLrSchedule(1e-5, 1e-3, 5, 3, 5, 10);
    }

    /** Learning rate at fractional epoch {@code epoch} (negative counts as 0). */
    public double lr(double epoch) {
        double e = Math.max(0, epoch);
        if (e < warmupEpochs) {
            return lrMin + (lrMax - lrMin) * e / warmupEpochs;
        }
        double t = e - warmupEpochs;
        double cyclesEnd = 2.0 * cycles * edgeEpochs;
        if (t < cyclesEnd) {
            double p = t % (2 * edgeEpochs);
            if (p < edgeEpochs) {
                return lrMax - (lrMax - lrMin) * p / edgeEpochs;
            }
            return lrMin + (lrMax - lrMin) * (p - edgeEpochs) / edgeEpochs;
        }
        long k = 1 + (long) Math.floor((t - cyclesEnd) / edgeEpochs);
        return lrMax / Math.pow(decayFactor, k);
    }
}
