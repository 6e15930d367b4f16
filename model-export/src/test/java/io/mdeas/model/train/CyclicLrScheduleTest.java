package io.mdeas.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CyclicLrScheduleTest {

    private final CyclicLrSchedule s = CyclicLrSchedule.original();

    @Test
    void warmsUpLinearlyFromMinToMax() {
        assertEquals(1e-5, s.lr(0), 1e-12);
        assertEquals(1e-5 + (1e-3 - 1e-5) * 0.5, s.lr(2.5), 1e-12);
        assertEquals(1e-3, s.lr(5), 1e-12);
    }

    @Test
    void cyclesDownThenUpOverEdges() {
        assertEquals(1e-5 + (1e-3 - 1e-5) * 0.5, s.lr(7.5), 1e-12);
        assertEquals(1e-5, s.lr(10), 1e-12);
        assertEquals(1e-3, s.lr(15), 1e-12);
        assertEquals(1e-5, s.lr(30), 1e-12);
        assertEquals(1e-5 + (1e-3 - 1e-5) * 0.8, s.lr(34), 1e-12);
    }

    @Test
    void dividesByTenAtEveryEdgeAfterTheCycles() {
        assertEquals(1e-4, s.lr(35), 1e-15);
        assertEquals(1e-4, s.lr(39.9), 1e-15);
        assertEquals(1e-5, s.lr(40), 1e-15);
        assertEquals(1e-6, s.lr(45), 1e-16);
    }

    @Test
    void withoutWarmUpStartsAtMax() {
        CyclicLrSchedule noWarm = new CyclicLrSchedule(1e-4, 1e-2, 0, 1, 2, 10);
        assertEquals(1e-2, noWarm.lr(0), 1e-12);
        assertEquals(1e-4, noWarm.lr(2), 1e-12);
        assertEquals(1e-3, noWarm.lr(4), 1e-12);
    }

    @Test
    void rejectsInvertedRates() {
        assertThrows(IllegalArgumentException.class, () -> new CyclicLrSchedule(1e-3, 1e-5, 5, 3, 5, 10));
    }
}
