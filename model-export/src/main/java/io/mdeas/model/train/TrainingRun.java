package io.mdeas.model.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.core.type.TypeReference;
import io.mdeas.model.data.DatasetIndex;
import io.mdeas.model.eval.EvaluationResult;
import io.mdeas.model.net.MdeasNet;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One training session: builds or restores the network, optimiser and data position, then steps until a
 * limit (epochs, steps or minutes) is reached. After every epoch ({@code epochSamples} images) it validates,
 * appends to the CSV log, redraws the charts and saves {@code latest/} (plus {@code best-depth/} and
 * {@code best-mask/} on improvement); {@code latest/} is also saved every {@code checkpointMinutes} and when
 * the session stops.
 *
 * <p>Per step, all step arrays live in a sub-manager that is closed at the end of the step, so native memory
 * does not grow; batch buffers are reused ({@link BatchSource}).
 */
public final class TrainingRun {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingRun.class);

    /**
     * When a session stops (whichever comes first); 0 or less means no limit of that kind.
     *
     * @param epochs total epochs of the run (fractional allowed; counts from the run's start, not the session's)
     * @param maxSteps optimiser steps in this session
     * @param maxMinutes wall minutes of this session (stops early enough to save)
     * @param checkpointMinutes period of extra {@code latest/} saves
     * @param divergenceFactor stop without saving once the recent loss exceeds this many times the session's best
     *                         epoch mean (see {@link DivergenceWatch}; 0 = never)
     */
    public record Limits(double epochs, long maxSteps, double maxMinutes, double checkpointMinutes,
            double divergenceFactor) {

        /** Loss ratio that counts as diverged: epoch means of a healthy run move by well under 2x. */
        public static final double DEFAULT_DIVERGENCE_FACTOR = 3;

        /** With the default divergence factor. */
        public Limits(double epochs, long maxSteps, double maxMinutes, double checkpointMinutes) {
            this(epochs, maxSteps, maxMinutes, checkpointMinutes, DEFAULT_DIVERGENCE_FACTOR);
        }
    }

    /**
     * Where a session ended.
     *
     * @param diverged the loss ran away ({@link Limits#divergenceFactor()}): {@code latest/} holds the last save before
     */
    public record Result(long step, long imagesSeen, double epoch, double lastLoss, double[] stepLosses,
            double imagesPerSecond, String stopReason, boolean diverged) {}

    private final TrainConfig config;
    private final Path runDir;
    private final Limits limits;
    private final Path resumeFrom;
    private final Path initFrom;
    private final PrintStream out;
    private final boolean tty;
    private boolean epochSnapshots;

    /**
     * @param config run configuration (ignored when resuming: the checkpoint's is used)
     * @param resumeFrom run or checkpoint folder to continue exactly, or null
     * @param initFrom checkpoint whose weights start a new run, or null
     */
    public TrainingRun(TrainConfig config, Path runDir, Limits limits, Path resumeFrom, Path initFrom,
            PrintStream out, boolean tty) {
        this.config = config;
        this.runDir = runDir;
        this.limits = limits;
        this.resumeFrom = resumeFrom;
        this.initFrom = initFrom;
        this.out = out;
        this.tty = tty;
    }

    /**
     * Also keeps a weight-only copy of the network at the end of every epoch, in {@code snapshots/epoch-NNNN/},
     * for averaging the weights of a run's last epochs ({@code average}). A resumed run that kept them keeps them
     * without being asked again (the choice is saved with its checkpoints).
     */
    public TrainingRun keepEpochSnapshots(boolean keep) {
        this.epochSnapshots = keep;
        return this;
    }

    /** Runs the session. */
    public Result run() throws IOException, InterruptedException {
        Files.createDirectories(runDir);
        CheckpointMetadata resumed = null;
        Path resumeDir = null;
        TrainConfig cfg = config;
        if (resumeFrom != null) {
            resumeDir = Checkpoint.resolve(resumeFrom);
            resumed = Checkpoint.readMetadata(resumeDir);
            checkArchitecture(resumed, resumeDir);
            cfg = resumed.config();
            if (!epochSnapshots && Boolean.TRUE.equals(resumed.epochSnapshots())) {
                epochSnapshots = true;
                out.printf(Locale.ROOT, "keeping epoch snapshots in %s as this run did before%n",
                        runDir.resolve(SNAPSHOTS));
            }
        }
        DatasetIndex train = DatasetIndex.open(Path.of(cfg.trainData()));
        DatasetIndex val = cfg.valData() == null ? null : DatasetIndex.open(Path.of(cfg.valData()));
        DepthEncoding encoding = cfg.encoding();
        float maxDepth = (float) cfg.maxDepthM();
        CompoundLoss loss = new CompoundLoss(cfg.weights(), cfg.encoding(), (float) cfg.maxDepthM());
        int s = cfg.size();
        int b = cfg.batch();

        Engine engine = Engine.getEngine("PyTorch");
        engine.setRandomSeed((int) cfg.seed());
        try (NDManager root = NDManager.newBaseManager()) {
            MdeasNet net = MdeasNet.initialized(root, s);
            String initFromText = null;
            if (resumed != null) {
                Checkpoint.loadParameters(resumeDir, net);
                initFromText = resumed.initFrom();
            } else if (initFrom != null) {
                Path dir = Checkpoint.resolve(initFrom);
                checkArchitecture(Checkpoint.readMetadata(dir), dir);
                Checkpoint.loadParameters(dir, net);
                initFromText = dir.toAbsolutePath().toString();
            }
            try (Adam adam = new Adam(root, net.getParameters(), cfg.beta1(), cfg.beta2(), cfg.adamEpsilon())) {
                State st = new State();
                if (resumed != null) {
                    Checkpoint.loadOptimizer(resumeDir, adam, resumed.step());
                    st.step = resumed.step();
                    st.images = resumed.imagesSeen();
                    st.cursor = resumed.sampleCursor();
                    st.completedEpochs = resumed.completedEpochs();
                    st.cpuBase = resumed.cpuSeconds();
                    st.wallBase = resumed.wallSeconds();
                    st.bestDepth = resumed.bestDepthSsim();
                    st.bestMask = resumed.bestMaskMiou();
                    st.lastVal = resumed.lastValidation();
                    LOG.info("resuming from {} at step {}, epoch {}", resumeDir, st.step,
                            String.format(Locale.ROOT, "%.3f", resumed.epoch()));
                }
                st.initFrom = initFromText;
                st.trainInfo = datasetInfo(train);
                st.valInfo = val == null ? null : datasetInfo(val);
                Validator validator = val == null ? null
                        : new Validator(val.samples(), cfg.valSamples(), s, Math.min(b, 16), encoding, maxDepth);
                TrainingLog log = new TrainingLog(runDir);
                out.printf(Locale.ROOT, "training %s: %d samples at %d px, batch %d, %d images/epoch, %d params%s%n",
                        runDir, train.size(), s, b, cfg.epochSamples(), net.trainableParameterCount(),
                        validator == null ? "" : ", validating on " + validator.count());
                // The whole recipe, so a run started with a forgotten option says so in its first lines.
                LossWeights w = cfg.weights();
                double startEpoch = (double) st.images / cfg.epochSamples();
                out.printf(Locale.ROOT, "recipe: %s depth up to %s m; loss %s SSIM(depth) + %s SSIM(mask) + %s MSE(depth) "
                        + "+ %s MSE(mask) + %s L1(depth) + %s L1(mask) + %s Dice(mask) + %s L1(log depth) "
                        + "+ %s SI(log depth), foreground depth x%s; lr %s at epoch %.2f; BatchNorm %s%s%n",
                        cfg.depthEncoding(), plain(cfg.maxDepthM()),
                        plain(w.ssimDepth()), plain(w.ssimMask()), plain(w.mseDepth()), plain(w.mseMask()),
                        plain(w.l1Depth()), plain(w.l1Mask()), plain(w.diceMask()), plain(w.logDepth()),
                        plain(w.siLogDepth()), plain(w.fgDepth()),
                        plain(cfg.schedule().lr(startEpoch)), startEpoch, cfg.frozenBatchNorm() ? "frozen" : "training",
                        initFromText == null ? "" : "; weights from " + initFromText);
                return loop(cfg, net, adam, loss, train, validator, log, st, encoding, maxDepth);
            }
        }
    }

    /**
     * A number as written on the command line (2, 10, 0.4, 0.000001): six significant digits, so a computed
     * rate such as 3e-4 / 10 reads 0.00003 rather than 0.000029999999999999997.
     */
    static String plain(double v) {
        return BigDecimal.valueOf(v).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }

    /** The five reusable native input buffers of a step. */
    private static final class InputBuffers {
        final DirectInput bg;
        final DirectInput fgBg;
        final DirectInput mask;
        final DirectInput depth;
        final DirectInput valid;

        InputBuffers(int batch, int size) {
            int plane = batch * size * size;
            bg = new DirectInput(3 * plane);
            fgBg = new DirectInput(3 * plane);
            mask = new DirectInput(plane);
            depth = new DirectInput(plane);
            valid = new DirectInput(plane);
        }
    }

    /** Mutable position of the run. */
    private static final class State {
        long step;
        long images;
        long cursor;
        long completedEpochs;
        double cpuBase;
        double wallBase;
        double bestDepth = Double.NaN;
        double bestMask = Double.NaN;
        Map<String, Double> lastVal;
        String initFrom;
        Map<String, Object> trainInfo;
        Map<String, Object> valInfo;
    }

    private Result loop(TrainConfig cfg, MdeasNet net, Adam adam, CompoundLoss loss, DatasetIndex train,
            Validator validator, TrainingLog log, State st, DepthEncoding encoding, float maxDepth)
            throws IOException, InterruptedException {
        int s = cfg.size();
        int b = cfg.batch();
        Shape imgShape = new Shape(b, 3, s, s);
        Shape mapShape = new Shape(b, 1, s, s);
        long sessionStart = System.nanoTime();
        double cpuStart = ResourceUse.cpuSeconds();
        long lastSave = sessionStart;
        double[] epochSums = new double[CompoundLoss.TERM_NAMES.length];
        long epochSteps = 0;
        GradientNorms norms = new GradientNorms(GradientNorms.OUTLIER_FACTOR, cfg.maxGradNorm());
        double[] stepLosses = new double[(int) Math.min(Math.max(limits.maxSteps(), 0), 100_000)];
        double lastLoss = Double.NaN;
        double lastStepSeconds = 0;
        double emaStep = Double.NaN;
        long sessionSteps = 0;
        String stopReason;
        DivergenceWatch divergence = new DivergenceWatch(limits.divergenceFactor());
        boolean diverged = false;
        Progress progress = new Progress(out, tty, 60);
        SignalStop signal = SignalStop.install();
        Engine engine = Engine.getEngine("PyTorch");
        try (NDManager stepRoot = NDManager.newBaseManager();
                BatchSource source = new BatchSource(train.samples(), s, b, cfg.seed(), st.cursor, cfg.flip(),
                        encoding, maxDepth, 3)) {
            ParameterStore ps = new ParameterStore(stepRoot, false);
            InputBuffers in = new InputBuffers(b, s);
            while (true) {
                double epoch = (double) st.images / cfg.epochSamples();
                double sessionMinutes = (System.nanoTime() - sessionStart) / 60e9;
                if (signal.requested()) {
                    stopReason = "stop requested (signal)";
                    break;
                }
                if (limits.epochs() > 0 && epoch >= limits.epochs() - 1e-9) {
                    stopReason = "reached epoch " + limits.epochs();
                    break;
                }
                if (limits.maxSteps() > 0 && sessionSteps >= limits.maxSteps()) {
                    stopReason = "reached " + limits.maxSteps() + " steps";
                    break;
                }
                // Leave room for one more step and the checkpoint save inside the time box.
                if (limits.maxMinutes() > 0
                        && sessionMinutes + (2 * lastStepSeconds + 20) / 60 >= limits.maxMinutes()) {
                    stopReason = "time box of " + limits.maxMinutes() + " min";
                    break;
                }
                long t0 = System.nanoTime();
                double lr = cfg.schedule().lr(epoch);
                Batch batch = source.take();
                long batchCursor = batch.cursor;
                float[] values;
                double gradNorm;
                try (NDManager m = stepRoot.newSubManager()) {
                    NDArray bg = in.bg.array(m, batch.bg, imgShape);
                    NDArray fg = in.fgBg.array(m, batch.fgBg, imgShape);
                    NDArray maskT = in.mask.array(m, batch.mask, mapShape);
                    NDArray depthT = in.depth.array(m, batch.depth, mapShape);
                    NDArray valid = in.valid.array(m, batch.valid, mapShape);
                    source.release(batch);
                    try (GradientCollector gc = engine.newGradientCollector()) {
                        NDList pred = net.forward(ps, new NDList(bg, fg), !cfg.frozenBatchNorm());
                        CompoundLoss.Terms terms = loss.compute(pred.get(0), pred.get(1), depthT, valid, maskT);
                        gc.backward(terms.total());
                        values = terms.values().toFloatArray();
                    }
                    gradNorm = adam.clipGradientNorm(cfg.maxGradNorm());
                    if (Double.isFinite(gradNorm)) {
                        adam.update(lr);
                    } else {
                        adam.discardGradients();
                    }
                }
                if (!Float.isFinite(values[0])) {
                    throw new IllegalStateException("loss became " + values[0] + " at step " + (st.step + 1)
                            + "; lower the learning rate (--lr-max) or check the data");
                }
                st.step++;
                sessionSteps++;
                st.images += b;
                st.cursor += b;
                lastLoss = values[0];
                if (sessionSteps <= stepLosses.length) {
                    stepLosses[(int) sessionSteps - 1] = lastLoss;
                }
                for (int i = 0; i < values.length; i++) {
                    epochSums[i] += values[i];
                }
                epochSteps++;
                if (norms.outlier(gradNorm)) {
                    out.printf(Locale.ROOT, "step %d: gradient norm %.4g, %s (loss %.4f; stream positions %d-%d: %s;"
                                    + " largest gradients: %s)%n",
                            st.step, gradNorm, Double.isFinite(gradNorm)
                                    ? String.format(Locale.ROOT, "over %.0fx the recent median %.4g",
                                            GradientNorms.OUTLIER_FACTOR, norms.median())
                                    : "not finite: its gradients were discarded, no update",
                            lastLoss, batchCursor, batchCursor + b - 1, source.describe(batchCursor, b),
                            adam.largestGradients(3));
                }
                divergence.step(lastLoss);
                if (divergence.diverged()) {
                    // Checked before any save of this step: the last good latest/ must survive.
                    diverged = true;
                    stopReason = "diverged: " + divergence.describe() + "; latest/ keeps the last save before it"
                            + " (resume it with a lower --lr-max, or --init-from an epoch snapshot)";
                    break;
                }
                lastStepSeconds = (System.nanoTime() - t0) / 1e9;
                // A session's first step carries the warm-up (kernel selection, buffer growth): several times a
                // steady step. It seeds the average only until the second step replaces it, so short timed runs
                // report the steady rate.
                emaStep = Double.isNaN(emaStep) || sessionSteps == 2
                        ? lastStepSeconds : 0.9 * emaStep + 0.1 * lastStepSeconds;
                double newEpoch = (double) st.images / cfg.epochSamples();
                progress.step(newEpoch, newEpoch - Math.floor(newEpoch), st.step, lastLoss, lr, b / emaStep,
                        eta(cfg, st, emaStep, sessionStart));

                long finishedEpochs = st.images / cfg.epochSamples();
                boolean saved = false;
                if (finishedEpochs > st.completedEpochs) {
                    st.completedEpochs = finishedEpochs;
                    double[] means = new double[epochSums.length];
                    for (int i = 0; i < means.length; i++) {
                        means[i] = epochSums[i] / Math.max(1, epochSteps);
                    }
                    divergence.epochMean(means[0]);
                    endOfEpoch(cfg, net, adam, validator, log, st, means, lr, sessionStart, cpuStart, progress);
                    out.println(norms.endEpoch(finishedEpochs));
                    java.util.Arrays.fill(epochSums, 0);
                    epochSteps = 0;
                    saved = true;
                }
                if (!saved && limits.checkpointMinutes() > 0
                        && (System.nanoTime() - lastSave) / 60e9 >= limits.checkpointMinutes()) {
                    saveLatest(cfg, net, adam, st, sessionStart, cpuStart);
                    saved = true;
                }
                if (saved) {
                    lastSave = System.nanoTime();
                }
            }
            if (!diverged) {
                saveLatest(cfg, net, adam, st, sessionStart, cpuStart);
            }
        } finally {
            signal.finished();
        }
        double ips = Double.isNaN(emaStep) ? Double.NaN : b / emaStep;
        progress.line(String.format(Locale.ROOT, "stopped (%s) at step %d, epoch %.3f, loss %.4f, %.1f img/s, rss %s",
                stopReason, st.step, (double) st.images / cfg.epochSamples(), lastLoss, ips, ResourceUse.peakRss()));
        double[] losses = java.util.Arrays.copyOf(stepLosses, (int) Math.min(sessionSteps, stepLosses.length));
        return new Result(st.step, st.images, (double) st.images / cfg.epochSamples(), lastLoss, losses, ips,
                stopReason, diverged);
    }

    private double eta(TrainConfig cfg, State st, double stepSeconds, long sessionStart) {
        double best = Double.POSITIVE_INFINITY;
        if (limits.epochs() > 0) {
            double remainingImages = limits.epochs() * cfg.epochSamples() - st.images;
            best = Math.min(best, remainingImages / cfg.batch() * stepSeconds);
        }
        if (limits.maxMinutes() > 0) {
            best = Math.min(best, limits.maxMinutes() * 60 - (System.nanoTime() - sessionStart) / 1e9);
        }
        return best == Double.POSITIVE_INFINITY ? Double.NaN : Math.max(0, best);
    }

    private void endOfEpoch(TrainConfig cfg, MdeasNet net, Adam adam, Validator validator, TrainingLog log,
            State st, double[] means, double lr, long sessionStart, double cpuStart, Progress progress)
            throws IOException {
        Map<String, Double> metrics = null;
        if (validator != null) {
            try (NDManager m = NDManager.newBaseManager()) {
                EvaluationResult r = validator.run(net, m);
                metrics = new LinkedHashMap<>(r.asMap());
            }
            st.lastVal = metrics;
        }
        double wall = st.wallBase + (System.nanoTime() - sessionStart) / 1e9;
        log.append(st.completedEpochs, st.step, st.images, lr, means, metrics, wall);
        TrainingCharts.render(log.rows(), runDir);
        progress.line(String.format(Locale.ROOT, "epoch %d done: step %d, loss %.4f, lr %.2e%s, rss %s",
                st.completedEpochs, st.step, means[0], lr, metrics == null ? "" : ", val " + metrics,
                ResourceUse.peakRss()));
        boolean bestDepth = false;
        boolean bestMask = false;
        if (metrics != null) {
            Double ds = metrics.get("depth_ssim");
            if (ds != null && !ds.isNaN() && (Double.isNaN(st.bestDepth) || ds > st.bestDepth)) {
                st.bestDepth = ds;
                bestDepth = true;
            }
            Double mi = metrics.get("mask_miou");
            if (mi != null && !mi.isNaN() && (Double.isNaN(st.bestMask) || mi > st.bestMask)) {
                st.bestMask = mi;
                bestMask = true;
            }
        }
        // latest/ carries the best values too, so a resumed run keeps comparing against them.
        saveLatest(cfg, net, adam, st, sessionStart, cpuStart);
        if (bestDepth) {
            save(cfg, net, adam, st, sessionStart, cpuStart, "best-depth");
        }
        if (bestMask) {
            save(cfg, net, adam, st, sessionStart, cpuStart, "best-mask");
        }
        if (epochSnapshots) {
            save(cfg, net, null, st, sessionStart, cpuStart,
                    runDir.relativize(snapshot(runDir, st.completedEpochs)).toString());
        }
    }

    private void saveLatest(TrainConfig cfg, MdeasNet net, Adam adam, State st, long sessionStart, double cpuStart)
            throws IOException {
        save(cfg, net, adam, st, sessionStart, cpuStart, "latest");
    }

    /** Sub-folder of the run folder holding the per-epoch weight snapshots. */
    public static final String SNAPSHOTS = "snapshots";

    /** The weight snapshot folder of {@code epoch} in {@code runDir} ({@code snapshots/epoch-NNNN}). */
    public static Path snapshot(Path runDir, long epoch) {
        return runDir.resolve(SNAPSHOTS).resolve(String.format(Locale.ROOT, "epoch-%04d", epoch));
    }

    /** The run's epoch snapshots in epoch order, the last {@code last} of them when {@code last > 0}. */
    public static List<Path> snapshots(Path runDir, int last) throws IOException {
        Path dir = runDir.resolve(SNAPSHOTS);
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null,
                    "no epoch snapshots; train the run with --epoch-snapshots");
        }
        List<Path> found;
        try (Stream<Path> s = Files.list(dir)) {
            found = s.filter(p -> p.getFileName().toString().matches("epoch-\\d+"))
                    .filter(p -> Files.isRegularFile(p.resolve(Checkpoint.METADATA))).sorted().toList();
        }
        if (found.isEmpty()) {
            throw new NoSuchFileException(dir.toString(), null, "no epoch-NNNN snapshot in it yet");
        }
        return last > 0 && last < found.size() ? found.subList(found.size() - last, found.size()) : found;
    }

    private void save(TrainConfig cfg, MdeasNet net, Adam adam, State st, long sessionStart, double cpuStart,
            String kind) throws IOException {
        double wall = st.wallBase + (System.nanoTime() - sessionStart) / 1e9;
        double cpu = st.cpuBase + (ResourceUse.cpuSeconds() - cpuStart);
        CheckpointMetadata meta = new CheckpointMetadata(MdeasNet.ARCHITECTURE, cfg.size(), cfg.depthEncoding(),
                cfg.maxDepthM(), kind, cfg, (double) st.images / cfg.epochSamples(), st.step, st.images, st.cursor,
                st.completedEpochs, cpu, wall, st.trainInfo, st.valInfo, st.lastVal, st.bestDepth, st.bestMask,
                st.initFrom, Instant.now().toString(), limits.epochs(), epochSnapshots);
        Checkpoint.save(runDir.resolve(kind), net, adam, meta);
    }

    private static void checkArchitecture(CheckpointMetadata meta, Path dir) {
        if (!MdeasNet.ARCHITECTURE.equals(meta.architecture())) {
            throw new IllegalArgumentException(dir + " holds architecture " + meta.architecture() + ", this build trains "
                    + MdeasNet.ARCHITECTURE);
        }
    }

    /** The dataset's folder, size and camera.json content (which may name its generator seed). */
    private static Map<String, Object> datasetInfo(DatasetIndex index) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("root", index.root().toAbsolutePath().toString());
        info.put("samples", index.size());
        index.camera().ifPresent(c -> info.put("camera",
                Checkpoint.JSON.convertValue(c, new TypeReference<Map<String, Object>>() {})));
        return info;
    }
}
