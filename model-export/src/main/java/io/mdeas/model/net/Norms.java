package io.mdeas.model.net;

import ai.djl.nn.norm.BatchNorm;

/**
 * The one batch-norm configuration used everywhere in the network.
 *
 * <p>DJL's {@link BatchNorm} keeps epsilon and momentum private, so the values are fixed here and read by
 * whoever needs them (the ONNX exporter). Momentum uses DJL's convention, which is the complement of
 * PyTorch's: {@code running = running * MOMENTUM_DJL + batch * (1 - MOMENTUM_DJL)}, so {@code 0.9} here equals
 * {@code momentum=0.1} in {@code torch.nn.BatchNorm2d} (verified: one training step from zeros with batch mean
 * 10 gives running mean 1.0). Epsilon is added to the variance, as in PyTorch and ONNX
 * {@code BatchNormalization}. Parameters are {@code gamma} (scale), {@code beta} (shift), {@code runningMean},
 * {@code runningVar}; only gamma and beta are trainable.
 */
public final class Norms {

    /** Added to the variance before the square root (ONNX {@code epsilon}). */
    public static final float EPSILON = 1e-5f;

    /** DJL momentum: weight of the old running statistic. PyTorch momentum = {@code 1 - MOMENTUM_DJL}. */
    public static final float MOMENTUM_DJL = 0.9f;

    private Norms() {}

    /** A channel-axis (axis 1, NCHW) batch norm with {@link #EPSILON} and {@link #MOMENTUM_DJL}. */
    public static BatchNorm batchNorm() {
        return BatchNorm.builder().optAxis(1).optEpsilon(EPSILON).optMomentum(MOMENTUM_DJL).build();
    }
}
