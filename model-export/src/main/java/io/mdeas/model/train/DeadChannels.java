package io.mdeas.model.train;

import io.mdeas.model.net.Norms;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Silences BatchNorm channels that never fired in training. MDEAS puts BatchNorm after ReLU, so a channel whose
 * ReLU was zero on every training pixel ends with running mean and variance of ~0 and a gain of
 * γ/√(var + ε) ≈ 300·γ: on the training data it outputs β, but wherever a new input nudges its ReLU above zero (by
 * float rounding alone) that nudge is amplified 300-fold. Such channels carry no trained signal and make the model
 * ill-conditioned in float32 (the ONNX parity check measures it). Setting their γ to 0 makes them output β
 * everywhere — what they output on the training data — and removes the amplification.
 *
 * <p>Nearly dead channels are the same hazard with a signal: running variance 1e-6–1e-5 (a ReLU that fires weakly
 * and rarely) gives a gain of 100–300, and an input that makes such a channel fire properly is amplified 300-fold
 * per layer. Measured on the robot-mount test split (session 6): three such BatchNorms in a row in the first depth
 * decoder block turned an activation of 243 into 1.4e7 on 6 of 96 samples, saturating up to 36 % of an image's
 * depth at the 5 cm / 10 m clip and overflowing fp16. {@link #capGain} floors their variance so no channel's gain
 * exceeds a limit (away from the image stems, healthy channels have gains under ~6), which keeps the channel's
 * sign and shape on the training data and bounds what a rare input can do.
 */
public final class DeadChannels {

    /** Running variance under which a channel counts as dead: its activations never exceeded ~1e-3. */
    public static final double DEFAULT_MAX_VARIANCE = 1e-6;

    private static final String VAR = "_runningVar";

    private DeadChannels() {}

    /** One BatchNorm's silenced channels. */
    public record Silenced(String layer, int[] channels, int of) {}

    /** One BatchNorm's channels whose gain was capped, with the gains they had. */
    public record Capped(String layer, int[] channels, float[] gains, int of, double limit) {}

    /** What {@link #condition} changed. */
    public record Conditioning(List<Silenced> silenced, List<Capped> capped) {}

    /**
     * Sets γ to 0 in {@code params} (in place) for every BatchNorm channel whose running variance is below
     * {@code maxVariance}.
     *
     * @return the silenced channels per layer, in parameter order (empty when none)
     */
    public static List<Silenced> silence(Map<String, TensorFile.Tensor> params, double maxVariance) {
        List<Silenced> out = new ArrayList<>();
        for (Norm norm : batchNorms(params)) {
            String layer = norm.layer();
            float[] gamma = norm.gamma();
            float[] var = norm.var();
            int[] dead = new int[var.length];
            int n = 0;
            for (int c = 0; c < var.length; c++) {
                if (var[c] < maxVariance) {
                    gamma[c] = 0f;
                    dead[n++] = c;
                }
            }
            if (n > 0) {
                out.add(new Silenced(layer, Arrays.copyOf(dead, n), var.length));
            }
        }
        return out;
    }

    /**
     * Raises the running variance (in place) of every BatchNorm channel whose inference gain |γ|/√(var + ε) exceeds
     * the layer's limit to the variance at which the gain equals the limit; other channels are untouched. The limit
     * is {@code maxGain}, or {@code maxRatio} times the median gain of the layer's live (γ ≠ 0) channels where that
     * is higher: the ratio spares layers whose gains are all high by design (the image stems, whose cap cost mask
     * accuracy) and still catches a layer's outliers (0 = the absolute limit alone).
     *
     * @return the capped channels per layer, in parameter order (empty when none)
     */
    public static List<Capped> capGain(Map<String, TensorFile.Tensor> params, double maxGain, double maxRatio,
            double epsilon) {
        if (!(maxGain > 0) || !(maxRatio >= 0)) {
            throw new IllegalArgumentException("the gain limit must be positive, got --max-gain " + maxGain
                    + ", --max-gain-ratio " + maxRatio);
        }
        List<Capped> out = new ArrayList<>();
        for (Norm norm : batchNorms(params)) {
            float[] var = norm.var();
            double[] all = new double[var.length];
            for (int c = 0; c < var.length; c++) {
                all[c] = Math.abs(norm.gamma()[c]) / Math.sqrt(var[c] + epsilon);
            }
            double[] live = Arrays.stream(all).filter(g -> g > 0).sorted().toArray();
            double limit = live.length == 0 ? maxGain : Math.max(maxGain, maxRatio * live[live.length / 2]);
            int[] capped = new int[var.length];
            float[] gains = new float[var.length];
            int n = 0;
            for (int c = 0; c < var.length; c++) {
                double gain = all[c];
                if (gain > limit) {
                    double g = Math.abs(norm.gamma()[c]);
                    var[c] = (float) (g * g / (limit * limit) - epsilon);
                    capped[n] = c;
                    gains[n++] = (float) gain;
                }
            }
            if (n > 0) {
                out.add(new Capped(norm.layer(), Arrays.copyOf(capped, n), Arrays.copyOf(gains, n), var.length, limit));
            }
        }
        return out;
    }

    /** A BatchNorm's γ and running variance, the arrays of the parameter map (changes write through). */
    private record Norm(String layer, float[] gamma, float[] var) {}

    /** Every BatchNorm of a parameter map, in parameter order, found by its running variance. */
    private static List<Norm> batchNorms(Map<String, TensorFile.Tensor> params) {
        List<Norm> norms = new ArrayList<>();
        for (Map.Entry<String, TensorFile.Tensor> e : params.entrySet()) {
            if (!e.getKey().endsWith(VAR)) {
                continue;
            }
            String layer = e.getKey().substring(0, e.getKey().length() - VAR.length());
            TensorFile.Tensor gamma = params.get(layer + "_gamma");
            if (gamma == null) {
                throw new IllegalArgumentException("BatchNorm " + layer + " has a running variance but no gamma");
            }
            norms.add(new Norm(layer, gamma.data(), e.getValue().data()));
        }
        return norms;
    }

    /**
     * Writes a copy of checkpoint {@code from} to {@code to} with its dead channels silenced and, unless
     * {@code maxGain} is infinite, the remaining gains capped ({@link #capGain}); optimiser state and metadata are
     * copied as they are, so the result still resumes.
     */
    public static Conditioning condition(Path from, Path to, double maxVariance, double maxGain, double maxRatio)
            throws IOException {
        Checkpoint.readMetadata(from); // a clear error when it is not a checkpoint
        Map<String, TensorFile.Tensor> params = new LinkedHashMap<>(TensorFile.read(from.resolve(Checkpoint.PARAMS)));
        List<Silenced> silenced = silence(params, maxVariance);
        List<Capped> capped = Double.isInfinite(maxGain) ? List.of()
                : capGain(params, maxGain, maxRatio, Norms.EPSILON);
        Files.createDirectories(to);
        for (String f : new String[] {Checkpoint.METADATA, Checkpoint.OPTIMIZER}) {
            if (Files.exists(from.resolve(f))) {
                Files.copy(from.resolve(f), to.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        TensorFile.write(to.resolve(Checkpoint.PARAMS), params);
        return new Conditioning(silenced, capped);
    }
}
