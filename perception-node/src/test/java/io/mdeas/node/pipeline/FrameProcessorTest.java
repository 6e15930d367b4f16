package io.mdeas.node.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mdeas.node.analysis.BlobExtractor;
import io.mdeas.node.analysis.BlobParams;
import io.mdeas.node.analysis.CameraMount;
import io.mdeas.node.analysis.FloorAnchorParams;
import io.mdeas.node.analysis.FloorAwareScanner;
import io.mdeas.node.analysis.FloorScaleAnchor;
import io.mdeas.node.analysis.EdgeRefiner;
import io.mdeas.node.analysis.ScanParams;
import io.mdeas.node.background.BackgroundParams;
import io.mdeas.node.background.BackgroundState;
import io.mdeas.node.background.RollingBackground;
import io.mdeas.node.inference.MdeasModel;
import io.mdeas.node.inference.ModelOptions;
import io.mdeas.node.publish.EventMessage;
import io.mdeas.node.publish.EventType;
import io.mdeas.node.publish.JsonLinePrintSink;
import io.mdeas.node.publish.ObstacleReport;
import io.mdeas.node.publish.ObstaclesMessage;
import io.mdeas.node.publish.ScanMessage;
import io.mdeas.node.publish.Topic;
import io.mdeas.node.testing.TinyModels;
import io.mdeas.node.tracking.ObstacleTracker;
import io.mdeas.node.tracking.TrackerParams;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameProcessorTest {
    @TempDir
    Path dir;

    @Test
    void anObjectEntersIsTrackedAtItsDistanceAndLeaves() throws Exception {
        Path modelFile = TinyModels.builder().inputSize(64)
                .depth(SyntheticScene.DEPTH_SCALE, SyntheticScene.DEPTH_OFFSET).write(dir.resolve("m.onnx"));
        CollectingSink sink = new CollectingSink();
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        CameraMount mount = new CameraMount(0.15, 0, 70);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        List<FrameResult> results = new ArrayList<>();
        try (MdeasModel model = MdeasModel.load(ModelOptions.DEFAULTS.withPath(modelFile).withProviders(List.of("cpu")));
             RollingBackground bg = new RollingBackground(BackgroundParams.DEFAULTS, 64);
             JsonLinePrintSink print = new JsonLinePrintSink("robot-1", new PrintStream(stdout, true, StandardCharsets.UTF_8));
             FrameProcessor p = new FrameProcessor(model, bg, mount, new BlobExtractor(BlobParams.DEFAULTS),
                     new FloorAwareScanner(ScanParams.DEFAULTS), new ObstacleTracker(TrackerParams.DEFAULTS),
                     List.of(sink, print), new PipelineMetrics(registry, () -> 0), OutputParams.DEFAULTS);
             Mat empty = SyntheticScene.frame(false);
             Mat withObject = SyntheticScene.frame(true)) {
            for (int i = 0; i < 45; i++) {
                Mat f = i >= 10 && i < 30 ? withObject : empty;
                results.add(p.process(f, i, 1_000_000 + i * 100L, System.nanoTime()));
            }
        }

        // Background: learnt from the quiet empty room within the first frames.
        assertEquals(BackgroundState.INITIALISING, results.get(0).background());
        assertEquals(BackgroundState.STABLE, results.get(9).background());

        // The object enters at frame 10: confirmed after 3 of 5 frames, i.e. at frame 12.
        List<EventMessage> events = sink.payloads(Topic.EVENTS, EventMessage.class);
        EventMessage created = events.stream().filter(e -> e.type() == EventType.OBSTACLE_NEW).findFirst().orElseThrow();
        assertEquals(12, created.frame());
        ObstacleReport o = created.obstacle();
        assertEquals(SyntheticScene.depthOf(SyntheticScene.OBJECT), o.distanceM(), 0.05);
        assertTrue(o.bearingDeg() > 5, "object on the left → positive bearing: " + o.bearingDeg());
        // bbox in source pixels: the square is at x 20-60, y 20-56 of a 160x120 frame (model map 64x64).
        List<Integer> bbox = o.bbox();
        assertEquals(20, bbox.get(0), 3);
        assertEquals(20, bbox.get(1), 3);
        assertEquals(40, bbox.get(2), 6);
        assertEquals(36, bbox.get(3), 6);

        // Obstacles published every frame while it exists, then one empty list after it ended (K = 5 frames).
        List<ObstaclesMessage> obstacles = sink.payloads(Topic.OBSTACLES, ObstaclesMessage.class);
        assertEquals(12, obstacles.get(0).frame());
        ObstaclesMessage last = obstacles.get(obstacles.size() - 1);
        assertTrue(last.obstacles().isEmpty());
        assertEquals(34, last.frame());
        assertEquals(last.frame() - 12, obstacles.size() - 1, "one obstacles message per frame while it exists");
        assertTrue(events.stream().anyMatch(e -> e.type() == EventType.OBSTACLE_END && e.frame() == 34));
        assertTrue(events.stream().anyMatch(e -> e.type() == EventType.CHANGE_START));

        // A scan every frame; the object's sector holds its horizontal range, nothing nearer anywhere.
        List<ScanMessage> scans = sink.payloads(Topic.SCAN, ScanMessage.class);
        assertEquals(45, scans.size());
        ScanMessage during = scans.get(20);
        assertNotNull(during.nearestM());
        assertTrue(during.nearestM() >= 1.5 - 0.05 && during.nearestM() < 1.5 / Math.cos(Math.toRadians(35)) + 0.05,
                "nearest " + during.nearestM());
        assertEquals(ScanParams.DEFAULTS.sectors(), during.rangesM().size());

        // The --print lines: one JSON object per message with topic and payload, every payload with ts and frame.
        ObjectMapper mapper = new ObjectMapper();
        String[] lines = stdout.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(sink.messages.size(), lines.length);
        for (String line : lines) {
            JsonNode n = mapper.readTree(line);
            assertTrue(n.get("topic").asText().matches("mdeas/robot-1/(obstacles|scan|events)"), line);
            assertTrue(n.get("payload").has("ts") && n.get("payload").has("frame"), line);
        }
        JsonNode firstObstacles = lines.length > 0 ? java.util.Arrays.stream(lines).map(l -> {
            try {
                return mapper.readTree(l);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).filter(n -> n.get("topic").asText().endsWith("/obstacles")).findFirst().orElseThrow() : null;
        JsonNode first = firstObstacles.get("payload").get("obstacles").get(0);
        for (String field : new String[] {"id", "distance_m", "range_m", "bearing_deg", "bbox", "area_frac", "age_ms"}) {
            assertTrue(first.has(field), "obstacle field " + field + " in " + first);
        }

        // Stage timers exist with their contract names.
        assertEquals(45, registry.get("mdeas.inference.duration").timer().count());
        assertEquals(45, registry.get("mdeas.frame.latency").timer().count());
        // The nearest-obstacle gauge follows the last frame's scan (NaN when nothing is in view).
        float lastNearest = results.get(44).scan().nearest();
        double gauge = registry.get("mdeas.obstacle.nearest").gauge().value();
        assertTrue(Float.isFinite(lastNearest) ? gauge == lastNearest : Double.isNaN(gauge), "gauge " + gauge);
        assertNull(results.get(44).tracking().obstacles().isEmpty() ? null : "obstacles left");
    }

    @Test
    void centreCropKeepsBoxesAndDistancesInSourceFrameCoordinates() throws Exception {
        Path modelFile = TinyModels.builder().inputSize(60)
                .depth(SyntheticScene.DEPTH_SCALE, SyntheticScene.DEPTH_OFFSET).write(dir.resolve("m.onnx"));
        CollectingSink sink = new CollectingSink();
        try (MdeasModel model = MdeasModel.load(ModelOptions.DEFAULTS.withPath(modelFile).withProviders(List.of("cpu")));
             RollingBackground bg = new RollingBackground(BackgroundParams.DEFAULTS, 60);
             // the synthetic scene has no floor for the floor anchor to find, and its exact maps are what is checked
             FrameProcessor p = new FrameProcessor(model, bg, new CameraMount(0.15, 0, 70),
                     EdgeRefiner.off(model.inputSize()),
                     new FloorScaleAnchor(FloorAnchorParams.OFF), new BlobExtractor(BlobParams.DEFAULTS),
                     new FloorAwareScanner(ScanParams.DEFAULTS), new ObstacleTracker(TrackerParams.DEFAULTS),
                     List.of(sink), new PipelineMetrics(new SimpleMeterRegistry(), () -> 0), OutputParams.DEFAULTS,
                     FrameFit.CENTER_CROP);
             Mat empty = SyntheticScene.frame(false);
             Mat withObject = SyntheticScene.frame(true)) {
            for (int i = 0; i < 20; i++) {
                p.process(i >= 10 ? withObject : empty, i, i * 100L, System.nanoTime());
            }
        }
        // The 160x120 frame's centred square is x 20-140; the object (x 20-60, y 20-56) lies inside it.
        ObstacleReport o = sink.payloads(Topic.OBSTACLES, ObstaclesMessage.class).get(0).obstacles().get(0);
        assertEquals(20, o.bbox().get(0), 3);
        assertEquals(20, o.bbox().get(1), 3);
        assertEquals(40, o.bbox().get(2), 5);
        assertEquals(36, o.bbox().get(3), 5);
        assertEquals(SyntheticScene.depthOf(SyntheticScene.OBJECT), o.distanceM(), 0.05);
        double f = 80 / Math.tan(Math.toRadians(35));
        assertEquals(-Math.toDegrees(Math.atan((40 - 80) / f)), o.bearingDeg(), 2.0, "bearing from the source column");
        // Scan: the crop sees only the middle of the field of view; outer sectors have no return.
        ScanMessage scan = sink.payloads(Topic.SCAN, ScanMessage.class).get(15);
        assertNull(scan.rangesM().get(0));
        assertNull(scan.rangesM().get(scan.rangesM().size() - 1));
    }

    @Test
    void whileMovingItPublishesDistancesButNoChangeOrObstacles() throws Exception {
        Path modelFile = TinyModels.builder().inputSize(32)
                .depth(SyntheticScene.DEPTH_SCALE, SyntheticScene.DEPTH_OFFSET).write(dir.resolve("m.onnx"));
        CollectingSink sink = new CollectingSink();
        try (MdeasModel model = MdeasModel.load(ModelOptions.DEFAULTS.withPath(modelFile).withProviders(List.of("cpu")));
             RollingBackground bg = new RollingBackground(BackgroundParams.DEFAULTS, 32);
             FrameProcessor p = new FrameProcessor(model, bg, new CameraMount(0.15, 0, 70),
                     new BlobExtractor(BlobParams.DEFAULTS), new FloorAwareScanner(ScanParams.DEFAULTS),
                     new ObstacleTracker(TrackerParams.DEFAULTS), List.of(sink),
                     new PipelineMetrics(new SimpleMeterRegistry(), () -> 0), OutputParams.DEFAULTS);
             Mat empty = SyntheticScene.frame(false);
             Mat withObject = SyntheticScene.frame(true)) {
            for (int i = 0; i < 10; i++) {
                p.process(empty, i, i * 100L, System.nanoTime());
            }
            bg.setMoving(true);
            for (int i = 10; i < 30; i++) {
                FrameResult r = p.process(i % 2 == 0 ? withObject : empty, i, i * 100L, System.nanoTime());
                assertEquals(BackgroundState.DEPTH_ONLY, r.background());
            }
        }
        assertTrue(sink.payloads(Topic.EVENTS, EventMessage.class).isEmpty());
        assertTrue(sink.payloads(Topic.OBSTACLES, ObstaclesMessage.class).isEmpty());
        List<ScanMessage> scans = sink.payloads(Topic.SCAN, ScanMessage.class);
        assertEquals(30, scans.size());
        assertEquals(1.5, scans.get(20).nearestM(), 0.3, "the object's distance is still in the scan");
    }
}
