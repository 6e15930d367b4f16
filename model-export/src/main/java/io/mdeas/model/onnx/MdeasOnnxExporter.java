package io.mdeas.model.onnx;

import static io.mdeas.model.onnx.OnnxGraphBuilder.attr;
import static io.mdeas.model.onnx.OnnxGraphBuilder.ints;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.onnx.proto.OnnxMl.ModelProto;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.mdeas.model.net.DenseBlock;
import io.mdeas.model.net.DepthwiseSeparable;
import io.mdeas.model.net.MdeasNet;
import io.mdeas.model.net.Norms;
import io.mdeas.model.net.PointwiseUnit;
import io.mdeas.model.net.Resampling;
import io.mdeas.model.net.Stem;
import io.mdeas.model.train.CheckpointMetadata;
import io.mdeas.model.train.DepthEncoding;
import io.mdeas.model.train.TrainConfig;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes an {@link MdeasNet} as an ONNX graph (opset {@value OnnxGraphBuilder#OPSET}) honouring the model
 * contract: inputs {@code bg}, {@code fg_bg} float32 [N,3,H,W] RGB in [0,1]; outputs {@code depth} in metres and
 * {@code mask} (probability), float32 [N,1,H,W]; N, H, W symbolic (H, W multiples of 16).
 *
 * <p>The graph follows {@link MdeasNet}'s block tree node for node. Batch norms are handled as follows:
 * <ul>
 *   <li>stems (conv → BN → ReLU): folded into the conv weights and bias;</li>
 *   <li>everywhere else BN follows a ReLU, and its output feeds residual sums, padded depthwise convs or
 *       pixel shuffles, so folding it into a neighbouring conv would change the result; it is emitted as an
 *       inference-mode {@code BatchNormalization} (or, on request, {@code Mul} + {@code Add} with precomputed
 *       scale and shift; see {@link NormStyle} for why not by default).</li>
 * </ul>
 * Depth is decoded inside the graph ({@link DepthEncoding#LINEAR}: {@code Clip(0, 1)} then {@code Mul} by the
 * range; {@link DepthEncoding#LOG}: {@code Clip}, {@code Mul}, {@code Exp}, {@code Mul}). Parameters are visited in the fixed order of the block tree and every name is derived from the block
 * path, so the same checkpoint and options give byte-identical files.
 */
public final class MdeasOnnxExporter {

    /**
     * How a batch norm that cannot be folded is written. Measured on ONNX Runtime 1.23.2 CPU (the node's
     * {@code MdeasModel}, 224×224, batch 1, 50 runs after 10 warm-up, three alternating rounds, on a shared
     * 2-core machine): process CPU per frame 75–92 ms with {@link #BATCH_NORMALIZATION} against 112–117 ms with
     * {@link #MUL_ADD} at 1 thread, 147–164 ms against 195–199 ms at 2 threads. ONNX Runtime's NCHWc layout pass
     * takes an opset-13 {@code BatchNormalization} into its blocked layout, while a broadcast {@code Mul}/{@code Add}
     * pair forces reorders around it. Hence the default.
     */
    public enum NormStyle {
        /** ONNX {@code BatchNormalization} (opset 13, inference form, epsilon {@link Norms#EPSILON}). */
        BATCH_NORMALIZATION,
        /** {@code Mul} by scale then {@code Add} shift, [C,1,1] constants computed in double (about 25 % slower). */
        MUL_ADD
    }

    /**
     * @param fp16Weights  store conv kernels as float16 (cast to float32 in the graph; biases, batch norms and I/O
     *                     stay float32)
     * @param normStyle    how unfoldable batch norms are written
     * @param modelVersion {@code mdeas.version}, or null for architecture + short weight hash
     */
    public record Options(boolean fp16Weights, NormStyle normStyle, String modelVersion) {
        public static final Options DEFAULTS = new Options(false, NormStyle.BATCH_NORMALIZATION, null);

        public Options withFp16(boolean fp16) {
            return new Options(fp16, normStyle, modelVersion);
        }

        public Options withNormStyle(NormStyle style) {
            return new Options(fp16Weights, style, modelVersion);
        }

        public Options withModelVersion(String version) {
            return new Options(fp16Weights, normStyle, version);
        }
    }

    /** Producer name in the model and its metadata. */
    public static final String PRODUCER = "mdeas model-export";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private final OnnxGraphBuilder g;
    private final NormStyle normStyle;
    private String upsampleScales;

    private MdeasOnnxExporter(OnnxGraphBuilder g, NormStyle normStyle) {
        this.g = g;
        this.normStyle = normStyle;
    }

    /** The ONNX model of a checkpoint, with its model card in {@code metadata_props}. */
    public static ModelProto export(LoadedCheckpoint checkpoint, Options options) {
        return export(checkpoint.net(), checkpoint.depthEncoding(), checkpoint.maxDepthM(),
                modelCard(checkpoint, options), options);
    }

    /** The ONNX model of a network whose depth output is in {@code encoding} over {@code maxDepthM}. */
    public static ModelProto export(MdeasNet net, DepthEncoding encoding, float maxDepthM, Map<String, String> metadata,
            Options options) {
        MdeasOnnxExporter e = new MdeasOnnxExporter(new OnnxGraphBuilder("mdeas", options.fp16Weights()),
                options.normStyle());
        e.build(net, encoding, maxDepthM);
        String doc = "MDEAS " + MdeasNet.ARCHITECTURE + ": inputs bg, fg_bg float32 [N,3,H,W] RGB in [0,1] "
                + "(H, W multiples of " + MdeasNet.SIZE_MULTIPLE + "); outputs depth (metres) and mask (probability), "
                + "float32 [N,1,H,W].";
        return e.g.model(PRODUCER, producerVersion(), doc, metadata);
    }

    /** Writes the model to {@code out} through a temporary sibling, so readers never see half a file. */
    public static void write(ModelProto model, Path out) throws IOException {
        Path abs = out.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
        Files.write(tmp, model.toByteArray());
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    // ---- graph ---------------------------------------------------------------------------------------------

    private void build(MdeasNet net, DepthEncoding encoding, float maxDepthM) {
        Object[] image = {"N", 3, "H", "W"};
        Object[] map = {"N", 1, "H", "W"};
        String bg = g.input("bg", image);
        String fg = g.input("fg_bg", image);
        String sb = stem("stem_bg", net.stemBg(), bg);
        String sf = stem("stem_fg", net.stemFg(), fg);
        String x = g.node("Concat", "concat", new String[] {sb, sf}, attr("axis", 1L));
        for (MdeasNet.Stage s : net.encoder()) {
            x = stage(s, x);
        }
        String n = pointwiseUnit("neck", net.neck(), x);
        List<String> branches = new ArrayList<>();
        for (int i = 0; i < net.aspp().size(); i++) {
            branches.add(ds("aspp_d" + MdeasNet.ASPP_DILATIONS[i], net.aspp().get(i), n));
        }
        String a = g.node("Concat", "aspp_concat", branches.toArray(String[]::new), attr("axis", 1L));
        String m = pointwiseUnit("mask_head", net.maskHead(), a);
        String d = pointwiseUnit("depth_head", net.depthHead(), a);
        for (MdeasNet.Stage s : net.depthDecoder()) {
            d = stage(s, d);
        }
        String encoded = conv("depth_out", net.depthOut(), d);
        // Decode as DepthEncoding.decode does, so the output is metres whatever the training encoding.
        String lo = g.constant("depth_clip_min", new long[0], 0f);
        String hi = g.constant("depth_clip_max", new long[0], 1f);
        String clipped = g.node("Clip", "depth_clip", new String[] {encoded, lo, hi});
        switch (encoding) {
            case LINEAR -> g.node("Mul", "depth", new String[] {clipped, g.constant("depth_max_m", new long[0],
                    maxDepthM)});
            case LOG -> {
                String logRange = g.constant("depth_log_range", new long[0], (float) Math.log(DepthEncoding.LOG_RANGE));
                String scaled = g.node("Mul", "depth_log", new String[] {clipped, logRange});
                String ratio = g.node("Exp", "depth_ratio", new String[] {scaled});
                g.node("Mul", "depth", new String[] {ratio, g.constant("depth_min_m", new long[0],
                        DepthEncoding.minMetres(maxDepthM))});
            }
            default -> throw new IllegalArgumentException("depth encoding " + encoding.id() + " has no ONNX decoder");
        }
        for (MdeasNet.Stage s : net.maskDecoder()) {
            m = stage(s, m);
        }
        String logit = conv("mask_out", net.maskOut(), m);
        g.node("Sigmoid", "mask", new String[] {logit});
        g.output("depth", map);
        g.output("mask", map);
    }

    private String stem(String path, Stem s, String x) {
        x = convBn(path + ".conv1", s.conv1(), s.norm1(), x);
        x = relu(path + ".relu1", x);
        x = convBn(path + ".conv2", s.conv2(), s.norm2(), x);
        return relu(path + ".relu2", x);
    }

    private String stage(MdeasNet.Stage s, String x) {
        String y = dense(s.name(), s.block(), x);
        return resample(s.name() + "." + s.after().name().toLowerCase(Locale.ROOT), s.after(), y);
    }

    private String dense(String path, DenseBlock b, String x) {
        String x1 = ds(path + ".ds1", b.ds1(), x);
        String s1 = g.node("Add", path + ".sum1", new String[] {x, x1});
        String x2 = ds(path + ".ds2", b.ds2(), s1);
        String s2 = g.node("Add", path + ".sum2", new String[] {s1, x2});
        String x3 = ds(path + ".ds3", b.ds3(), s2);
        String s3 = g.node("Add", path + ".sum3", new String[] {s2, x3});
        return pointwiseUnit(path + ".out", b.out(), s3);
    }

    private String ds(String path, DepthwiseSeparable u, String x) {
        x = conv(path + ".depthwise", u.depthwise(), x);
        x = conv(path + ".pointwise", u.pointwise(), x);
        x = relu(path + ".relu", x);
        return norm(path + ".norm", u.norm(), x);
    }

    private String pointwiseUnit(String path, PointwiseUnit u, String x) {
        x = conv(path + ".conv", u.conv(), x);
        x = relu(path + ".relu", x);
        return norm(path + ".norm", u.norm(), x);
    }

    private String resample(String name, Resampling r, String x) {
        switch (r) {
            case MAX_POOL_2:
                return g.node("MaxPool", name, new String[] {x}, ints("kernel_shape", 2, 2), ints("strides", 2, 2));
            case NEAREST_2:
                if (upsampleScales == null) {
                    upsampleScales = g.constant("upsample_scales", new long[] {4}, 1f, 1f, 2f, 2f);
                }
                // Inputs X, roi (omitted: empty name), scales. out(h, w) = in(floor(h / 2), floor(w / 2)).
                return g.node("Resize", name, new String[] {x, "", upsampleScales},
                        attr("mode", "nearest"), attr("coordinate_transformation_mode", "asymmetric"),
                        attr("nearest_mode", "floor"));
            case PIXEL_SHUFFLE_2:
                // PyTorch PixelShuffle order (channel c*4 + i*2 + j) is CRD; the default DCR would be wrong.
                return g.node("DepthToSpace", name, new String[] {x}, attr("blocksize", 2L), attr("mode", "CRD"));
            default:
                throw new AssertionError(r);
        }
    }

    private String relu(String name, String x) {
        return g.node("Relu", name, new String[] {x});
    }

    /** A conv with its own weights and bias. */
    private String conv(String path, Conv2d conv, String x) {
        float[] w = values(conv, "weight");
        long[] shape = shape(conv, "weight");
        float[] b = conv.isIncludeBias() ? values(conv, "bias") : new float[(int) shape[0]];
        return convNode(path, conv, x, w, shape, b);
    }

    /** A conv followed directly by a batch norm, folded: w' = w·s, b' = β + (b − μ)·s, s = γ / √(σ² + ε). */
    private String convBn(String path, Conv2d conv, BatchNorm bn, String x) {
        float[] w = values(conv, "weight");
        long[] shape = shape(conv, "weight");
        int out = (int) shape[0];
        int per = w.length / out;
        float[] bias = conv.isIncludeBias() ? values(conv, "bias") : new float[out];
        Affine a = affine(bn);
        float[] fw = new float[w.length];
        float[] fb = new float[out];
        for (int c = 0; c < out; c++) {
            for (int k = 0; k < per; k++) {
                fw[c * per + k] = (float) (w[c * per + k] * a.scale[c]);
            }
            fb[c] = (float) (a.shift[c] + bias[c] * a.scale[c]);
        }
        return convNode(path, conv, x, fw, shape, fb);
    }

    private String convNode(String path, Conv2d conv, String x, float[] w, long[] shape, float[] b) {
        String wn = g.weight(path + ".weight", shape, w);
        String bn = g.constant(path + ".bias", new long[] {shape[0]}, b);
        long pad = conv.getPadding().get(0);
        long padW = conv.getPadding().get(1);
        return g.node("Conv", path, new String[] {x, wn, bn},
                ints("kernel_shape", shape[2], shape[3]),
                ints("pads", pad, padW, pad, padW),
                ints("strides", conv.getStride().getShape()),
                ints("dilations", conv.getDilation().getShape()),
                attr("group", (long) conv.getGroups()));
    }

    private String norm(String path, BatchNorm bn, String x) {
        if (normStyle == NormStyle.BATCH_NORMALIZATION) {
            long[] c = {values(bn, "gamma").length};
            String scale = g.constant(path + ".gamma", c, values(bn, "gamma"));
            String shift = g.constant(path + ".beta", c, values(bn, "beta"));
            String mean = g.constant(path + ".running_mean", c, values(bn, "runningMean"));
            String var = g.constant(path + ".running_var", c, values(bn, "runningVar"));
            return g.node("BatchNormalization", path, new String[] {x, scale, shift, mean, var},
                    attr("epsilon", Norms.EPSILON));
        }
        Affine a = affine(bn);
        int n = a.scale.length;
        float[] s = new float[n];
        float[] t = new float[n];
        for (int c = 0; c < n; c++) {
            s[c] = (float) a.scale[c];
            t[c] = (float) a.shift[c];
        }
        long[] shape = {n, 1, 1};
        String sn = g.constant(path + ".scale", shape, s);
        String tn = g.constant(path + ".shift", shape, t);
        String scaled = g.node("Mul", path + ".mul", new String[] {x, sn});
        return g.node("Add", path, new String[] {scaled, tn});
    }

    /** A batch norm in inference form as y = x·scale + shift, computed in double. */
    private record Affine(double[] scale, double[] shift) {}

    private static Affine affine(BatchNorm bn) {
        float[] gamma = values(bn, "gamma");
        float[] beta = values(bn, "beta");
        float[] mean = values(bn, "runningMean");
        float[] var = values(bn, "runningVar");
        double[] scale = new double[gamma.length];
        double[] shift = new double[gamma.length];
        for (int c = 0; c < gamma.length; c++) {
            scale[c] = gamma[c] / Math.sqrt((double) var[c] + Norms.EPSILON);
            shift[c] = beta[c] - mean[c] * scale[c];
        }
        return new Affine(scale, shift);
    }

    private static NDArray array(Block block, String name) {
        Parameter p = block.getParameters().get(name);
        if (p == null || !p.isInitialized()) {
            throw new IllegalStateException("block has no initialised parameter '" + name + "': " + block);
        }
        return p.getArray();
    }

    private static float[] values(Block block, String name) {
        return array(block, name).toFloatArray();
    }

    private static long[] shape(Block block, String name) {
        return array(block, name).getShape().getShape();
    }

    // ---- model card ----------------------------------------------------------------------------------------

    /**
     * The {@code metadata_props}: the node's contract keys ({@code mdeas.depth_encoding}, {@code mdeas.max_depth_m},
     * {@code mdeas.input_size}, {@code mdeas.version}) and how the model was made (producer, weights hash,
     * training data and seed, evaluation metrics). Deterministic for a given checkpoint.
     */
    public static Map<String, String> modelCard(LoadedCheckpoint checkpoint, Options options) {
        CheckpointMetadata meta = checkpoint.metadata();
        String sha = checkpoint.paramsSha256();
        Map<String, String> card = new LinkedHashMap<>();
        card.put("mdeas.depth_encoding", checkpoint.depthEncoding().id());
        card.put("mdeas.max_depth_m", number(meta.maxDepthM()));
        card.put("mdeas.input_size", Integer.toString(meta.inputSize()));
        card.put("mdeas.version", options.modelVersion() != null
                ? options.modelVersion() : MdeasNet.ARCHITECTURE + "-" + sha.substring(0, 12));
        card.put("mdeas.architecture", MdeasNet.ARCHITECTURE);
        card.put("mdeas.producer", PRODUCER);
        card.put("mdeas.producer_version", producerVersion());
        card.put("mdeas.opset", Integer.toString(OnnxGraphBuilder.OPSET));
        card.put("mdeas.weights", options.fp16Weights() ? "fp16" : "fp32");
        card.put("mdeas.norm_style", options.normStyle().name().toLowerCase(Locale.ROOT));
        card.put("mdeas.io", "bg, fg_bg: float32 [N,3,H,W] RGB [0,1]; depth: float32 [N,1,H,W] metres (Z); "
                + "mask: float32 [N,1,H,W] probability; H, W multiples of " + MdeasNet.SIZE_MULTIPLE);
        card.put("mdeas.checkpoint_sha256", sha);
        card.put("mdeas.checkpoint_kind", String.valueOf(meta.kind()));
        card.put("mdeas.checkpoint_saved_at", String.valueOf(meta.savedAt()));
        card.put("mdeas.train.step", Long.toString(meta.step()));
        card.put("mdeas.train.epoch", number(meta.epoch()));
        card.put("mdeas.train.images_seen", Long.toString(meta.imagesSeen()));
        TrainConfig config = meta.config();
        if (config != null) {
            card.put("mdeas.train.seed", Long.toString(config.seed()));
            card.put("mdeas.train.size", Integer.toString(config.size()));
            card.put("mdeas.train.batch", Integer.toString(config.batch()));
            card.put("mdeas.train.epoch_samples", Long.toString(config.epochSamples()));
            card.put("mdeas.train.data", String.valueOf(config.trainData()));
            card.put("mdeas.val.data", String.valueOf(config.valData()));
        }
        if (meta.trainDataInfo() != null) {
            card.put("mdeas.train.data_info", json(meta.trainDataInfo()));
            putMountRanges(card, meta.trainDataInfo().get("camera"));
        }
        if (meta.valDataInfo() != null) {
            card.put("mdeas.val.data_info", json(meta.valDataInfo()));
        }
        if (meta.lastValidation() != null) {
            for (Map.Entry<String, Double> e : new TreeMap<>(meta.lastValidation()).entrySet()) {
                card.put("mdeas.eval." + e.getKey(), e.getValue() == null ? "null" : number(e.getValue()));
            }
        }
        card.put("mdeas.eval.best_depth_ssim", number(meta.bestDepthSsim()));
        card.put("mdeas.eval.best_mask_miou", number(meta.bestMaskMiou()));
        return card;
    }

    /**
     * The camera mounts the training set was drawn from ({@code camera_height_m}, {@code pitch_deg},
     * {@code hfov_deg} of its camera.json as [min, max]) as {@code mdeas.mount.*} = "min:max": metric depth is only
     * right for those mounts, and the node warns when its camera is outside them.
     */
    private static void putMountRanges(Map<String, String> card, Object camera) {
        if (!(camera instanceof Map<?, ?> c)) {
            return;
        }
        for (String key : new String[] {"camera_height_m", "pitch_deg", "hfov_deg"}) {
            if (c.get(key) instanceof List<?> range && range.size() == 2 && range.get(0) instanceof Number lo
                    && range.get(1) instanceof Number hi) {
                card.put("mdeas.mount." + key, number(lo.doubleValue()) + ":" + number(hi.doubleValue()));
            }
        }
        if (c.get("sensor_aspect") instanceof Number aspect) {
            card.put("mdeas.mount.sensor_aspect", number(aspect.doubleValue()));
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("checkpoint metadata cannot be written as JSON: " + e.getMessage(), e);
        }
    }

    /** Shortest plain decimal of a double ("10", "0.8125"); NaN and infinities by name. */
    static String number(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.toString(v);
        }
        BigDecimal d = new BigDecimal(Double.toString(v)).stripTrailingZeros();
        return d.scale() < 0 ? d.setScale(0).toPlainString() : d.toPlainString();
    }

    static String producerVersion() {
        String v = MdeasOnnxExporter.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
