package io.mdeas.node.capture;

import org.bytedeco.opencv.opencv_core.Mat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The demo clip bundled in the jar (a static floor-robot camera: an empty room, then objects that come, go and
 * approach), played in a loop and paced at the clip's rate like a camera, so the node runs with no camera.
 * FFmpeg needs a file, so the resource is copied to a temporary file that is deleted on close.
 */
public final class DemoSource implements FrameSource {
    /** Class-path folder of the demo clip, its truth and camera mount. */
    public static final String RESOURCE_DIR = "/demo/";
    public static final String CLIP = RESOURCE_DIR + "demo.mp4";
    public static final String TRUTH = RESOURCE_DIR + "truth.csv";
    public static final String CAMERA = RESOURCE_DIR + "camera.json";

    private final Path givenClip;
    private Path copy;
    private FfmpegSource clip;
    private long loops;

    /** The clip bundled in the jar. */
    public DemoSource() {
        this(null);
    }

    /** Loops an existing clip file instead of the bundled one (tests). */
    DemoSource(Path clipFile) {
        this.givenClip = clipFile;
        this.copy = clipFile;
    }

    @Override
    public String name() {
        return "demo";
    }

    @Override
    public boolean live() {
        return true;
    }

    @Override
    public boolean selfPaced() {
        return false;
    }

    @Override
    public void open() throws IOException {
        if (copy == null) {
            copy = copyBundledClip("mdeas-demo-");
            copy.toFile().deleteOnExit();
        }
        if (clip == null) {
            clip = FfmpegSource.file(copy);
        }
        clip.open();
    }

    /**
     * Copies the bundled clip to a new temporary file (FFmpeg reads files, not class-path resources); the caller
     * owns and deletes it.
     */
    public static Path copyBundledClip(String prefix) throws IOException {
        try (InputStream in = DemoSource.class.getResourceAsStream(CLIP)) {
            if (in == null) {
                throw new IOException("demo clip " + CLIP + " is not bundled in this build; use another --source");
            }
            Path file = Files.createTempFile(prefix, ".mp4");
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        }
    }

    @Override
    public boolean read(Mat dst) throws IOException {
        // At the end the clip starts over, like a camera that keeps looking at the same room.
        if (clip.readLooping(dst)) {
            loops++;
        }
        return true;
    }

    /** How many times the clip has wrapped around. */
    public long loops() {
        return loops;
    }

    @Override
    public double fps() {
        return clip == null ? 0 : clip.fps();
    }

    @Override
    public void close() {
        if (clip != null) {
            clip.close();
            clip = null;
        }
        if (copy != null && givenClip == null) {
            try {
                Files.deleteIfExists(copy);
            } catch (IOException e) {
                copy.toFile().deleteOnExit();
            }
            copy = null;
        }
    }
}
