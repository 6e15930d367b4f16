package io.mdeas.node.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code perception-node bench} measured, written as one JSON object with snake_case names
 * ({@code model_fps}, {@code e2e_latency_ms_p99}, ...). Latencies in milliseconds, memory in MiB.
 *
 * @param allocBytesPerFrame bytes allocated per measured frame by the pipeline's threads ({@code pipeline},
 *                           {@code capture-*}, {@code mqtt-*}, Paho's {@code MQTT *})
 * @param allocBytesPerFrameAllThreads the same over every thread of the JVM (embedded broker, JIT-free Java threads)
 * @param e2eLatencyMsP50    capture (frame decoded) → all of its messages published; with an unpaced source a frame
 *                           may wait in the hand-off while the one before it is processed
 * @param mog2Fps            OpenCV MOG2 on the same frames at the model size (see {@link ClassicalBaselines})
 * @param absdiffFps         the absdiff baseline on the same frames at the model size
 * @param pacedFps           the rate of the second, camera-like pipeline run: the source paced at 80 % of
 *                           {@code pipelineFps}, latest frame wins (only for demo and file sources; NaN otherwise)
 * @param e2ePacedLatencyMsP99 capture → published in that paced run: the latency a camera sees, with no queue
 * @param loadAverage        the machine's 1-minute load average at the start (other work competing for the CPU)
 * @param mirrorAverage      {@code model.mirror_average}: each frame run with its mirror image, a batch of two
 */
public record BenchReport(
        String date, String host, String cpu, int availableProcessors, double loadAverage, String javaVersion,
        String source, String model, String modelVersion, int inputSize, String provider, int cpuThreads,
        boolean mirrorAverage, String mqtt, int warmupFrames, int frames,
        double modelFps, double modelLatencyMsMean, double modelLatencyMsP50, double modelLatencyMsP99,
        double mog2Fps, double absdiffFps,
        double pipelineFps, double e2eLatencyMsMean, double e2eLatencyMsP50, double e2eLatencyMsP99,
        double e2eLatencyMsMax,
        double pacedFps, int pacedFrames, double e2ePacedLatencyMsP50, double e2ePacedLatencyMsP99,
        Map<String, Double> stageMsP50,
        double rssMb, double peakRssMb, long allocBytesPerFrame, long allocBytesPerFrameAllThreads,
        Map<String, Long> allocBytesPerFrameByThread, double cpuCoresUsed, int threads,
        double pipelineToModelFps, double e2eP99ToModelP50, double e2ePacedP99ToModelP50,
        Map<String, Boolean> targetsMet) {

    /** The targets: fps ratio ≥ 0.90, e2e p99 ≤ 2 × model p50, RSS ≤ 350 MB, < 64 KiB per frame. */
    public static Map<String, Boolean> targets(double fpsRatio, double e2eRatio, double e2ePacedRatio, double rssMb,
                                               long allocPerFrame) {
        return Map.of("pipeline_fps_ratio_ge_0_90", fpsRatio >= 0.90,
                "e2e_p99_le_2x_model_p50", e2eRatio <= 2.0,
                "e2e_paced_p99_le_2x_model_p50", e2ePacedRatio <= 2.0,
                "rss_le_350_mb", rssMb <= 350,
                "alloc_lt_64_kib_per_frame", allocPerFrame < 64 * 1024);
    }

    public static ObjectMapper mapper() {
        return new ObjectMapper()
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(SerializationFeature.INDENT_OUTPUT)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    }

    public void write(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        mapper().writeValue(file.toFile(), this);
    }

    /** A few human-readable lines for the terminal. */
    public String summary() {
        return String.format(Locale.ROOT, """
                bench: %d frames (+%d warm-up) from %s, model %s (%s, %dx%d%s) on %s, MQTT %s, load average %.1f
                  model     %7.1f fps   p50 %6.2f ms   p99 %6.2f ms   (MOG2 %.0f fps, absdiff %.0f fps)
                  pipeline  %7.1f fps   e2e p50 %6.2f ms   p99 %6.2f ms   (pipeline/model %.2f, e2e p99/model p50 %.2f)
                  paced at  %7.1f fps   e2e p50 %6.2f ms   p99 %6.2f ms   (camera-like, latest frame wins)
                  RSS %.0f MiB, %d B allocated per frame (all threads %d B), %.2f cores busy, %d threads
                  targets: %s""",
                frames, warmupFrames, source, model, modelVersion, inputSize, inputSize,
                mirrorAverage ? ", mirror-averaged" : "", provider, mqtt, loadAverage,
                modelFps, modelLatencyMsP50, modelLatencyMsP99, mog2Fps, absdiffFps, pipelineFps, e2eLatencyMsP50, e2eLatencyMsP99,
                pipelineToModelFps, e2eP99ToModelP50, pacedFps, e2ePacedLatencyMsP50, e2ePacedLatencyMsP99, rssMb, allocBytesPerFrame, allocBytesPerFrameAllThreads,
                cpuCoresUsed, threads, targetsMet);
    }
}
