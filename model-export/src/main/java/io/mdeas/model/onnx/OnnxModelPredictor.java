package io.mdeas.model.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import io.mdeas.model.eval.DepthMaskPredictor;
import io.mdeas.node.inference.MdeasModel;
import io.mdeas.node.inference.ModelInfo;
import io.mdeas.node.inference.ModelLoadException;
import io.mdeas.node.inference.ModelOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

/**
 * An exported model run through the perception node's {@link MdeasModel} — the class the robot runs — so what
 * {@code evaluate} and {@code verify} measure is what ships. Batch 1 at the model's {@code mdeas.input_size}.
 */
public final class OnnxModelPredictor implements DepthMaskPredictor {

    private final MdeasModel model;

    private OnnxModelPredictor(MdeasModel model) {
        this.model = model;
    }

    /**
     * Loads {@code file} with the execution providers this ONNX Runtime build has (GPU ones first, as the node
     * orders them; on a CPU-only build just {@code cpu}).
     *
     * @param cpuThreads intra-op threads of the CPU provider, 0 for ONNX Runtime's default
     * @throws IOException when the file is missing, unreadable or not an MDEAS model (one-line message)
     */
    public static OnnxModelPredictor open(Path file, int cpuThreads) throws IOException {
        return open(file, cpuThreads, false);
    }

    /**
     * As {@link #open(Path, int)}, with the node's {@code model.mirror_average} setting: each prediction averaged
     * with its mirror image's.
     */
    public static OnnxModelPredictor open(Path file, int cpuThreads, boolean mirrorAverage) throws IOException {
        ModelOptions options = ModelOptions.DEFAULTS.withPath(file).withProviders(availableProviders())
                .withCpuThreads(cpuThreads).withMirrorAverage(mirrorAverage);
        try {
            return new OnnxModelPredictor(MdeasModel.load(options));
        } catch (ModelLoadException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** The node's known providers that this ONNX Runtime build includes, in the node's order. */
    static List<String> availableProviders() {
        EnumSet<OrtProvider> available = OrtEnvironment.getAvailableProviders();
        List<String> out = new ArrayList<>();
        for (String p : ModelOptions.KNOWN_PROVIDERS) {
            if (p.equals("cpu")
                    || (p.equals("tensorrt") && available.contains(OrtProvider.TENSOR_RT))
                    || (p.equals("cuda") && available.contains(OrtProvider.CUDA))) {
                out.add(p);
            }
        }
        return out;
    }

    /** The loaded model's metadata and provider. */
    public ModelInfo info() {
        return model.info();
    }

    /** The node's model object (for latency measurement). */
    MdeasModel model() {
        return model;
    }

    @Override
    public float maxDepthM() {
        return model.info().maxDepthM();
    }

    @Override
    public int inputSize() {
        return model.inputSize();
    }

    @Override
    public boolean predict(float[] bg, float[] fgBg, int size, float[] outDepthM, float[] outMask) throws Exception {
        int s = model.inputSize();
        if (size != s || bg.length < 3 * s * s || fgBg.length < 3 * s * s) {
            throw new IllegalArgumentException("model " + model.info().source() + " takes " + s + "x" + s
                    + " inputs (mdeas.input_size), got " + size + "x" + size);
        }
        model.bgInput().clear();
        model.bgInput().put(bg, 0, 3 * s * s);
        model.fgInput().clear();
        model.fgInput().put(fgBg, 0, 3 * s * s);
        model.run();
        model.depth().rewind();
        model.depth().get(outDepthM, 0, s * s);
        model.mask().rewind();
        model.mask().get(outMask, 0, s * s);
        return true;
    }

    @Override
    public String describe() {
        ModelInfo i = model.info();
        return String.format(Locale.ROOT, "onnx %s (version %s, %s, %d px, provider %s, sha256 %s%s)", i.source(),
                i.version(), i.depthEncoding(), i.inputSize(), i.provider(), i.sha256().substring(0, 12),
                i.mirrorAverage() ? ", mirror-averaged" : "");
    }

    @Override
    public void close() {
        model.close();
    }
}
