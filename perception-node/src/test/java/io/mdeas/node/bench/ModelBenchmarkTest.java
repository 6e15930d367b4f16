package io.mdeas.node.bench;

import io.mdeas.node.capture.ImageDirectorySource;
import io.mdeas.node.inference.MdeasModel;
import io.mdeas.node.inference.ModelOptions;
import io.mdeas.node.testing.TinyModels;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelBenchmarkTest {
    /** Gray frames 1..n of value 5·i (n ≤ 51), so each frame is recognisable in the model's depth output. */
    private static Path grayFrames(Path dir, int n) {
        assertTrue(n <= 51, "gray values stay below 256");
        for (int i = 1; i <= n; i++) {
            try (Mat m = new Mat(48, 64, CV_8UC3, new Scalar(5.0 * i, 5.0 * i, 5.0 * i, 0))) {
                imwrite(dir.resolve(String.format("f%03d.png", i)).toString(), m);
            }
        }
        return dir;
    }

    private static MdeasModel tinyModel(Path dir) throws Exception {
        // depth = mean over channels of fg_bg: the frame the model last saw, read back from its output.
        Path file = TinyModels.builder().inputSize(32).depth(1f, 0f).write(dir.resolve("m.onnx"));
        return MdeasModel.load(ModelOptions.DEFAULTS.withPath(file).withProviders(List.of("cpu")));
    }

    @Test
    void timesEveryFrameAskedForAcrossStagingChunksAndEndsOnTheLastFrame(@TempDir Path dir) throws Exception {
        int frames = 2 * ModelBenchmark.CHUNK + 5;
        int warmup = 3;
        // frame 1 is the background; frames 2.. feed warm-up and timed runs.
        Path images = grayFrames(Files.createDirectories(dir.resolve("img")), 1 + warmup + frames);
        try (MdeasModel model = tinyModel(dir)) {
            long[] ns = ModelBenchmark.run(model, new ImageDirectorySource(images, 0), warmup, frames);
            assertEquals(frames, ns.length);
            for (long t : ns) {
                assertTrue(t > 0, "every timed run has a positive latency");
            }
            float last = 5f * (1 + warmup + frames) / 255f;
            assertEquals(last, model.depth().get(0), 1e-5f, "the last run saw the last frame");
            assertEquals(5f / 255f, model.bgInput().get(0), 1e-6f, "the background input is the first frame");
        }
    }

    @Test
    void aSourceThatEndsEarlyGivesTheTimingsItCould(@TempDir Path dir) throws Exception {
        int available = ModelBenchmark.CHUNK + 2; // after the background frame
        Path images = grayFrames(Files.createDirectories(dir.resolve("img")), 1 + available);
        try (MdeasModel model = tinyModel(dir)) {
            long[] ns = ModelBenchmark.run(model, new ImageDirectorySource(images, 0), 2, 100);
            assertEquals(available - 2, ns.length);
            assertEquals(5f * (1 + available) / 255f, model.depth().get(0), 1e-5f);
        }
    }
}
