package io.mdeas.node.capture;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_videoio.VideoCapture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import static org.bytedeco.opencv.global.opencv_videoio.CAP_PROP_FOURCC;
import static org.bytedeco.opencv.global.opencv_videoio.CAP_PROP_FPS;
import static org.bytedeco.opencv.global.opencv_videoio.CAP_PROP_FRAME_HEIGHT;
import static org.bytedeco.opencv.global.opencv_videoio.CAP_PROP_FRAME_WIDTH;
import static org.bytedeco.opencv.global.opencv_videoio.CAP_V4L2;

/**
 * A V4L2 camera through OpenCV's own V4L2 backend. OpenCV rather than FFmpeg here because the bundled FFmpeg
 * reaches V4L2 through libavdevice, which needs the system's PulseAudio client library (libpulse.so.0) even for
 * video, and boards often lack it; OpenCV's backend needs nothing beyond the kernel. Frames are decoded
 * (MJPEG / YUYV → BGR) straight into the caller's matrix.
 */
public final class V4l2CameraSource implements FrameSource {
    private final Path device;
    private final SourceOptions options;
    private final String name;
    private VideoCapture capture;
    private double fps;

    public V4l2CameraSource(Path device, SourceOptions options) {
        this.device = device;
        this.options = options;
        Path leaf = device.getFileName();
        this.name = leaf == null ? device.toString() : leaf.toString();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean live() {
        return true;
    }

    @Override
    public void open() throws IOException {
        close();
        if (!Files.exists(device)) {
            throw new IOException("camera " + device + " not found (is it plugged in? see v4l2-ctl --list-devices)");
        }
        VideoCapture c = new VideoCapture();
        if (!c.open(device.toString(), CAP_V4L2)) {
            c.close();
            throw new IOException("cannot open camera " + device + " (V4L2): busy, or no permission (group video)");
        }
        String format = options.pixelFormat();
        if (format != null && !format.isBlank()) {
            c.set(CAP_PROP_FOURCC, fourcc(format));
        }
        if (options.width() > 0 && options.height() > 0) {
            c.set(CAP_PROP_FRAME_WIDTH, options.width());
            c.set(CAP_PROP_FRAME_HEIGHT, options.height());
        }
        if (options.fps() > 0) {
            c.set(CAP_PROP_FPS, options.fps());
        }
        capture = c;
        double rate = c.get(CAP_PROP_FPS);
        fps = rate > 0 && rate < 1000 ? rate : options.fps();
    }

    /** V4L2 four-character code for the usual names: mjpeg/mjpg → MJPG, yuyv422/yuyv → YUYV, else as given. */
    static int fourcc(String format) {
        String f = format.trim().toUpperCase(Locale.ROOT);
        String code = switch (f) {
            case "MJPEG", "MJPG" -> "MJPG";
            case "YUYV422", "YUYV", "YUY2" -> "YUYV";
            default -> (f + "    ").substring(0, 4);
        };
        return code.charAt(0) | code.charAt(1) << 8 | code.charAt(2) << 16 | code.charAt(3) << 24;
    }

    @Override
    public boolean read(Mat dst) throws IOException {
        if (capture == null) {
            throw new IOException("camera " + device + " is not open");
        }
        if (!capture.read(dst) || dst.empty()) {
            throw new IOException("camera " + device + " stopped delivering frames");
        }
        return true;
    }

    @Override
    public double fps() {
        return fps;
    }

    @Override
    public void close() {
        if (capture != null) {
            capture.release();
            capture.close();
            capture = null;
        }
    }
}
