package io.mdeas.model.onnx;

import io.mdeas.node.inference.MdeasModel;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Per-frame cost of an exported model as the node pays it: {@code MdeasModel.run()} at the model's input size,
 * batch 1, with a given number of intra-op threads, timed after a warm-up. A measurement, not a test.
 */
public final class OrtLatency {

    /**
     * @param provider execution provider that ran
     * @param threads  intra-op threads asked for (0 = ONNX Runtime's default)
     * @param size     input side
     * @param runs     timed runs
     * @param p50Ms    median, milliseconds
     * @param p90Ms    90th percentile
     * @param minMs    fastest run
     * @param meanMs   mean
     * @param cpuMsPerRun process CPU time per run (all threads, spin-waiting included): the cost that a busy
     *                 machine cannot hide, and a fairer A/B figure than wall time when other work competes
     */
    public record Result(String provider, int threads, int size, int runs, double p50Ms, double p90Ms, double minMs,
            double meanMs, double cpuMsPerRun) {}

    private OrtLatency() {}

    /** Times {@code runs} inferences after {@code warmup} untimed ones, on seeded random inputs. */
    public static Result measure(Path onnxFile, int threads, int warmup, int runs) throws Exception {
        if (runs < 1 || warmup < 0) {
            throw new IllegalArgumentException("latency needs runs >= 1 and warm-up >= 0, got " + runs + ", " + warmup);
        }
        try (OnnxModelPredictor p = OnnxModelPredictor.open(onnxFile, threads)) {
            MdeasModel model = p.model();
            fill(model.bgInput(), 1);
            fill(model.fgInput(), 2);
            for (int i = 0; i < warmup; i++) {
                model.run();
            }
            double[] ms = new double[runs];
            long cpu0 = processCpuNanos();
            for (int i = 0; i < runs; i++) {
                long t0 = System.nanoTime();
                model.run();
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
            double cpuMs = (processCpuNanos() - cpu0) / 1e6 / runs;
            double mean = Arrays.stream(ms).average().orElse(Double.NaN);
            Arrays.sort(ms);
            return new Result(p.info().provider(), threads, p.inputSize(), runs, percentile(ms, 0.5),
                    percentile(ms, 0.9), ms[0], mean, cpuMs);
        }
    }

    private static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
    }

    private static void fill(FloatBuffer buf, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        buf.clear();
        while (buf.hasRemaining()) {
            buf.put((float) r.nextDouble());
        }
        buf.rewind();
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(double[] sorted, double q) {
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
