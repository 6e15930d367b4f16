package io.mdeas.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GradientNormWatchTest {

    private static void steps(GradientNormWatch w, int n, double norm) {
        for (int i = 0; i < n; i++) {
            assertFalse(w.outlier(norm + i % 3), "ordinary step " + i);
        }
    }

    @Test
    void quietForTheFirstStepsWhateverTheNorm() {
        GradientNormWatch w = new GradientNormWatch(100);
        for (int i = 0; i < GradientNormWatch.QUIET_STEPS; i++) {
            assertFalse(w.outlier(i == 3 ? 1e10 : 10));
        }
    }

    @Test
    void flagsSession13sOutlierAndKeepsItOutOfTheReference() {
        GradientNormWatch w = new GradientNormWatch(100);
        steps(w, 20, 10);
        assertTrue(w.outlier(2.8e10));
        assertEquals(11, w.median(), "median of 10, 11, 12 repeated");
        assertTrue(w.outlier(2.8e10), "an outlier does not become the new usual");
        assertFalse(w.outlier(900), "under 100 x the median");
    }

    @Test
    void aNormThatIsNotANumberIsFlagged() {
        GradientNormWatch w = new GradientNormWatch(100);
        steps(w, 12, 10);
        assertTrue(w.outlier(Double.NaN));
        assertTrue(w.outlier(Double.POSITIVE_INFINITY));
    }

    @Test
    void aSlowRiseIsNotAnOutlier() {
        GradientNormWatch w = new GradientNormWatch(100);
        double norm = 1;
        for (int i = 0; i < 500; i++, norm *= 1.02) {
            assertFalse(w.outlier(norm), "step " + i + " norm " + norm);
        }
    }
}
