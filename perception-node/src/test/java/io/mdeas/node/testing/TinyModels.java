package io.mdeas.node.testing;

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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Small ONNX models that honour the MDEAS model contract, built in-test with the ONNX protobuf builders
 * so inference and end-to-end tests run real ONNX Runtime sessions.
 *
 * <p>The graph computes, per pixel:
 * <pre>
 *   mask  = sigmoid(maskGain * (mean_c |fg_bg - bg| - maskThreshold))
 *   depth = depthOffset + depthScale * mean_c(fg_bg)          (metres)
 * </pre>
 * so a test controls the mask with how much a pixel differs from the background and the depth with the
 * brightness of the current frame (a grey level g in [0,1] reads as {@code depthOffset + depthScale * g}).
 *
 * <pre>
 *   Path model = TinyModels.builder().inputSize(64).depth(10f, 0f).write(tempDir.resolve("m.onnx"));
 * </pre>
 */
public final class TinyModels {
    private TinyModels() {}

    public static Builder builder() {
        return new Builder();
    }

    /** Writes a file that is not an ONNX model at all (for the "corrupt model" path). */
    public static Path writeCorrupt(Path file) {
        try {
            Files.write(file, "this is not an onnx model \u0000\u0001\u0002".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Builds one contract-shaped model; every knob has a contract-conforming default. */
    public static final class Builder {
        private int inputSize = 32;
        private boolean dynamicSize = false;
        private float maskGain = 40f;
        private float maskThreshold = 0.1f;
        private float depthScale = 10f;
        private float depthOffset = 0f;
        private String bgName = "bg";
        private String fgName = "fg_bg";
        private String depthName = "depth";
        private String maskName = "mask";
        private final Map<String, String> metadata = new LinkedHashMap<>();

        private Builder() {
            metadata.put("mdeas.depth_encoding", "linear");
            metadata.put("mdeas.max_depth_m", "10");
            metadata.put("mdeas.input_size", "32");
            metadata.put("mdeas.version", "tiny-test-1");
        }

        /** Square input size H = W; also updates {@code mdeas.input_size}. */
        public Builder inputSize(int size) {
            this.inputSize = size;
            metadata.put("mdeas.input_size", Integer.toString(size));
            return this;
        }

        /** Declares H and W as symbolic dimensions instead of fixed ones. */
        public Builder dynamicSize(boolean dynamic) {
            this.dynamicSize = dynamic;
            return this;
        }

        public Builder mask(float gain, float threshold) {
            this.maskGain = gain;
            this.maskThreshold = threshold;
            return this;
        }

        /** depth = offset + scale * mean_c(fg_bg). */
        public Builder depth(float scale, float offset) {
            this.depthScale = scale;
            this.depthOffset = offset;
            return this;
        }

        public Builder inputNames(String bg, String fgBg) {
            this.bgName = bg;
            this.fgName = fgBg;
            return this;
        }

        public Builder outputNames(String depth, String mask) {
            this.depthName = depth;
            this.maskName = mask;
            return this;
        }

        /** Sets (or with {@code value == null} removes) one metadata_props entry. */
        public Builder metadata(String key, String value) {
            if (value == null) {
                metadata.remove(key);
            } else {
                metadata.put(key, value);
            }
            return this;
        }

        public byte[] toBytes() {
            GraphProto.Builder g = GraphProto.newBuilder().setName("mdeas_tiny");
            g.addInput(imageInfo(bgName, 3));
            g.addInput(imageInfo(fgName, 3));
            g.addOutput(imageInfo(depthName, 1));
            g.addOutput(imageInfo(maskName, 1));
            g.addInitializer(scalar("mask_t", maskThreshold));
            g.addInitializer(scalar("mask_k", maskGain));
            g.addInitializer(scalar("depth_s", depthScale));
            g.addInitializer(scalar("depth_o", depthOffset));

            g.addNode(node("Sub", "diff", fgName, bgName));
            g.addNode(node("Abs", "absdiff", "diff"));
            g.addNode(channelMean("absdiff", "meandiff"));
            g.addNode(node("Sub", "centred", "meandiff", "mask_t"));
            g.addNode(node("Mul", "logit", "centred", "mask_k"));
            g.addNode(node("Sigmoid", maskName, "logit"));

            g.addNode(channelMean(fgName, "grey"));
            g.addNode(node("Mul", "scaled", "grey", "depth_s"));
            g.addNode(node("Add", depthName, "scaled", "depth_o"));

            ModelProto.Builder m = ModelProto.newBuilder()
                    .setIrVersion(8)
                    .setProducerName("mdeas-tests")
                    .setGraph(g)
                    .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13));
            metadata.forEach((k, v) -> m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
            return m.build().toByteArray();
        }

        public Path write(Path file) {
            try {
                Files.write(file, toBytes());
                return file;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private ValueInfoProto imageInfo(String name, int channels) {
            TensorShapeProto.Builder shape = TensorShapeProto.newBuilder()
                    .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"))
                    .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(channels));
            for (String axis : new String[] {"H", "W"}) {
                TensorShapeProto.Dimension.Builder d = TensorShapeProto.Dimension.newBuilder();
                if (dynamicSize) {
                    d.setDimParam(axis);
                } else {
                    d.setDimValue(inputSize);
                }
                shape.addDim(d);
            }
            return ValueInfoProto.newBuilder().setName(name)
                    .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                            .setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape)))
                    .build();
        }

        private static TensorProto scalar(String name, float value) {
            return TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
                    .addFloatData(value).build();
        }

        private static NodeProto node(String op, String output, String... inputs) {
            NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(op + "_" + output).addOutput(output);
            for (String in : inputs) {
                n.addInput(in);
            }
            return n.build();
        }

        private static NodeProto channelMean(String input, String output) {
            return NodeProto.newBuilder().setOpType("ReduceMean").setName("ReduceMean_" + output)
                    .addInput(input).addOutput(output)
                    .addAttribute(AttributeProto.newBuilder().setName("axes").setType(AttributeProto.AttributeType.INTS).addInts(1))
                    .addAttribute(AttributeProto.newBuilder().setName("keepdims").setType(AttributeProto.AttributeType.INT).setI(1))
                    .build();
        }
    }
}
