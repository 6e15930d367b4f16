package io.mdeas.node.inference;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How to load the model: the file (null = the model bundled in the jar at {@value #BUNDLED_RESOURCE}),
 * the execution providers to try in order, CPU threads and TensorRT options.
 *
 * @param path        model file, or null for the bundled model
 * @param providers   execution providers in order of preference: {@code tensorrt}, {@code cuda}, {@code cpu}
 * @param cpuThreads  intra-op threads for the CPU provider (0 = automatic, see {@link #effectiveCpuThreads()})
 * @param trtFp16     let TensorRT build fp16 engines (default off: the GPU check of session 6 measured fp16
 *                    overflow, NaN depth, in the bundled model on some frames)
 * @param trtCacheDir where TensorRT keeps built engines between runs (null = no engine cache)
 * @param mirrorAverage run each frame together with its left-right mirror image and average the two answers
 *                    (better depth and mask, about twice the compute; see {@link MdeasModel})
 */
public record ModelOptions(Path path, List<String> providers, int cpuThreads, boolean trtFp16, Path trtCacheDir,
                           boolean mirrorAverage) {
    /** Class-path location of the shipped model. */
    public static final String BUNDLED_RESOURCE = "/models/mdeas.onnx";

    /** The providers ONNX Runtime is asked for, known to {@link MdeasModel}. */
    public static final List<String> KNOWN_PROVIDERS = List.of("tensorrt", "cuda", "cpu");

    public static final ModelOptions DEFAULTS = new ModelOptions(null, KNOWN_PROVIDERS, 0, false, null, false);

    /**
     * The intra-op threads the CPU provider gets: {@code cpuThreads}, or for 0 one less than the cores (at least
     * one), so capture, analysis and publishing keep a core. Measured on two 2-core VMs with the 224 model
     * (BENCHMARKS.md and its history): one thread gives bare model p50 32–55 ms and pipeline/model 0.84–0.97 with
     * camera-paced e2e p99 within 1.2–1.7 × model p50; two threads are faster alone (25–33 ms) but reached 0.56–0.95
     * of that in the pipeline, and camera-paced e2e p99 of 1.5–3.8 × model p50, depending on whether the other
     * pipeline threads preempt one of them.
     */
    public int effectiveCpuThreads() {
        return cpuThreads > 0 ? cpuThreads : Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
    }

    public ModelOptions {
        Objects.requireNonNull(providers, "providers");
        providers = providers.stream().map(p -> p.trim().toLowerCase(Locale.ROOT)).toList();
        for (String p : providers) {
            if (!KNOWN_PROVIDERS.contains(p)) {
                throw new IllegalArgumentException("unknown execution provider '" + p + "' (known: "
                        + String.join(", ", KNOWN_PROVIDERS) + ")");
            }
        }
        if (providers.isEmpty()) {
            throw new IllegalArgumentException("no execution provider configured (use e.g. [tensorrt, cuda, cpu])");
        }
        if (cpuThreads < 0) {
            throw new IllegalArgumentException("cpu threads must be >= 0, got " + cpuThreads);
        }
    }

    public ModelOptions withPath(Path newPath) {
        return new ModelOptions(newPath, providers, cpuThreads, trtFp16, trtCacheDir, mirrorAverage);
    }

    public ModelOptions withProviders(List<String> newProviders) {
        return new ModelOptions(path, newProviders, cpuThreads, trtFp16, trtCacheDir, mirrorAverage);
    }

    public ModelOptions withMirrorAverage(boolean on) {
        return new ModelOptions(path, providers, cpuThreads, trtFp16, trtCacheDir, on);
    }

    /** Human-readable name of where the model comes from, for messages. */
    public String source() {
        return path == null ? "bundled model (classpath " + BUNDLED_RESOURCE + ")" : path.toString();
    }
}
