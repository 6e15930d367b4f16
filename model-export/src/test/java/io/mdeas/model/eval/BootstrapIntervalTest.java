package io.mdeas.model.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mdeas.model.eval.BootstrapInterval.Interval;
import io.mdeas.model.eval.BootstrapInterval.Statistic;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BootstrapIntervalTest {

    @Test
    void constantValuesHaveAZeroWidthInterval() {
        Interval i = BootstrapInterval.of(new double[] {0.7, 0.7, 0.7, 0.7}, Statistic.MEAN);
        assertEquals(0.7, i.estimate(), 1e-12);
        assertEquals(0.7, i.lo(), 1e-12);
        assertEquals(0.7, i.hi(), 1e-12);
        assertEquals(4, i.images());
    }

    @Test
    void meanIntervalMatchesTheNormalApproximation() {
        double[] v = new double[400];
        for (int k = 0; k < v.length; k++) {
            v[k] = k % 100; // mean 49.5, standard deviation 28.87
        }
        Interval i = BootstrapInterval.of(v, Statistic.MEAN);
        assertEquals(49.5, i.estimate(), 1e-9);
        double halfWidth = 1.96 * 28.87 / Math.sqrt(v.length);
        assertEquals(halfWidth, (i.hi() - i.lo()) / 2, 0.15 * halfWidth);
        assertTrue(i.lo() < 49.5 && 49.5 < i.hi());
    }

    @Test
    void medianSkipsImagesThatDidNotQualify() {
        Interval i = BootstrapInterval.of(new double[] {5, Double.NaN, 1, 3, Double.NaN, 100}, Statistic.MEDIAN);
        assertEquals(4, i.images());
        assertEquals(4.0, i.estimate(), 1e-12); // median of 1, 3, 5, 100
        assertNull(BootstrapInterval.of(new double[] {1, Double.NaN}, Statistic.MEDIAN), "one image is no interval");
    }

    @Test
    void pairingFindsASmallShiftThatTheSpreadOfImagesHides() {
        SplittableRandom random = new SplittableRandom(7);
        double[] a = new double[300];
        double[] b = new double[300];
        for (int k = 0; k < a.length; k++) {
            a[k] = random.nextDouble();              // images differ by up to 1
            b[k] = a[k] + 0.01 + 0.005 * (random.nextDouble() - 0.5); // the candidate is 0.01 better on each
        }
        Interval ia = BootstrapInterval.of(a, Statistic.MEAN);
        Interval ib = BootstrapInterval.of(b, Statistic.MEAN);
        assertTrue(ib.lo() < ia.hi(), "unpaired intervals overlap: " + ia + " " + ib);
        Interval d = BootstrapInterval.ofDifference(a, b, Statistic.MEAN).difference();
        assertEquals(0.01, d.estimate(), 0.001);
        assertTrue(d.excludesZero(), d.toString());
        assertFalse(BootstrapInterval.ofDifference(a, a, Statistic.MEAN).difference().excludesZero(), "a model is not better than itself");
    }

    @Test
    void resultsAreReproducible() {
        double[] v = {0.1, 0.4, 0.35, 0.8, 0.05, 0.6, 0.2};
        assertEquals(BootstrapInterval.of(v, Statistic.MEDIAN), BootstrapInterval.of(v, Statistic.MEDIAN));
    }
}
