package io.mdeas.model.eval;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Mog2BaselineTest {
    private static final int S = 64;

    /** A textured background with a bright square pasted in: MOG2 finds the square and little else. */
    @Test
    void findsThePastedSquareAndNothingOfTheBackground() throws Exception {
        Random rnd = new Random(7);
        float[] bg = new float[3 * S * S];
        for (int i = 0; i < bg.length; i++) {
            bg[i] = 0.3f + 0.02f * rnd.nextFloat();
        }
        float[] fg = bg.clone();
        for (int y = 20; y < 40; y++) {
            for (int x = 10; x < 30; x++) {
                fg[y * S + x] = 0.95f;
                fg[S * S + y * S + x] = 0.9f;
                fg[2 * S * S + y * S + x] = 0.1f;
            }
        }
        float[] mask = new float[S * S];
        float[] depth = new float[S * S];
        try (Mog2Baseline b = new Mog2Baseline(S, Mog2Baseline.DEFAULT_VAR_THRESHOLD)) {
            for (int round = 0; round < 2; round++) { // a second pair must not remember the first
                assertFalse(b.predict(bg, fg, S, depth, mask), "no depth");
                int tp = 0;
                int fp = 0;
                for (int y = 0; y < S; y++) {
                    for (int x = 0; x < S; x++) {
                        boolean truth = y >= 20 && y < 40 && x >= 10 && x < 30;
                        if (mask[y * S + x] > 0.5f) {
                            if (truth) {
                                tp++;
                            } else {
                                fp++;
                            }
                        }
                    }
                }
                assertTrue(tp > 0.9 * 400, "square found: " + tp);
                assertTrue(fp < 0.01 * S * S, "background kept: " + fp);
            }
            assertTrue(b.describe().contains("MOG2"));
        }
        assertThrows(IllegalArgumentException.class, () -> new Mog2Baseline(S, 0));
    }

    @Test
    void factoryNamesIt() throws Exception {
        try (DepthMaskPredictor p = PredictorFactory.standard().baseline("MOG2")) {
            assertEquals(PredictorFactory.BASELINE_SIZE, p.inputSize());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PredictorFactory.standard().baseline("knn"));
        assertTrue(e.getMessage().contains("absdiff, mog2"), e.getMessage());
    }
}
