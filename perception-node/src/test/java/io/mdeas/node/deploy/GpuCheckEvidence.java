package io.mdeas.node.deploy;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The rule a deploy profile must meet before it lets TensorRT build fp16 engines: a report of
 * {@code scripts/gpu_check.py} for the exact model file (by SHA-256) whose real fp16 run on a GPU kept depth and
 * mask close to the fp32 CPU result. fp16 behaviour is a property of the weights (session 6's models turned depth
 * into NaN), so a new model needs a new check.
 */
final class GpuCheckEvidence {
    static final double MAX_DEPTH_DEVIATION_M = 0.10;
    static final double MAX_MASK_FLIPS_SHARE = 1e-4;
    static final int MIN_SAMPLES = 100;

    // gpu_check.py writes Python's json, which spells a NaN deviation as NaN
    private static final JsonMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    private GpuCheckEvidence() {
    }

    /**
     * Why no report in {@code dir} vouches for the model with {@code modelSha256}: one line per report for that model
     * that fails, or one line saying there is none; empty when a report passes.
     */
    static List<String> whyNoPassingReport(Path dir, String modelSha256) throws IOException {
        List<Path> reports;
        try (Stream<Path> files = Files.list(dir)) {
            reports = files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
        List<String> reasons = new ArrayList<>();
        for (Path report : reports) {
            JsonNode root = JSON.readTree(report.toFile());
            if (!modelSha256.equals(root.path("model_sha256").asText())) {
                continue;
            }
            List<String> failures = failures(root);
            if (failures.isEmpty()) {
                return List.of();
            }
            reasons.add(report.getFileName() + ": " + String.join("; ", failures));
        }
        return reasons.isEmpty() ? List.of("no report in " + dir + " names model_sha256 " + modelSha256) : reasons;
    }

    /** What keeps one report from counting as evidence; empty when it passes. */
    static List<String> failures(JsonNode report) {
        List<String> failures = new ArrayList<>();
        if (!report.path("device").asText().startsWith("cuda")) {
            failures.add("ran on " + report.path("device").asText("?") + ", not a GPU");
        }
        if (report.path("samples").asInt() < MIN_SAMPLES) {
            failures.add(report.path("samples").asInt() + " samples, fewer than " + MIN_SAMPLES);
        }
        if (report.path("fp16_overflow_nodes").asInt(-1) != 0) {
            failures.add("fp32 activations exceed fp16's range in " + report.path("fp16_overflow_nodes").asText("?") + " nodes");
        }
        if (!report.path("saturated_frames").isArray() || !report.path("saturated_frames").isEmpty()) {
            failures.add("saturated frames " + report.path("saturated_frames"));
        }
        JsonNode fp16 = report.path("results").path("torch_cuda_fp16");
        if (fp16.isMissingNode() || fp16.has("error")) {
            failures.add("no real fp16 run" + (fp16.has("error") ? ": " + fp16.path("error").asText() : ""));
            return failures;
        }
        double depth = fp16.path("vs_reference").path("depth_max_m").asDouble(Double.NaN);
        if (!(depth <= MAX_DEPTH_DEVIATION_M)) { // NaN fails too
            failures.add("fp16 moves depth by up to " + depth + " m (limit " + MAX_DEPTH_DEVIATION_M + ")");
        }
        double flips = fp16.path("vs_reference").path("mask_flips_share").asDouble(Double.NaN);
        if (!(flips <= MAX_MASK_FLIPS_SHARE)) {
            failures.add("fp16 flips " + flips + " of the mask pixels (limit " + MAX_MASK_FLIPS_SHARE + ")");
        }
        return failures;
    }

    static JsonNode parse(String json) throws IOException {
        return JSON.readTree(json);
    }
}
