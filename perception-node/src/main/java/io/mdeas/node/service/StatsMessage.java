package io.mdeas.node.service;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Payload of {@code mdeas/<node>/stats}, published every {@code stats.interval_s}. Percentiles are null
 * until something was measured.
 *
 * @param ts              when the stats were taken, epoch ms
 * @param frame           index of the last processed frame (-1 before the first)
 * @param fpsIn           frames captured per second over the last interval
 * @param fpsProcessed    frames processed per second over the last interval
 * @param framesDropped   frames dropped since start (stale, corrupt, wrong size)
 * @param latencyMs       capture → publish latency percentiles, ms
 * @param inferenceMs     model inference time percentiles, ms
 * @param provider        ONNX Runtime execution provider in use
 * @param modelVersion    {@code mdeas.version} of the model
 * @param modelSha256     SHA-256 of the model file, hex: which file a fleet's robots really run
 * @param backgroundAgeS  age of the background image, seconds (null before there is one)
 * @param depthScale      factor the last frame's depth map was multiplied by so that its floor lies where the camera
 *                        mount puts it ({@code depth.floor_anchor}; 1 when off; null before the pipeline runs)
 * @param uptimeS         seconds since the node started
 */
public record StatsMessage(
        @JsonProperty("ts") long ts,
        @JsonProperty("frame") long frame,
        @JsonProperty("fps_in") double fpsIn,
        @JsonProperty("fps_processed") double fpsProcessed,
        @JsonProperty("frames_dropped") long framesDropped,
        @JsonProperty("latency_ms") Percentiles latencyMs,
        @JsonProperty("inference_ms") Percentiles inferenceMs,
        @JsonProperty("provider") String provider,
        @JsonProperty("model_version") String modelVersion,
        @JsonProperty("model_sha256") String modelSha256,
        @JsonProperty("background_age_s") Double backgroundAgeS,
        @JsonProperty("depth_scale") Double depthScale,
        @JsonProperty("uptime_s") double uptimeS) {

    /** Median and 99th percentile, or nulls when nothing was measured. */
    public record Percentiles(@JsonProperty("p50") Double p50, @JsonProperty("p99") Double p99) {
        public static final Percentiles NONE = new Percentiles(null, null);
    }
}
