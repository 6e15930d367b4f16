package io.mdeas.node.bench;

import ai.onnxruntime.OrtException;
import io.mdeas.node.analysis.CameraMount;
import io.mdeas.node.background.RollingBackground;
import io.mdeas.node.capture.FrameSource;
import io.mdeas.node.capture.SourceOptions;
import io.mdeas.node.config.ConfigException;
import io.mdeas.node.config.ConfigKeys;
import io.mdeas.node.config.NodeConfig;
import io.mdeas.node.config.StageParams;
import io.mdeas.node.inference.MdeasModel;
import io.mdeas.node.inference.ModelInfo;
import io.mdeas.node.inference.ModelLoadException;
import io.mdeas.node.publish.MessageSink;
import io.mdeas.node.publish.Payloads;
import io.mdeas.node.publish.mqtt.MqttLinkOptions;
import io.mdeas.node.publish.mqtt.MqttSink;
import io.mdeas.node.publish.mqtt.NodeCommands;
import io.mdeas.node.service.BrokerChoice;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * One benchmark run: the bare model, then the full pipeline, on the same frames of the same source, with the
 * same ONNX Runtime session. See {@link BenchReport} for what comes out.
 */
public final class NodeBenchmark {
    private NodeBenchmark() {}

    /**
     * @param config the node configuration (source, model, stage parameters, MQTT)
     * @param mount  the camera mount (the demo clip's own, for {@code demo})
     */
    public static BenchReport run(NodeConfig config, CameraMount mount, int warmup, int frames)
            throws ModelLoadException, InterruptedException {
        SourceOptions sourceOptions = StageParams.sourceOptions(config);
        double load = ProcessProbe.loadAverage();
        MdeasModel model = MdeasModel.load(StageParams.modelOptions(config));
        ModelInfo info = model.info();
        long[] modelNanos;
        try {
            modelNanos = ModelBenchmark.run(model, unpacedSource(sourceOptions), warmup, frames);
        } catch (IOException e) {
            model.close();
            throw new ConfigException("source.uri = \"" + sourceOptions.uri() + "\" is not usable: " + e.getMessage());
        } catch (OrtException | RuntimeException e) {
            model.close();
            throw new IllegalStateException("the model failed on " + sourceOptions.uri() + ": " + e.getMessage(), e);
        }
        if (modelNanos.length < frames) {
            model.close();
            throw new ConfigException("source.uri = \"" + sourceOptions.uri() + "\" gave only " + modelNanos.length
                    + " frames after the warm-up; ask for fewer --frames or use a longer source");
        }
        LatencyStats m = LatencyStats.of(modelNanos);
        ClassicalBaselines.Speeds classical;
        try {
            classical = ClassicalBaselines.run(unpacedSource(sourceOptions), info.inputSize(), warmup, frames);
        } catch (IOException e) {
            model.close();
            throw new ConfigException("source.uri = \"" + sourceOptions.uri() + "\" is not usable: " + e.getMessage());
        }
        double modelFps = 1000.0 / m.meanMs();

        MeterRegistry registry = wholeRunRegistry(Clock.SYSTEM);
        String mqttMode = config.get(ConfigKeys.MQTT_BROKER);
        PipelineBench.Result p = pipeline(config, mount, sourceOptions, model, registry, warmup, frames, 0);
        Map<String, Double> stages = stageMedians(registry);
        // The same pipeline fed like a camera at 80 % of the rate it just reached: latency without a queue.
        double pacedFps = 0.8 * p.fps();
        PipelineBench.Result paced = null;
        if (isClip(sourceOptions)) {
            MdeasModel again = MdeasModel.load(StageParams.modelOptions(config));
            paced = pipeline(config, mount, sourceOptions, again, new SimpleMeterRegistry(), warmup,
                    Math.max(1, Math.min(frames, (int) Math.ceil(30 * pacedFps))), pacedFps);
        }
        LatencyStats e2e = LatencyStats.of(p.e2eNanos());
        LatencyStats e2ePaced = paced == null ? LatencyStats.of(new long[0]) : LatencyStats.of(paced.e2eNanos());

        Map<String, Long> byThread = new TreeMap<>();
        long pipelineBytes = 0;
        long allBytes = 0;
        for (Map.Entry<String, Long> e : p.allocatedByThread().entrySet()) {
            long perFrame = e.getValue() / p.frames();
            allBytes += e.getValue();
            if (perFrame > 0) {
                byThread.put(e.getKey(), perFrame);
            }
            if (isPipelineThread(e.getKey())) {
                pipelineBytes += e.getValue();
            }
        }
        double fpsRatio = p.fps() / modelFps;
        double e2eRatio = e2e.p99Ms() / m.p50Ms();
        long allocPerFrame = pipelineBytes / p.frames();
        return new BenchReport(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), hostName(), cpuModel(),
                Runtime.getRuntime().availableProcessors(), round(load), System.getProperty("java.version"),
                sourceOptions.uri(), info.source(), info.version(), info.inputSize(), info.provider(),
                StageParams.modelOptions(config).effectiveCpuThreads(), info.mirrorAverage(), mqttMode, warmup, frames,
                round(modelFps), round(m.meanMs()), round(m.p50Ms()), round(m.p99Ms()),
                round(classical.mog2Fps()), round(classical.absdiffFps()),
                round(p.fps()), round(e2e.meanMs()), round(e2e.p50Ms()), round(e2e.p99Ms()), round(e2e.maxMs()),
                round(paced == null ? Double.NaN : pacedFps), e2ePaced.count(), round(e2ePaced.p50Ms()),
                round(e2ePaced.p99Ms()),
                stages, round(p.rssMb()), round(ProcessProbe.peakRssMb()), allocPerFrame, allBytes / p.frames(),
                byThread, round(p.cpuCores()), p.threads(), round(fpsRatio), round(e2eRatio),
                round(e2ePaced.p99Ms() / m.p50Ms()),
                new TreeMap<>(BenchReport.targets(fpsRatio, e2eRatio, e2ePaced.p99Ms() / m.p50Ms(), p.rssMb(),
                        allocPerFrame)));
    }

    /** One pipeline run with its own sinks and broker; {@code pacedFps} 0 = unpaced. Takes ownership of the model. */
    private static PipelineBench.Result pipeline(NodeConfig config, CameraMount mount, SourceOptions sourceOptions,
                                                 MdeasModel model, MeterRegistry registry, int warmup, int frames,
                                                 double pacedFps) throws InterruptedException {
        String mqttMode = config.get(ConfigKeys.MQTT_BROKER);
        List<MessageSink> sinks = new ArrayList<>();
        try (BrokerChoice broker = mqttMode.equals("none") ? new BrokerChoice(null, null) : BrokerChoice.resolve(config)) {
            if (broker.enabled()) {
                MqttSink sink = new MqttSink(MqttLinkOptions.from(config, broker.uri(), "bench"), Payloads.mapper(),
                        registry, NodeCommands.IGNORE);
                sinks.add(sink);
                if (!sink.awaitConnected(Duration.ofSeconds(10))) {
                    model.close();
                    throw new ConfigException("mqtt.broker = \"" + mqttMode + "\": no connection to " + broker.uri()
                            + " within 10 s (" + sink.lastProblem() + ")");
                }
            } else {
                sinks.add(new DiscardingJsonSink());
            }
            RollingBackground background = new RollingBackground(StageParams.backgroundParams(config), model.inputSize());
            FrameSource source;
            try {
                source = unpacedSource(sourceOptions);
            } catch (IOException e) {
                background.close();
                model.close();
                throw new ConfigException("source.uri = \"" + sourceOptions.uri() + "\" is not usable: " + e.getMessage());
            }
            if (pacedFps > 0 && source instanceof LoopedClip clip) {
                clip.pacedAt(pacedFps);
            }
            return PipelineBench.run(config, mount, source, sourceOptions, model, background, sinks, registry, warmup,
                    frames, pacedFps > 0);
        } finally {
            for (MessageSink s : sinks) {
                s.close();
            }
        }
    }

    private static boolean isClip(SourceOptions options) {
        String lower = options.uri().trim().toLowerCase(Locale.ROOT);
        return lower.equals("demo") || lower.startsWith("file:");
    }

    /** The source read as fast as it decodes: the demo clip and video files loop; other sources as they are. */
    static FrameSource unpacedSource(SourceOptions options) throws IOException {
        String uri = options.uri().trim();
        String lower = uri.toLowerCase(Locale.ROOT);
        if (lower.equals("demo")) {
            return LoopedClip.demo();
        }
        if (lower.startsWith("file:")) {
            return LoopedClip.of(Path.of(uri.substring("file:".length())));
        }
        try {
            return FrameSource.create(options.withRealtime(false));
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static boolean isPipelineThread(String name) {
        return name.equals("pipeline") || name.startsWith("capture-") || name.startsWith("mqtt-")
                || name.startsWith("MQTT ");
    }

    private static double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 100) / 100.0 : v;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /**
     * A registry whose percentiles cover the whole measured run. Micrometer's default window decays over two
     * minutes in three rotating buffers, so a median read after the paced run (or after a long one) could come
     * from a partly or wholly emptied window: session 15's two-thread run reported every stage at 0 ms.
     */
    static MeterRegistry wholeRunRegistry(Clock clock) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                return DistributionStatisticConfig.builder().expiry(Duration.ofDays(1)).bufferLength(1).build()
                        .merge(config);
            }
        });
        return registry;
    }

    /** The median of each pipeline stage timer in {@code registry}, in ms, keyed by stage name. */
    static Map<String, Double> stageMedians(MeterRegistry registry) {
        Map<String, Double> stages = new LinkedHashMap<>();
        for (String name : new String[] {"mdeas.preprocess.duration", "mdeas.inference.duration",
                "mdeas.analysis.duration", "mdeas.frame.latency"}) {
            Timer t = registry.find(name).timer();
            if (t != null) {
                double ms = t.mean(TimeUnit.MILLISECONDS); // a timer published without a median
                for (ValueAtPercentile v : t.takeSnapshot().percentileValues()) {
                    if (v.percentile() == 0.5) {
                        ms = v.value(TimeUnit.MILLISECONDS);
                    }
                }
                stages.put(name.replace("mdeas.", "").replace(".duration", ""), round(ms));
            }
        }
        return stages;
    }
}
