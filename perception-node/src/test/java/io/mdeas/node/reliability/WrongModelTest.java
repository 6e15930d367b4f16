package io.mdeas.node.reliability;

import io.mdeas.node.cli.PerceptionNodeCli;
import io.mdeas.node.testing.NodeProcess;
import io.mdeas.node.testing.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A wrong model file — random bytes, empty, text, a directory, another ONNX model with other inputs or outputs,
 * wrong shapes or metadata — ends {@code run}, {@code check} and {@code bench} with exit 2 and one line on stderr
 * naming the file, never a stack trace.
 */
class WrongModelTest {
    @TempDir
    Path tmp;

    private record Result(int code, String out, String err) {}

    private static Result cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = PerceptionNodeCli.execute(args, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    private List<Path> wrongModels() throws Exception {
        byte[] random = new byte[4096];
        new Random(42).nextBytes(random);
        Path dir = Files.createDirectories(tmp.resolve("model-dir.onnx"));
        byte[] good = TinyModels.builder().inputSize(32).toBytes();
        return List.of(
                Files.write(tmp.resolve("random.onnx"), random),
                Files.write(tmp.resolve("empty.onnx"), new byte[0]),
                Files.writeString(tmp.resolve("text.onnx"), "this is not a model\n"),
                dir,
                tmp.resolve("missing.onnx"),
                TinyModels.builder().inputSize(32).inputNames("image", "reference").write(tmp.resolve("other-inputs.onnx")),
                TinyModels.builder().inputSize(32).outputNames("disparity", "mask").write(tmp.resolve("other-outputs.onnx")),
                TinyModels.builder().inputSize(32).metadata("mdeas.input_size", "64").write(tmp.resolve("wrong-shape.onnx")),
                TinyModels.builder().inputSize(32).metadata("mdeas.depth_encoding", "disparity").write(tmp.resolve("wrong-encoding.onnx")),
                TinyModels.builder().inputSize(32).metadata("mdeas.max_depth_m", "far").write(tmp.resolve("wrong-meta.onnx")),
                Files.write(tmp.resolve("truncated.onnx"), java.util.Arrays.copyOf(good, good.length / 2)));
    }

    @Test
    void everyWrongModelIsOneLineAndExitTwoInProcess() throws Exception {
        for (Path model : wrongModels()) {
            for (String[] args : List.of(
                    new String[] {"check", "--model", model.toString(), "--set", "model.providers=cpu"},
                    new String[] {"run", "--model", model.toString(), "--set", "model.providers=cpu", "--mqtt", "none",
                            "--http", "none", "--max-frames", "1"},
                    new String[] {"bench", "--model", model.toString(), "--set", "model.providers=cpu", "--frames", "1",
                            "--warmup", "1"})) {
                Result r = cli(args);
                String what = args[0] + " " + model.getFileName() + " → " + r;
                assertEquals(2, r.code(), what);
                assertFalse(r.err().contains("\tat ") || r.out().contains("\tat "), "no stack trace: " + what);
                String name = model.getFileName().toString();
                if (args[0].equals("check") && r.err().isEmpty()) {
                    // check reports each part on stdout, the model's problem on one line (a path that is no file
                    // at all is already refused by the configuration, on stderr like run's).
                    assertEquals(1, r.out().lines().filter(l -> l.startsWith("model: FAILED") && l.contains(name)).count(),
                            "one model line naming the file: " + what);
                } else {
                    assertEquals(1, r.err().lines().count(), "one line: " + what);
                    assertTrue(r.err().startsWith("perception-node: ") && r.err().contains(name), "names the file: " + what);
                }
            }
        }
    }

    @Test
    void aRealProcessPrintsOnlyTheLine() throws Exception {
        byte[] random = new byte[2048];
        new Random(7).nextBytes(random);
        Path model = Files.write(tmp.resolve("random.onnx"), random);
        try (NodeProcess node = NodeProcess.start(tmp, Map.of(), "run", "--model", model.toString(), "--mqtt", "none",
                "--http", "none")) {
            int code = node.awaitExit(Duration.ofSeconds(60));
            String err = node.stderr();
            assertEquals(2, code, err);
            // Start-up log lines may precede it; the error itself is one line and the last, with no stack trace.
            List<String> lines = err.lines().toList();
            assertEquals(1, lines.stream().filter(l -> l.startsWith("perception-node: ")).count(), err);
            assertTrue(lines.get(lines.size() - 1).startsWith("perception-node: model " + model), err);
            assertFalse(err.contains("\tat ") || err.contains("Exception"), "no stack trace: " + err);
        }
    }
}
