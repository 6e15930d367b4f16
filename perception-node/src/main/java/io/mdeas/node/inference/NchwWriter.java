package io.mdeas.node.inference;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

import java.nio.FloatBuffer;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;
import static org.bytedeco.opencv.global.opencv_core.extractChannel;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/**
 * Writes a BGR image (8-bit, or float in 0..255) into one model input buffer as NCHW RGB in [0, 1].
 *
 * <p>The three planes of the target buffer are wrapped once as OpenCV matrices, so resize, scaling and
 * the BGR→RGB channel split all write straight into the buffer ONNX Runtime reads: nothing is allocated
 * per frame once the working matrices have their size.
 */
public final class NchwWriter implements AutoCloseable {
    private final int size;
    private final Size target;
    private final Mat resized = new Mat();
    private final Mat scaled = new Mat();
    private final Mat[] planes = new Mat[3];
    private final FloatBuffer buffer;

    /** @param buffer direct buffer of at least 3·size·size floats (e.g. {@link MdeasModel#fgInput()}) */
    public NchwWriter(int size, FloatBuffer buffer) {
        if (!buffer.isDirect() || buffer.capacity() < 3 * size * size) {
            throw new IllegalArgumentException("need a direct buffer of 3x" + size + "x" + size + " floats");
        }
        this.size = size;
        this.buffer = buffer;
        this.target = new Size(size, size);
        int plane = size * size;
        for (int c = 0; c < 3; c++) {
            FloatBuffer slice = buffer.duplicate().position(c * plane).limit((c + 1) * plane).slice();
            planes[c] = new Mat(size, size, CV_32FC1, new FloatPointer(slice));
        }
    }

    /** Fills the buffer from {@code bgr} (any size; resized with area interpolation when needed). */
    public void write(Mat bgr) {
        Mat src = bgr;
        if (bgr.cols() != size || bgr.rows() != size) {
            resize(bgr, resized, target, 0, 0, INTER_AREA);
            src = resized;
        }
        src.convertTo(scaled, CV_32F, 1.0 / 255.0, 0.0);
        // Plane order RGB from BGR input: plane 0 = channel 2, plane 2 = channel 0.
        for (int c = 0; c < 3; c++) {
            extractChannel(scaled, planes[c], 2 - c);
        }
    }

    public FloatBuffer buffer() {
        return buffer;
    }

    @Override
    public void close() {
        for (Mat p : planes) {
            p.close();
        }
        resized.close();
        scaled.close();
        target.close();
    }
}
