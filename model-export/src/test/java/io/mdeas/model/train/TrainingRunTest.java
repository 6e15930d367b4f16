package io.mdeas.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mdeas.model.net.TorchRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tiny end-to-end runs at 32×32: the loss falls, and a resumed run takes exactly the uninterrupted step. */
class TrainingRunTest {

    private static final int SIZE = 32;

    @TempDir
    static Path tmp;

    static Path data;

    @BeforeAll
    static void setUp() throws Exception {
        TorchRuntime.start(null, 1);
        data = TinyDataset.write(tmp.resolve("data"), 4, SIZE, 7);
    }

    private static TrainConfig config(double lr, long epochSamples) {
        return config(lr, epochSamples, false);
    }

    private static TrainConfig config(double lr, long epochSamples, boolean frozenBatchNorm) {
        return config(lr, epochSamples, frozenBatchNorm, 0);
    }

    private static TrainConfig config(double lr, long epochSamples, boolean frozenBatchNorm, double maxGradNorm) {
        return new TrainConfig(data.toString(), data.toString(), SIZE, 4, epochSamples, 4, 11, false,
                new CyclicLrSchedule(lr, lr, 0, 0, 1, 1), LossWeights.original(), 0.5, 0.999, 1e-8, "linear", 10,
                frozenBatchNorm, maxGradNorm);
    }

    private static TrainingRun.Result run(TrainConfig cfg, Path out, long steps, Path resume) throws Exception {
        return run(cfg, out, steps, resume, null);
    }

    private static TrainingRun.Result run(TrainConfig cfg, Path out, long steps, Path resume, Path initFrom)
            throws Exception {
        return TinyRun.of(cfg, out, new TrainingRun.Limits(0, steps, 0, 0), resume, initFrom).run();
    }

    private static Map<String, TensorFile.Tensor> latestParams(Path run) throws Exception {
        return TensorFile.read(run.resolve("latest").resolve(Checkpoint.PARAMS));
    }

    @Test
    void lossFallsOnAFixedTinyBatch() throws Exception {
        Path out = tmp.resolve("falls");
        TrainingRun.Result r = run(config(3e-3, 80), out, 40, null);
        double[] l = r.stepLosses();
        assertEquals(40, l.length);
        double first = l[0];
        double lastAvg = (l[37] + l[38] + l[39]) / 3;
        assertTrue(lastAvg < 0.75 * first, "loss should fall: first " + first + ", last " + lastAvg);
        // 40 steps × 4 images = 2 epochs of 80 images: CSV rows, charts, best checkpoints.
        assertEquals(2, new TrainingLog(out).rows().size());
        assertTrue(Files.isRegularFile(out.resolve("loss.png")));
        assertTrue(Files.isRegularFile(out.resolve("accuracy.png")));
        assertTrue(Files.isRegularFile(out.resolve("best-depth").resolve(Checkpoint.PARAMS)));
        assertTrue(Files.isRegularFile(out.resolve("best-mask").resolve(Checkpoint.METADATA)));

        try (CheckpointPredictor p = CheckpointPredictor.open(out)) {
            assertEquals(SIZE, p.inputSize());
            float[] img = new float[3 * SIZE * SIZE];
            float[] depth = new float[SIZE * SIZE];
            float[] mask = new float[SIZE * SIZE];
            assertTrue(p.predict(img, img, SIZE, depth, mask));
            for (int i = 0; i < depth.length; i++) {
                assertTrue(depth[i] >= 0 && depth[i] <= 10, "depth decoded to metres in [0, 10]");
                assertTrue(mask[i] >= 0 && mask[i] <= 1);
            }
        }
    }

    @Test
    void aDivergedRunStopsWithoutOverwritingTheLastGoodCheckpoint() throws Exception {
        // A factor far below 1 makes every step after the first epoch look diverged: the wiring, not the threshold.
        Path out = tmp.resolve("diverged");
        TrainingRun.Result r = TinyRun.of(config(1e-3, 8), out, new TrainingRun.Limits(0, 30, 0, 0, 1e-6), null, null)
                .run();
        assertTrue(r.diverged(), r.stopReason());
        assertTrue(r.stopReason().startsWith("diverged: loss over the last 10 steps"), r.stopReason());
        // 2 steps per epoch: epochs end (and save latest/) at steps 2, 4, 6, 8; the window is full at step 10, which
        // stops before its own epoch-end save.
        assertEquals(DivergenceWatch.WINDOW, r.step());
        assertEquals(DivergenceWatch.WINDOW - 2, Checkpoint.readMetadata(out.resolve("latest")).step());
    }

    @Test
    void resumingGivesTheSameNextStepAsAnUninterruptedRun() throws Exception {
        TrainConfig cfg = config(1e-3, 8);
        Path straight = tmp.resolve("straight");
        TrainingRun.Result a = run(cfg, straight, 3, null);

        Path split = tmp.resolve("split");
        run(cfg, split, 2, null);
        TrainingRun.Result b = run(null, split, 1, split);

        assertEquals(3, b.step());
        assertEquals(a.lastLoss(), b.lastLoss(), 1e-6 * Math.abs(a.lastLoss()));
        Map<String, TensorFile.Tensor> pa = TensorFile.read(straight.resolve("latest").resolve(Checkpoint.PARAMS));
        Map<String, TensorFile.Tensor> pb = TensorFile.read(split.resolve("latest").resolve(Checkpoint.PARAMS));
        assertEquals(pa.keySet(), pb.keySet());
        for (String k : pa.keySet()) {
            assertArrayEquals(pa.get(k).data(), pb.get(k).data(), 1e-5f, k);
        }
        Map<String, TensorFile.Tensor> oa = TensorFile.read(straight.resolve("latest").resolve(Checkpoint.OPTIMIZER));
        Map<String, TensorFile.Tensor> ob = TensorFile.read(split.resolve("latest").resolve(Checkpoint.OPTIMIZER));
        for (String k : oa.keySet()) {
            assertArrayEquals(oa.get(k).data(), ob.get(k).data(), 1e-6f, k);
        }
    }

    @Test
    void aResumedRunKeepsTakingEpochSnapshotsThoughStoppedBeforeItsFirstEpochEnded() throws Exception {
        // Epochs of 8 images, 4 per step: one step ends no epoch, so no snapshot exists when the session stops.
        Path out = tmp.resolve("snapshots-resumed");
        TinyRun.of(config(1e-3, 8), out, new TrainingRun.Limits(5, 1, 0, 0), null, null).keepEpochSnapshots(true)
                .run();
        assertTrue(Files.notExists(TrainingRun.snapshot(out, 1)));
        assertEquals(5.0, Checkpoint.readMetadata(out.resolve("latest")).runEpochs(), "the run's epoch limit is saved");
        run(null, out, 3, out);
        assertTrue(Files.isRegularFile(TrainingRun.snapshot(out, 1).resolve(Checkpoint.PARAMS)),
                "the resumed session was not asked for snapshots but the run was");
        Path plain = tmp.resolve("no-snapshots");
        run(config(1e-3, 8), plain, 2, null);
        run(null, plain, 4, plain);
        assertTrue(Files.notExists(plain.resolve(TrainingRun.SNAPSHOTS)), "a run without them stays without");
    }

    @Test
    void frozenBatchNormLearnsWeightsAndKeepsTheStartingStatistics() throws Exception {
        Path start = tmp.resolve("bn-start");
        run(config(1e-3, 80), start, 2, null);
        Path frozen = tmp.resolve("bn-frozen");
        run(config(1e-3, 80, true), frozen, 3, null, start.resolve("latest"));
        // A resumed frozen run stays frozen: the flag travels in the checkpoint's configuration.
        run(null, frozen, 1, frozen);

        Map<String, TensorFile.Tensor> before = latestParams(start);
        Map<String, TensorFile.Tensor> after = latestParams(frozen);
        int statistics = 0;
        int gammasMoved = 0;
        int weightsMoved = 0;
        for (String k : before.keySet()) {
            boolean same = Arrays.equals(before.get(k).data(), after.get(k).data());
            if (k.endsWith("runningMean") || k.endsWith("runningVar")) {
                statistics++;
                assertTrue(same, k + " changed although BatchNorm was frozen");
            } else if (k.endsWith("gamma")) {
                gammasMoved += same ? 0 : 1;
            } else if (!same) {
                weightsMoved++;
            }
        }
        assertTrue(statistics > 50, "expected the network's BatchNorm statistics, found " + statistics);
        assertTrue(gammasMoved > 0, "BatchNorm scales should still learn");
        assertTrue(weightsMoved > 0, "convolution weights should learn");

        // Not frozen, the same steps move the statistics.
        Path free = tmp.resolve("bn-free");
        run(config(1e-3, 80), free, 3, null, start.resolve("latest"));
        Map<String, TensorFile.Tensor> moved = latestParams(free);
        assertTrue(before.keySet().stream().filter(k -> k.endsWith("runningVar"))
                .anyMatch(k -> !Arrays.equals(before.get(k).data(), moved.get(k).data())));
    }

    @Test
    void checkpointsSavedBeforeFrozenBatchNormExistedReadAsNotFrozen() throws Exception {
        Path run = tmp.resolve("old-format");
        run(config(1e-3, 80, true), run, 1, null);
        Path json = run.resolve("latest").resolve(Checkpoint.METADATA);
        String text = Files.readString(json);
        assertTrue(text.contains("\"frozenBatchNorm\" : true"), text);
        Files.writeString(json, text.replace(",\n    \"frozenBatchNorm\" : true", ""));
        assertEquals(false, Checkpoint.readMetadata(run.resolve("latest")).config().frozenBatchNorm());
    }

    @Test
    void checkpointsSavedBeforeGradientClippingExistedReadAsUnclipped() throws Exception {
        Path run = tmp.resolve("old-format-clip");
        run(config(1e-3, 80, false, 0.5), run, 1, null);
        Path json = run.resolve("latest").resolve(Checkpoint.METADATA);
        String text = Files.readString(json);
        assertTrue(text.contains(",\n    \"maxGradNorm\" : 0.5"), text);
        assertEquals(0.5, Checkpoint.readMetadata(run.resolve("latest")).config().maxGradNorm());
        Files.writeString(json, text.replace(",\n    \"maxGradNorm\" : 0.5", ""));
        assertEquals(0.0, Checkpoint.readMetadata(run.resolve("latest")).config().maxGradNorm());
    }

    @Test
    void eachEpochReportsItsGradientNormsAndHowOftenTheyWereClipped() throws Exception {
        TrainConfig clipped = config(1e-3, 8, false, 1e-9);
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        new TrainingRun(clipped, tmp.resolve("clipped"), new TrainingRun.Limits(0, 4, 0, 0), null, null,
                new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8), false).run();
        String text = printed.toString(java.nio.charset.StandardCharsets.UTF_8);
        // 4 steps of 4 images, 8 images per epoch: two epochs, every step far over a limit of 1e-9.
        assertTrue(text.matches("(?s).*epoch 1 gradient norm: mean [0-9.e+-]+, largest [0-9.e+-]+; "
                + "scaled down to 1\\.000e-09 on 2 of 2 steps.*"), text);
        assertTrue(text.contains("epoch 2 gradient norm: "), text);
    }

    @Test
    void aNegativeGradientLimitIsRefused() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> config(1e-3, 8, false, -1));
        assertTrue(e.getMessage().startsWith("--max-grad-norm must be 0 (off) or a positive number"), e.getMessage());
    }

    @Test
    void theRecipeLineWritesNumbersAsTheyAreTyped() {
        assertEquals("0.00003", TrainingRun.plain(3e-4 / 10));
        assertEquals("10", TrainingRun.plain(10.0));
        assertEquals("0.000001", TrainingRun.plain(1e-6));
        assertEquals("0.4", TrainingRun.plain(0.4));
    }
}
