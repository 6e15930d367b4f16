package io.mdeas.model.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo clip: empty start, objects that come close, truth that matches the frames. */
class SequenceRendererTest {

    @TempDir
    Path tmp;

    @Test
    void clipStartsEmptyThenObjectsApproachToAboutFortyCentimetres() throws IOException {
        int frames = 60;
        double fps = 2; // 30 s of clip in few small frames
        List<SequenceRenderer.FrameTruth> truth = new SequenceRenderer(3, 80, 60, fps, frames).render(tmp, 2, true);
        assertEquals(frames, truth.size());
        for (int f = 0; f < 4; f++) {
            assertEquals(0, truth.get(f).visibleObjects(), "the first seconds are empty (frame " + f + ")");
        }
        long withObjects = truth.stream().filter(t -> t.visibleObjects() > 0).count();
        assertTrue(withObjects > frames / 3, "objects are in view for a good part of the clip: " + withObjects);
        double nearest = truth.stream().mapToDouble(SequenceRenderer.FrameTruth::nearestFgM)
                .filter(d -> !Double.isNaN(d)).min().orElseThrow();
        assertTrue(nearest > 0.3 && nearest < 0.55, "one object comes up to about 0.4 m, nearest was " + nearest);
        List<String> rows = Files.readAllLines(tmp.resolve("truth.csv"));
        assertEquals(frames + 1, rows.size());
        assertEquals("frame,ts_ms,nearest_fg_m,n_objects", rows.get(0));
        assertEquals("1,500,,0", rows.get(2));
        for (int f = 0; f < frames; f++) {
            assertTrue(Files.size(tmp.resolve(String.format("frames/%06d.png", f))) > 0);
        }
        assertTrue(Files.exists(tmp.resolve("camera.json")));
        DatasetIndex index = DatasetIndex.open(tmp.resolve("dataset"));
        assertEquals(frames, index.size());
    }
}
