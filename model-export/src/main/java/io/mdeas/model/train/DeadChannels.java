package io.mdeas.model.train;

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
 */
public final class DeadChannels {

    /** Running variance under which a channel counts as dead: its activations never exceeded ~1e-3. */
    public static final double DEFAULT_MAX_VARIANCE = 1e-6;

    private static final String VAR = "_runningVar";

    private DeadChannels() {}

    /** One BatchNorm's silenced channels. */
    public record Silenced(String layer, int[] channels, int of) {}

    /**
     * Sets γ to 0 in {@code params} (in place) for every BatchNorm channel whose running variance is below
     * {@code maxVariance}.
     *
     * @return the silenced channels per layer, in parameter order (empty when none)
     */
    public static List<Silenced> silence(Map<String, TensorFile.Tensor> params, double maxVariance) {
        List<Silenced> out = new ArrayList<>();
        for (Map.Entry<String, TensorFile.Tensor> e : params.entrySet()) {
            if (!e.getKey().endsWith(VAR)) {
                continue;
            }
            String layer = e.getKey().substring(0, e.getKey().length() - VAR.length());
            TensorFile.Tensor gamma = params.get(layer + "_gamma");
            if (gamma == null) {
                throw new IllegalArgumentException("BatchNorm " + layer + " has a running variance but no gamma");
            }
            float[] var = e.getValue().data();
            int[] dead = new int[var.length];
            int n = 0;
            for (int c = 0; c < var.length; c++) {
                if (var[c] < maxVariance) {
                    gamma.data()[c] = 0f;
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
     * Writes a copy of checkpoint {@code from} to {@code to} with its dead channels silenced (optimiser state and
     * metadata copied as they are, so the result still resumes).
     */
    public static List<Silenced> silence(Path from, Path to, double maxVariance) throws IOException {
        Checkpoint.readMetadata(from); // a clear error when it is not a checkpoint
        Map<String, TensorFile.Tensor> params = new LinkedHashMap<>(TensorFile.read(from.resolve(Checkpoint.PARAMS)));
        List<Silenced> silenced = silence(params, maxVariance);
        Files.createDirectories(to);
        for (String f : new String[] {Checkpoint.METADATA, Checkpoint.OPTIMIZER}) {
            if (Files.exists(from.resolve(f))) {
                Files.copy(from.resolve(f), to.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        TensorFile.write(to.resolve(Checkpoint.PARAMS), params);
        return silenced;
    }
}
