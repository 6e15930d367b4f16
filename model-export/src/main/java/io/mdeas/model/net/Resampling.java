package io.mdeas.model.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;

/**
 * The parameter-free resampling steps of the network, each with the exact semantics the ONNX export must
 * reproduce.
 */
public enum Resampling {
    /** Max pooling, kernel 2, stride 2, no padding (ONNX {@code MaxPool}). Halves H and W. */
    MAX_POOL_2,
    /**
     * Nearest-neighbour ×2: every pixel becomes a 2×2 block, out(h, w) = in(h / 2, w / 2) (ONNX {@code Resize}
     * mode nearest, scales 2, asymmetric coordinates, floor rounding).
     */
    NEAREST_2,
    /**
     * PyTorch {@code PixelShuffle(2)}: channel {@code c*4 + i*2 + j} at (h, w) moves to channel c at
     * (2h + i, 2w + j); C becomes C / 4 (ONNX {@code DepthToSpace}, blocksize 2, mode CRD).
     */
    PIXEL_SHUFFLE_2;

    /** Applies this step to an NCHW array. */
    public NDArray apply(NDArray x) {
        switch (this) {
            case MAX_POOL_2:
                return Pool.maxPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
            case NEAREST_2:
                return nearest2(x);
            case PIXEL_SHUFFLE_2:
                return pixelShuffle(x, 2);
            default:
                throw new AssertionError(this);
        }
    }

    /** The output shape of this step for an NCHW input shape. */
    public Shape outputShape(Shape in) {
        long n = in.get(0);
        long c = in.get(1);
        long h = in.get(2);
        long w = in.get(3);
        switch (this) {
            case MAX_POOL_2:
                return new Shape(n, c, h / 2, w / 2);
            case NEAREST_2:
                return new Shape(n, c, h * 2, w * 2);
            case PIXEL_SHUFFLE_2:
                return new Shape(n, c / 4, h * 2, w * 2);
            default:
                throw new AssertionError(this);
        }
    }

    static NDArray nearest2(NDArray x) {
        Shape s = x.getShape();
        long n = s.get(0);
        long c = s.get(1);
        long h = s.get(2);
        long w = s.get(3);
        return x.reshape(n, c, h, 1, w, 1).broadcast(new Shape(n, c, h, 2, w, 2)).reshape(n, c, h * 2, w * 2);
    }

    static NDArray pixelShuffle(NDArray x, int r) {
        Shape s = x.getShape();
        long n = s.get(0);
        long c = s.get(1) / (r * r);
        long h = s.get(2);
        long w = s.get(3);
        return x.reshape(n, c, r, r, h, w).transpose(0, 1, 4, 2, 5, 3).reshape(n, c, h * r, w * r);
    }
}
