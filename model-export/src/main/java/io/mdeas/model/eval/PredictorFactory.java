package io.mdeas.model.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.ServiceLoader;

/**
 * Turns what the user names on the command line into a {@link DepthMaskPredictor}: a checkpoint directory, an
 * {@code .onnx} file, or a named classical baseline. The model kinds are pluggable so evaluation does not depend on
 * the training or export code; {@link #standard()} discovers them with {@link ServiceLoader}.
 */
public final class PredictorFactory {

    /** Side at which baselines run (the reference dataset size). */
    public static final int BASELINE_SIZE = 224;

    private final CheckpointPredictorProvider checkpoints;
    private final OnnxPredictorProvider onnx;
    private final float absDiffThreshold;
    private final boolean mirrorAverage;

    private PredictorFactory(CheckpointPredictorProvider checkpoints, OnnxPredictorProvider onnx, float absDiffThreshold,
                             boolean mirrorAverage) {
        this.checkpoints = checkpoints;
        this.onnx = onnx;
        this.absDiffThreshold = absDiffThreshold;
        this.mirrorAverage = mirrorAverage;
    }

    /** A factory with the providers found on the class path (the first of each kind) and default baseline settings. */
    public static PredictorFactory standard() {
        return new PredictorFactory(first(CheckpointPredictorProvider.class), first(OnnxPredictorProvider.class),
                AbsDiffBaseline.DEFAULT_THRESHOLD, false);
    }

    /** This factory opening checkpoint directories with {@code provider}. */
    public PredictorFactory withCheckpoints(CheckpointPredictorProvider provider) {
        return new PredictorFactory(provider, onnx, absDiffThreshold, mirrorAverage);
    }

    /** This factory opening {@code .onnx} files with {@code provider}. */
    public PredictorFactory withOnnx(OnnxPredictorProvider provider) {
        return new PredictorFactory(checkpoints, provider, absDiffThreshold, mirrorAverage);
    }

    /** This factory with another threshold for the {@code absdiff} baseline. */
    public PredictorFactory withAbsDiffThreshold(float threshold) {
        return new PredictorFactory(checkpoints, onnx, threshold, mirrorAverage);
    }

    /**
     * This factory opening {@code .onnx} files with mirror averaging (the node's {@code model.mirror_average}).
     * It is an inference setting of the node, so it applies to exported models only.
     */
    public PredictorFactory withMirrorAverage(boolean on) {
        return new PredictorFactory(checkpoints, onnx, absDiffThreshold, on);
    }

    /**
     * Opens a model: a directory is a training checkpoint, a {@code .onnx} file an exported model.
     *
     * @throws IOException              when the path does not exist or cannot be read
     * @throws IllegalArgumentException when the kind is unknown or not available in this build
     */
    public DepthMaskPredictor open(Path model) throws IOException {
        if (Files.isDirectory(model)) {
            if (mirrorAverage) {
                throw new IllegalArgumentException(model + ": mirror averaging is the node's inference setting and "
                        + "applies to exported .onnx models; export the checkpoint and evaluate the file");
            }
            if (checkpoints == null) {
                throw new IllegalArgumentException(model + ": checkpoint directories cannot be evaluated in this "
                        + "build (no CheckpointPredictorProvider on the class path)");
            }
            return checkpoints.open(model);
        }
        if (!Files.exists(model)) {
            throw new NoSuchFileException(model.toString(), null,
                    "model not found (expected a checkpoint directory or an .onnx file)");
        }
        if (model.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx")) {
            if (onnx == null) {
                throw new IllegalArgumentException(model + ": evaluating .onnx files is not yet supported in this "
                        + "build (no OnnxPredictorProvider on the class path); evaluate the checkpoint directory");
            }
            return onnx.open(model, mirrorAverage);
        }
        throw new IllegalArgumentException(model + ": unknown model kind; give a checkpoint directory or an .onnx file");
    }

    /** Opens a named classical baseline: {@code absdiff} or {@code mog2} (OpenCV's BackgroundSubtractorMOG2). */
    public DepthMaskPredictor baseline(String name) {
        if ("absdiff".equals(name.toLowerCase(Locale.ROOT))) {
            return new AbsDiffBaseline(BASELINE_SIZE, absDiffThreshold);
        }
        if ("mog2".equals(name.toLowerCase(Locale.ROOT))) {
            return new Mog2Baseline(BASELINE_SIZE, Mog2Baseline.DEFAULT_VAR_THRESHOLD);
        }
        throw new IllegalArgumentException("unknown baseline '" + name + "'; known: absdiff, mog2");
    }

    private static <T> T first(Class<T> type) {
        Iterator<T> it = ServiceLoader.load(type, PredictorFactory.class.getClassLoader()).iterator();
        return it.hasNext() ? it.next() : null;
    }
}
