package io.mdeas.node.bench;

import io.mdeas.node.capture.FrameSource;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_video.BackgroundSubtractorMOG2;

import java.io.IOException;

import static org.bytedeco.opencv.global.opencv_core.absdiff;
import static org.bytedeco.opencv.global.opencv_core.max;
import static org.bytedeco.opencv.global.opencv_core.extractChannel;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_CLOSE;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_OPEN;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_RECT;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY;
import static org.bytedeco.opencv.global.opencv_imgproc.getStructuringElement;
import static org.bytedeco.opencv.global.opencv_imgproc.morphologyEx;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_imgproc.threshold;
import static org.bytedeco.opencv.global.opencv_video.createBackgroundSubtractorMOG2;

/**
 * Speed of the classical change detectors on the same frames at the model's input size, as a node would run
 * them instead of the network: OpenCV's {@code BackgroundSubtractorMOG2} (default settings, learning as it goes)
 * and the absdiff baseline (largest per-channel |frame − background|, 3×3 blur, threshold 0.12, 3×3 open + close;
 * the definition of model-export's {@code AbsDiffBaseline}). Only the detector is timed, not decoding or resizing.
 * Their mask quality comes from {@code model-export evaluate --baseline mog2|absdiff}, one metric definition.
 */
public final class ClassicalBaselines {
    private ClassicalBaselines() {}

    /** Frames per second of each detector. */
    public record Speeds(double mog2Fps, double absdiffFps) {}

    public static Speeds run(FrameSource source, int size, int warmup, int frames) throws IOException {
        long mog2Nanos = 0;
        long absNanos = 0;
        int timed = 0;
        source.open();
        BackgroundSubtractorMOG2 mog2 = createBackgroundSubtractorMOG2();
        try (Mat frame = new Mat(); Mat small = new Mat(); Mat background = new Mat(); Size s = new Size(size, size);
             Mat mask = new Mat(); Mat diff = new Mat(); Mat c0 = new Mat(); Mat c1 = new Mat(); Mat c2 = new Mat();
             Mat kernel = getStructuringElement(MORPH_RECT, new Size(3, 3));
             Size blur = new Size(3, 3)) {
            if (!source.read(frame)) {
                throw new IOException("source " + source.name() + " gave no frame");
            }
            resize(frame, background, s, 0, 0, INTER_AREA);
            for (int i = 0; i < warmup + frames; i++) {
                if (!source.read(frame)) {
                    break;
                }
                resize(frame, small, s, 0, 0, INTER_AREA);
                long t0 = System.nanoTime();
                mog2.apply(small, mask);
                long t1 = System.nanoTime();
                absdiff(small, background, diff);
                extractChannel(diff, c0, 0);
                extractChannel(diff, c1, 1);
                extractChannel(diff, c2, 2);
                max(c0, c1, c0);
                max(c0, c2, c0);
                GaussianBlur(c0, c1, blur, 0); // 3x3 Gaussian with sigma 0 = the 1-2-1 binomial kernel
                threshold(c1, c2, 0.12 * 255, 255, THRESH_BINARY);
                morphologyEx(c2, c0, MORPH_OPEN, kernel);
                morphologyEx(c0, mask, MORPH_CLOSE, kernel);
                long t2 = System.nanoTime();
                if (i >= warmup) {
                    mog2Nanos += t1 - t0;
                    absNanos += t2 - t1;
                    timed++;
                }
            }
        } finally {
            mog2.close();
            source.close();
        }
        if (timed == 0) {
            throw new IOException("source " + source.name() + " ended during the warm-up");
        }
        return new Speeds(timed / (mog2Nanos / 1e9), timed / (absNanos / 1e9));
    }
}
