package io.mdeas.node.service;

import io.mdeas.node.publish.MessageSink;
import io.mdeas.node.publish.Payloads;
import io.mdeas.node.publish.Topic;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every {@code stats.interval_s}: samples the pipeline's meters into the fps gauges and publishes a
 * {@link StatsMessage} to every sink. Reads only the shared meter registry (by the agreed meter names), so
 * it needs nothing from the pipeline but the model description and the last frame index.
 */
public final class StatsPublisher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StatsPublisher.class);

    /** What the model runs on, for the stats message; fetched each time (the provider can change on fallback). */
    public record ModelDescription(String provider, String version, String sha256) {}

    private final MeterRegistry registry;
    private final List<MessageSink> sinks;
    private final Supplier<ModelDescription> model;
    private final LongSupplier lastFrame;
    private final long startNanos = System.nanoTime();
    private final Duration interval;
    private ScheduledExecutorService timer;

    // Sampling state, touched only by the stats thread (or a test calling sample()).
    private long lastSampleNanos = startNanos;
    private double lastCaptured;
    private double lastProcessed;
    private volatile double fpsIn;
    private volatile double fpsProcessed;

    public StatsPublisher(MeterRegistry registry, Duration interval, List<MessageSink> sinks,
                          Supplier<ModelDescription> model, LongSupplier lastFrame) {
        this.registry = registry;
        this.interval = interval;
        this.sinks = List.copyOf(sinks);
        this.model = model;
        this.lastFrame = lastFrame;
        Gauge.builder("mdeas.fps.in", this, s -> s.fpsIn).description("Frames captured per second (last stats interval)")
                .register(registry);
        Gauge.builder("mdeas.fps.processed", this, s -> s.fpsProcessed)
                .description("Frames processed per second (last stats interval)").register(registry);
    }

    /** Starts the periodic publication on the thread {@code stats}. */
    public void start() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, "stats");
            th.setDaemon(true);
            return th;
        });
        long periodMs = Math.max(1, interval.toMillis());
        t.scheduleAtFixedRate(this::publishNow, periodMs, periodMs, TimeUnit.MILLISECONDS);
        timer = t;
    }

    /** Samples and publishes one stats message now. */
    public void publishNow() {
        try {
            StatsMessage m = sample();
            for (MessageSink s : sinks) {
                s.publish(Topic.STATS, m);
            }
        } catch (RuntimeException e) {
            // A failing tick must not cancel the schedule.
            log.warn("stats publication failed: {}", e.toString());
        }
    }

    /** Takes the rates since the previous sample and the current percentiles. */
    public synchronized StatsMessage sample() {
        long now = System.nanoTime();
        double captured = sum("mdeas.frames.captured");
        double processed = sum("mdeas.frames.processed");
        double dt = (now - lastSampleNanos) / 1e9;
        if (dt > 0) {
            fpsIn = Payloads.round3((captured - lastCaptured) / dt);
            fpsProcessed = Payloads.round3((processed - lastProcessed) / dt);
        }
        lastSampleNanos = now;
        lastCaptured = captured;
        lastProcessed = processed;
        ModelDescription md = model.get();
        Gauge age = registry.find("mdeas.background.age").gauge();
        Double ageS = age == null || !Double.isFinite(age.value()) ? null : Payloads.round3(age.value());
        Gauge scale = registry.find("mdeas.depth.floor_scale").gauge();
        Double depthScale = scale == null ? null : Payloads.round3(scale.value());
        return new StatsMessage(System.currentTimeMillis(), lastFrame.getAsLong(), fpsIn, fpsProcessed,
                (long) sum("mdeas.frames.dropped"), percentiles("mdeas.frame.latency"),
                percentiles("mdeas.inference.duration"), md.provider(), md.version(), md.sha256(), ageS, depthScale,
                Payloads.round3((now - startNanos) / 1e9));
    }

    private double sum(String counter) {
        return registry.find(counter).counters().stream().mapToDouble(Counter::count).sum();
    }

    private StatsMessage.Percentiles percentiles(String timerName) {
        Timer t = registry.find(timerName).timer();
        if (t == null || t.count() == 0) {
            return StatsMessage.Percentiles.NONE;
        }
        HistogramSnapshot s = t.takeSnapshot();
        Double p50 = null;
        Double p99 = null;
        for (ValueAtPercentile v : s.percentileValues()) {
            double ms = Payloads.round3(v.value(TimeUnit.MILLISECONDS));
            if (Math.abs(v.percentile() - 0.5) < 1e-9) {
                p50 = ms;
            } else if (Math.abs(v.percentile() - 0.99) < 1e-9) {
                p99 = ms;
            }
        }
        return new StatsMessage.Percentiles(p50, p99);
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
            try {
                timer.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
