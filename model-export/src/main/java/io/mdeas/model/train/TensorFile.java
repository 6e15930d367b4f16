package io.mdeas.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A small deterministic file of named float32 tensors, used for parameters and optimiser state. Layout
 * (big-endian header via {@link DataOutputStream}, little-endian data): int magic {@code 0x4D445431} ("MDT1"),
 * int count, then per tensor: UTF name, int rank, long[rank] dims, float32[prod(dims)] little-endian. The same
 * input gives the same bytes.
 */
public final class TensorFile {

    private static final int MAGIC = 0x4D445431;

    private TensorFile() {}

    /** A named tensor's shape and values (row-major). */
    public record Tensor(long[] shape, float[] data) {

        /** A copy of an array's values. */
        public static Tensor of(NDArray a) {
            return new Tensor(a.getShape().getShape(), a.toFloatArray());
        }

        /** Overwrites {@code target} in place with these values, after checking the shape. */
        public void copyInto(NDArray target, String name) {
            if (!Arrays.equals(shape, target.getShape().getShape())) {
                throw new IllegalArgumentException("tensor " + name + " has shape " + new Shape(shape)
                        + " in the file but " + target.getShape() + " in the network");
            }
            target.set(FloatBuffer.wrap(data));
        }
    }

    /** Writes tensors in the map's order. */
    public static void write(Path file, Map<String, Tensor> tensors) throws IOException {
        try (OutputStream os = Files.newOutputStream(file);
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os, 1 << 16))) {
            out.writeInt(MAGIC);
            out.writeInt(tensors.size());
            ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                out.writeUTF(e.getKey());
                long[] shape = e.getValue().shape();
                out.writeInt(shape.length);
                for (long d : shape) {
                    out.writeLong(d);
                }
                float[] data = e.getValue().data();
                int i = 0;
                while (i < data.length) {
                    buf.clear();
                    int n = Math.min(buf.capacity() / 4, data.length - i);
                    buf.asFloatBuffer().put(data, i, n);
                    out.write(buf.array(), 0, n * 4);
                    i += n;
                }
            }
        }
    }

    /** Reads all tensors, in file order. */
    public static Map<String, Tensor> read(Path file) throws IOException {
        Map<String, Tensor> out = new LinkedHashMap<>();
        try (InputStream is = Files.newInputStream(file);
                DataInputStream in = new DataInputStream(new BufferedInputStream(is, 1 << 16))) {
            if (in.readInt() != MAGIC) {
                throw new IOException(file + ": not a tensor file (bad magic)");
            }
            int count = in.readInt();
            for (int t = 0; t < count; t++) {
                String name = in.readUTF();
                int rank = in.readInt();
                long[] shape = new long[rank];
                long size = 1;
                for (int d = 0; d < rank; d++) {
                    shape[d] = in.readLong();
                    size *= shape[d];
                }
                if (size < 0 || size > Integer.MAX_VALUE / 4) {
                    throw new IOException(file + ": tensor " + name + " has an impossible size " + size);
                }
                byte[] bytes = new byte[(int) size * 4];
                in.readFully(bytes);
                float[] data = new float[(int) size];
                ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
                out.put(name, new Tensor(shape, data));
            }
        }
        return out;
    }
}
