package io.mdeas.node.capture;

import org.bytedeco.opencv.opencv_core.Mat;

/**
 * One pooled frame buffer travelling capture → pipeline and back. The image matrix is reused (it keeps its
 * allocation across frames of the same size); the stamp fields are rewritten by the capture thread.
 */
public final class CapturedFrame {
    /** BGR, 8 bit, source size. */
    public final Mat image = new Mat();
    /** 0-based index from the source's start. */
    public long index;
    /** Capture time, epoch milliseconds. */
    public long captureEpochMs;
    /** Capture time on the monotonic clock, for latency. */
    public long captureNanos;

    void release() {
        image.close();
    }
}
