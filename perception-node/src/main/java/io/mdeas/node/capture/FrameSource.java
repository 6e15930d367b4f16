package io.mdeas.node.capture;

import org.bytedeco.opencv.opencv_core.Mat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A source of BGR frames. Opened and read by one capture thread; {@link #read(Mat)} copies the next frame
 * into a caller-owned matrix (reused from frame to frame, so nothing frame-sized is allocated per frame).
 */
public interface FrameSource extends AutoCloseable {

    /** Short name for thread names, logs and status, e.g. {@code video0}, {@code demo}. */
    String name();

    /** Cameras, streams and the demo: paced by the source, retried when they fail; hand-off drops stale frames. */
    boolean live();

    /**
     * Whether the source itself delivers frames at its rate (a camera, a stream). A live source that is not
     * self-paced (the demo clip) and files read with {@code --realtime} are paced by the capture loop at {@link #fps()}.
     */
    default boolean selfPaced() {
        return live();
    }

    /** Opens (or reopens after a failure) the source. */
    void open() throws IOException;

    /**
     * Reads the next frame into {@code dst} (8-bit BGR, resized by {@code create} if needed).
     *
     * @return false at the end of a file or folder; a live source signals failure with an exception
     */
    boolean read(Mat dst) throws IOException;

    /** Frame rate the source delivers or should be paced at; 0 if unknown. */
    double fps();

    @Override
    void close();

    /** Creates the source an options URI names; does not open it. */
    static FrameSource create(SourceOptions options) {
        String uri = options.uri().trim();
        String lower = uri.toLowerCase(Locale.ROOT);
        if (lower.equals("demo")) {
            return new DemoSource();
        }
        if (lower.startsWith("v4l2:")) {
            return new V4l2CameraSource(Path.of(uri.substring("v4l2:".length())), options);
        }
        if (lower.startsWith("file:")) {
            return FfmpegSource.file(Path.of(uri.substring("file:".length())));
        }
        if (lower.startsWith("rtsp://") || lower.startsWith("rtsps://") || lower.startsWith("http://")
                || lower.startsWith("https://")) {
            return FfmpegSource.stream(uri);
        }
        if (lower.startsWith("dir:")) {
            return new ImageDirectorySource(Path.of(uri.substring("dir:".length())), options.fps());
        }
        throw new IllegalArgumentException("unknown source '" + uri
                + "': use v4l2:/dev/videoN, file:PATH, rtsp://..., http://..., dir:PATH or demo");
    }
}
