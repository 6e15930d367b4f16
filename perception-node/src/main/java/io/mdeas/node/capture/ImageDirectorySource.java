package io.mdeas.node.capture;

import org.bytedeco.opencv.opencv_core.Mat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.haveImageReader;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;

/** A folder of images read in file-name order; the last image ends the run. */
public final class ImageDirectorySource implements FrameSource {
    private static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "tif", "tiff", "webp", "pgm", "ppm");
    private static final double DEFAULT_FPS = 10;

    private final Path dir;
    private final double fps;
    private List<Path> files = List.of();
    private int next;

    public ImageDirectorySource(Path dir, double fps) {
        this.dir = dir;
        this.fps = fps > 0 ? fps : DEFAULT_FPS;
    }

    @Override
    public String name() {
        Path leaf = dir.getFileName();
        return "dir-" + (leaf == null ? dir : leaf);
    }

    @Override
    public boolean live() {
        return false;
    }

    @Override
    public void open() throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("image folder " + dir + " not found");
        }
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(Files::isRegularFile).filter(ImageDirectorySource::isImage).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IOException("image folder " + dir + " has no images (" + String.join(", ", EXTENSIONS) + ")");
        }
        next = 0;
    }

    private static boolean isImage(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    @Override
    public boolean read(Mat dst) throws IOException {
        if (next >= files.size()) {
            return false;
        }
        Path p = files.get(next++);
        // imread into an existing matrix leaves it untouched when it cannot decode, so check the format first.
        if (!haveImageReader(p.toString())) {
            throw new CorruptFrameException("image " + p + " cannot be decoded");
        }
        try {
            imread(p.toString(), dst, IMREAD_COLOR);
        } catch (RuntimeException e) {
            // OpenCV refuses to decode into a matrix of another size: take the slow path for this frame.
            try (Mat fresh = imread(p.toString(), IMREAD_COLOR)) {
                if (fresh.empty()) {
                    throw new CorruptFrameException("image " + p + " cannot be decoded");
                }
                fresh.copyTo(dst);
            }
        }
        if (dst.empty()) {
            throw new CorruptFrameException("image " + p + " cannot be decoded");
        }
        return true;
    }

    @Override
    public double fps() {
        return fps;
    }

    /** Number of images found by {@link #open()}. */
    public int size() {
        return files.size();
    }

    @Override
    public void close() {
        // Nothing held open between frames.
    }
}
