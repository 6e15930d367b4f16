package io.mdeas.model.cli;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import io.mdeas.model.net.TorchRuntime;
import io.mdeas.model.onnx.LoadedCheckpoint;
import io.mdeas.model.onnx.MdeasOnnxExporter;
import io.mdeas.model.onnx.MdeasOnnxExporter.NormStyle;
import io.mdeas.model.onnx.OnnxGraphBuilder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code export}: writes a training checkpoint as an ONNX model file honouring the node's model contract. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Export a training checkpoint to ONNX (opset " + OnnxGraphBuilder.OPSET + ").",
            "Inputs bg, fg_bg float32 [N,3,H,W] RGB in [0,1]; outputs depth (metres) and mask (probability) "
                + "[N,1,H,W]; N, H, W symbolic (H, W multiples of 16). The same checkpoint gives the same bytes.",
            "Check the file with: verify --checkpoint DIR --model FILE.onnx"})
public final class ExportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--checkpoint", required = true, paramLabel = "DIR",
            description = "Checkpoint directory (a run's latest/, best-depth/ or best-mask/).")
    Path checkpoint;

    @Option(names = "--out", required = true, paramLabel = "FILE.onnx", description = "Model file to write.")
    Path out;

    @Option(names = "--fp16", description = "Store weights as float16 (cast to float32 in the graph; I/O stays "
            + "float32). Half the file; check the deviation with verify --data.")
    boolean fp16;

    @Option(names = "--norm-style", paramLabel = "STYLE", defaultValue = "BATCH_NORMALIZATION",
            description = "How batch norms that cannot be folded into a conv are written: ${COMPLETION-CANDIDATES} "
                    + "(default ${DEFAULT-VALUE}: about 25 %% less CPU per frame on ONNX Runtime than MUL_ADD).")
    NormStyle normStyle;

    @Option(names = "--model-version", paramLabel = "V",
            description = "mdeas.version to record (default: architecture and weight hash).")
    String modelVersion;

    @Option(names = "--meta", paramLabel = "KEY=VALUE",
            description = "Extra metadata_props entry, repeatable; keys start with mdeas. (e.g. mdeas.status=provisional, "
                    + "or the model card's test-split metrics as mdeas.test.mask_miou=...). Replaces a generated entry "
                    + "of the same key.")
    Map<String, String> extraMeta = new LinkedHashMap<>();

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "PyTorch threads for loading the checkpoint (0 = all cores).")
    int threads;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx")) {
            err.println("export: --out must name an .onnx file, got " + out);
            return 2;
        }
        TorchRuntime.start(null, threads);
        MdeasOnnxExporter.Options options = MdeasOnnxExporter.Options.DEFAULTS
                .withFp16(fp16).withNormStyle(normStyle).withModelVersion(modelVersion);
        ModelProto model;
        try (LoadedCheckpoint ckpt = LoadedCheckpoint.open(checkpoint)) {
            model = MdeasOnnxExporter.export(ckpt, options);
        } catch (IOException | IllegalArgumentException e) {
            err.println("export: " + e.getMessage());
            return 1;
        }
        for (String key : extraMeta.keySet()) {
            if (!key.startsWith("mdeas.")) {
                err.println("export: --meta key must start with 'mdeas.', got '" + key + "'");
                return 2;
            }
        }
        model = withMetadata(model, extraMeta);
        MdeasOnnxExporter.write(model, out);
        byte[] bytes = Files.readAllBytes(out);
        o.printf(Locale.ROOT, "wrote %s (%d bytes, sha256 %s)%n", out, bytes.length,
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        o.printf(Locale.ROOT, "opset %d, %d nodes, %d initializers, %s weights, norms as %s%n",
                OnnxGraphBuilder.OPSET, model.getGraph().getNodeCount(), model.getGraph().getInitializerCount(),
                fp16 ? "fp16" : "fp32", normStyle.name().toLowerCase(Locale.ROOT));
        for (StringStringEntryProto p : model.getMetadataPropsList()) {
            if (p.getKey().matches("mdeas\\.(version|input_size|depth_encoding|max_depth_m|checkpoint_sha256)")) {
                o.printf(Locale.ROOT, "  %-26s %s%n", p.getKey(), p.getValue());
            }
        }
        o.flush();
        return 0;
    }

    /** The model with {@code extra} merged into its metadata_props (same keys replaced, new ones appended in order). */
    static ModelProto withMetadata(ModelProto model, Map<String, String> extra) {
        if (extra.isEmpty()) {
            return model;
        }
        ModelProto.Builder b = model.toBuilder().clearMetadataProps();
        for (StringStringEntryProto p : model.getMetadataPropsList()) {
            if (!extra.containsKey(p.getKey())) {
                b.addMetadataProps(p);
            }
        }
        extra.forEach((k, v) -> b.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return b.build();
    }
}
