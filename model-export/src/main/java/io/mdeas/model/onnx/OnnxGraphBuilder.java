package io.mdeas.model.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Builds one ONNX graph (default domain, opset {@value #OPSET}) node by node with the protobuf builders of
 * {@code ai.onnx.proto.OnnxMl}. Names are given by the caller, so the same calls give the same bytes.
 *
 * <p>Conv kernels go through {@link #weight}: stored as float32, or — for a {@link #fp16Weights fp16} graph —
 * as float16 followed by a {@code Cast} to float32, so the graph's arithmetic and I/O stay float32 while the file
 * halves. Constants and per-channel vectors ({@link #constant}) are always float32.
 */
public final class OnnxGraphBuilder {

    /** Operator set of the default domain. 13: BatchNormalization there is still rewritten by ONNX Runtime's
     *  NCHWc layout pass (at 15+ it is not, measured 1.2–1.35× slower on CPU). */
    public static final int OPSET = 13;

    /** IR version 7 is the first that knows opset 13 and is read by every ONNX Runtime since 1.6. */
    public static final long IR_VERSION = 7;

    private final GraphProto.Builder graph;
    private final boolean fp16Weights;
    private final Set<String> names = new HashSet<>();

    public OnnxGraphBuilder(String graphName, boolean fp16Weights) {
        this.graph = GraphProto.newBuilder().setName(graphName);
        this.fp16Weights = fp16Weights;
    }

    /** Whether weights are stored as float16. */
    public boolean fp16Weights() {
        return fp16Weights;
    }

    /** Declares a float32 graph input; each dim is a fixed size (Integer) or a symbolic name (String). */
    public String input(String name, Object... dims) {
        claim(name);
        graph.addInput(floatValueInfo(name, dims));
        return name;
    }

    /** Declares a float32 graph output (the tensor must be produced by some node). */
    public void output(String name, Object... dims) {
        graph.addOutput(floatValueInfo(name, dims));
    }

    /**
     * A float weight tensor. In an fp16 graph it is stored rounded to float16 under {@code name + "_fp16"} and
     * cast back to float32 under {@code name}.
     */
    public String weight(String name, long[] shape, float[] values) {
        checkSize(name, shape, values.length);
        if (!fp16Weights) {
            claim(name);
            graph.addInitializer(floatTensor(name, shape, values));
            return name;
        }
        String stored = name + "_fp16";
        claim(stored);
        ByteBuffer buf = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            buf.putShort(Half.fromFloat(v));
        }
        TensorProto.Builder t = TensorProto.newBuilder().setName(stored)
                .setDataType(TensorProto.DataType.FLOAT16_VALUE).setRawData(ByteString.copyFrom(buf.array()));
        for (long d : shape) {
            t.addDims(d);
        }
        graph.addInitializer(t);
        node("Cast", name + "_cast", new String[] {stored}, new String[] {name},
                attr("to", TensorProto.DataType.FLOAT_VALUE));
        return name;
    }

    /**
     * A float32 constant, kept float32 in fp16 graphs: scales, clip bounds, and per-channel vectors (biases,
     * batch-norm parameters) — under 1 % of the bytes, and where float16 would round a shift or mean against
     * activations of a much smaller spread.
     */
    public String constant(String name, long[] shape, float... values) {
        checkSize(name, shape, values.length);
        claim(name);
        graph.addInitializer(floatTensor(name, shape, values));
        return name;
    }

    /** Adds a node with one output named {@code output}; returns that name. */
    public String node(String op, String output, String[] inputs, AttributeProto... attributes) {
        node(op, output, inputs, new String[] {output}, attributes);
        return output;
    }

    /**
     * Adds a node named {@code nodeName}. An empty input name marks an omitted optional input (e.g.
     * {@code Resize}'s roi).
     */
    public void node(String op, String nodeName, String[] inputs, String[] outputs, AttributeProto... attributes) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(nodeName);
        for (String in : inputs) {
            n.addInput(in);
        }
        for (String out : outputs) {
            claim(out);
            n.addOutput(out);
        }
        for (AttributeProto a : attributes) {
            n.addAttribute(a);
        }
        graph.addNode(n);
    }

    /** The model around the graph, with metadata in the map's iteration order. */
    public ModelProto model(String producerName, String producerVersion, String docString, Map<String, String> metadata) {
        ModelProto.Builder m = ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName(producerName)
                .setProducerVersion(producerVersion)
                .setModelVersion(1)
                .setDocString(docString)
                .setGraph(graph)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET));
        metadata.forEach((k, v) -> m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return m.build();
    }

    public static AttributeProto attr(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    public static AttributeProto attr(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
    }

    public static AttributeProto attr(String name, String value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFromUtf8(value)).build();
    }

    public static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    private void claim(String name) {
        if (!names.add(name)) {
            throw new IllegalStateException("ONNX tensor name used twice: " + name);
        }
    }

    private static void checkSize(String name, long[] shape, int count) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        if (n != count) {
            throw new IllegalArgumentException("tensor " + name + ": " + count + " values for shape of " + n);
        }
    }

    private static TensorProto floatTensor(String name, long[] shape, float[] values) {
        ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(values);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name)
                .setDataType(TensorProto.DataType.FLOAT_VALUE).setRawData(ByteString.copyFrom(buf.array()));
        for (long d : shape) {
            t.addDims(d);
        }
        return t.build();
    }

    private static ValueInfoProto floatValueInfo(String name, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
            if (d instanceof Integer i) {
                dim.setDimValue(i);
            } else if (d instanceof String s) {
                dim.setDimParam(s);
            } else {
                throw new IllegalArgumentException("dimension must be an Integer or a String: " + d);
            }
            shape.addDim(dim);
        }
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                        .setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape)))
                .build();
    }

    /** IEEE 754 binary16 conversion (Java 17 has no {@code Float.floatToFloat16}). */
    static final class Half {
        private Half() {}

        /** Rounds to the nearest float16, ties to even; overflow gives ±infinity, NaN stays NaN. */
        static short fromFloat(float f) {
            int bits = Float.floatToRawIntBits(f);
            int sign = (bits >>> 16) & 0x8000;
            int exp = (bits >>> 23) & 0xFF;
            int mant = bits & 0x7FFFFF;
            if (exp == 0xFF) {
                return (short) (sign | 0x7C00 | (mant != 0 ? 0x200 : 0));
            }
            int e = exp - 127 + 15;
            if (e >= 0x1F) {
                return (short) (sign | 0x7C00);
            }
            if (e <= 0) {
                if (e < -10) {
                    return (short) sign;
                }
                // Subnormal: shift the mantissa (with its implicit 1) right, rounding to nearest even.
                int m = mant | 0x800000;
                int shift = 14 - e;
                int half = m >>> shift;
                int rest = m & ((1 << shift) - 1);
                int mid = 1 << (shift - 1);
                if (rest > mid || (rest == mid && (half & 1) != 0)) {
                    half++;
                }
                return (short) (sign | half);
            }
            int half = sign | (e << 10) | (mant >>> 13);
            int rest = mant & 0x1FFF;
            if (rest > 0x1000 || (rest == 0x1000 && (half & 1) != 0)) {
                half++; // may carry into the exponent, which is the correct rounding (up to infinity)
            }
            return (short) half;
        }

        /** The float value of a float16 bit pattern. */
        static float toFloat(short h) {
            int bits = h & 0xFFFF;
            int sign = (bits & 0x8000) << 16;
            int exp = (bits >>> 10) & 0x1F;
            int mant = bits & 0x3FF;
            if (exp == 0) {
                float v = mant * 0x1p-24f;
                return sign != 0 ? -v : v;
            }
            if (exp == 0x1F) {
                return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
            }
            return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
        }
    }
}
