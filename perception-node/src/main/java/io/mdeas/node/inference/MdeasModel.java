package io.mdeas.node.inference;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.providers.OrtTensorRTProviderOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The MDEAS network in one ONNX Runtime session.
 *
 * <p>Inputs and outputs live in direct buffers allocated once: the caller fills {@link #bgInput()} and
 * {@link #fgInput()} (NCHW, RGB, [0,1]) and calls {@link #run()}; ONNX Runtime reads the input tensors
 * straight from those buffers (a tensor created over a direct buffer is backed by it, not a copy) and
 * writes {@code depth} and {@code mask} into pinned output tensors over the buffers {@link #depth()} and
 * {@link #mask()}. Nothing frame-sized is allocated per run.
 *
 * <p>Not thread-safe: one pipeline thread owns it.
 */
public final class MdeasModel implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MdeasModel.class);

    public static final String INPUT_BG = "bg";
    public static final String INPUT_FG = "fg_bg";
    public static final String OUTPUT_DEPTH = "depth";
    public static final String OUTPUT_MASK = "mask";

    private final OrtSession session;
    private final ModelInfo info;
    /** Whole input and output tensors: one image or map each, two with mirror averaging (the mirror second). */
    private final FloatBuffer bgBatch;
    private final FloatBuffer fgBatch;
    private final FloatBuffer depthBatch;
    private final FloatBuffer maskBatch;
    /** The first image or map of each: what callers fill and read. */
    private final FloatBuffer bg;
    private final FloatBuffer fg;
    private final FloatBuffer depth;
    private final FloatBuffer mask;
    /** One row, reused by the mirror copies. */
    private final float[] row;
    private final float[] mirroredRow;
    private final OnnxTensor bgTensor;
    private final OnnxTensor fgTensor;
    private final Map<String, OnnxTensor> inputs;
    private final Map<String, OnnxTensor> outputs;
    private final OnnxTensor depthTensor;
    private final OnnxTensor maskTensor;
    private boolean closed;

    private MdeasModel(OrtSession session, ModelInfo info) throws OrtException {
        this.session = session;
        this.info = info;
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        int s = info.inputSize();
        int batch = info.mirrorAverage() ? 2 : 1;
        long[] imageShape = {batch, 3, s, s};
        long[] mapShape = {batch, 1, s, s};
        bgBatch = directFloats(batch * 3 * s * s);
        fgBatch = directFloats(batch * 3 * s * s);
        depthBatch = directFloats(batch * s * s);
        maskBatch = directFloats(batch * s * s);
        bg = bgBatch.slice(0, 3 * s * s);
        fg = fgBatch.slice(0, 3 * s * s);
        depth = depthBatch.slice(0, s * s);
        mask = maskBatch.slice(0, s * s);
        row = new float[s];
        mirroredRow = new float[s];
        bgTensor = OnnxTensor.createTensor(env, bgBatch, imageShape);
        fgTensor = OnnxTensor.createTensor(env, fgBatch, imageShape);
        depthTensor = OnnxTensor.createTensor(env, depthBatch, mapShape);
        maskTensor = OnnxTensor.createTensor(env, maskBatch, mapShape);
        inputs = Map.of(INPUT_BG, bgTensor, INPUT_FG, fgTensor);
        outputs = Map.of(OUTPUT_DEPTH, depthTensor, OUTPUT_MASK, maskTensor);
    }

    /**
     * Loads and checks the model, trying the configured execution providers in order.
     *
     * @throws ModelLoadException with a one-line message naming the file and the problem
     */
    public static MdeasModel load(ModelOptions options) throws ModelLoadException {
        String source = options.source();
        byte[] bytes = readModelBytes(options);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session = null;
        String[] provider = new String[1];
        try {
            try {
                session = createSession(env, bytes, options, true, provider);
            } catch (OrtException e) {
                if (provider[0] == null || provider[0].equals("cpu")) {
                    throw e;
                }
                // A GPU provider that registered but cannot build this session (missing libraries, no device
                // memory): say so once and run on the CPU rather than not at all.
                log.warn("execution provider {} could not run model {}: {}; falling back to cpu", provider[0], source,
                        firstLine(e.getMessage()));
                session = createSession(env, bytes, options, false, provider);
            }
            ModelInfo info = check(session, source, provider[0], sha256(bytes),
                    options.mirrorAverage().appliesTo(provider[0]));
            log.info("model {} version {} loaded: input {}x{}, depth {} up to {} m, provider {}{}", source,
                    info.version(), info.inputSize(), info.inputSize(), info.depthEncoding(), info.maxDepthM(), provider[0],
                    info.mirrorAverage() ? ", mirror averaging (two images per frame)" : "");
            return new MdeasModel(session, info);
        } catch (OrtException e) {
            closeQuietly(session);
            throw new ModelLoadException("model " + source + " is not a usable ONNX model: " + firstLine(e.getMessage()), e);
        } catch (ModelLoadException | RuntimeException e) {
            closeQuietly(session);
            throw e;
        }
    }

    /** One session; with {@code accelerators} false only the CPU provider is used. Sets {@code provider[0]}. */
    private static OrtSession createSession(OrtEnvironment env, byte[] bytes, ModelOptions options, boolean accelerators,
                                            String[] provider) throws OrtException {
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            so.setIntraOpNumThreads(options.effectiveCpuThreads());
            provider[0] = accelerators ? addProviders(so, options) : "cpu";
            return env.createSession(bytes, so);
        }
    }

    /** Adds the providers in the configured order; returns the first that loaded ({@code cpu} always can). */
    private static String addProviders(OrtSession.SessionOptions so, ModelOptions options) {
        EnumSet<OrtProvider> available = OrtEnvironment.getAvailableProviders();
        String chosen = null;
        for (String name : options.providers()) {
            if (name.equals("cpu")) {
                if (chosen == null) {
                    chosen = "cpu";
                }
                // The CPU provider is always registered last by ONNX Runtime; nothing to add.
                break;
            }
            OrtProvider ort = name.equals("tensorrt") ? OrtProvider.TENSOR_RT : OrtProvider.CUDA;
            if (!available.contains(ort)) {
                log.warn("execution provider {} skipped: not included in this ONNX Runtime build (available: {})",
                        name, available);
                continue;
            }
            try {
                if (ort == OrtProvider.TENSOR_RT) {
                    OrtTensorRTProviderOptions trt = new OrtTensorRTProviderOptions(0);
                    trt.add("trt_fp16_enable", options.trtFp16() ? "1" : "0");
                    if (options.trtCacheDir() != null) {
                        Files.createDirectories(options.trtCacheDir());
                        trt.add("trt_engine_cache_enable", "1");
                        trt.add("trt_engine_cache_path", options.trtCacheDir().toString());
                    }
                    so.addTensorrt(trt);
                } else {
                    so.addCUDA(0);
                }
                if (chosen == null) {
                    chosen = name;
                }
            } catch (OrtException | IOException | RuntimeException | LinkageError e) {
                log.warn("execution provider {} skipped: {}", name, firstLine(String.valueOf(e.getMessage())));
            }
        }
        if (chosen == null) {
            log.warn("no configured execution provider could load ({}); falling back to cpu", options.providers());
            chosen = "cpu";
        }
        return chosen;
    }

    private static byte[] readModelBytes(ModelOptions options) throws ModelLoadException {
        if (options.path() == null) {
            try (InputStream in = MdeasModel.class.getResourceAsStream(ModelOptions.BUNDLED_RESOURCE)) {
                if (in == null) {
                    throw new ModelLoadException("no model file given and no model bundled at classpath "
                            + ModelOptions.BUNDLED_RESOURCE + ": pass --model PATH");
                }
                return in.readAllBytes();
            } catch (IOException e) {
                throw new ModelLoadException("bundled model " + ModelOptions.BUNDLED_RESOURCE + " cannot be read: " + e.getMessage(), e);
            }
        }
        try {
            if (Files.isDirectory(options.path())) {
                throw new ModelLoadException("model " + options.path() + " is a directory, not an .onnx file");
            }
            return Files.readAllBytes(options.path());
        } catch (NoSuchFileException e) {
            throw new ModelLoadException("model file " + options.path() + " not found: check the path (--model / inference.model)", e);
        } catch (IOException e) {
            throw new ModelLoadException("model file " + options.path() + " cannot be read: " + e, e);
        }
    }

    /** Checks names, types, shapes and metadata against the MDEAS model contract. */
    private static ModelInfo check(OrtSession session, String source, String provider, String sha, boolean mirrorAverage)
            throws OrtException, ModelLoadException {
        Map<String, String> meta = session.getMetadata().getCustomMetadata();
        String encoding = requireMeta(meta, "mdeas.depth_encoding", source);
        // The graph decodes its training encoding itself; these are the encodings whose decoders export writes.
        if (!encoding.equals("linear") && !encoding.equals("log")) {
            throw new ModelLoadException("model " + source + " has mdeas.depth_encoding '" + encoding
                    + "'; this node reads models exported with 'linear' or 'log' (depth output in metres)");
        }
        float maxDepth = parseMeta(meta, "mdeas.max_depth_m", source);
        int size = Math.round(parseMeta(meta, "mdeas.input_size", source));
        if (maxDepth <= 0 || size <= 0) {
            throw new ModelLoadException("model " + source + " has non-positive mdeas.max_depth_m or mdeas.input_size");
        }
        String version = Optional.ofNullable(meta.get("mdeas.version")).orElse("unknown");

        checkTensor(session.getInputInfo(), INPUT_BG, 3, size, source, "input");
        checkTensor(session.getInputInfo(), INPUT_FG, 3, size, source, "input");
        checkTensor(session.getOutputInfo(), OUTPUT_DEPTH, 1, size, source, "output");
        checkTensor(session.getOutputInfo(), OUTPUT_MASK, 1, size, source, "output");
        List<String> problems = new ArrayList<>();
        TrainingMounts mounts = TrainingMounts.fromMetadata(meta, problems);
        problems.forEach(p -> log.warn("model {}: {}", source, p));
        return new ModelInfo(source, version, encoding, maxDepth, size, provider, sha, mounts, mirrorAverage);
    }

    private static void checkTensor(Map<String, NodeInfo> nodes, String name, int channels, int size, String source,
                                    String kind) throws ModelLoadException {
        NodeInfo node = nodes.get(name);
        if (node == null) {
            throw new ModelLoadException("model " + source + " has no " + kind + " '" + name + "' (it has "
                    + nodes.keySet() + "); an MDEAS model needs inputs bg, fg_bg and outputs depth, mask");
        }
        if (!(node.getInfo() instanceof TensorInfo t) || t.type != OnnxJavaType.FLOAT) {
            throw new ModelLoadException("model " + source + " " + kind + " '" + name + "' is not a float32 tensor: " + node.getInfo());
        }
        long[] shape = t.getShape();
        long[] want = {1, channels, size, size};
        boolean ok = shape.length == 4;
        for (int i = 0; ok && i < 4; i++) {
            ok = shape[i] < 0 || shape[i] == want[i];
        }
        if (!ok) {
            throw new ModelLoadException("model " + source + " " + kind + " '" + name + "' has shape "
                    + java.util.Arrays.toString(shape) + ", expected [N, " + channels + ", " + size + ", " + size
                    + "] (mdeas.input_size = " + size + ")");
        }
    }

    private static String requireMeta(Map<String, String> meta, String key, String source) throws ModelLoadException {
        String v = meta.get(key);
        if (v == null || v.isBlank()) {
            throw new ModelLoadException("model " + source + " lacks metadata " + key
                    + " (an MDEAS export writes mdeas.depth_encoding, mdeas.max_depth_m, mdeas.input_size, mdeas.version)");
        }
        return v.trim();
    }

    private static float parseMeta(Map<String, String> meta, String key, String source) throws ModelLoadException {
        String v = requireMeta(meta, key, source);
        try {
            return Float.parseFloat(v);
        } catch (NumberFormatException e) {
            throw new ModelLoadException("model " + source + " metadata " + key + " = '" + v + "' is not a number");
        }
    }

    /** Runs the network on what is currently in the input buffers; results land in {@link #depth()} / {@link #mask()}. */
    public void run() throws OrtException {
        boolean mirror = info.mirrorAverage();
        if (mirror) {
            int s = info.inputSize();
            mirrorRows(bgBatch, 0, 3 * s * s, 3 * s);
            mirrorRows(fgBatch, 0, 3 * s * s, 3 * s);
        }
        bgBatch.rewind();
        fgBatch.rewind();
        bg.rewind();
        fg.rewind();
        // The outputs are the pinned tensors over depth/mask; closing the result does not close them.
        session.run(inputs, outputs).close();
        if (mirror) {
            averageWithMirror(depthBatch);
            averageWithMirror(maskBatch);
        }
        depth.rewind();
        mask.rewind();
    }

    /** Copies {@code rows} rows starting at {@code from}, each reversed, to the rows starting at {@code to}. */
    private void mirrorRows(FloatBuffer b, int from, int to, int rows) {
        int s = row.length;
        for (int r = 0; r < rows; r++) {
            b.get(from + r * s, row);
            for (int x = 0; x < s; x++) {
                mirroredRow[x] = row[s - 1 - x];
            }
            b.put(to + r * s, mirroredRow);
        }
    }

    /** Map 0 := (map 0 + map 1 mirrored back) / 2, row by row. */
    private void averageWithMirror(FloatBuffer maps) {
        int s = row.length;
        int second = s * s;
        for (int r = 0; r < s; r++) {
            maps.get(r * s, row);
            maps.get(second + r * s, mirroredRow);
            for (int x = 0; x < s; x++) {
                row[x] = 0.5f * (row[x] + mirroredRow[s - 1 - x]);
            }
            maps.put(r * s, row);
        }
    }

    public ModelInfo info() {
        return info;
    }

    public int inputSize() {
        return info.inputSize();
    }

    /** Background input buffer, NCHW [1,3,S,S], RGB in [0,1]. */
    public FloatBuffer bgInput() {
        return bg;
    }

    /** Current-frame input buffer, NCHW [1,3,S,S], RGB in [0,1]. */
    public FloatBuffer fgInput() {
        return fg;
    }

    /** Depth output [1,1,S,S] in metres (Z along the optical axis), valid after {@link #run()}. */
    public FloatBuffer depth() {
        return depth;
    }

    /** Mask output [1,1,S,S], probability of "changed / foreground", valid after {@link #run()}. */
    public FloatBuffer mask() {
        return mask;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        bgTensor.close();
        fgTensor.close();
        depthTensor.close();
        maskTensor.close();
        closeQuietly(session);
    }

    private static FloatBuffer directFloats(int n) {
        return ByteBuffer.allocateDirect(n * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    private static void closeQuietly(OrtSession s) {
        if (s != null) {
            try {
                s.close();
            } catch (OrtException e) {
                log.debug("closing session failed", e);
            }
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).trim();
    }
}
