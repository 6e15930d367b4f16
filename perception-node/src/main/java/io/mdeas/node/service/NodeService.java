package io.mdeas.node.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.mdeas.node.analysis.CameraMount;
import io.mdeas.node.analysis.FloorAnchorParams;
import io.mdeas.node.background.RollingBackground;
import io.mdeas.node.capture.DemoSource;
import io.mdeas.node.capture.FrameSource;
import io.mdeas.node.capture.SourceOptions;
import io.mdeas.node.capture.SourceState;
import io.mdeas.node.config.ConfigException;
import io.mdeas.node.config.ConfigKeys;
import io.mdeas.node.config.NodeConfig;
import io.mdeas.node.config.StageParams;
import io.mdeas.node.inference.MdeasModel;
import io.mdeas.node.inference.ModelInfo;
import io.mdeas.node.inference.ModelLoadException;
import io.mdeas.node.pipeline.FramePipeline;
import io.mdeas.node.pipeline.PipelineStatus;
import io.mdeas.node.publish.JsonLinePrintSink;
import io.mdeas.node.publish.MessageSink;
import io.mdeas.node.publish.Payloads;
import io.mdeas.node.publish.mqtt.MqttLinkOptions;
import io.mdeas.node.publish.mqtt.MqttSink;
import io.mdeas.node.publish.mqtt.NodeCommands;
import io.micrometer.core.instrument.Gauge;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running node: builds every part from the configuration, starts them, and shuts them down in order.
 * Start order: metrics, model (fails fast), source, background, broker, sinks, pipeline, HTTP, stats,
 * systemd watchdog. Stop order ({@link #close()}): capture stops and the frame in flight finishes, stats stop,
 * MQTT publishes {@code offline} and disconnects, the embedded broker and the HTTP server stop.
 */
public final class NodeService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeService.class);

    private final NodeConfig config;
    private final long startNanos = System.nanoTime();
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final List<MessageSink> sinks = new ArrayList<>();

    private String nodeId;
    private NodeMetrics metrics;
    private BrokerChoice broker;
    private MqttSink mqtt;
    private volatile FramePipeline pipeline;
    private HttpEndpoints http;
    private StatsPublisher stats;
    private SystemdNotifier notifier;
    private FrameWatchdog watchdog;
    private boolean closed;

    private NodeService(NodeConfig config) {
        this.config = config;
    }

    /**
     * Builds and starts the node.
     *
     * @param out where {@code --print} writes JSON lines
     * @throws ModelLoadException when the model cannot be used
     * @throws ConfigException    when the configuration, source, background image or an address is unusable
     */
    public static NodeService start(NodeConfig config, PrintStream out) throws ModelLoadException {
        NodeService s = new NodeService(config);
        try {
            s.startAll(out);
            return s;
        } catch (ModelLoadException | RuntimeException | Error e) {
            s.close();
            throw e;
        }
    }

    private void startAll(PrintStream out) throws ModelLoadException {
        nodeId = resolveNodeId(config.get(ConfigKeys.NODE_ID_KEY));
        log.info("perception-node starting as '{}'; config: {}", nodeId, config.describeOverrides());
        metrics = new NodeMetrics();

        SourceOptions sourceOptions = StageParams.sourceOptions(config);
        FrameSource source;
        try {
            source = FrameSource.create(sourceOptions);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("source.uri = \"" + sourceOptions.uri() + "\" is not allowed: " + e.getMessage());
        }
        MdeasModel model = null;
        RollingBackground background = null;
        try {
            model = MdeasModel.load(StageParams.modelOptions(config));
            CameraMount mount = mountFor(config); // may read the demo clip's camera.json: once
            warnIfMountUntrained(model.info(), mount, StageParams.floorAnchorParams(config));
            background = new RollingBackground(StageParams.backgroundParams(config), model.inputSize());
            Path png = StageParams.backgroundImage(config);
            if (png != null) {
                try {
                    background.initialiseFrom(png);
                } catch (IOException e) {
                    throw new ConfigException("source.background = \"" + png + "\" is not usable: " + e.getMessage());
                }
            }
            broker = BrokerChoice.resolve(config);
            if (config.get(ConfigKeys.OUTPUT_PRINT)) {
                sinks.add(new JsonLinePrintSink(nodeId, out));
            }
            if (broker.enabled()) {
                mqtt = new MqttSink(MqttLinkOptions.from(config, broker.uri(), nodeId), Payloads.mapper(),
                        metrics.registry(), new PipelineCommands());
                sinks.add(mqtt);
            }
            pipeline = FramePipeline.builder()
                    .source(source, sourceOptions)
                    .background(background)
                    .model(model)
                    .mount(mount)
                    .fit(StageParams.frameFit(config))
                    .blobs(StageParams.blobParams(config))
                    .maskEdges(StageParams.maskEdgeParams(config))
                    .depthEdges(StageParams.depthEdgeParams(config))
                    .floorAnchor(StageParams.floorAnchorParams(config))
                    .scan(StageParams.scanParams(config))
                    .tracker(StageParams.trackerParams(config))
                    .output(StageParams.outputParams(config))
                    .sinks(sinks)
                    .registry(metrics.registry())
                    .build();
        } catch (ModelLoadException | RuntimeException e) {
            // Until the pipeline exists, this method owns what it opened.
            if (background != null) {
                background.close();
            }
            if (model != null) {
                model.close();
            }
            source.close();
            throw e;
        }
        ModelInfo info = pipeline.status().model();
        Gauge.builder("mdeas.model.info", () -> 1).tags("provider", info.provider(), "version", info.version(),
                        "mirror_average", String.valueOf(info.mirrorAverage()))
                .description("The model in use (value 1; provider, version and mirror averaging as tags)")
                .register(metrics.registry());

        PipelineHealth pipelineHealth = new PipelineHealth(
                Duration.ofMillis(Math.round(config.get(ConfigKeys.HEALTH_FRAME_TIMEOUT_S) * 1000)), startNanos);
        BrokerHealth brokerHealth = new BrokerHealth(mqtt, config.get(ConfigKeys.MQTT_BROKER));
        Supplier<HealthReport> health = () -> {
            PipelineStatus s = pipeline.status();
            long now = System.nanoTime();
            Map<String, Supplier<HealthCheck>> checks = new LinkedHashMap<>();
            checks.put("camera", () -> pipelineHealth.camera(s, now));
            checks.put("model", () -> pipelineHealth.model(s));
            checks.put("broker", brokerHealth);
            checks.put("background", () -> pipelineHealth.background(s));
            checks.put("depth", () -> pipelineHealth.depth(s));
            return HealthReport.evaluate(checks);
        };
        String listen = config.get(ConfigKeys.HTTP_LISTEN);
        if (!listen.equals("none")) {
            http = HttpEndpoints.start(HostPort.parse(listen), metrics.registry(), health, Payloads.mapper());
        }
        stats = new StatsPublisher(metrics.registry(),
                Duration.ofMillis(Math.round(config.get(ConfigKeys.STATS_INTERVAL_S) * 1000)), sinks,
                () -> {
                    ModelInfo m = pipeline.status().model();
                    return new StatsPublisher.ModelDescription(m.provider(), m.version(), m.sha256());
                },
                () -> pipeline.status().framesProcessed() - 1);
        notifier = SystemdNotifier.fromEnvironment();
        watchdog = new FrameWatchdog(notifier, () -> pipeline.status().lastFrameNanos(),
                FrameWatchdog.DEFAULT_STALL_AFTER, this::statusLine);
        pipeline.start();
        stats.start();
        watchdog.start();
        log.info("perception-node '{}' running: source {}, model {} on {}, MQTT {}, HTTP {}", nodeId,
                sourceOptions.uri(), info.version(), info.provider(), broker.enabled() ? broker.uri() : "off",
                http == null ? "off" : http.baseUrl());
    }

    /** The HTTP server's base URL, or null when it is off. */
    public String httpUrl() {
        return http == null ? null : http.baseUrl();
    }

    /** Asks the node to stop (signal handler, shutdown hook); {@link #awaitEnd()} then returns. */
    public void requestStop() {
        stopRequested.countDown();
    }

    /**
     * Waits until the run is over: the source ended, {@code --max-frames} was reached, processing failed, or a
     * stop was requested.
     *
     * @return the exit code: 0 for a normal end, 1 when processing failed
     * @throws ConfigException when the source could not be opened at all (exit code 2)
     */
    public int awaitEnd() throws InterruptedException {
        while (!pipeline.awaitEnd(Duration.ofMillis(100))) {
            if (stopRequested.await(0, TimeUnit.MILLISECONDS)) {
                log.info("stop requested");
                return 0;
            }
        }
        PipelineStatus s = pipeline.status();
        if (s.failure() != null) {
            log.error("processing failed after {} frames: {}", s.framesProcessed(), s.failure());
            return 1;
        }
        if (s.source().state() == SourceState.FAILED) {
            if (s.framesProcessed() == 0) {
                throw new ConfigException("source.uri = \"" + config.get(ConfigKeys.SOURCE_URI) + "\" is not usable: "
                        + s.source().reason());
            }
            log.error("source {} failed after {} frames: {}", s.source().name(), s.framesProcessed(), s.source().reason());
            return 1;
        }
        log.info("run over: {} frames captured, {} processed, {} dropped ({})", s.framesCaptured(),
                s.framesProcessed(), s.framesDropped(), s.source().reason() == null ? "stopped" : s.source().reason());
        return 0;
    }

    /** Orderly shutdown; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long t0 = System.nanoTime();
        if (notifier != null) {
            notifier.stopping();
        }
        closeQuietly(watchdog, "watchdog");
        closeQuietly(pipeline, "pipeline");
        closeQuietly(stats, "stats");
        for (MessageSink s : sinks) {
            closeQuietly(s, "sink");
        }
        closeQuietly(broker, "embedded broker");
        closeQuietly(http, "HTTP server");
        closeQuietly(notifier, "systemd notifier");
        closeQuietly(metrics, "metrics");
        log.info("perception-node stopped in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    private String statusLine() {
        PipelineStatus s = pipeline.status();
        Gauge fps = metrics.registry().find("mdeas.fps.processed").gauge();
        return String.format(Locale.ROOT, "%.1f fps, %d obstacles, %d frames, MQTT %s",
                fps == null ? 0.0 : fps.value(), s.obstacles(), s.framesProcessed(),
                mqtt == null ? "off" : mqtt.connected() ? "connected" : "disconnected");
    }

    /**
     * The network's own depth scale is only right on a camera mounted like the training data's: say so loudly once
     * when not, and what the floor anchor can and cannot make good.
     */
    static void warnIfMountUntrained(ModelInfo info, CameraMount mount, FloorAnchorParams floorAnchor) {
        List<String> misfits = info.mounts().misfits(mount.heightM(), mount.pitchDeg(), mount.hfovDeg());
        if (!misfits.isEmpty()) {
            log.warn("camera mount outside what model {} was trained for ({}): the network's depth scale is off "
                    + "(roughly by the height ratio){}; set camera.* to the real mount, or train a model for it "
                    + "(model-export generate --camera-height/--pitch/--hfov, see model-export/MODEL_CARD.md)",
                    info.version(), String.join("; ", misfits), floorAnchor.enabled()
                            ? " and depth.floor_anchor corrects it only up to depth.floor_anchor_max_correction="
                                    + floorAnchor.maxCorrection() + " (raise it to cover the height ratio)"
                            : ", and depth.floor_anchor is off: distances and the range scan will be off too");
        }
    }

    /**
     * The camera mount: from the config, except that the bundled demo clip brings its own mount when no
     * camera key was set (so the demo measures true distances out of the box).
     */
    public static CameraMount mountFor(NodeConfig c) {
        boolean cameraKeysSet = c.origin(ConfigKeys.CAMERA_HEIGHT_M) != NodeConfig.Origin.DEFAULT
                || c.origin(ConfigKeys.CAMERA_PITCH_DEG) != NodeConfig.Origin.DEFAULT
                || c.origin(ConfigKeys.CAMERA_HFOV_DEG) != NodeConfig.Origin.DEFAULT;
        if (!c.get(ConfigKeys.SOURCE_URI).equalsIgnoreCase("demo") || cameraKeysSet) {
            return StageParams.cameraMount(c);
        }
        try (InputStream in = DemoSource.class.getResourceAsStream(DemoSource.CAMERA)) {
            if (in == null) {
                return StageParams.cameraMount(c);
            }
            JsonNode j = Payloads.mapper().readTree(in);
            CameraMount m = new CameraMount(j.get("camera_height_m").asDouble(), j.get("pitch_deg").asDouble(),
                    j.get("hfov_deg").asDouble());
            log.info("demo clip: using its camera mount {}", m);
            return m;
        } catch (IOException | RuntimeException e) {
            log.warn("demo clip camera mount unreadable ({}); using the configured one", e.toString());
            return StageParams.cameraMount(c);
        }
    }

    /** {@code node.id}, or the host name made topic-safe. */
    static String resolveNodeId(String configured) {
        if (!configured.isEmpty()) {
            return configured;
        }
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                host = "node";
            }
        }
        String first = host.split("\\.", 2)[0].replaceAll("[^A-Za-z0-9_-]", "-");
        first = first.length() > 64 ? first.substring(0, 64) : first;
        return first.isEmpty() ? "node" : first;
    }

    private static void closeQuietly(AutoCloseable c, String what) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception | LinkageError e) {
            log.warn("closing the {} failed: {}", what, e.toString());
        }
    }

    /** MQTT commands forwarded to the pipeline (ignored until it exists). */
    private final class PipelineCommands implements NodeCommands {
        @Override
        public void resetBackground() {
            FramePipeline p = pipeline;
            if (p != null) {
                p.requestBackgroundReset();
            }
        }

        @Override
        public void setMoving(boolean moving) {
            FramePipeline p = pipeline;
            if (p != null) {
                log.info("command: robot {}", moving ? "moving" : "stopped");
                p.setMoving(moving);
            }
        }
    }
}
