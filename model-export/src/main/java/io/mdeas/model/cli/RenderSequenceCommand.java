package io.mdeas.model.cli;

import io.mdeas.model.data.SequenceRenderer;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code render-sequence}: renders the node's demo clip with per-frame ground truth. */
@Command(name = "render-sequence", mixinStandardHelpOptions = true,
        description = "Render a demo clip from a static floor-robot camera: empty room, objects enter, approach "
                + "and leave. Writes frames/*.png, truth.csv, objects.csv and camera.json.")
public final class RenderSequenceCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, description = "Output folder (created).")
    Path out;

    @Option(names = "--frames", defaultValue = "350", description = "Number of frames (default ${DEFAULT-VALUE}).")
    int frames;

    @Option(names = "--fps", defaultValue = "10", description = "Frames per second (default ${DEFAULT-VALUE}).")
    double fps;

    @Option(names = "--width", defaultValue = "320", description = "Frame width (default ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--height", defaultValue = "240", description = "Frame height (default ${DEFAULT-VALUE}).")
    int height;

    @Option(names = "--size", description = "Square frames of this size (overrides --width and --height).")
    Integer size;

    @Option(names = "--seed", defaultValue = "1", description = "Scene seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", description = "Worker threads (default: available processors).")
    Integer threads;

    @Option(names = "--dataset", description = "Also write the frames in the DATASET.md layout under dataset/ "
            + "(bg = the same view without the objects).")
    boolean dataset;

    @Override
    public Integer call() throws Exception {
        int w = size != null ? size : width;
        int h = size != null ? size : height;
        if (w < 16 || h < 16 || w > 4096 || h > 4096) {
            System.err.println("render-sequence: frame size must be between 16 and 4096, got " + w + "x" + h);
            return 2;
        }
        if (frames <= 0 || !(fps > 0)) {
            System.err.println("render-sequence: --frames and --fps must be positive");
            return 2;
        }
        int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (t <= 0) {
            System.err.println("render-sequence: --threads must be positive, got " + t);
            return 2;
        }
        long start = System.nanoTime();
        List<SequenceRenderer.FrameTruth> truth = new SequenceRenderer(seed, w, h, fps, frames).render(out, t, dataset);
        double secs = (System.nanoTime() - start) / 1e9;
        long withObjects = truth.stream().filter(f -> f.visibleObjects() > 0).count();
        double nearest = truth.stream().mapToDouble(SequenceRenderer.FrameTruth::nearestFgM)
                .filter(d -> !Double.isNaN(d)).min().orElse(Double.NaN);
        System.out.printf(Locale.ROOT, "rendered %d frames (%dx%d @ %.1f fps, %.1f s of video) in %.1f s: %.1f frames/s;"
                        + " %d frames show objects, nearest %.2f m%n",
                frames, w, h, fps, frames / fps, secs, frames / secs, withObjects, nearest);
        return 0;
    }
}
