package io.mdeas.model.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Dense block {@code in→out}: x1 = DS(x), x2 = DS(x + x1), x3 = DS(x + x1 + x2), result =
 * {@link PointwiseUnit}(x + x1 + x2 + x3). The three DS have their own weights, all with dilation 1. Children,
 * in order: {@code ds1}, {@code ds2}, {@code ds3} ({@link DepthwiseSeparable}), {@code out}
 * ({@link PointwiseUnit}).
 */
public final class DenseBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int inChannels;
    private final int outChannels;
    private final DepthwiseSeparable ds1;
    private final DepthwiseSeparable ds2;
    private final DepthwiseSeparable ds3;
    private final PointwiseUnit out;

    public DenseBlock(int inChannels, int outChannels) {
        super(VERSION);
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.ds1 = addChildBlock("ds1", new DepthwiseSeparable(inChannels, 1));
        this.ds2 = addChildBlock("ds2", new DepthwiseSeparable(inChannels, 1));
        this.ds3 = addChildBlock("ds3", new DepthwiseSeparable(inChannels, 1));
        this.out = addChildBlock("out", new PointwiseUnit(outChannels));
    }

    public int inChannels() {
        return inChannels;
    }

    public int outChannels() {
        return outChannels;
    }

    public DepthwiseSeparable ds1() {
        return ds1;
    }

    public DepthwiseSeparable ds2() {
        return ds2;
    }

    public DepthwiseSeparable ds3() {
        return ds3;
    }

    public PointwiseUnit out() {
        return out;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.head();
        NDArray x1 = ds1.forward(ps, new NDList(x), training).head();
        NDArray s1 = x.add(x1);
        NDArray x2 = ds2.forward(ps, new NDList(s1), training).head();
        NDArray s2 = s1.add(x2);
        NDArray x3 = ds3.forward(ps, new NDList(s2), training).head();
        NDArray s3 = s2.add(x3);
        return out.forward(ps, new NDList(s3), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return out.getOutputShapes(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        checkChannels(inputShapes[0], inChannels, "DenseBlock");
        ds1.initialize(manager, dataType, inputShapes);
        ds2.initialize(manager, dataType, inputShapes);
        ds3.initialize(manager, dataType, inputShapes);
        out.initialize(manager, dataType, inputShapes);
    }

    static void checkChannels(Shape shape, long expected, String what) {
        if (shape.dimension() != 4 || shape.get(1) != expected) {
            throw new IllegalArgumentException(
                    what + " expects NCHW input with " + expected + " channels, got " + shape);
        }
    }
}
