package io.mdeas.node.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.mdeas.node.testing.TinyModels;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Prints what feeding the model costs per frame: input tensors built from Java {@code float[][][][]} each frame
 * versus the node's way (tensors created once over reused direct buffers, refilled in place, pinned outputs).
 * A benchmark that prints numbers, not a test:
 * <pre>
 *   java -cp ... io.mdeas.node.inference.InputTensorBenchmark [size] [runs]
 * </pre>
 */
public final class InputTensorBenchmark {
    private InputTensorBenchmark() {}

    public static void main(String[] args) throws Exception {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 224;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        Path file = Files.createTempFile("mdeas-bench", ".onnx");
        try {
            TinyModels.builder().inputSize(size).write(file);
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (MdeasModel model = MdeasModel.load(ModelOptions.DEFAULTS.withPath(file).withProviders(List.of("cpu")));
                 OrtSession.SessionOptions so = new OrtSession.SessionOptions();
                 OrtSession session = env.createSession(file.toString(), so)) {
                float[][][][] bg = new float[1][3][size][size];
                float[][][][] fg = new float[1][3][size][size];
                double[] arrays = new double[runs];
                double[] direct = new double[runs];
                for (int round = 0; round < 2; round++) { // round 0 = warm-up
                    for (int r = 0; r < runs; r++) {
                        fill(fg, r);
                        long t0 = System.nanoTime();
                        try (OnnxTensor b = OnnxTensor.createTensor(env, bg);
                             OnnxTensor f = OnnxTensor.createTensor(env, fg);
                             OrtSession.Result res = session.run(Map.of("bg", b, "fg_bg", f))) {
                            float[][][][] depth = (float[][][][]) res.get("depth").orElseThrow().getValue();
                            float[][][][] mask = (float[][][][]) res.get("mask").orElseThrow().getValue();
                            if (depth[0][0][0][0] < -1 || mask[0][0][0][0] < -1) {
                                throw new IllegalStateException();
                            }
                        }
                        arrays[r] = (System.nanoTime() - t0) / 1e6;

                        for (int i = 0; i < 3 * size * size; i++) {
                            model.fgInput().put(i, (r + i) % 255 / 255f);
                        }
                        long t1 = System.nanoTime();
                        model.run();
                        if (model.depth().get(0) < -1 || model.mask().get(0) < -1) {
                            throw new IllegalStateException();
                        }
                        direct[r] = (System.nanoTime() - t1) / 1e6;
                    }
                }
                System.out.printf("model %dx%d, %d runs (tiny graph: the difference is the tensor handling)%n", size, size, runs);
                System.out.printf("float[][][][] tensors + copied outputs: median %.3f ms, p90 %.3f ms%n", pct(arrays, 50), pct(arrays, 90));
                System.out.printf("reused direct buffers, pinned outputs:  median %.3f ms, p90 %.3f ms%n", pct(direct, 50), pct(direct, 90));
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static void fill(float[][][][] t, int seed) {
        for (float[][] plane : t[0]) {
            for (float[] row : plane) {
                for (int i = 0; i < row.length; i++) {
                    row[i] = (seed + i) % 255 / 255f;
                }
            }
        }
    }

    private static double pct(double[] v, int p) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, s.length * p / 100)];
    }
}
