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
 * Input stem, one per image: conv 3×3 (3→32, padding 1, no bias) → BN → ReLU → conv 3×3 (32→32, stride 2,
 * padding 1, no bias) → BN → ReLU; [N,3,H,W] → [N,32,H/2,W/2]. Children, in order: {@code conv1},
 * {@code norm1}, {@code conv2}, {@code norm2}.
 */
public final class Stem extends AbstractBlock {

    private static final byte VERSION = 1;

    /** Output channels of one stem. */
    public static final int CHANNELS = 32;

    private final Conv2d conv1;
    private final BatchNorm norm1;
    private final Conv2d conv2;
    private final BatchNorm norm2;

    public Stem() {
        super(VERSION);
        this.conv1 = addChildBlock("conv1", Convs.full3x3(CHANNELS, 1));
        this.norm1 = addChildBlock("norm1", Norms.batchNorm());
        this.conv2 = addChildBlock("conv2", Convs.full3x3(CHANNELS, 2));
        this.norm2 = addChildBlock("norm2", Norms.batchNorm());
    }

    public Conv2d conv1() {
        return conv1;
    }

    public BatchNorm norm1() {
        return norm1;
    }

    public Conv2d conv2() {
        return conv2;
    }

    public BatchNorm norm2() {
        return norm2;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList x = conv1.forward(ps, inputs, training);
        x = norm1.forward(ps, x, training);
        x = new NDList(Activation.relu(x.head()));
        x = conv2.forward(ps, x, training);
        x = norm2.forward(ps, x, training);
        return new NDList(Activation.relu(x.head()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {Convs.outShape(inputShapes[0], CHANNELS, 2)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        DenseBlock.checkChannels(inputShapes[0], 3, "Stem");
        Shape full = Convs.outShape(inputShapes[0], CHANNELS, 1);
        conv1.initialize(manager, dataType, inputShapes);
        norm1.initialize(manager, dataType, full);
        conv2.initialize(manager, dataType, full);
        norm2.initialize(manager, dataType, getOutputShapes(inputShapes));
    }
}
