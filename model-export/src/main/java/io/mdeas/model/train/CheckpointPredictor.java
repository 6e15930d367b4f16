package io.mdeas.model.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.mdeas.model.eval.DepthMaskPredictor;
import io.mdeas.model.net.MdeasNet;
import io.mdeas.model.net.TorchRuntime;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A training checkpoint as a {@link DepthMaskPredictor}: the DJL network in inference mode (BN running
 * statistics), depth decoded to metres with the checkpoint's encoding. Runs at the checkpoint's input size.
 */
public final class CheckpointPredictor implements DepthMaskPredictor {

    private final Path dir;
    private final CheckpointMetadata meta;
    private final NDManager manager;
    private final MdeasNet net;
    private final ParameterStore store;
    private final DepthEncoding encoding;
    private final float maxDepthM;

    private CheckpointPredictor(Path dir, CheckpointMetadata meta, NDManager manager, MdeasNet net) {
        this.dir = dir;
        this.meta = meta;
        this.manager = manager;
        this.net = net;
        this.store = new ParameterStore(manager, false);
        this.encoding = DepthEncoding.fromId(meta.depthEncoding());
        this.maxDepthM = (float) meta.maxDepthM();
    }

    /** Opens a checkpoint folder (or a run folder, meaning its {@code latest/}). */
    public static CheckpointPredictor open(Path dirOrRun) throws IOException {
        Path dir = Checkpoint.resolve(dirOrRun);
        CheckpointMetadata meta = Checkpoint.readMetadata(dir);
        if (!MdeasNet.ARCHITECTURE.equals(meta.architecture())) {
            throw new IllegalArgumentException(dir + " holds architecture " + meta.architecture()
                    + "; this build reads " + MdeasNet.ARCHITECTURE);
        }
        TorchRuntime.start();
        NDManager manager = NDManager.newBaseManager();
        try {
            MdeasNet net = MdeasNet.initialized(manager, meta.inputSize());
            Checkpoint.loadParameters(dir, net);
            return new CheckpointPredictor(dir, meta, manager, net);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** The checkpoint's metadata. */
    public CheckpointMetadata metadata() {
        return meta;
    }

    @Override
    public int inputSize() {
        return meta.inputSize();
    }

    @Override
    public boolean predict(float[] bg, float[] fgBg, int size, float[] outDepthM, float[] outMask) {
        int plane = size * size;
        if (bg.length != 3 * plane || fgBg.length != 3 * plane || outDepthM.length < plane || outMask.length < plane) {
            throw new IllegalArgumentException("predict expects 3x" + size + "x" + size + " inputs and " + size + "x"
                    + size + " outputs");
        }
        try (NDManager m = manager.newSubManager()) {
            Shape shape = new Shape(1, 3, size, size);
            NDList out = net.forward(store, new NDList(m.create(bg, shape), m.create(fgBg, shape)), false);
            float[] depth = out.get(0).toFloatArray();
            float[] mask = out.get(1).toFloatArray();
            for (int i = 0; i < plane; i++) {
                outDepthM[i] = encoding.decode(depth[i], maxDepthM);
            }
            System.arraycopy(mask, 0, outMask, 0, plane);
        }
        return true;
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "DJL checkpoint %s (%s, %s, step %d, epoch %.2f, %d px, depth %s/%.0f m)",
                dir, meta.kind(), meta.architecture(), meta.step(), meta.epoch(), meta.inputSize(),
                meta.depthEncoding(), meta.maxDepthM());
    }

    @Override
    public void close() {
        manager.close();
    }
}
