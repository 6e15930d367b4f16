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
    void unknownProviderIsAConfigError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelOptions.DEFAULTS.withProviders(List.of("cuda", "opencl")));
        assertTrue(e.getMessage().contains("opencl"), e.getMessage());
    }
}
