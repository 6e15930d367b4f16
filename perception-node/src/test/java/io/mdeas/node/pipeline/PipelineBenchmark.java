package io.mdeas.node.pipeline;

import io.mdeas.node.analysis.CameraMount;
import io.mdeas.node.background.BackgroundParams;
import io.mdeas.node.background.RollingBackground;
import io.mdeas.node.capture.DemoSource;
import io.mdeas.node.capture.FrameSource;
import io.mdeas.node.capture.SourceOptions;
import io.mdeas.node.inference.MdeasModel;
import io.mdeas.node.inference.ModelOptions;
import io.mdeas.node.testing.TinyModels;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Prints per-stage timings of the whole pipeline on the bundled demo clip, read as a file (every frame, no
 * pacing). A benchmark that prints numbers, not a test:
 * <pre>
 *   java -cp ... io.mdeas.node.pipeline.PipelineBenchmark [model.onnx | tiny:SIZE] [threads]
 * </pre>
 * Without a model argument it uses the bundled model, or a tiny 224 model when none is bundled.
 */
public final class PipelineBenchmark {
    private PipelineBenchmark() {}

    public static void main(String[] args) throws Exception {
        String modelArg = args.length > 0 ? args[0] : "";
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        Path work = Files.createTempDirectory("mdeas-bench");
        Path clip = work.resolve("demo.mp4");
        try (InputStream in = PipelineBenchmark.class.getResourceAsStream(DemoSource.CLIP)) {
            Files.copy(in, clip);
        }
        Path modelPath = null;
        if (modelArg.startsWith("tiny:") || (modelArg.isEmpty()
                && PipelineBenchmark.class.getResource(ModelOptions.BUNDLED_RESOURCE) == null)) {
            int size = modelArg.startsWith("tiny:") ? Integer.parseInt(modelArg.substring(5)) : 224;
            modelPath = TinyModels.builder().inputSize(size).write(work.resolve("tiny.onnx"));
        } else if (!modelArg.isEmpty()) {
            modelPath = Path.of(modelArg);
        }
        ModelOptions options = new ModelOptions(modelPath, List.of("cpu"), threads, false, null,
                ModelOptions.MirrorAverage.OFF);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SourceOptions source = SourceOptions.DEFAULTS.withUri("file:" + clip);
        MdeasModel model = MdeasModel.load(options);
        long t0 = System.nanoTime();
        long frames;
        try (FramePipeline p = FramePipeline.builder().source(FrameSource.create(source), source).model(model)
                .background(new RollingBackground(BackgroundParams.DEFAULTS, model.inputSize()))
                .mount(CameraMount.DEFAULTS).sink((topic, payload) -> { }).registry(registry).build()) {
            p.start();
            p.awaitEnd();
            frames = p.status().framesProcessed();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("model %s (%dx%d), %d frames 320x240 in %.1f s: %.1f frames/s%n", model.info().source(),
                model.inputSize(), model.inputSize(), frames, seconds, frames / seconds);
        for (String name : new String[] {"mdeas.preprocess.duration", "mdeas.inference.duration",
                "mdeas.analysis.duration", "mdeas.frame.latency"}) {
            Timer t = registry.get(name).timer();
            ValueAtPercentile[] pct = t.takeSnapshot().percentileValues();
            System.out.printf("%-28s mean %7.2f ms  p50 %7.2f ms  p99 %7.2f ms%n", name, t.mean(TimeUnit.MILLISECONDS),
                    pct[0].value(TimeUnit.MILLISECONDS), pct[1].value(TimeUnit.MILLISECONDS));
        }
        Files.deleteIfExists(work.resolve("tiny.onnx"));
        Files.deleteIfExists(clip);
        Files.deleteIfExists(work);
    }
}
