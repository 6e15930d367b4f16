package io.mdeas.model.net;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

/** Builders for the few convolution shapes the network uses (NCHW, square kernels). */
final class Convs {

    private Convs() {}

    /** 1×1 convolution {@code in→out} with bias (the input channel count comes from initialisation). */
    static Conv2d pointwise(int out) {
        return Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(out).optBias(true).build();
    }

    /** Depthwise 3×3 over {@code channels} channels, padding = dilation (size preserving), with bias. */
    static Conv2d depthwise3x3(int channels, int dilation) {
        return Conv2d.builder()
                .setKernelShape(new Shape(3, 3))
                .setFilters(channels)
                .optGroups(channels)
                .optPadding(new Shape(dilation, dilation))
                .optDilation(new Shape(dilation, dilation))
                .optBias(true)
                .build();
    }

    /** Full 3×3 convolution without bias (followed by batch norm), padding 1. */
    static Conv2d full3x3(int out, int stride) {
        return Conv2d.builder()
                .setKernelShape(new Shape(3, 3))
                .setFilters(out)
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(1, 1))
                .optBias(false)
                .build();
    }

    /** Output shape of a conv with {@code out} filters, given stride, for an NCHW input (size preserving padding). */
    static Shape outShape(Shape in, long out, int stride) {
        return new Shape(in.get(0), out, (in.get(2) + stride - 1) / stride, (in.get(3) + stride - 1) / stride);
    }
}
