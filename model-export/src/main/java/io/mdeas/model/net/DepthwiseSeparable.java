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
 * Depthwise-separable convolution DS(c, d), channel and size preserving: depthwise 3×3 (groups c, padding d,
 * dilation d, bias) → pointwise 1×1 c→c (bias) → ReLU → batch norm. Children, in order: {@code depthwise},
 * {@code pointwise} ({@link Conv2d}), {@code norm} ({@link BatchNorm}).
 */
public final class DepthwiseSeparable extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int channels;
    private final int dilation;
    private final Conv2d depthwise;
    private final Conv2d pointwise;
    private final BatchNorm norm;

    public DepthwiseSeparable(int channels, int dilation) {
        super(VERSION);
        this.channels = channels;
        this.dilation = dilation;
        this.depthwise = addChildBlock("depthwise", Convs.depthwise3x3(channels, dilation));
        this.pointwise = addChildBlock("pointwise", Convs.pointwise(channels));
        this.norm = addChildBlock("norm", Norms.batchNorm());
    }

    public int channels() {
        return channels;
    }

    /** Dilation of the depthwise conv; its padding equals it. */
    public int dilation() {
        return dilation;
    }

    public Conv2d depthwise() {
        return depthwise;
    }

    public Conv2d pointwise() {
        return pointwise;
    }

    public BatchNorm norm() {
        return norm;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList x = depthwise.forward(ps, inputs, training);
        x = pointwise.forward(ps, x, training);
        x = new NDList(Activation.relu(x.head()));
        return norm.forward(ps, x, training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        depthwise.initialize(manager, dataType, inputShapes);
        pointwise.initialize(manager, dataType, inputShapes);
        norm.initialize(manager, dataType, inputShapes);
    }
}
