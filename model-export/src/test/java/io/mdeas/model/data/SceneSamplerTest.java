package io.mdeas.model.data;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Invariants of random scenes: camera ranges, sample kinds in their proportions, everything inside the room. */
class SceneSamplerTest {

    @Test
    void scenesRespectTheCameraRangesKindSharesAndRoomBounds() {
        SceneSampler sampler = new SceneSampler();
        int n = 3000;
        int noForeground = 0;
        int unchanged = 0;
        int globalChange = 0;
        int jitter = 0;
        for (int i = 0; i < n; i++) {
            SampledScene s = sampler.sample(new SplittableRandom(DatasetGenerator.sampleSeed(11,
                    DatasetGenerator.Split.TRAIN, i)));
            Camera c = s.camera();
            Room room = s.scene().room();
            assertTrue(c.height() >= 0.05 && c.height() <= 0.40, "camera height " + c.height());
            assertTrue(c.pitchDeg() >= -20 && c.pitchDeg() <= 0, "pitch " + c.pitchDeg());
            assertTrue(c.hfovDeg() >= 55 && c.hfovDeg() <= 90, "hfov " + c.hfovDeg());
            assertTrue(room.contains(c.x(), c.height(), c.z()), "the camera stands in the room");
            for (Primitive p : s.scene().primitives) {
                assertTrue(room.contains(p.cx, Math.max(p.cy, 1e-3), p.cz), "primitive centre inside the room");
                double d = Math.sqrt((p.cx - c.x()) * (p.cx - c.x()) + (p.cy - c.height()) * (p.cy - c.height())
                        + (p.cz - c.z()) * (p.cz - c.z()));
                if (p.foreground) {
                    assertTrue(d > p.radius, "the camera is never inside a foreground object's bounds");
                }
            }
            switch (s.kind()) {
                case NO_FOREGROUND -> noForeground++;
                case UNCHANGED -> {
                    unchanged++;
                    assertTrue(!s.sensor().globalChange() && s.sensor().jitterX() == 0 && s.sensor().jitterY() == 0,
                            "an unchanged sample has no global change and no jitter");
                }
                default -> assertTrue(s.scene().foregroundObjects() <= 3, "at most three foreground objects");
            }
            if (s.sensor().globalChange()) {
                globalChange++;
            }
            if (s.sensor().jitterX() != 0 || s.sensor().jitterY() != 0) {
                jitter++;
            }
        }
        assertShare("no foreground", noForeground, n, 0.07, 0.13);
        assertShare("unchanged", unchanged, n, 0.02, 0.06);
        assertShare("global change", globalChange, n, 0.2, 0.35);
        assertShare("jitter", jitter, n, 0.15, 0.3);
    }

    private static void assertShare(String what, int count, int n, double lo, double hi) {
        double share = count / (double) n;
        assertTrue(share >= lo && share <= hi, what + " share " + share + " outside [" + lo + ", " + hi + "]");
    }
}
