package io.mdeas.model.cli;

import io.mdeas.model.data.DatasetGenerator;
import io.mdeas.model.data.MountRange;
import io.mdeas.model.data.DatasetWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code generate}: writes a procedural dataset (DATASET.md layout) with exact metric depth and masks. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate procedurally rendered indoor scenes seen from a floor robot (bg, fg_bg, mask, depth).")
public final class GenerateCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, description = "Output folder (created).")
    Path out;

    @Option(names = "--count", required = true, description = "Number of samples.")
    int count;

    @Option(names = "--size", defaultValue = "224", description = "Image width and height in pixels (default ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--seed", defaultValue = "1", description = "Run seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--split", defaultValue = "train",
            description = "train or test; mixed into every sample seed so the splits never share one (default ${DEFAULT-VALUE}).")
    DatasetGenerator.Split split;

    @Option(names = "--threads", description = "Worker threads (default: available processors).")
    Integer threads;

    @Option(names = "--force", description = "Write into a folder that already has an index.csv.")
    boolean force;

    @Option(names = "--camera-height", paramLabel = "MIN:MAX",
            description = "Camera height range in metres (default: any floor robot, 0.05:0.40).")
    String cameraHeight;

    @Option(names = "--pitch", paramLabel = "MIN:MAX",
            description = "Camera pitch range in degrees, negative looks down (default -20:0; write --pitch=-11:-5).")
    String pitch;

    @Option(names = "--hfov", paramLabel = "MIN:MAX", description = "Horizontal field of view range in degrees (default 55:90).")
    String hfov;

    @Option(names = "--sensor-aspect", paramLabel = "W:H", description = "Camera frame aspect ratio, e.g. 4:3: the image "
            + "is that frame squashed to a square, as the node feeds it to the model (default 1:1).")
    String sensorAspect;

    private static double[] rangeOr(String option, String text, double min, double max) {
        return text == null ? new double[] {min, max} : MountRange.parseRange(option, text);
    }

    /** The mount range from the options; unset ones keep the generic range. */
    static MountRange mounts(String cameraHeight, String pitch, String hfov, String sensorAspect) {
        MountRange any = MountRange.ANY_FLOOR_ROBOT;
        double[] h = rangeOr("--camera-height", cameraHeight, any.minHeightM(), any.maxHeightM());
        double[] p = rangeOr("--pitch", pitch, any.minPitchDeg(), any.maxPitchDeg());
        double[] f = rangeOr("--hfov", hfov, any.minHfovDeg(), any.maxHfovDeg());
        double aspect = sensorAspect == null ? 1 : MountRange.parseAspect(sensorAspect);
        return new MountRange(h[0], h[1], p[0], p[1], f[0], f[1], aspect);
    }

    @Override
    public Integer call() throws Exception {
        if (count <= 0) {
            System.err.println("generate: --count must be positive, got " + count);
            return 2;
        }
        if (size < 8 || size > 4096) {
            System.err.println("generate: --size must be between 8 and 4096, got " + size);
            return 2;
        }
        if (!force && Files.exists(out.resolve("index.csv"))) {
            System.err.println("generate: " + out + " already holds a dataset (index.csv); choose another --out or add --force");
            return 2;
        }
        int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (t <= 0) {
            System.err.println("generate: --threads must be positive, got " + t);
            return 2;
        }
        MountRange mountRange;
        try {
            mountRange = mounts(cameraHeight, pitch, hfov, sensorAspect);
        } catch (IllegalArgumentException e) {
            System.err.println("generate: " + e.getMessage());
            return 2;
        }
        DatasetGenerator.Result r = new DatasetGenerator(mountRange).generate(out, count, size, seed, split, t);
        System.out.printf(Locale.ROOT,
                "generated %d samples (%dx%d, %s split, seed %d, generator %s) in %.1f s with %d threads: "
                        + "%.1f samples/s (%.1f images/s); %.1f s CPU = %.1f samples per CPU-second%n",
                r.samples(), size, size, split.label(), seed, DatasetWriter.GENERATOR_VERSION, r.seconds(), t,
                r.samplesPerSecond(), 4 * r.samplesPerSecond(), r.cpuSeconds(), r.samplesPerCpuSecond());
        return 0;
    }
}
