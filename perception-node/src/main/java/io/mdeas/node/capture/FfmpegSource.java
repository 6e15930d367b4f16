package io.mdeas.node.capture;

import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;

import java.io.IOException;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

/**
 * Anything FFmpeg decodes: video files, RTSP and HTTP streams (V4L2 cameras: {@link V4l2CameraSource}). Frames are decoded to BGR24 and
 * copied into the caller's matrix (a header over the grabber's own frame buffer is built once, so the copy is
 * the only per-frame work and it reuses the destination).
 */
public final class FfmpegSource implements FrameSource {
    /** Socket read timeout for streams, so a dead stream fails (and is retried) instead of hanging. */
    private static final String STREAM_TIMEOUT_US = "5000000";

    static {
        // FFmpeg prints stream banners at INFO to stderr; only its errors belong next to our logs.
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    }

    private final String target;
    private final Map<String, String> ffmpegOptions;
    private final boolean live;
    private final String name;
    private final Path file;
    private Buffer viewBuffer;
    private Mat viewMat;
    private FFmpegFrameGrabber grabber;
    private double fps;

    private FfmpegSource(String target, Map<String, String> ffmpegOptions, boolean live, String name, Path file) {
        this.target = target;
        this.ffmpegOptions = ffmpegOptions;
        this.live = live;
        this.name = name;
        this.file = file;
    }

    /** A video file decoded frame by frame; its end ends the run. */
    public static FfmpegSource file(Path path) {
        String fileName = path.getFileName() == null ? path.toString() : path.getFileName().toString();
        return new FfmpegSource(path.toString(), Map.of(), false, "file-" + fileName, path);
    }

    /** An RTSP or HTTP stream; failures are retried by the capture loop. */
    public static FfmpegSource stream(String url) {
        Map<String, String> opts = new LinkedHashMap<>();
        if (url.toLowerCase(java.util.Locale.ROOT).startsWith("rtsp")) {
            opts.put("rtsp_transport", "tcp");
            opts.put("timeout", STREAM_TIMEOUT_US);
        } else {
            opts.put("rw_timeout", STREAM_TIMEOUT_US);
        }
        String host = url.replaceFirst("^[a-zA-Z]+://", "").replaceFirst("[/:?].*$", "");
        return new FfmpegSource(url, opts, true, "stream-" + host, null);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean live() {
        return live;
    }

    @Override
    public void open() throws IOException {
        close();
        if (file != null && !Files.isRegularFile(file)) {
            throw new IOException("video file " + file + " not found");
        }
        FFmpegFrameGrabber g = new FFmpegFrameGrabber(target);
        g.setOptions(ffmpegOptions);
        g.setPixelFormat(AV_PIX_FMT_BGR24);
        try {
            g.start();
        } catch (FrameGrabber.Exception e) {
            releaseQuietly(g);
            throw new IOException("cannot open " + target + ": " + e.getMessage(), e);
        }
        grabber = g;
        double rate = g.getVideoFrameRate();
        fps = rate > 0 && rate < 1000 ? rate : 0;
    }

    /**
     * Reads the next frame, starting the video over at its end (demo and benchmark loops).
     *
     * @return true when the video wrapped around to get this frame
     * @throws IOException when the video has no frame at all
     */
    public boolean readLooping(Mat dst) throws IOException {
        if (read(dst)) {
            return false;
        }
        open();
        if (!read(dst)) {
            throw new IOException("video " + name() + " has no frames");
        }
        return true;
    }

    @Override
    public boolean read(Mat dst) throws IOException {
        if (grabber == null) {
            throw new IOException(target + " is not open");
        }
        Frame frame;
        try {
            frame = grabber.grabImage();
        } catch (FrameGrabber.Exception e) {
            throw new IOException("reading " + target + " failed: " + e.getMessage(), e);
        }
        if (frame == null || frame.image == null) {
            if (live) {
                throw new IOException(target + " stopped delivering frames");
            }
            return false;
        }
        view(frame).copyTo(dst);
        return true;
    }

    /**
     * A matrix header over the grabber's BGR buffer, rebuilt only when the grabber's buffer changes. Built here
     * rather than by OpenCVFrameConverter, which derives the channel count from the row stride and so reads
     * padded rows (e.g. 32 px wide, stride 192) as 6-channel images.
     */
    private Mat view(Frame frame) throws IOException {
        Buffer data = frame.image[0];
        if (data != viewBuffer || frame.imageWidth != viewMat.cols() || frame.imageHeight != viewMat.rows()) {
            if (frame.imageChannels * frame.imageWidth > frame.imageStride && frame.imageStride > 0) {
                throw new IOException(target + " delivered an unexpected frame layout");
            }
            if (viewMat != null) {
                viewMat.close();
            }
            viewMat = new Mat(frame.imageHeight, frame.imageWidth, CV_8UC3, new BytePointer((ByteBuffer) data),
                    frame.imageStride);
            viewBuffer = data;
        }
        return viewMat;
    }

    @Override
    public double fps() {
        return fps;
    }

    @Override
    public void close() {
        if (grabber != null) {
            releaseQuietly(grabber);
            grabber = null;
        }
        if (viewMat != null) {
            viewMat.close();
            viewMat = null;
            viewBuffer = null;
        }
    }

    private static void releaseQuietly(FFmpegFrameGrabber g) {
        try {
            g.close();
        } catch (FrameGrabber.Exception e) {
            // Closing after a failure: nothing useful to report beyond the failure itself.
        }
    }
}
