package io.mdeas.node.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mdeas.node.analysis.BlobExtractor;
import io.mdeas.node.analysis.BlobParams;
import io.mdeas.node.analysis.CameraMount;
import io.mdeas.node.analysis.FloorAnchorParams;
import io.mdeas.node.analysis.FloorAwareScanner;
import io.mdeas.node.analysis.FloorScaleAnchor;
import io.mdeas.node.analysis.DepthEdgeParams;
import io.mdeas.node.analysis.EdgeRefiner;
import io.mdeas.node.analysis.MaskEdgeParams;
import io.mdeas.node.analysis.ScanParams;
import io.mdeas.node.background.BackgroundParams;
import io.mdeas.node.background.RollingBackground;
import io.mdeas.node.capture.DemoSource;
import io.mdeas.node.capture.FfmpegSource;
import io.mdeas.node.inference.MdeasModel;
import io.mdeas.node.inference.ModelOptions;
import io.mdeas.node.publish.ObstacleReport;
import io.mdeas.node.tracking.ObstacleTracker;
import io.mdeas.node.tracking.TrackerParams;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped model on the bundled demo clip, against the clip's rendered truth: obstacles appear within a few
 * frames of an object entering, the empty room stays (nearly) quiet, and reported distances follow the true
 * nearest distances. Skipped (with a message) until the trained model is bundled.
 */
class DemoClipEndToEndTest {
    /** Frames processed: the first object enters, approaches to 0.4 m and leaves within these. */
    static final int FRAMES = 160;
    /** An object "has entered" once it covers this share of the frame. */
    static final double ENTERED_FRAC = 0.01;
    static final int MAX_FRAMES_TO_APPEAR = 5;

    @TempDir
    Path dir;

    record Truth(Double nearestM, int objectPixels) {}

    @Test
    void obstaclesAppearPromptlyAndTheirDistancesFollowTheTruth() throws Exception {
        // -Dmdeas.e2e.model=FILE runs this test against a candidate export instead of the bundled model.
        String candidate = System.getProperty("mdeas.e2e.model", "");
        Assumptions.assumeTrue(!candidate.isEmpty() || FramePipeline.class.getResource(ModelOptions.BUNDLED_RESOURCE) != null,
                "the trained model is not bundled yet (perception-node/src/main/resources"
                        + ModelOptions.BUNDLED_RESOURCE + "): this end-to-end test runs once it lands");
        // -Dmdeas.e2e.mirror=true runs it with mirror averaging (model.mirror_average; auto is off on the CPU).
        ModelOptions modelOptions = ModelOptions.DEFAULTS.withProviders(List.of("cpu"))
                .withPath(candidate.isEmpty() ? null : Path.of(candidate))
                .withMirrorAverage(ModelOptions.MirrorAverage.parse(System.getProperty("mdeas.e2e.mirror", "auto")));
        // -Dmdeas.e2e.fit=center_crop compares the other way of fitting 4:3 frames to the square input.
        FrameFit fit = FrameFit.valueOf(System.getProperty("mdeas.e2e.fit", "squash").toUpperCase(java.util.Locale.ROOT));
        // -Dmdeas.e2e.floor_anchor=false measures the network's own depth scale (depth.floor_anchor off).
        FloorAnchorParams floorAnchor = Boolean.parseBoolean(System.getProperty("mdeas.e2e.floor_anchor", "true"))
                ? FloorAnchorParams.DEFAULTS : FloorAnchorParams.OFF;
        // -Dmdeas.e2e.mask_edges=false runs the network's own mask (mask.edge_refine off).
        MaskEdgeParams maskEdges = Boolean.parseBoolean(System.getProperty("mdeas.e2e.mask_edges", "true"))
                ? MaskEdgeParams.DEFAULTS : MaskEdgeParams.OFF;
        // -Dmdeas.e2e.depth_edges=true smooths the depth map along the frame too (depth.edge_refine, off by default).
        DepthEdgeParams depthEdges = Boolean.parseBoolean(System.getProperty("mdeas.e2e.depth_edges", "false"))
                ? DepthEdgeParams.ON : DepthEdgeParams.OFF;

        JsonNode camera = new ObjectMapper().readTree(resource(DemoSource.CAMERA));
        CameraMount mount = new CameraMount(camera.get("camera_height_m").asDouble(), camera.get("pitch_deg").asDouble(),
                camera.get("hfov_deg").asDouble());
        int frameArea = camera.get("width").asInt() * camera.get("height").asInt();
        Map<Integer, Truth> truth = readTruth();

        Path clip = dir.resolve("demo.mp4");
        Files.write(clip, resource(DemoSource.CLIP));
        List<FrameResult> results = new ArrayList<>();
        try (MdeasModel model = MdeasModel.load(modelOptions);
             RollingBackground bg = new RollingBackground(BackgroundParams.DEFAULTS, model.inputSize());
             FrameProcessor p = new FrameProcessor(model, bg, mount,
                     new EdgeRefiner(maskEdges, depthEdges, model.inputSize()), new FloorScaleAnchor(floorAnchor),
                     new BlobExtractor(BlobParams.DEFAULTS), new FloorAwareScanner(ScanParams.DEFAULTS), new ObstacleTracker(TrackerParams.DEFAULTS), List.of(),
                     new PipelineMetrics(new SimpleMeterRegistry(), () -> 0), OutputParams.DEFAULTS, fit);
             FfmpegSource source = FfmpegSource.file(clip);
             Mat frame = new Mat()) {
            // A bundled model exported with --model-version provisional-... has not reached the model card's
            // targets yet (issue 3); its accuracy is not held to this test until a trained one replaces it.
            Assumptions.assumeTrue(!candidate.isEmpty() || !model.info().version().startsWith("provisional"),
                    "the bundled model is provisional (" + model.info().version() + ", see model-export/MODEL_CARD.md); "
                            + "run with -Dmdeas.e2e.model=FILE to check a candidate");
            source.open();
            for (int i = 0; i < FRAMES && source.read(frame); i++) {
                results.add(p.process(frame, i, i * 100L, System.nanoTime()));
            }
        }

        int entered = -1;
        for (int i = 0; i < results.size(); i++) {
            if (truth.get(i).objectPixels() >= ENTERED_FRAC * frameArea) {
                entered = i;
                break;
            }
        }
        assertTrue(entered > 0, "the clip's first object enters within the processed frames");

        int firstReported = -1;
        for (int i = entered; i < results.size() && firstReported < 0; i++) {
            if (!results.get(i).tracking().obstacles().isEmpty()) {
                firstReported = i;
            }
        }
        assertTrue(firstReported >= 0 && firstReported - entered <= MAX_FRAMES_TO_APPEAR,
                "object entered at frame " + entered + ", first reported at " + firstReported);

        int quietFrames = 0;
        int falseAlarms = 0;
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i).background().detectsChange() && truth.get(i).objectPixels() == 0) {
                quietFrames++;
                if (!results.get(i).tracking().obstacles().isEmpty()) {
                    falseAlarms++;
                }
            }
        }
        assertTrue(falseAlarms <= 0.1 * quietFrames, falseAlarms + " of " + quietFrames + " empty-room frames had obstacles");

        List<double[]> pairs = new ArrayList<>();
        StringBuilder perFrame = new StringBuilder("frame,object_pixels,true_nearest_m,reported_nearest_m,obstacles\n");
        for (int i = entered; i < results.size(); i++) {
            Double t = truth.get(i).nearestM();
            List<ObstacleReport> obstacles = results.get(i).tracking().obstacles();
            double nearest = obstacles.stream().mapToDouble(ObstacleReport::distanceM).min().orElse(Double.NaN);
            perFrame.append(i).append(',').append(truth.get(i).objectPixels()).append(',').append(t == null ? "" : t)
                    .append(',').append(obstacles.isEmpty() ? "" : nearest).append(',').append(obstacles.size()).append('\n');
            if (t != null && truth.get(i).objectPixels() >= ENTERED_FRAC * frameArea && !obstacles.isEmpty()) {
                pairs.add(new double[] {t, nearest});
            }
        }
        // -Dmdeas.e2e.frames=FILE keeps the per-frame comparison for a closer look at a candidate.
        String framesFile = System.getProperty("mdeas.e2e.frames", "");
        if (!framesFile.isEmpty()) {
            Files.writeString(Path.of(framesFile), perFrame);
        }
        assertTrue(pairs.size() >= 20, "distances compared on " + pairs.size() + " frames");
        double[] relErr = pairs.stream().mapToDouble(pr -> Math.abs(pr[1] - pr[0]) / pr[0]).sorted().toArray();
        double median = relErr[relErr.length / 2];
        double correlation = pearson(pairs);
        System.out.printf("demo end-to-end (" + fit + (modelOptions.mirrorAverage() == ModelOptions.MirrorAverage.ON
                ? ", mirror-averaged" : "") + "): entered %d, reported %d, false alarms %d/%d, median rel. error %.3f,"
                + " correlation %.3f over %d frames%n", entered, firstReported, falseAlarms, quietFrames, median,
                correlation, pairs.size());
        assertTrue(median < 0.3, "median relative distance error " + median);
        assertTrue(correlation > 0.7, "reported distances follow the truth: correlation " + correlation);
    }

    private static double pearson(List<double[]> pairs) {
        double n = pairs.size();
        double mx = pairs.stream().mapToDouble(p -> p[0]).sum() / n;
        double my = pairs.stream().mapToDouble(p -> p[1]).sum() / n;
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (double[] p : pairs) {
            sxy += (p[0] - mx) * (p[1] - my);
            sxx += (p[0] - mx) * (p[0] - mx);
            syy += (p[1] - my) * (p[1] - my);
        }
        return sxy / Math.sqrt(sxx * syy);
    }

    /** truth.csv (frame, ts_ms, nearest_fg_m, n_objects) joined with the per-object pixel counts of objects.csv. */
    private static Map<Integer, Truth> readTruth() throws IOException {
        Map<Integer, Integer> pixels = new HashMap<>();
        List<String> objects = new String(resource("/demo/objects.csv"), StandardCharsets.UTF_8).lines().skip(1).toList();
        for (String line : objects) {
            String[] f = line.split(",");
            pixels.merge(Integer.parseInt(f[0]), Integer.parseInt(f[8]), Integer::sum);
        }
        Map<Integer, Truth> truth = new HashMap<>();
        for (String line : new String(resource(DemoSource.TRUTH), StandardCharsets.UTF_8).lines().skip(1).toList()) {
            String[] f = line.split(",", -1);
            int frame = Integer.parseInt(f[0]);
            Double nearest = f[2].isEmpty() ? null : Double.valueOf(f[2]);
            truth.put(frame, new Truth(nearest, pixels.getOrDefault(frame, 0)));
        }
        return truth;
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = DemoClipEndToEndTest.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("resource " + name + " missing");
            }
            return in.readAllBytes();
        }
    }
}
