package io.mdeas.model.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.mdeas.model.eval.DepthMaskPredictor;
import io.mdeas.model.eval.PredictorFactory;
import io.mdeas.model.onnx.MdeasOnnxExporter.NormStyle;
import io.mdeas.model.onnx.MdeasOnnxExporter.Options;
import io.mdeas.node.inference.MdeasModel;
import io.mdeas.node.inference.ModelOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exported file honours the model contract as ONNX Runtime and the node see it: I/O names, element types,
 * symbolic shapes, opset, metadata; the graph uses the agreed operator forms; {@code evaluate} opens it through
 * the service-loaded provider and the node's {@code MdeasModel}.
 */
class OnnxContractTest {

    @TempDir
    static Path dir;

    static Path checkpoint;
    static Path file;
    static ModelProto model;

    @BeforeAll
    static void export() throws Exception {
        checkpoint = TestCheckpoints.shared();
        file = dir.resolve("mdeas.onnx");
        try (LoadedCheckpoint ckpt = LoadedCheckpoint.open(checkpoint)) {
            MdeasOnnxExporter.write(MdeasOnnxExporter.export(ckpt, Options.DEFAULTS), file);
        }
        model = ModelProto.parseFrom(Files.readAllBytes(file));
    }

    @Test
    void onnxRuntimeSeesTheContractNamesTypesAndShapes() throws Exception {
        try (OrtSession s = OrtEnvironment.getEnvironment().createSession(file.toString(), new OrtSession.SessionOptions())) {
            assertEquals(List.of("bg", "fg_bg"), new ArrayList<>(s.getInputNames()));
            assertEquals(List.of("depth", "mask"), new ArrayList<>(s.getOutputNames()));
            check(s.getInputInfo(), "bg", 3);
            check(s.getInputInfo(), "fg_bg", 3);
            check(s.getOutputInfo(), "depth", 1);
            check(s.getOutputInfo(), "mask", 1);
            Map<String, String> meta = s.getMetadata().getCustomMetadata();
            assertEquals("linear", meta.get("mdeas.depth_encoding"));
            assertEquals("10", meta.get("mdeas.max_depth_m"));
            assertEquals(Integer.toString(TestCheckpoints.SHARED_SIZE), meta.get("mdeas.input_size"));
            assertTrue(meta.get("mdeas.version").startsWith("mdeas-dense-v1-"), meta.get("mdeas.version"));
            assertEquals(LoadedCheckpoint.sha256(checkpoint.resolve("params.bin")), meta.get("mdeas.checkpoint_sha256"));
            assertEquals("5", meta.get("mdeas.train.seed"));
            assertEquals("0.61", meta.get("mdeas.eval.mask_miou"));
            assertEquals("{\"samples\":100,\"seed\":11,\"width\":" + TestCheckpoints.SHARED_SIZE + "}", meta.get("mdeas.train.data_info"));
            assertEquals("fp32", meta.get("mdeas.weights"));
        }
    }

    private static void check(Map<String, NodeInfo> nodes, String name, int channels) {
        TensorInfo t = (TensorInfo) nodes.get(name).getInfo();
        assertEquals(OnnxJavaType.FLOAT, t.type, name);
        assertArrayEquals(new long[] {-1, channels, -1, -1}, t.getShape(), name);
    }

    @Test
    void graphHeaderAndSymbolicDims() {
        assertEquals(OnnxGraphBuilder.IR_VERSION, model.getIrVersion());
        assertEquals(1, model.getOpsetImportCount());
        assertEquals("", model.getOpsetImport(0).getDomain());
        assertEquals(13, model.getOpsetImport(0).getVersion());
        for (ValueInfoProto v : concat(model.getGraph().getInputList(), model.getGraph().getOutputList())) {
            List<TensorShapeProto.Dimension> d = v.getType().getTensorType().getShape().getDimList();
            assertEquals("N", d.get(0).getDimParam(), v.getName());
            assertEquals("H", d.get(2).getDimParam(), v.getName());
            assertEquals("W", d.get(3).getDimParam(), v.getName());
        }
    }

    @Test
    void operatorsHaveTheAgreedForms() {
        Map<String, Long> ops = model.getGraph().getNodeList().stream()
                .collect(Collectors.groupingBy(NodeProto::getOpType, Collectors.counting()));
        // 2 stem × 2 + 11 dense blocks (3 encoder, 4 + 4 decoder) × 4 + neck, 4 ASPP, 2 heads, 2 output convs; per DS two convs.
        assertEquals(4 + 11 * (3 * 2 + 1) + 1 + 4 * 2 + 2 + 2, ops.get("Conv"));
        // BatchNormalization by default: one per unfolded norm (dense blocks, neck, ASPP, heads); stems folded.
        assertEquals(11 * 4 + 1 + 4 + 2, ops.get("BatchNormalization"));
        assertEquals(1L, ops.get("Mul"), "only the depth range");
        assertEquals(5L, ops.get("Resize"));
        assertEquals(3L, ops.get("DepthToSpace"));
        assertEquals(3L, ops.get("MaxPool"));
        for (NodeProto n : model.getGraph().getNodeList()) {
            if (n.getOpType().equals("Resize")) {
                assertEquals("", n.getInput(1), "roi omitted");
                assertEquals("nearest", str(n, "mode"));
                assertEquals("asymmetric", str(n, "coordinate_transformation_mode"));
                assertEquals("floor", str(n, "nearest_mode"));
            }
            if (n.getOpType().equals("DepthToSpace")) {
                assertEquals("CRD", str(n, "mode"));
            }
            assertFalse(n.getName().startsWith("stem") && !List.of("Conv", "Relu").contains(n.getOpType()),
                    "stem BN folded into its convs: " + n.getName());
        }
        List<String> outputs = model.getGraph().getNodeList().stream().flatMap(n -> n.getOutputList().stream()).toList();
        assertTrue(outputs.contains("depth") && outputs.contains("mask"));
    }

    @Test
    void mulAddStyleWritesOneMulAndAddPerUnfoldedNorm() throws Exception {
        try (LoadedCheckpoint ckpt = LoadedCheckpoint.open(checkpoint)) {
            ModelProto m = MdeasOnnxExporter.export(ckpt, Options.DEFAULTS.withNormStyle(NormStyle.MUL_ADD));
            Map<String, Long> ops = m.getGraph().getNodeList().stream()
                    .collect(Collectors.groupingBy(NodeProto::getOpType, Collectors.counting()));
            assertFalse(ops.containsKey("BatchNormalization"), ops.toString());
            assertEquals(11 * 4 + 1 + 4 + 2 + 1, ops.get("Mul"), "one per unfolded norm plus the depth range");
        }
    }

    @Test
    void theNodeLoadsItAndEvaluateOpensItThroughTheServiceLoader() throws Exception {
        try (MdeasModel m = MdeasModel.load(new ModelOptions(file, List.of("cpu"), 1, false, null,
                ModelOptions.MirrorAverage.OFF))) {
            assertEquals(TestCheckpoints.SHARED_SIZE, m.info().inputSize());
            assertEquals(10f, m.info().maxDepthM());
            assertEquals("linear", m.info().depthEncoding());
        }
        try (DepthMaskPredictor p = PredictorFactory.standard().open(file)) {
            assertInstanceOf(OnnxModelPredictor.class, p);
            assertEquals(TestCheckpoints.SHARED_SIZE, p.inputSize());
            assertTrue(p.describe().startsWith("onnx " + file), p.describe());
        }
        Path data = TestCheckpoints.dataset(dir.resolve("data"), TestCheckpoints.SHARED_SIZE, 2, 3);
        OnnxExportTest.Run run = OnnxExportTest.cli("evaluate", "--model", file.toString(), "--data", data.toString());
        assertEquals(0, run.code(), run.all());
        assertTrue(run.out().contains("mask_miou"), run.out());

        // As the node runs it with model.mirror_average: said in the description and recorded in the JSON.
        Path json = dir.resolve("mirror.json");
        run = OnnxExportTest.cli("evaluate", "--model", file.toString(), "--data", data.toString(), "--mirror-average",
                "--json", json.toString());
        assertEquals(0, run.code(), run.all());
        assertTrue(run.out().contains("mirror-averaged"), run.out());
        assertTrue(Files.readString(json).contains("\"mirror_average\" : true"), Files.readString(json));
        // A checkpoint is the training side's network: mirror averaging is not offered there, and says why.
        run = OnnxExportTest.cli("evaluate", "--model", checkpoint.toString(), "--data", data.toString(),
                "--mirror-average");
        assertEquals(1, run.code(), run.all());
        assertTrue(run.err().contains("applies to exported .onnx models"), run.all());
        // The floor anchor needs each sample's camera mount; this set has none, and the message names the sample.
        run = OnnxExportTest.cli("evaluate", "--model", file.toString(), "--data", data.toString(), "--floor-anchor");
        assertEquals(1, run.code(), run.all());
        assertTrue(run.err().contains("sample s0 has no camera_height_m"), run.all());
    }

    private static String str(NodeProto n, String attr) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(attr)) {
                return a.getS().toStringUtf8();
            }
        }
        return null;
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
