package io.mdeas.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * A reusable native-order direct buffer for one network input. DJL copies a heap {@code float[]} into a fresh
 * direct buffer on every {@code create}, and direct buffers are only freed by the garbage collector, so a
 * training loop that creates its inputs from arrays grows native memory between collections; handing DJL the
 * same direct buffer every step avoids that. The array made from it must be closed before the next
 * {@link #array} call (the step's sub-manager does this).
 */
final class DirectInput {

    private final ByteBuffer bytes;
    private final FloatBuffer floats;

    DirectInput(int floatCount) {
        bytes = ByteBuffer.allocateDirect(floatCount * Float.BYTES).order(ByteOrder.nativeOrder());
        floats = bytes.asFloatBuffer();
    }

    /** Copies {@code data} into the buffer and makes an array of {@code shape} from it in {@code manager}. */
    NDArray array(NDManager manager, float[] data, Shape shape) {
        floats.clear();
        floats.put(data, 0, (int) shape.size());
        bytes.clear();
        bytes.limit((int) shape.size() * Float.BYTES);
        return manager.create(bytes, shape, DataType.FLOAT32);
    }
}
