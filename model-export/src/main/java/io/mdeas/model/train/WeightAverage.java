package io.mdeas.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.mdeas.model.data.LoadedSample;
import io.mdeas.model.data.Sample;
import io.mdeas.model.data.SampleLoader;
import io.mdeas.model.net.MdeasNet;
import io.mdeas.model.net.Norms;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stochastic weight averaging for MDEAS: the mean of the weights of several checkpoints of one run (typically
 * its last epochs at a constant learning rate), then BatchNorm statistics recomputed over training images.
 *
 * <p>Why: with batch 8 and BatchNorm momentum 0.1 the running statistics of a checkpoint describe its last ~10
 * batches, so validation metrics of consecutive epochs swing (depth AbsRel 0.36–0.57 in p6 at one learning
 * rate); averaged weights sit nearer the middle of the basin the optimiser wanders in. Averaged weights no longer
 * match any checkpoint's running statistics, so those are recomputed ("precise BN"): population mean and
 * variance of every BatchNorm input over many images, the network run in training mode (batch statistics), as
 * in training.
 */
public final class WeightAverage {

    private static final String MEAN = "_runningMean";
    private static final String VAR = "_runningVar";

    private WeightAverage() {}

    /**
     * The element-wise mean of the parameters of {@code checkpoints} (at least one), which must hold the same
     * parameters with the same shapes.
     */
    public static Map<String, TensorFile.Tensor> mean(List<Path> checkpoints) throws IOException {
        requireAny(checkpoints);
        for (Path dir : checkpoints) {
            Checkpoint.readMetadata(dir); // a clear error when it is not a checkpoint
        }
        return meanOfParams(checkpoints);
    }

    private static void requireAny(List<Path> checkpoints) {
        if (checkpoints.isEmpty()) {
            throw new IllegalArgumentException("average needs at least one checkpoint");
        }
    }

    private static Map<String, TensorFile.Tensor> meanOfParams(List<Path> checkpoints) throws IOException {
        Map<String, double[]> sums = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (Path dir : checkpoints) {
            Map<String, TensorFile.Tensor> params = TensorFile.read(dir.resolve(Checkpoint.PARAMS));
            if (!sums.isEmpty() && !sums.keySet().equals(params.keySet())) {
                throw new IllegalArgumentException(dir + " holds other parameters than " + checkpoints.get(0)
                        + "; average checkpoints of one architecture");
            }
            for (Map.Entry<String, TensorFile.Tensor> e : params.entrySet()) {
                float[] data = e.getValue().data();
                double[] sum = sums.computeIfAbsent(e.getKey(), k -> new double[data.length]);
                long[] shape = shapes.computeIfAbsent(e.getKey(), k -> e.getValue().shape());
                if (sum.length != data.length || !Arrays.equals(shape, e.getValue().shape())) {
                    throw new IllegalArgumentException(dir + ": parameter " + e.getKey() + " has shape "
                            + Arrays.toString(e.getValue().shape()) + ", expected "
                            + Arrays.toString(shape));
                }
                for (int i = 0; i < data.length; i++) {
                    sum[i] += data[i];
                }
            }
        }
        Map<String, TensorFile.Tensor> out = new LinkedHashMap<>();
        int n = checkpoints.size();
        for (Map.Entry<String, double[]> e : sums.entrySet()) {
            double[] sum = e.getValue();
            float[] mean = new float[sum.length];
            for (int i = 0; i < sum.length; i++) {
                mean[i] = (float) (sum[i] / n);
            }
            out.put(e.getKey(), new TensorFile.Tensor(shapes.get(e.getKey()), mean));
        }
        return out;
    }

    /**
     * Writes checkpoint {@code out}: the mean weights of {@code checkpoints} with BatchNorm statistics recomputed
     * over {@code bnSamples} (see {@link #recalibrate}), or averaged like the weights when it is empty. Metadata is
     * the last checkpoint's, kind {@code average}, naming the averaged checkpoints; no optimiser state (start further
     * training with {@code --init-from}).
     *
     * @return the number of BatchNorm layers recalibrated
     */
    public static int write(List<Path> checkpoints, List<Sample> bnSamples, int batch, Path out) throws IOException {
        requireAny(checkpoints);
        List<CheckpointMetadata> metas = new ArrayList<>();
        for (Path dir : checkpoints) {
            metas.add(Checkpoint.readMetadata(dir));
        }
        CheckpointMetadata last = metas.get(metas.size() - 1);
        for (int i = 0; i < metas.size(); i++) {
            CheckpointMetadata m = metas.get(i);
            Path dir = checkpoints.get(i);
            if (m.inputSize() != last.inputSize() || !m.depthEncoding().equals(last.depthEncoding())
                    || m.maxDepthM() != last.maxDepthM()) {
                throw new IllegalArgumentException(dir + " was trained at " + m.inputSize() + " px with "
                        + m.depthEncoding() + " depth to " + m.maxDepthM() + " m, unlike "
                        + checkpoints.get(checkpoints.size() - 1) + "; average checkpoints of one run");
            }
        }
        Map<String, TensorFile.Tensor> mean = meanOfParams(checkpoints);
        try (NDManager root = NDManager.newBaseManager()) {
            MdeasNet net = MdeasNet.initialized(root, last.inputSize());
            Checkpoint.loadParameters(mean, net, "the mean of " + checkpoints);
            int layers = bnSamples.isEmpty() ? 0 : recalibrate(net, bnSamples, last.inputSize(), batch, root);
            List<String> names = new ArrayList<>();
            for (Path dir : checkpoints) {
                names.add(dir.toAbsolutePath().normalize().toString());
            }
            CheckpointMetadata meta = new CheckpointMetadata(last.architecture(), last.inputSize(),
                    last.depthEncoding(), last.maxDepthM(), "average", last.config(), last.epoch(), last.step(),
                    last.imagesSeen(), last.sampleCursor(), last.completedEpochs(), last.cpuSeconds(),
                    last.wallSeconds(), last.trainDataInfo(), last.valDataInfo(), null, last.bestDepthSsim(),
                    last.bestMaskMiou(), "average of " + String.join(", ", names) + (bnSamples.isEmpty()
                            ? "; BatchNorm statistics averaged too"
                            : "; BatchNorm over " + bnSamples.size() + " training images"), Instant.now().toString(),
                    last.runEpochs(), last.epochSnapshots());
            Checkpoint.save(out, net, null, meta);
            return layers;
        }
    }

    /** One BatchNorm's running statistics and the sums that replace them. */
    private static final class NormStats {
        final Parameter mean;
        final Parameter var;
        final double[] sumMean;
        final double[] sumSquare;

        NormStats(Parameter mean, Parameter var, int channels) {
            this.mean = mean;
            this.var = var;
            this.sumMean = new double[channels];
            this.sumSquare = new double[channels];
        }
    }

    /**
     * Replaces the running statistics of every BatchNorm of {@code net} by their population values over
     * {@code samples} (all of them, in batches of {@code batch}, at the network's input size {@code size}).
     * Each layer's mean and variance over all pixels of all images are the means of its per-batch means and of
     * its per-batch E[x²]. DJL's BatchNorm keeps its momentum private, so each batch's statistics are read
     * back from the running values after zeroing them: running = momentum · 0 + (1 − momentum) · batch. The batch
     * variance PyTorch keeps is the unbiased one (× n/(n − 1), n = images × pixels of the layer): at 224 px and batch
     * 8, n ≥ 1,568, so it is left as is.
     *
     * @return the number of BatchNorm layers recalibrated
     */
    public static int recalibrate(MdeasNet net, List<Sample> samples, int size, int batch, NDManager parent)
            throws IOException {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("BatchNorm recalibration needs at least one sample");
        }
        List<NormStats> norms = new ArrayList<>();
        Map<String, Parameter> byName = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : net.getParameters()) {
            byName.put(p.getKey(), p.getValue());
        }
        for (Map.Entry<String, Parameter> e : byName.entrySet()) {
            if (e.getKey().endsWith(MEAN)) {
                String layer = e.getKey().substring(0, e.getKey().length() - MEAN.length());
                Parameter var = byName.get(layer + VAR);
                if (var == null) {
                    throw new IllegalStateException("BatchNorm " + layer + " has a running mean but no variance");
                }
                norms.add(new NormStats(e.getValue(), var, (int) e.getValue().getArray().size()));
            }
        }
        float scale = 1f / (1f - Norms.MOMENTUM_DJL);
        SampleLoader loader = new SampleLoader(size);
        int plane = size * size;
        LoadedSample loaded = LoadedSample.allocate(size);
        float[] bg = new float[batch * 3 * plane];
        float[] fg = new float[batch * 3 * plane];
        DirectInput bgIn = new DirectInput(batch * 3 * plane);
        DirectInput fgIn = new DirectInput(batch * 3 * plane);
        ParameterStore ps = new ParameterStore(parent, false);
        double totalImages = 0;
        for (int start = 0; start < samples.size(); start += batch) {
            int n = Math.min(batch, samples.size() - start);
            for (int i = 0; i < n; i++) {
                loader.load(samples.get(start + i), loaded);
                System.arraycopy(loaded.bg, 0, bg, i * 3 * plane, 3 * plane);
                System.arraycopy(loaded.fgBg, 0, fg, i * 3 * plane, 3 * plane);
            }
            for (NormStats s : norms) {
                s.mean.getArray().muli(0f);
                s.var.getArray().muli(0f);
            }
            try (NDManager m = parent.newSubManager()) {
                Shape shape = new Shape(n, 3, size, size);
                net.forward(ps, new NDList(bgIn.array(m, bg, shape), fgIn.array(m, fg, shape)), true);
            }
            // Weighted by images, so a short last batch counts for what it holds.
            for (NormStats s : norms) {
                float[] mean = s.mean.getArray().toFloatArray();
                float[] var = s.var.getArray().toFloatArray();
                for (int c = 0; c < mean.length; c++) {
                    double mu = mean[c] * scale;
                    s.sumMean[c] += n * mu;
                    s.sumSquare[c] += n * (var[c] * scale + mu * mu);
                }
            }
            totalImages += n;
        }
        for (NormStats s : norms) {
            float[] mean = new float[s.sumMean.length];
            float[] var = new float[s.sumMean.length];
            for (int c = 0; c < mean.length; c++) {
                double mu = s.sumMean[c] / totalImages;
                mean[c] = (float) mu;
                var[c] = (float) Math.max(0, s.sumSquare[c] / totalImages - mu * mu);
            }
            setValues(s.mean.getArray(), mean);
            setValues(s.var.getArray(), var);
        }
        return norms.size();
    }

    private static void setValues(NDArray target, float[] values) {
        target.set(FloatBuffer.wrap(values));
    }
}
