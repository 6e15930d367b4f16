package io.mdeas.node.bench;

import io.mdeas.node.capture.DemoSource;
import io.mdeas.node.capture.FfmpegSource;
import io.mdeas.node.capture.FrameSource;
import org.bytedeco.opencv.opencv_core.Mat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A video file (or the bundled demo clip) read unpaced, as fast as FFmpeg decodes it, and restarted at its end,
 * so a benchmark gets as many frames as it asks for. Not live: the pipeline takes every frame (none dropped),
 * and nothing paces it. The demo resource is copied to a temporary file that {@link #close()} deletes.
 */
public final class LoopedClip implements FrameSource {
    private final Path clipFile;
    private final boolean ownsFile;
    private final FfmpegSource clip;
    private long loops;
    private double paceFps;

    private LoopedClip(Path clipFile, boolean ownsFile) {
        this.clipFile = clipFile;
        this.ownsFile = ownsFile;
        this.clip = FfmpegSource.file(clipFile);
    }

    /** Loops a video file. */
    public static LoopedClip of(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("video file " + file + " not found");
        }
        return new LoopedClip(file, false);
    }

    /** Loops the demo clip bundled in the jar. */
    public static LoopedClip demo() throws IOException {
        return new LoopedClip(DemoSource.copyBundledClip("mdeas-bench-demo-"), true);
    }

    @Override
    public String name() {
        return "loop-" + clipFile.getFileName();
    }

    @Override
    public boolean live() {
        return false;
    }

    @Override
    public void open() throws IOException {
        clip.open();
    }

    @Override
    public boolean read(Mat dst) throws IOException {
        if (clip.readLooping(dst)) {
            loops++;
        }
        return true;
    }

    /** Reports {@code fps} as the clip's rate, so a capture loop that paces (realtime) paces at it. */
    public LoopedClip pacedAt(double fps) {
        this.paceFps = fps;
        return this;
    }

    /** How many times the clip restarted. */
    public long loops() {
        return loops;
    }

    @Override
    public double fps() {
        return paceFps > 0 ? paceFps : clip.fps();
    }

    @Override
    public void close() {
        clip.close();
        if (ownsFile) {
            try {
                Files.deleteIfExists(clipFile);
            } catch (IOException e) {
                clipFile.toFile().deleteOnExit();
            }
        }
    }
}
