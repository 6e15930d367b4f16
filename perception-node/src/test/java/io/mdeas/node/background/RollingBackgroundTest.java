package io.mdeas.node.background;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.mean;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RollingBackgroundTest {
    static final int S = 32;
    @TempDir
    Path dir;

    static Mat grey(int level) {
        return new Mat(S, S, CV_8UC3, new Scalar(level, level, level, 0));
    }

    static Mat noise(long seed) {
        Mat m = new Mat(S, S, CV_8UC3);
        byte[] px = new byte[S * S * 3];
        new java.util.Random(seed).nextBytes(px);
        m.data().put(px);
        return m;
    }

    static double meanOf(Mat m) {
        return mean(m).get(0);
    }

    static double meanOf(Mat m, Rect r) {
        try (Mat roi = new Mat(m, r)) {
            return mean(roi).get(0);
        }
    }

    /** Brings a background to STABLE on a uniform grey scene. */
    static RollingBackground stableOn(int level) {
        RollingBackground bg = new RollingBackground(BackgroundParams.DEFAULTS, S);
        try (Mat f = grey(level)) {
            for (int i = 0; i < 10 && bg.state() != BackgroundState.STABLE; i++) {
                bg.observe(f, 1000 + i * 100L);
            }
        }
        assertEquals(BackgroundState.STABLE, bg.state());
        return bg;
    }

    @Test
    void initialisesOnlyOnceTheSceneIsQuiet() {
        try (RollingBackground bg = new RollingBackground(BackgroundParams.DEFAULTS, S)) {
            for (int i = 0; i < 8; i++) {
                try (Mat n = noise(i)) {
                    assertEquals(BackgroundState.INITIALISING, bg.observe(n, i * 100L), "busy scene, frame " + i);
                }
            }
            try (Mat f = grey(90)) {
                // The first still frame still differs from the last busy one; then five quiet frames are needed.
                for (int i = 0; i < 5; i++) {
                    assertEquals(BackgroundState.INITIALISING, bg.observe(f, 1000 + i * 100L));
                }
                assertEquals(BackgroundState.STABLE, bg.observe(f, 1500));
            }
            assertEquals(90, meanOf(bg.image()), 1e-6);
            assertEquals(0.0, bg.status(1500).ageS(), 1e-9);
            assertEquals(2.5, bg.status(4000).ageS(), 1e-9);
        }
    }

    @Test
    void blendsOnlyOutsideTheMask() {
        try (RollingBackground bg = stableOn(100);
             Mat frame = grey(106);
             Mat mask = new Mat(S, S, CV_32FC1, new Scalar(0));
             Rect object = new Rect(8, 8, 10, 10);
             Rect free = new Rect(20, 20, 10, 10)) {
            // An object (mask = 1) that is bright in the frame, over a scene that slowly brightens by 6 levels.
            try (Mat roi = new Mat(frame, object); Mat mroi = new Mat(mask, object)) {
                roi.put(new Scalar(250, 250, 250, 0));
                mroi.put(new Scalar(1));
            }
            for (int i = 0; i < 200; i++) {
                assertEquals(BackgroundState.STABLE, bg.observe(frame, 2000 + i * 100L));
                bg.blendOutside(frame, mask);
            }
            assertEquals(106, meanOf(bg.image(), free), 0.2, "unmasked pixels follow the scene");
            assertEquals(100, meanOf(bg.image(), object), 1e-6, "masked pixels are not absorbed");
        }
    }

    @Test
    void aGlobalChangeReinitialisesTheBackground() {
        try (RollingBackground bg = stableOn(60); Mat lit = grey(200)) {
            for (int i = 0; i < 4; i++) {
                assertEquals(BackgroundState.STABLE, bg.observe(lit, 5000 + i * 100L), "not yet: frame " + i);
            }
            assertEquals(BackgroundState.INITIALISING, bg.observe(lit, 5400));
            assertEquals("global change", bg.status(5400).reason());
            assertEquals(1, bg.status(5400).resets());
            for (int i = 0; i < 5; i++) {
                bg.observe(lit, 5500 + i * 100L);
            }
            assertEquals(BackgroundState.STABLE, bg.state());
            assertEquals(200, meanOf(bg.image()), 1e-6);
        }
    }

    @Test
    void aShortChangeDoesNotReinitialise() {
        try (RollingBackground bg = stableOn(60); Mat lit = grey(200); Mat dark = grey(60)) {
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 4; i++) {
                    bg.observe(lit, 5000 + i * 100L);
                }
                bg.observe(dark, 6000);
            }
            assertEquals(BackgroundState.STABLE, bg.state());
            assertEquals(0, bg.status(7000).resets());
        }
    }

    @Test
    void aPixelChangesWhenAnyColourChannelMovesBeyondTheThreshold() {
        try (RollingBackground bg = stableOn(100);
             Mat allChannels20 = new Mat(S, S, CV_8UC3, new Scalar(120, 120, 120, 0));
             Mat redOnly30 = new Mat(S, S, CV_8UC3, new Scalar(100, 100, 130, 0))) {
            for (int i = 0; i < 10; i++) {
                assertEquals(BackgroundState.STABLE, bg.observe(allChannels20, 3000 + i * 100L), "20 levels < 25");
            }
            for (int i = 0; i < 5; i++) {
                bg.observe(redOnly30, 4000 + i * 100L);
            }
            assertEquals(BackgroundState.INITIALISING, bg.state(), "30 levels in one channel is a change");
        }
    }

    @Test
    void resetCommandAndMotionHint() {
        try (RollingBackground bg = stableOn(60); Mat f = grey(70); Mat g = grey(140)) {
            bg.requestReset();
            assertEquals(BackgroundState.INITIALISING, bg.observe(f, 3000));
            assertEquals("reset command", bg.status(3000).reason());
            for (int i = 0; i < 5; i++) {
                bg.observe(f, 3100 + i * 100L);
            }
            assertEquals(BackgroundState.STABLE, bg.state());

            bg.setMoving(true);
            assertEquals(BackgroundState.DEPTH_ONLY, bg.observe(g, 4000));
            assertEquals(140, meanOf(bg.image()), 1e-6, "depth only: background := current frame");
            assertTrue(!bg.state().detectsChange());
            bg.setMoving(false);
            assertEquals(BackgroundState.INITIALISING, bg.observe(g, 5000));
            for (int i = 0; i < 5; i++) {
                bg.observe(g, 5100 + i * 100L);
            }
            assertEquals(BackgroundState.STABLE, bg.state());
        }
    }

    @Test
    void startsFromAPng() throws IOException {
        Path png = dir.resolve("bg.png");
        try (Mat big = new Mat(48, 64, CV_8UC3, new Scalar(10, 20, 30, 0))) {
            imwrite(png.toString(), big);
        }
        try (RollingBackground bg = new RollingBackground(BackgroundParams.DEFAULTS, S)) {
            bg.initialiseFrom(png);
            assertEquals(BackgroundState.STABLE, bg.state());
            assertEquals(S, bg.image().cols());
            assertEquals(10, mean(bg.image()).get(0), 1e-6);
            assertEquals(30, mean(bg.image()).get(2), 1e-6);
            IOException e = assertThrows(IOException.class, () -> bg.initialiseFrom(dir.resolve("none.png")));
            assertTrue(e.getMessage().contains("none.png"));
        }
    }
}
