package io.mdeas.model.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mdeas.model.cli.ModelExportCli;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MountRangeTest {

    @TempDir
    Path dir;

    @Test
    void aSquashedFourByThreeFrameHasTheCamerasVerticalFocalLength() {
        // A 320x240 frame of a 70-degree camera squashed to 224x224 (what the node feeds the model): rows scale by
        // 224/240, columns by 224/320.
        Camera squashed = new Camera(0, 0.15, 0, 0, -8, 70, 4.0 / 3);
        Camera frame = new Camera(0, 0.15, 0, 0, -8, 70);
        assertEquals(frame.focalPx(320) * 224 / 240, squashed.focalPxY(224, 224), 1e-9);
        assertEquals(frame.focalPx(320) * 224 / 320, squashed.focalPx(224), 1e-9);
        assertEquals(frame.focalPx(320), frame.focalPxY(320, 240), 0, "square pixels stay square");
    }

    @Test
    void camerasAreDrawnInsideTheRange() {
        MountRange robot = new MountRange(0.12, 0.18, -12, -4, 65, 75, 4.0 / 3); // the demo robot's mount ± jitter
        SceneSampler sampler = new SceneSampler(robot);
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < 50; i++) {
            Camera c = sampler.sample(rng).camera();
            assertTrue(c.height() >= 0.12 - 1e-9 && c.height() <= 0.18 + 1e-9, "height " + c.height());
            assertTrue(c.pitchDeg() >= -12 && c.pitchDeg() <= -4, "pitch " + c.pitchDeg());
            assertTrue(c.hfovDeg() >= 65 && c.hfovDeg() <= 75, "hfov " + c.hfovDeg());
            assertEquals(4.0 / 3, c.sensorAspect(), 1e-12);
        }
    }

    @Test
    void generateWritesTheMountIntoCameraJsonAndRefusesBadRanges() throws Exception {
        Path out = dir.resolve("robot");
        int code = ModelExportCli.commandLine().execute("generate", "--out", out.toString(), "--count", "2",
                "--size", "32", "--threads", "1", "--camera-height", "0.12:0.18", "--pitch=-12:-4", "--hfov", "65:75",
                "--sensor-aspect", "4:3");
        assertEquals(0, code);
        JsonNode camera = new ObjectMapper().readTree(out.resolve("camera.json").toFile());
        assertEquals(0.12, camera.get("camera_height_m").get(0).asDouble());
        assertEquals(-4, camera.get("pitch_deg").get(1).asDouble());
        assertEquals(4.0 / 3, camera.get("sensor_aspect").asDouble(), 1e-12);
        assertEquals(2, ModelExportCli.commandLine().execute("generate", "--out", dir.resolve("x").toString(),
                "--count", "1", "--camera-height", "0.3:0.1"));
        assertThrows(IllegalArgumentException.class, () -> MountRange.parseAspect("4:0"));
    }
}
