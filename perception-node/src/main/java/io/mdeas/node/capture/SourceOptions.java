package io.mdeas.node.capture;

import java.time.Duration;
import java.util.Objects;

/**
 * Where frames come from and how they are read.
 *
 * @param uri          {@code v4l2:/dev/videoN}, {@code file:PATH}, {@code rtsp://…}, {@code http(s)://…},
 *                     {@code dir:PATH} (sorted image sequence) or {@code demo} (clip bundled in the jar)
 * @param width        requested capture width for cameras (0 = the device's default)
 * @param height       requested capture height for cameras (0 = the device's default)
 * @param fps          requested camera rate; for {@code dir:} the pacing rate with {@code realtime} (0 = default 10)
 * @param pixelFormat  V4L2 input format, e.g. {@code mjpeg} or {@code yuyv422} (null = the device's default)
 * @param realtime     pace files and folders at their own rate and drop stale frames like a camera
 * @param maxFrames    stop after this many captured frames (0 = no limit)
 * @param retryMin     first delay before reopening a failed camera or stream
 * @param retryMax     longest delay between reopen attempts (the delay doubles up to this)
 */
public record SourceOptions(String uri, int width, int height, double fps, String pixelFormat, boolean realtime,
                            long maxFrames, Duration retryMin, Duration retryMax) {

    public static final SourceOptions DEFAULTS = new SourceOptions("demo", 0, 0, 0, null, false, 0,
            Duration.ofMillis(500), Duration.ofSeconds(30));

    public SourceOptions {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(retryMin, "retryMin");
        Objects.requireNonNull(retryMax, "retryMax");
        if (width < 0 || height < 0 || fps < 0 || maxFrames < 0) {
            throw new IllegalArgumentException("source width, height, fps and max frames must be >= 0");
        }
    }

    public SourceOptions withUri(String newUri) {
        return new SourceOptions(newUri, width, height, fps, pixelFormat, realtime, maxFrames, retryMin, retryMax);
    }

    public SourceOptions withRealtime(boolean rt) {
        return new SourceOptions(uri, width, height, fps, pixelFormat, rt, maxFrames, retryMin, retryMax);
    }

    public SourceOptions withMaxFrames(long n) {
        return new SourceOptions(uri, width, height, fps, pixelFormat, realtime, n, retryMin, retryMax);
    }

    public SourceOptions withRetry(Duration min, Duration max) {
        return new SourceOptions(uri, width, height, fps, pixelFormat, realtime, maxFrames, min, max);
    }
}
