package io.mdeas.node.pipeline;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

/**
 * Frames for the tiny test model ({@code depth = 5 - 4 * grey}): a uniform background at grey 64 (depth ≈ 4 m)
 * and a bright square (grey 223, depth ≈ 1.5 m) that comes and goes.
 */
final class SyntheticScene {
    static final int WIDTH = 160;
    static final int HEIGHT = 120;
    static final int BACKGROUND = 64;
    static final int OBJECT = 223;
    static final float DEPTH_SCALE = -4f;
    static final float DEPTH_OFFSET = 5f;

    static double depthOf(int grey) {
        return DEPTH_OFFSET + DEPTH_SCALE * grey / 255.0;
    }

    /** The square on the left half, upper part (above the horizon of a level camera). */
    static final Rect OBJECT_BOX = new Rect(20, 20, 40, 36);

    static Mat frame(boolean withObject) {
        Mat m = new Mat(HEIGHT, WIDTH, CV_8UC3, new Scalar(BACKGROUND, BACKGROUND, BACKGROUND, 0));
        if (withObject) {
            try (Mat roi = new Mat(m, OBJECT_BOX)) {
                roi.put(new Scalar(OBJECT, OBJECT, OBJECT, 0));
            }
        }
        return m;
    }

    private SyntheticScene() {}
}
