package io.mdeas.node.inference;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.mdeas.node.testing.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MdeasModelTest {
    @TempDir
    Path dir;

    private static void fill(FloatBuffer b, float v) {
        for (int i = 0; i < b.capacity(); i++) {
            b.put(i, v);
        }
    }

    @Test
    void runsTheContractAndReadsTheReusedInputBuffersAtRunTime() throws Exception {
        Path file = TinyModels.builder().inputSize(16).depth(10f, 0.5f).mask(40f, 0.1f).write(dir.resolve("m.onnx"));
        try (MdeasModel model = MdeasModel.load(ModelOptions.DEFAULTS.withPath(file).withProviders(List.of("cpu")))) {
            assertEquals(16, model.inputSize());
            assertEquals("linear", model.info().depthEncoding());
            assertEquals(10f, model.info().maxDepthM());
            assertEquals("tiny-test-1", model.info().version());
            assertEquals(64, model.info().sha256().length());

            fill(model.bgInput(), 0.2f);
            fill(model.fgInput(), 0.2f);
            model.run();
            assertEquals(0.5f + 10f * 0.2f, model.depth().get(0), 1e-4);
            assertTrue(model.mask().get(0) < 0.05f, "no change → mask low");

            // Same tensors, new buffer contents: ONNX Runtime must see them (tensor backed by the buffer, not a copy).
            fill(model.fgInput(), 0.6f);
            model.run();
            int last = 16 * 16 - 1;
            assertEquals(0.5f + 10f * 0.6f, model.depth().get(last), 1e-4);
            assertTrue(model.mask().get(last) > 0.95f, "large change → mask high");
        }
    }

    @Test
    void fallsBackToCpuAndLogsEachUnavailableProviderOnce() throws Exception {
        Path file = TinyModels.builder().write(dir.resolve("m.onnx"));
        Logger logger = (Logger) LoggerFactory.getLogger(MdeasModel.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try (MdeasModel model = MdeasModel.load(ModelOptions.DEFAULTS.withPath(file))) {
            assertEquals(List.of("tensorrt", "cuda", "cpu"), ModelOptions.DEFAULTS.providers());
            assertEquals("cpu", model.info().provider());
        } finally {
            logger.detachAppender(appender);
        }
        List<String> skipped = appender.list.stream().map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.startsWith("execution provider")).toList();
        assertEquals(2, skipped.size(), skipped.toString());
        assertTrue(skipped.get(0).contains("tensorrt") && skipped.get(0).contains("skipped"), skipped.get(0));
        assertTrue(skipped.get(1).contains("cuda") && skipped.get(1).contains("skipped"), skipped.get(1));
    }

    @Test
    void corruptModelGivesOneLineErrorNamingTheFile() {
        Path file = TinyModels.writeCorrupt(dir.resolve("broken.onnx"));
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> MdeasModel.load(ModelOptions.DEFAULTS.withPath(file)));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("not a usable ONNX model"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
        assertEquals(2, ModelLoadException.EXIT_CODE);
    }

    @Test
    void missingFileIsNamed() {
        Path file = dir.resolve("nope.onnx");
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> MdeasModel.load(ModelOptions.DEFAULTS.withPath(file)));
        assertTrue(e.getMessage().contains("nope.onnx") && e.getMessage().contains("not found"), e.getMessage());
    }

    @Test
    void wrongInputNameIsNamed() {
        Path file = TinyModels.builder().inputNames("background", "fg_bg").write(dir.resolve("w.onnx"));
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> MdeasModel.load(ModelOptions.DEFAULTS.withPath(file)));
        assertTrue(e.getMessage().contains("no input 'bg'"), e.getMessage());
    }

    @Test
    void missingMetadataIsNamed() {
        Path file = TinyModels.builder().metadata("mdeas.max_depth_m", null).write(dir.resolve("w.onnx"));
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> MdeasModel.load(ModelOptions.DEFAULTS.withPath(file)));
        assertTrue(e.getMessage().contains("mdeas.max_depth_m"), e.getMessage());
    }

    @Test
    void inputSizeMetadataMustMatchTheShapes() {
        Path file = TinyModels.builder().inputSize(16).metadata("mdeas.input_size", "224").write(dir.resolve("w.onnx"));
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> MdeasModel.load(ModelOptions.DEFAULTS.withPath(file)));
        assertTrue(e.getMessage().contains("shape") && e.getMessage().contains("224"), e.getMessage());
    }

    @Test
    void unsupportedDepthEncodingIsRefused() {
        Path file = TinyModels.builder().metadata("mdeas.depth_encoding", "inverse").write(dir.resolve("w.onnx"));
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> MdeasModel.load(ModelOptions.DEFAULTS.withPath(file)));
        assertTrue(e.getMessage().contains("inverse"), e.getMessage());
    }

    /** The bundled network (not mirror-symmetric, unlike the per-pixel tiny models) on one seeded random pair. */
    @Test
    void mirrorAveragingIsTheMeanOfTheFrameAndItsMirrorImageRunSeparately() throws Exception {
        ModelOptions cpu = ModelOptions.DEFAULTS.withProviders(List.of("cpu"));
        float[] bg;
        float[] fg;
        float[] plainDepth;
        float[] plainMask;
        float[] mirrorDepth;
        float[] mirrorMask;
        int s;
        try (MdeasModel plain = MdeasModel.load(cpu)) {
            assertFalse(plain.info().mirrorAverage());
            s = plain.inputSize();
            java.util.Random random = new java.util.Random(7);
            bg = new float[3 * s * s];
            fg = new float[3 * s * s];
            for (int i = 0; i < bg.length; i++) {
                bg[i] = random.nextFloat();
                // A bright block on the left third of the frame: a change the mirror image sees on the right.
                int x = i % s;
                int y = (i / s) % s;
                fg[i] = x < s / 3 && y > s / 2 ? 0.9f : bg[i];
            }
            plainDepth = new float[s * s];
            plainMask = new float[s * s];
            runOnce(plain, bg, fg, plainDepth, plainMask);
            mirrorDepth = new float[s * s];
            mirrorMask = new float[s * s];
            runOnce(plain, mirror(bg, s, 3), mirror(fg, s, 3), mirrorDepth, mirrorMask);
        }
        mirrorDepth = mirror(mirrorDepth, s, 1);
        mirrorMask = mirror(mirrorMask, s, 1);
        try (MdeasModel averaged = MdeasModel.load(cpu.withMirrorAverage(true))) {
            assertTrue(averaged.info().mirrorAverage());
            float[] depth = new float[s * s];
            float[] mask = new float[s * s];
            runOnce(averaged, bg, fg, depth, mask);
            float moved = 0;
            for (int i = 0; i < s * s; i++) {
                assertEquals(0.5f * (plainDepth[i] + mirrorDepth[i]), depth[i], 1e-3f, "depth at " + i);
                assertEquals(0.5f * (plainMask[i] + mirrorMask[i]), mask[i], 1e-4f, "mask at " + i);
                moved = Math.max(moved, Math.abs(depth[i] - plainDepth[i]));
            }
            assertTrue(moved > 0.01f, "averaging changed no depth by more than 1 cm: " + moved);
            // The caller's input is left as it was given (the mirror copy lives in the second batch slot only).
            assertEquals(fg[0], averaged.fgInput().get(0));
            assertEquals(fg[s - 1], averaged.fgInput().get(s - 1));

            // And run again on the mirror image: the averaged answer is exactly mirror-symmetric.
            float[] depthOfMirror = new float[s * s];
            runOnce(averaged, mirror(bg, s, 3), mirror(fg, s, 3), depthOfMirror, mask);
            float[] back = mirror(depthOfMirror, s, 1);
            for (int i = 0; i < s * s; i++) {
                assertEquals(depth[i], back[i], 1e-3f, "mirror symmetry at " + i);
            }
        }
    }

    private static void runOnce(MdeasModel model, float[] bg, float[] fg, float[] depth, float[] mask) throws Exception {
        model.bgInput().clear();
        model.bgInput().put(bg);
        model.fgInput().clear();
        model.fgInput().put(fg);
        model.run();
        model.depth().get(depth);
        model.mask().get(mask);
    }

    /** Each row of each of the {@code channels} planes reversed. */
    private static float[] mirror(float[] planes, int s, int channels) {
        float[] out = new float[channels * s * s];
        for (int r = 0; r < channels * s; r++) {
            for (int x = 0; x < s; x++) {
                out[r * s + x] = planes[r * s + s - 1 - x];
            }
        }
        return out;
    }

    @Test
    void dynamicSpatialDimensionsUseTheMetadataSize() throws Exception {
        Path file = TinyModels.builder().inputSize(8).dynamicSize(true).write(dir.resolve("d.onnx"));
        try (MdeasModel model = MdeasModel.load(ModelOptions.DEFAULTS.withPath(file).withProviders(List.of("cpu")))) {
            assertEquals(8, model.inputSize());
            fill(model.bgInput(), 0f);
            fill(model.fgInput(), 0.5f);
            model.run();
            assertEquals(5f, model.depth().get(63), 1e-4);
        }
    }

    @Test
    void mirrorAveragingByDefaultOnlyWhereAGpuRunsTheModel() throws Exception {
        ModelOptions.MirrorAverage auto = ModelOptions.DEFAULTS.mirrorAverage();
        assertEquals(ModelOptions.MirrorAverage.AUTO, auto);
        assertTrue(auto.appliesTo("tensorrt") && auto.appliesTo("cuda"));
        assertFalse(auto.appliesTo("cpu"), "the CPU pays the full second pass");
        assertTrue(ModelOptions.MirrorAverage.ON.appliesTo("cpu"));
        assertFalse(ModelOptions.MirrorAverage.OFF.appliesTo("cuda"));
        assertEquals(ModelOptions.MirrorAverage.ON, ModelOptions.MirrorAverage.parse(" True "));
        assertEquals(ModelOptions.MirrorAverage.OFF, ModelOptions.MirrorAverage.parse("false"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelOptions.MirrorAverage.parse("sometimes"));
        assertTrue(e.getMessage().contains("auto, true or false"), e.getMessage());

        // Asked for TensorRT and CUDA, given the CPU (this build has neither): auto resolves to off, a batch of one.
        Path file = TinyModels.builder().inputSize(8).write(dir.resolve("m.onnx"));
        try (MdeasModel model = MdeasModel.load(ModelOptions.DEFAULTS.withPath(file))) {
            assertEquals("cpu", model.info().provider());
            assertFalse(model.info().mirrorAverage());
        }
        try (MdeasModel model = MdeasModel.load(ModelOptions.DEFAULTS.withPath(file).withMirrorAverage(true))) {
            assertTrue(model.info().mirrorAverage());
        }
    }

    @Test
    void unknownProviderIsAConfigError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelOptions.DEFAULTS.withProviders(List.of("cuda", "opencl")));
        assertTrue(e.getMessage().contains("opencl"), e.getMessage());
    }
}
