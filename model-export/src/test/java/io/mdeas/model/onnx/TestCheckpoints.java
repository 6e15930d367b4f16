package io.mdeas.model.onnx;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import io.mdeas.model.data.TinyDatasetWriter;
import io.mdeas.model.net.MdeasNet;
import io.mdeas.model.net.Norms;
import io.mdeas.model.net.TorchRuntime;
import io.mdeas.model.train.Checkpoint;
import io.mdeas.model.train.CheckpointMetadata;
import io.mdeas.model.train.CyclicLrSchedule;
import io.mdeas.model.train.LossWeights;
import io.mdeas.model.train.TrainConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Small checkpoints with non-trivial weights for export tests: batch-norm running statistics calibrated by
 * training-mode passes and then perturbed at random (some negative gammas), random conv biases, and output convs
 * rescaled so depth mostly falls inside the encoding's (0, 1) and mask logits spread around 0 — so folding or
 * ordering bugs show in the outputs instead of vanishing in a clip or a saturated sigmoid.
 */
final class TestCheckpoints {

    static final float MAX_DEPTH_M = 10f;

    /** Input side of {@link #shared()}: the smallest that keeps the deepest layers above 1×1. */
    static final int SHARED_SIZE = 32;

    /** A second input side the shared checkpoint's exports are checked at (the smallest multiple of 16). */
    static final int OTHER_SIZE = 16;

    private static final int CALIBRATION_PASSES = 12;

    private TestCheckpoints() {}

    private static Path shared;

    /**
     * One {@value #SHARED_SIZE} px checkpoint per test JVM (making one costs seconds of CPU), in a temp folder deleted at
     * exit. Tests must not modify it.
     */
    static synchronized Path shared() throws IOException {
        if (shared == null) {
            Path dir = Files.createTempDirectory("mdeas-onnx-test");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir), "delete-test-checkpoint"));
            shared = write(dir.resolve("run/latest"), SHARED_SIZE, 5);
        }
        return shared;
    }

    private static void deleteTree(Path dir) {
        try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort at JVM exit
        }
    }

    /** Writes a checkpoint for {@code size}×{@code size} inputs into {@code dir}. */
    static Path write(Path dir, int size, long seed) throws IOException {
        TorchRuntime.start(null, 2);
        Engine.getInstance().setRandomSeed((int) seed);
        SplittableRandom r = new SplittableRandom(seed);
        try (NDManager m = NDManager.newBaseManager()) {
            MdeasNet net = MdeasNet.initialized(m, size);
            for (MdeasNet.Layer l : net.layers()) {
                if (l.block() instanceof Conv2d c && c.isIncludeBias()) {
                    set(c, "bias", r, -0.05, 0.05);
                }
            }
            ParameterStore ps = new ParameterStore(m, false);
            // Training-mode passes pull the running statistics towards the activation statistics; with DJL's
            // momentum 0.9, k passes leave 0.9^k of the initial mean 0 / var 1, which is then taken out again.
            // Small inputs keep this cheap; a batch of 4 gives the 1x1 bottleneck layers a few values per pass.
            for (int i = 0; i < CALIBRATION_PASSES; i++) {
                try (NDManager step = m.newSubManager()) {
                    NDArray bg = step.randomUniform(0, 1, new Shape(4, 3, 16, 16));
                    NDArray fg = step.randomUniform(0, 1, new Shape(4, 3, 16, 16));
                    net.forward(ps, new NDList(bg, fg), true);
                }
            }
            for (MdeasNet.Layer l : net.layers()) {
                if (l.block() instanceof BatchNorm bn) {
                    unbias(bn);
                    perturb(bn, r);
                }
            }
            calibrateOutput(m, net, net.depthOut(), size, 0.5, 0.25);
            calibrateOutput(m, net, net.maskOut(), size, 0.0, 2.0);
            Checkpoint.save(dir, net, null, metadata(size, seed));
        }
        return dir;
    }

    /** A few 'size' samples in the DATASET.md layout: noise backgrounds, a changed rectangle, depth 1–9 m. */
    static Path dataset(Path dir, int size, int count, long seed) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder index = new StringBuilder("id,bg,fg_bg,mask,depth\n");
        for (int i = 0; i < count; i++) {
            String id = "s" + i;
            long s = r.nextLong();
            int x0 = r.nextInt(size / 2);
            int y0 = r.nextInt(size / 2);
            int colour = r.nextInt(0x1000000);
            TinyDatasetWriter.PixelFunction bg = (x, y) -> (int) (new SplittableRandom(s + y * 997L + x).nextInt(0x1000000));
            TinyDatasetWriter.rgb(dir.resolve("bg/" + id + ".png"), size, size, bg);
            TinyDatasetWriter.rgb(dir.resolve("fg_bg/" + id + ".png"), size, size,
                    (x, y) -> inside(x, y, x0, y0, size) ? colour : bg.at(x, y));
            TinyDatasetWriter.gray8(dir.resolve("mask/" + id + ".png"), size, size,
                    (x, y) -> inside(x, y, x0, y0, size) ? 255 : 0);
            TinyDatasetWriter.gray16(dir.resolve("depth/" + id + ".png"), size, size, (x, y) -> 1000 + 8000 * y / size);
            index.append(id).append(",bg/").append(id).append(".png,fg_bg/").append(id).append(".png,mask/")
                    .append(id).append(".png,depth/").append(id).append(".png\n");
        }
        Files.writeString(dir.resolve("index.csv"), index);
        return dir;
    }

    private static boolean inside(int x, int y, int x0, int y0, int size) {
        return x >= x0 && y >= y0 && x < x0 + size / 3 && y < y0 + size / 3;
    }

    static CheckpointMetadata metadata(int size, long seed) {
        TrainConfig config = new TrainConfig("/data/train", "/data/val", size, 2, 8, 4, seed, true,
                CyclicLrSchedule.original(), LossWeights.original(), 0.9, 0.999, 1e-8, "linear", MAX_DEPTH_M, false, 0);
        return new CheckpointMetadata(MdeasNet.ARCHITECTURE, size, "linear", MAX_DEPTH_M, "latest", config, 0.5, 4,
                8, 8, 0, 1.5, 2.0, Map.of("seed", 11, "samples", 100, "width", size), null,
                Map.of("mask_miou", 0.61, "depth_ssim", 0.42), 0.42, 0.61, null, "2026-11-25T20:00:00Z", 50.0, false);
    }

    private static void set(Conv2d conv, String name, SplittableRandom r, double lo, double hi) {
        NDArray a = conv.getParameters().get(name).getArray();
        float[] v = new float[(int) a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (lo + (hi - lo) * r.nextDouble());
        }
        a.set(v);
    }

    /** Removes the initial statistics' share: running = m^k·init + (1 − m^k)·batch, init mean 0, var 1. */
    private static void unbias(BatchNorm bn) {
        double keep = Math.pow(Norms.MOMENTUM_DJL, CALIBRATION_PASSES);
        NDArray mean = bn.getParameters().get("runningMean").getArray();
        NDArray var = bn.getParameters().get("runningVar").getArray();
        float[] mv = mean.toFloatArray();
        float[] vv = var.toFloatArray();
        for (int c = 0; c < mv.length; c++) {
            mv[c] = (float) (mv[c] / (1 - keep));
            // The floor keeps nearly dead channels from getting huge scales: a random network is badly
            // conditioned enough already, and parity is checked with absolute tolerances.
            vv[c] = (float) Math.max(0.05, (vv[c] - keep) / (1 - keep));
        }
        mean.set(mv);
        var.set(vv);
    }

    private static void perturb(BatchNorm bn, SplittableRandom r) {
        NDArray mean = bn.getParameters().get("runningMean").getArray();
        NDArray var = bn.getParameters().get("runningVar").getArray();
        NDArray gamma = bn.getParameters().get("gamma").getArray();
        NDArray beta = bn.getParameters().get("beta").getArray();
        int n = (int) mean.size();
        float[] mv = mean.toFloatArray();
        float[] vv = var.toFloatArray();
        float[] g = new float[n];
        float[] b = new float[n];
        for (int c = 0; c < n; c++) {
            mv[c] += (float) (0.1 * (r.nextDouble() - 0.5) * Math.sqrt(vv[c]));
            vv[c] = (float) Math.max(1e-4, vv[c] * (0.8 + 0.45 * r.nextDouble()));
            g[c] = (float) ((r.nextDouble() < 0.1 ? -1 : 1) * (0.6 + 0.8 * r.nextDouble()));
            b[c] = (float) (0.2 * (r.nextDouble() - 0.5));
        }
        mean.set(mv);
        var.set(vv);
        gamma.set(g);
        beta.set(b);
    }

    /** Rescales a 1-channel output conv so its output over random inputs has the given mean and spread. */
    private static void calibrateOutput(NDManager m, MdeasNet net, Conv2d conv, int size, double mean, double std) {
        float[] out;
        try (NDManager step = m.newSubManager()) {
            NDArray bg = step.randomUniform(0, 1, new Shape(2, 3, size, size));
            NDArray fg = step.randomUniform(0, 1, new Shape(2, 3, size, size));
            NDList y = net.forward(new ParameterStore(step, false), new NDList(bg, fg), false);
            NDArray o = conv == net.depthOut() ? y.get(0) : logit(y.get(1));
            out = o.toFloatArray();
        }
        double mu = 0;
        for (float v : out) {
            mu += v;
        }
        mu /= out.length;
        double var = 0;
        for (float v : out) {
            var += (v - mu) * (v - mu);
        }
        double sd = Math.sqrt(var / out.length) + 1e-6;
        double k = std / sd;
        NDArray w = conv.getParameters().get("weight").getArray();
        NDArray b = conv.getParameters().get("bias").getArray();
        float bias = b.toFloatArray()[0];
        w.set(w.mul(k).toFloatArray());
        b.set(new float[] {(float) (mean + (bias - mu) * k)});
    }

    private static NDArray logit(NDArray p) {
        NDArray c = p.clip(1e-6f, 1 - 1e-6f);
        return c.div(c.neg().add(1)).log();
    }

}
