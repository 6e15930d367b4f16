package io.mdeas.model.train;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DivergenceWatchTest {

    private static void steps(DivergenceWatch w, int n, double loss) {
        for (int i = 0; i < n; i++) {
            w.step(loss);
        }
    }

    @Test
    void quietBeforeTheFirstEpochEndsWhateverTheLoss() {
        DivergenceWatch w = new DivergenceWatch(3);
        steps(w, 50, 100);
        assertFalse(w.diverged(), "a run started from other weights begins with a large transient");
    }

    @Test
    void aRunawayLossTripsWithinAFewStepsAndOneBadBatchDoesNot() {
        DivergenceWatch w = new DivergenceWatch(3);
        steps(w, 250, 0.3);
        w.epochMean(0.3);
        w.epochMean(0.27);
        w.epochMean(0.29);
        w.step(1.9);
        assertFalse(w.diverged(), "one bad batch: (9 x 0.3 + 1.9) / 10 = 0.46 < 0.81");
        steps(w, 10, 0.3);
        assertFalse(w.diverged());
        steps(w, 3, 1.9);
        assertFalse(w.diverged(), "(3 x 1.9 + 7 x 0.3) / 10 = 0.78: just under 3 x 0.27");
        w.step(1.9);
        assertTrue(w.diverged(), "(4 x 1.9 + 6 x 0.3) / 10 = 0.94: above 3 x the best epoch mean");
        assertTrue(w.describe().contains("the best epoch mean 0.2700"), w.describe());
    }

    @Test
    void offAtZero() {
        DivergenceWatch w = new DivergenceWatch(0);
        w.epochMean(0.3);
        steps(w, 20, 1e6);
        assertFalse(w.diverged());
    }
}
