package io.mdeas.node.capture;

import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.bytedeco.opencv.global.opencv_core.mean;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DemoSourceTest {
    @TempDir
    Path dir;

    @Test
    void theClipLoopsLikeACameraThatNeverStops() throws Exception {
        Path clip = FrameCaptureTest.recordVideo(dir.resolve("short.mp4"), 5, 32, 32);
        try (DemoSource demo = new DemoSource(clip); Mat frame = new Mat()) {
            assertTrue(demo.live() && !demo.selfPaced(), "paced by the capture loop, hands off latest-wins");
            demo.open();
            double[] greys = new double[12];
            for (int i = 0; i < 12; i++) {
                assertTrue(demo.read(frame));
                greys[i] = mean(frame).get(0);
            }
            assertEquals(2, demo.loops());
            assertEquals(greys[0], greys[5], 1.0, "frame 5 is frame 0 again");
            assertEquals(greys[4], greys[9], 1.0);
            assertEquals(10.0, demo.fps(), 0.01);
        }
    }

    @Test
    void theBundledClipIsThereAndDecodes() throws Exception {
        try (DemoSource demo = new DemoSource(); Mat frame = new Mat()) {
            demo.open();
            assertTrue(demo.read(frame));
            assertEquals(320, frame.cols());
            assertEquals(240, frame.rows());
            assertEquals(3, frame.channels());
        }
    }
}
