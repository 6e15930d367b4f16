package io.mdeas.node.inference;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

import static org.bytedeco.opencv.global.opencv_core.CV_32FC3;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.junit.jupiter.api.Assertions.assertEquals;

class NchwWriterTest {

    @Test
    void writesRgbPlanesInUnitRangeStraightIntoTheBuffer() {
        int s = 8;
        FloatBuffer buf = ByteBuffer.allocateDirect(3 * s * s * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        try (NchwWriter writer = new NchwWriter(s, buf);
             Mat bgr = new Mat(24, 32, CV_8UC3, new Scalar(51, 102, 255, 0))) {
            writer.write(bgr); // B=51, G=102, R=255, resized 32x24 → 8x8
            assertEquals(1.0f, buf.get(0), 1e-6);               // R plane
            assertEquals(0.4f, buf.get(s * s + 5), 1e-6);       // G plane
            assertEquals(0.2f, buf.get(2 * s * s + s * s - 1), 1e-6); // B plane

            // A second write (float input, same size: no resize) overwrites the same memory.
            try (Mat f = new Mat(s, s, CV_32FC3, new Scalar(0, 255, 0, 0))) {
                writer.write(f);
            }
            assertEquals(0f, buf.get(3), 1e-6);
            assertEquals(1f, buf.get(s * s + 3), 1e-6);
            assertEquals(0f, buf.get(2 * s * s + 3), 1e-6);
        }
    }
}
