package io.mdeas.model.cli;

import io.mdeas.model.data.DatasetIndex;
import io.mdeas.model.net.TorchRuntime;
import io.mdeas.model.train.Checkpoint;
import io.mdeas.model.train.CheckpointMetadata;
import io.mdeas.model.train.CyclicLrSchedule;
import io.mdeas.model.train.LossWeights;
import io.mdeas.model.train.TrainConfig;
import io.mdeas.model.train.TrainingRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code train}: trains the MDEAS network on a dataset folder with checkpoints, CSV log and charts in the run
 * folder. {@code --resume} continues a run exactly (its saved configuration wins); {@code --init-from} starts
 * a new run from a checkpoint's weights (e.g. a 112 px run fine-tuned at 224).
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train the MDEAS network (DJL, PyTorch engine, CPU).")
public final class TrainCommand implements Callable<Integer> {

    @Option(names = "--data", description = "Training dataset folder (DATASET.md layout).")
    Path data;

    @Option(names = "--val-data", description = "Validation dataset folder; without it no validation or best-* checkpoints.")
    Path valData;

    @Option(names = "--out", required = true, description = "Run folder: latest/, best-depth/, best-mask/, training_log.csv, charts.")
    Path out;

    @Option(names = "--resume", description = "Run folder or checkpoint to continue exactly (its saved configuration is used).")
    Path resume;

    @Option(names = "--init-from", description = "Checkpoint whose weights start this new run (no optimiser state).")
    Path initFrom;

    @Option(names = "--size", defaultValue = "112", description = "Input side, multiple of 16 (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--batch", defaultValue = "16", description = "Images per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--epochs", description = "Total epochs of the run; 0 = no epoch limit (default: " + DEFAULT_EPOCHS
            + "; with --resume, the limit the run was started with).")
    Double epochs;

    static final int DEFAULT_EPOCHS = 50;

    @Option(names = "--epoch-samples", defaultValue = "0", description = "Images per epoch (schedule unit, validation period); 0 = dataset size.")
    long epochSamples;

    @Option(names = "--max-minutes", defaultValue = "0", description = "Stop this session after so many minutes, after saving latest/ (0 = no limit).")
    double maxMinutes;

    @Option(names = "--epoch-snapshots", description = "Keep the weights of every finished epoch in snapshots/epoch-NNNN/ "
            + "(for average); a resumed run that kept them keeps them without it.")
    boolean epochSnapshots;

    @Option(names = "--max-steps", defaultValue = "0", description = "Stop this session after so many steps (0 = no limit).")
    long maxSteps;

    @Option(names = "--checkpoint-minutes", defaultValue = "10", description = "Also save latest/ every so many minutes (default: ${DEFAULT-VALUE}).")
    double checkpointMinutes;

    @Option(names = "--divergence-factor", defaultValue = "3", description = "Stop without saving once the loss of the "
            + "last 10 steps averages more than this many times the session's best epoch mean; latest/ keeps the last "
            + "good save (0 = never; default: ${DEFAULT-VALUE}). Exit status 3.")
    double divergenceFactor;

    @Option(names = "--val-samples", defaultValue = "500", description = "Validate on at most this many samples (default: ${DEFAULT-VALUE}).")
    int valSamples;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of initial weights, data order and flips (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--no-flip", description = "Do not mirror training samples at random.")
    boolean noFlip;

    @Option(names = "--lr-min", defaultValue = "1e-5") double lrMin;
    @Option(names = "--lr-max", defaultValue = "1e-3") double lrMax;
    @Option(names = "--warmup-epochs", defaultValue = "5") double warmupEpochs;
    @Option(names = "--cycles", defaultValue = "3") int cycles;
    @Option(names = "--edge-epochs", defaultValue = "5", description = "Epochs per cycle edge and per decay step.") double edgeEpochs;
    @Option(names = "--lr-decay", defaultValue = "10", description = "LR divisor at every edge after the cycles.") double lrDecay;
    @Option(names = "--beta1", defaultValue = "0.5") double beta1;
    @Option(names = "--beta2", defaultValue = "0.999") double beta2;
    @Option(names = "--max-grad-norm", defaultValue = "0", description = "Scale the gradients down to this global "
            + "L2 norm before an update where they exceed it (0 = off, the original recipe). Each epoch prints the "
            + "mean and largest norm to choose it from.")
    double maxGradNorm;
    @Option(names = "--adam-eps", defaultValue = "1e-8") double adamEps;
    @Option(names = "--w-ssim-depth", defaultValue = "2.0") double wSsimDepth;
    @Option(names = "--w-ssim-mask", defaultValue = "0.4") double wSsimMask;
    @Option(names = "--w-mse-depth", defaultValue = "0.1") double wMseDepth;
    @Option(names = "--w-mse-mask", defaultValue = "1.0") double wMseMask;
    @Option(names = "--w-l1-depth", defaultValue = "1e-6") double wL1Depth;
    @Option(names = "--w-l1-mask", defaultValue = "1e-6") double wL1Mask;
    @Option(names = "--w-dice-mask", defaultValue = "0", description = "Soft Dice loss on the mask, per image: small objects count as much as large ones (default: ${DEFAULT-VALUE}, the original loss).") double wDiceMask;
    @Option(names = "--w-fg-depth", defaultValue = "0", description = "Extra weight of foreground pixels in the depth MSE and L1 (default: ${DEFAULT-VALUE}).") double wFgDepth;
    @Option(names = "--w-log-depth", defaultValue = "0", description = "L1 on log metres (valid pixels, foreground-weighted): a relative depth error, so the near range counts as much as the far room (default: ${DEFAULT-VALUE}).") double wLogDepth;
    @Option(names = "--w-si-log-depth", defaultValue = "0", description = "Scale-invariant log-depth error: per image, the standard deviation of ln(predicted/true) over its valid pixels (foreground-weighted) — the scene's shape without its overall scale (default: ${DEFAULT-VALUE}).") double wSiLogDepth;

    @Option(names = "--depth-encoding", description = "Depth target encoding: linear (metres / max) or log (equal ratios, 5 cm to max at 10 m) (default: the --init-from checkpoint's, else linear).")
    String depthEncoding;

    @Option(names = "--max-depth", description = "Metres that encoded depth 1.0 stands for (default: the --init-from checkpoint's, else 10).")
    Double maxDepth;

    @Option(names = "--freeze-batchnorm", description = "Keep every BatchNorm in inference mode: normalise with the "
            + "starting checkpoint's running statistics and never update them (fine-tuning after --init-from, "
            + "e.g. of a model conditioned by silence-dead --max-gain).")
    boolean freezeBatchNorm;

    @Option(names = "--cache-dir", description = "Folder for DJL's extracted native libraries (default: $MDEAS_CACHE_DIR/djl or ~/.cache/mdeas/djl).")
    Path cacheDir;

    @Option(names = "--threads", defaultValue = "0", description = "PyTorch intra-op threads; 0 = all cores.")
    int threads;

    @Override
    public Integer call() throws Exception {
        TrainConfig config = null;
        if (resume == null) {
            if (data == null) {
                throw new IllegalArgumentException("train needs --data DIR (or --resume RUN_DIR)");
            }
            long perEpoch = epochSamples > 0 ? epochSamples : DatasetIndex.open(data).size();
            // A fine-tune keeps the depth output its weights were trained for unless told otherwise: a silent switch
            // (the old default, linear, after a log-trained checkpoint) makes the depth head relearn its output.
            CheckpointMetadata from = initFrom == null ? null : Checkpoint.readMetadata(Checkpoint.resolve(initFrom));
            String encoding = depthEncoding != null ? depthEncoding : from != null ? from.depthEncoding() : "linear";
            double maxDepthM = maxDepth != null ? maxDepth : from != null ? from.maxDepthM() : 10;
            if (from != null && (!encoding.equals(from.depthEncoding()) || maxDepthM != from.maxDepthM())) {
                System.err.printf(Locale.ROOT, "train: %s was trained with %s depth up to %.1f m; this run trains %s "
                        + "up to %.1f m, so its depth head starts from a different output%n", initFrom,
                        from.depthEncoding(), from.maxDepthM(), encoding, maxDepthM);
            }
            config = new TrainConfig(data.toAbsolutePath().toString(),
                    valData == null ? null : valData.toAbsolutePath().toString(), size, batch, perEpoch, valSamples,
                    seed, !noFlip, new CyclicLrSchedule(lrMin, lrMax, warmupEpochs, cycles, edgeEpochs, lrDecay),
                    new LossWeights(wSsimDepth, wSsimMask, wMseDepth, wMseMask, wL1Depth, wL1Mask, wDiceMask,
                            wFgDepth, wLogDepth, wSiLogDepth), beta1, beta2,
                    adamEps, encoding, maxDepthM, freezeBatchNorm, maxGradNorm);
        } else if (initFrom != null) {
            throw new IllegalArgumentException("give either --resume or --init-from, not both");
        }
        TorchRuntime.start(cacheDir, threads);
        TrainingRun run = new TrainingRun(config, out, new TrainingRun.Limits(epochLimit(), maxSteps, maxMinutes,
                checkpointMinutes, divergenceFactor), resume, initFrom, System.out, System.console() != null)
                .keepEpochSnapshots(epochSnapshots);
        TrainingRun.Result result = run.run();
        if (result.diverged()) {
            System.err.println("train: " + result.stopReason());
            return 3;
        }
        return 0;
    }

    /**
     * The run's epoch limit: as given, else on {@code --resume} the one the run was started with (a resumed
     * 12-epoch run must not quietly go on to the default), else {@link #DEFAULT_EPOCHS}.
     */
    double epochLimit() throws IOException {
        if (epochs != null) {
            return epochs;
        }
        if (resume != null) {
            Double saved = Checkpoint.readMetadata(Checkpoint.resolve(resume)).runEpochs();
            if (saved != null) {
                return saved;
            }
        }
        return DEFAULT_EPOCHS;
    }
}
