package io.mdeas.model.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.mdeas.model.data.LoadedSample;
import io.mdeas.model.data.Sample;
import io.mdeas.model.data.SampleLoader;
import io.mdeas.model.eval.EvaluationResult;
import io.mdeas.model.eval.MetricAccumulator;
import io.mdeas.model.net.MdeasNet;
import java.io.IOException;
import java.util.List;

/**
 * Runs the network in inference mode over (the first {@code limit} samples of) a validation set and scores it
 * with the project's metric definitions ({@link MetricAccumulator}), depth decoded to metres.
 */
final class Validator {

    private final List<Sample> samples;
    private final int size;
    private final int batch;
    private final DepthEncoding encoding;
    private final float maxDepthM;

    Validator(List<Sample> samples, int limit, int size, int batch, DepthEncoding encoding, float maxDepthM) {
        this.samples = samples.subList(0, Math.min(limit, samples.size()));
        this.size = size;
        this.batch = batch;
        this.encoding = encoding;
        this.maxDepthM = maxDepthM;
    }

    int count() {
        return samples.size();
    }

    EvaluationResult run(MdeasNet net, NDManager parent) throws IOException {
        SampleLoader loader = new SampleLoader(size);
        int plane = size * size;
        LoadedSample[] loaded = new LoadedSample[batch];
        for (int i = 0; i < batch; i++) {
            loaded[i] = LoadedSample.allocate(size);
        }
        float[] bg = new float[batch * 3 * plane];
        float[] fg = new float[batch * 3 * plane];
        float[] predMask = new float[plane];
        float[] predDepth = new float[plane];
        MetricAccumulator acc = new MetricAccumulator();
        ParameterStore ps = new ParameterStore(parent, false);
        DirectInput bgIn = new DirectInput(batch * 3 * plane);
        DirectInput fgIn = new DirectInput(batch * 3 * plane);
        for (int start = 0; start < samples.size(); start += batch) {
            int n = Math.min(batch, samples.size() - start);
            for (int i = 0; i < n; i++) {
                loader.load(samples.get(start + i), loaded[i]);
                System.arraycopy(loaded[i].bg, 0, bg, i * 3 * plane, 3 * plane);
                System.arraycopy(loaded[i].fgBg, 0, fg, i * 3 * plane, 3 * plane);
            }
            try (NDManager m = parent.newSubManager()) {
                Shape shape = new Shape(n, 3, size, size);
                NDList out = net.forward(ps, new NDList(bgIn.array(m, bg, shape), fgIn.array(m, fg, shape)), false);
                float[] depth = out.get(0).toFloatArray();
                float[] mask = out.get(1).toFloatArray();
                for (int i = 0; i < n; i++) {
                    System.arraycopy(mask, i * plane, predMask, 0, plane);
                    for (int k = 0; k < plane; k++) {
                        predDepth[k] = encoding.decode(depth[i * plane + k], maxDepthM);
                    }
                    LoadedSample s = loaded[i];
                    acc.add(predMask, s.mask, predDepth, s.hasDepth ? s.depthM : null, size, size, s.nearestFgM());
                }
            }
        }
        return acc.result();
    }
}
