package io.mdeas.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DepthEncodingTest {

    @Test
    void bothEncodingsRoundTripInsideTheirRange() {
        for (DepthEncoding e : DepthEncoding.values()) {
            for (float m : new float[] {0.06f, 0.3f, 1f, 2.5f, 7f, 9.99f}) {
                assertEquals(m, e.decode(e.encode(m, 10f), 10f), m * 1e-5, e + " at " + m + " m");
            }
        }
    }

    @Test
    void logSpendsEqualStepsOnEqualRatiosAndNeverDecodesBelowItsMinimum() {
        DepthEncoding log = DepthEncoding.LOG;
        float a = log.encode(0.5f, 10f) - log.encode(0.25f, 10f);
        float b = log.encode(8f, 10f) - log.encode(4f, 10f);
        assertEquals(a, b, 1e-6, "a doubling is the same step near and far");
        assertEquals(0.05f, log.decode(-3f, 10f), 1e-6, "an undershooting output reads as the 5 cm minimum");
        assertEquals(10f, log.decode(4f, 10f), 1e-5);
        assertEquals(0f, log.encode(0.01f, 10f), "closer than the minimum clips to 0");
        assertEquals(0f, DepthEncoding.LINEAR.decode(-0.2f, 10f), "linear undershoot reads as 0 m");
    }

    @Test
    void unknownNamesAreRefusedWithTheKnownOnes() {
        assertEquals(DepthEncoding.LOG, DepthEncoding.fromId("log"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DepthEncoding.fromId("inv"));
        assertEquals("unknown depth encoding 'inv'; known: linear, log", e.getMessage());
    }
}
