package io.mdeas.model.cli;

import io.mdeas.model.data.DatasetGenerator;
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
        DatasetGenerator.Result r = new DatasetGenerator().generate(out, count, size, seed, split, t);
        System.out.printf(Locale.ROOT,
                "generated %d samples (%dx%d, %s split, seed %d, generator %s) in %.1f s with %d threads: "
                        + "%.1f samples/s (%.1f images/s); %.1f s CPU = %.1f samples per CPU-second%n",
                r.samples(), size, size, split.label(), seed, DatasetWriter.GENERATOR_VERSION, r.seconds(), t,
                r.samplesPerSecond(), 4 * r.samplesPerSecond(), r.cpuSeconds(), r.samplesPerCpuSecond());
        return 0;
    }
}
