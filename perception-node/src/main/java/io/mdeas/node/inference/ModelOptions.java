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
 * @param mirrorAverage when to run each frame together with its left-right mirror image and average the two
 *                    answers (better depth, a second pass per frame; see {@link MdeasModel})
 */
public record ModelOptions(Path path, List<String> providers, int cpuThreads, boolean trtFp16, Path trtCacheDir,
                           MirrorAverage mirrorAverage) {

    /** When to average with the mirror image. */
    public enum MirrorAverage {
        /**
         * On a GPU provider, off on the CPU: a GPU is latency-bound at this model's size, so the second image costs
         * it little, while a CPU pays the full second pass. A node that falls back from TensorRT/CUDA to the CPU
         * turns it off rather than fall behind its camera.
         */
        AUTO,
        ON,
        OFF;

        /** Whether a session on {@code provider} ({@code tensorrt}, {@code cuda}, {@code cpu}) averages. */
        public boolean appliesTo(String provider) {
            return this == ON || (this == AUTO && !"cpu".equals(provider));
        }

        /** {@code auto}, {@code true} or {@code false}, as in the configuration. */
        public static MirrorAverage parse(String value) {
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "auto" -> AUTO;
                case "true" -> ON;
                case "false" -> OFF;
                default -> throw new IllegalArgumentException("mirror averaging must be auto, true or false, got '"
                        + value + "'");
            };
        }
    }

    /** Class-path location of the shipped model. */
    public static final String BUNDLED_RESOURCE = "/models/mdeas.onnx";

    /** The providers ONNX Runtime is asked for, known to {@link MdeasModel}. */
    public static final List<String> KNOWN_PROVIDERS = List.of("tensorrt", "cuda", "cpu");

    public static final ModelOptions DEFAULTS = new ModelOptions(null, KNOWN_PROVIDERS, 0, false, null,
            MirrorAverage.AUTO);

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
        Objects.requireNonNull(mirrorAverage, "mirrorAverage");
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

    public ModelOptions withCpuThreads(int threads) {
        return new ModelOptions(path, providers, threads, trtFp16, trtCacheDir, mirrorAverage);
    }

    public ModelOptions withMirrorAverage(MirrorAverage when) {
        return new ModelOptions(path, providers, cpuThreads, trtFp16, trtCacheDir, when);
    }

    /** Mirror averaging on or off whatever the provider. */
    public ModelOptions withMirrorAverage(boolean on) {
        return withMirrorAverage(on ? MirrorAverage.ON : MirrorAverage.OFF);
    }

    /** Human-readable name of where the model comes from, for messages. */
    public String source() {
        return path == null ? "bundled model (classpath " + BUNDLED_RESOURCE + ")" : path.toString();
    }
}
