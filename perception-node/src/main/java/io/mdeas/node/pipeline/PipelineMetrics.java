package io.mdeas.node.pipeline;

import io.mdeas.node.analysis.FloorScaleAnchor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.function.DoubleSupplier;

/**
 * The pipeline's meters (names fixed by the node contract): frame counters, stage timers with p50/p99 and
 * percentile histograms, the background age, nearest-obstacle and depth-scale gauges.
 */
public final class PipelineMetrics {
    public static final String DROP_STALE = "stale";

    final Counter captured;
    final Counter processed;
    final Counter droppedStale;
    final Counter droppedCorrupt;
    final Counter droppedWrongSize;
    final Timer preprocess;
    final Timer inference;
    final Timer analysis;
    final Timer latency;
    /** Range (m) to the nearest scan return of the last frame; NaN when nothing is in view (Prometheus shows no
     *  value rather than a fake distance). */
    private volatile double nearestM = Double.NaN;
    /** Factor the last frame's depth map was multiplied by (the floor anchor's). */
    private volatile double depthScale = 1.0;
    final Counter floorTooLittle;
    final Counter floorImplausible;

    public PipelineMetrics(MeterRegistry registry, DoubleSupplier backgroundAgeS) {
        captured = Counter.builder("mdeas.frames.captured").description("frames read from the source").register(registry);
        processed = Counter.builder("mdeas.frames.processed").description("frames through the whole pipeline").register(registry);
        droppedStale = dropped(registry, DROP_STALE);
        droppedCorrupt = dropped(registry, "corrupt");
        droppedWrongSize = dropped(registry, "wrong_size");
        preprocess = timer(registry, "mdeas.preprocess.duration", "background + resize + input tensors");
        inference = timer(registry, "mdeas.inference.duration", "ONNX Runtime run");
        analysis = timer(registry, "mdeas.analysis.duration",
                "mask edges, floor anchor, blobs, distances and range scan");
        latency = timer(registry, "mdeas.frame.latency", "capture to published");
        Gauge.builder("mdeas.background.age", backgroundAgeS::getAsDouble).baseUnit("seconds")
                .description("age of the current background").strongReference(true).register(registry);
        Gauge.builder("mdeas.obstacle.nearest", this, m -> m.nearestM).baseUnit("meters")
                .description("range over the floor to the nearest obstacle part (scan nearest_m), NaN when none")
                .strongReference(true).register(registry);
        Gauge.builder("mdeas.depth.floor_scale", this, m -> m.depthScale)
                .description("factor the network's depth maps are multiplied by so that the floor lies where the camera "
                        + "mount puts it (1 with depth.floor_anchor off)")
                .strongReference(true).register(registry);
        floorTooLittle = floorHeld(registry, "too_little_floor");
        floorImplausible = floorHeld(registry, "implausible");
    }

    private static Counter floorHeld(MeterRegistry registry, String reason) {
        return Counter.builder("mdeas.depth.floor_anchor.held").tag("reason", reason)
                .description("frames whose floor could not fix the depth scale; the last factor was kept")
                .register(registry);
    }

    void floorAnchor(FloorScaleAnchor.Outcome outcome, float factor) {
        depthScale = factor;
        switch (outcome) {
            case TOO_LITTLE_FLOOR -> floorTooLittle.increment();
            case IMPLAUSIBLE -> floorImplausible.increment();
            default -> { }
        }
    }

    void nearest(float rangeM) {
        nearestM = Float.isFinite(rangeM) ? rangeM : Double.NaN;
    }

    private static Counter dropped(MeterRegistry registry, String reason) {
        return Counter.builder("mdeas.frames.dropped").tag("reason", reason).description("frames not processed")
                .register(registry);
    }

    private static Timer timer(MeterRegistry registry, String name, String description) {
        return Timer.builder(name).description(description).publishPercentiles(0.5, 0.99)
                .publishPercentileHistogram().register(registry);
    }

    void dropped(String reason) {
        switch (reason) {
            case DROP_STALE -> droppedStale.increment();
            case "corrupt" -> droppedCorrupt.increment();
            default -> droppedWrongSize.increment();
        }
    }

    long droppedTotal() {
        return (long) (droppedStale.count() + droppedCorrupt.count() + droppedWrongSize.count());
    }

    public Timer preprocessTimer() {
        return preprocess;
    }

    public Timer inferenceTimer() {
        return inference;
    }

    public Timer analysisTimer() {
        return analysis;
    }

    public Timer latencyTimer() {
        return latency;
    }
}
