package io.mdeas.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GradientNormsTest {

    private static void steps(GradientNorms w, int n, double norm) {
        for (int i = 0; i < n; i++) {
            assertFalse(w.outlier(norm + i % 3), "ordinary step " + i);
        }
    }

    @Test
    void quietForTheFirstStepsWhateverTheNorm() {
        GradientNorms w = new GradientNorms(100, 0);
        for (int i = 0; i < GradientNorms.QUIET_STEPS; i++) {
            assertFalse(w.outlier(i == 3 ? 1e10 : 10));
        }
    }

    @Test
    void flagsSession13sOutlierAndKeepsItOutOfTheReference() {
        GradientNorms w = new GradientNorms(100, 0);
        steps(w, 20, 10);
        assertTrue(w.outlier(2.8e10));
        assertEquals(11, w.median(), "median of 10, 11, 12 repeated");
        assertTrue(w.outlier(2.8e10), "an outlier does not become the new usual");
        assertFalse(w.outlier(900), "under 100 x the median");
    }

    @Test
    void aNormThatIsNotANumberIsFlagged() {
        GradientNorms w = new GradientNorms(100, 0);
        steps(w, 12, 10);
        assertTrue(w.outlier(Double.NaN));
        assertTrue(w.outlier(Double.POSITIVE_INFINITY));
    }

    @Test
    void aSlowRiseIsNotAnOutlier() {
        GradientNorms w = new GradientNorms(100, 0);
        double norm = 1;
        for (int i = 0; i < 500; i++, norm *= 1.02) {
            assertFalse(w.outlier(norm), "step " + i + " norm " + norm);
        }
    }

    @Test
    void summarisesEachEpochAndStartsTheNextAfresh() {
        GradientNorms w = new GradientNorms(100, 5);
        w.outlier(2);
        w.outlier(4);
        w.outlier(9);
        assertEquals("epoch 1 gradient norm: mean 5.000, largest 9.000; scaled down to 5.000 on 1 of 3 steps",
                w.endEpoch(1));
        w.outlier(1);
        assertEquals("epoch 2 gradient norm: mean 1.000, largest 1.000; scaled down to 5.000 on 0 of 1 steps",
                w.endEpoch(2));
        GradientNorms unlimited = new GradientNorms(100, 0);
        unlimited.outlier(3);
        assertEquals("epoch 1 gradient norm: mean 3.000, largest 3.000", unlimited.endEpoch(1));
    }

    @Test
    void nonFiniteNormsAreCountedAsDiscardedAndKeptOutOfTheMean() {
        GradientNorms w = new GradientNorms(100, 5);
        assertTrue(w.outlier(Double.NaN), "flagged even among the quiet first steps");
        w.outlier(4);
        assertTrue(w.outlier(Double.POSITIVE_INFINITY));
        w.outlier(6);
        assertEquals("epoch 1 gradient norm: mean 5.000, largest 6.000; scaled down to 5.000 on 1 of 4 steps; "
                + "2 of 4 steps discarded (not finite)", w.endEpoch(1));
        w.outlier(1);
        assertEquals("epoch 2 gradient norm: mean 1.000, largest 1.000; scaled down to 5.000 on 0 of 1 steps",
                w.endEpoch(2));
    }
}
