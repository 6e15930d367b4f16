package io.mdeas.model.eval;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_video.BackgroundSubtractorMOG2;

import java.nio.ByteBuffer;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_video.createBackgroundSubtractorMOG2;

/**
 * OpenCV's {@code BackgroundSubtractorMOG2} as a change-detection baseline: for each pair, the mixture model is
 * learnt from bg alone (learning rate 1, which reinitialises it from that image), then fg_bg is classified without
 * learning. Foreground is MOG2's 255; its shadow label (127) counts as background, since a cast shadow is not an
 * obstacle. It predicts no depth. With one background image the model has a single Gaussian per pixel, so this
 * measures MOG2 at its very start, the situation of a node that just learnt its room.
 */
public final class Mog2Baseline implements DepthMaskPredictor {
    /** OpenCV's default squared Mahalanobis distance threshold. */
    public static final double DEFAULT_VAR_THRESHOLD = 16;

    private final int size;
    private final double varThreshold;
    private final BackgroundSubtractorMOG2 mog2;
    private final Mat bgImage;
    private final Mat fgImage;
    private final Mat fgMask = new Mat();
    private final ByteBuffer bgBytes;
    private final ByteBuffer fgBytes;

    public Mog2Baseline(int size, double varThreshold) {
        if (size <= 0) {
            throw new IllegalArgumentException("baseline input size must be positive, got " + size);
        }
        if (!(varThreshold > 0)) {
            throw new IllegalArgumentException("mog2 variance threshold must be positive, got " + varThreshold);
        }
        this.size = size;
        this.varThreshold = varThreshold;
        this.mog2 = createBackgroundSubtractorMOG2(500, varThreshold, true);
        this.bgImage = new Mat(size, size, CV_8UC3);
        this.fgImage = new Mat(size, size, CV_8UC3);
        this.bgBytes = bgImage.createBuffer();
        this.fgBytes = fgImage.createBuffer();
    }

    @Override
    public int inputSize() {
        return size;
    }

    @Override
    public boolean predict(float[] bg, float[] fgBg, int size, float[] outDepthM, float[] outMask) {
        if (size != this.size) {
            throw new IllegalArgumentException("mog2 baseline runs at " + this.size + ", got " + size);
        }
        toBgr(bg, bgBytes, size);
        toBgr(fgBg, fgBytes, size);
        mog2.apply(bgImage, fgMask, 1.0);
        mog2.apply(fgImage, fgMask, 0.0);
        if (fgMask.type() != CV_8UC1 || fgMask.rows() != size || fgMask.cols() != size) {
            throw new IllegalStateException("unexpected MOG2 mask " + fgMask.cols() + "x" + fgMask.rows());
        }
        ByteBuffer m = fgMask.createBuffer();
        int n = size * size;
        for (int i = 0; i < n; i++) {
            outMask[i] = (m.get(i) & 0xff) == 255 ? 1f : 0f;
        }
        return false;
    }

    /** CHW RGB floats in [0,1] into an interleaved 8-bit BGR image. */
    private static void toBgr(float[] chw, ByteBuffer dst, int size) {
        int n = size * size;
        for (int i = 0; i < n; i++) {
            dst.put(3 * i, (byte) Math.round(Math.min(1f, Math.max(0f, chw[2 * n + i])) * 255));
            dst.put(3 * i + 1, (byte) Math.round(Math.min(1f, Math.max(0f, chw[n + i])) * 255));
            dst.put(3 * i + 2, (byte) Math.round(Math.min(1f, Math.max(0f, chw[i])) * 255));
        }
    }

    @Override
    public String describe() {
        return "OpenCV MOG2 baseline (learnt from bg, fg_bg classified without learning, var threshold "
                + varThreshold + ", shadows = background; no depth) at " + size + "x" + size;
    }

    @Override
    public void close() {
        mog2.close();
        bgImage.close();
        fgImage.close();
        fgMask.close();
    }
}
