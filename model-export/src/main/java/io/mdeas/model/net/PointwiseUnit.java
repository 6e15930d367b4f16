package io.mdeas.model.net;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Pointwise projection {@code in→out}: conv 1×1 (bias) → ReLU → batch norm. Children, in order:
 * {@code conv} ({@link Conv2d}), {@code norm} ({@link BatchNorm}).
 */
public final class PointwiseUnit extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int outChannels;
    private final Conv2d conv;
    private final BatchNorm norm;

    /** A projection to {@code outChannels}; the input channel count is fixed at initialisation. */
    public PointwiseUnit(int outChannels) {
        super(VERSION);
        this.outChannels = outChannels;
        this.conv = addChildBlock("conv", Convs.pointwise(outChannels));
        this.norm = addChildBlock("norm", Norms.batchNorm());
    }

    public Conv2d conv() {
        return conv;
    }

    public BatchNorm norm() {
        return norm;
    }

    public int outChannels() {
        return outChannels;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList x = conv.forward(ps, inputs, training);
        x = new NDList(Activation.relu(x.head()));
        return norm.forward(ps, x, training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {Convs.outShape(inputShapes[0], outChannels, 1)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        conv.initialize(manager, dataType, inputShapes);
        norm.initialize(manager, dataType, getOutputShapes(inputShapes));
    }
}
