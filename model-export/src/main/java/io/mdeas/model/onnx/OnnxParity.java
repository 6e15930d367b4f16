package io.mdeas.model.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.mdeas.model.data.LoadedSample;
import io.mdeas.model.data.Sample;
import io.mdeas.model.data.SampleLoader;
import io.mdeas.model.net.MdeasNet;
import io.mdeas.model.train.DepthEncoding;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Runs a checkpoint's DJL network and its exported ONNX file on the same inputs and measures how far apart
 * the outputs are: mask as probability, depth in metres (the DJL output decoded with the checkpoint's
 * encoding). Cases at the model's input size with batch 1 go through the node's own inference class
 * ({@link OnnxModelPredictor} → {@code MdeasModel}); other sizes and batches through a plain ONNX Runtime
 * session with the same optimisation level, which also checks the symbolic N, H, W.
 */
public final class OnnxParity implements AutoCloseable {

    /** Largest |Δ| allowed between DJL and an fp32 export. */
    public static final Tolerance FP32 = new Tolerance(1e-4, 1e-3);

    /** Relative weight noise of float32 storage (about half an ulp). */
    public static final double FP32_JITTER = 1e-7;

    /** Relative weight noise of float16 storage: uniform within half an ulp of 2^-10, standard deviation 2^-11/√3. */
    public static final double FP16_JITTER = 0x1p-11 / Math.sqrt(3);

    /**
     * An fp16-weight file passes when, on every input set, its deviation is at most this many times what
     * float16-level weight noise does to the checkpoint itself on the same inputs (plus {@link #FP32}). Its
     * deviation is a property of the network, so it is reported, and only a broken fp16 path (wrong cast, byte
     * order: orders of magnitude above the floor) fails.
     */
    public static final double FP16_FLOOR_FACTOR = 4;

    /** Allowed max |Δ| of mask probability and of depth in metres. */
    public record Tolerance(double mask, double depthM) {}

    /**
     * One compared set of inputs.
     *
     * @param name           what the inputs were
     * @param runner         {@code node} (MdeasModel) or {@code session} (plain ONNX Runtime session)
     * @param images         images compared
     * @param size           input side
     * @param maxMaskDelta   max |Δ| of the mask probability
     * @param maxDepthDeltaM max |Δ| of depth, metres
     * @param meanMaskDelta  mean |Δ| of the mask probability
     * @param meanDepthDeltaM mean |Δ| of depth, metres
     * @param depthInRange   share of DJL depth pixels strictly inside (decoded 0, max): where the depth comparison is not
     *                       flattened by the clip
     */
    public record Case(String name, String runner, int images, int size, double maxMaskDelta, double maxDepthDeltaM,
            double meanMaskDelta, double meanDepthDeltaM, double depthInRange) {

        public boolean within(Tolerance t) {
            return maxMaskDelta <= t.mask() && maxDepthDeltaM <= t.depthM();
        }

        /** Within {@code factor} times a noise floor measured on the same inputs, plus {@link #FP32}. */
        public boolean withinFloor(Case floor, double factor) {
            return within(new Tolerance(FP32.mask() + factor * floor.maxMaskDelta(),
                    FP32.depthM() + factor * floor.maxDepthDeltaM()));
        }
    }

    /** One set of input pairs, NCHW: {@code batch} images of {@code size}×{@code size}. */
    public record Inputs(String name, int batch, int size, float[] bg, float[] fgBg) {}

    private final LoadedCheckpoint checkpoint;
    private final Path onnxFile;
    private final DepthEncoding encoding;
    private final float maxDepthM;
    private OnnxModelPredictor node;
    private OrtSession session;
    private LoadedCheckpoint jittered;
    private double jitter;

    public OnnxParity(LoadedCheckpoint checkpoint, Path onnxFile) throws IOException {
        if (!Files.isRegularFile(onnxFile)) {
            throw new java.nio.file.NoSuchFileException(onnxFile.toString(), null, "ONNX model not found");
        }
        this.checkpoint = checkpoint;
        this.onnxFile = onnxFile;
        this.encoding = checkpoint.depthEncoding();
        this.maxDepthM = checkpoint.maxDepthM();
    }

    /** Input side the checkpoint was trained at (and the node runs the export at). */
    public int inputSize() {
        return checkpoint.metadata().inputSize();
    }

    /** Compares on {@code batch} seeded random pairs: uniform noise backgrounds with a random patch changed. */
    public Case random(int batch, int size, long seed) throws Exception {
        return compare(randomInputs(batch, size, seed));
    }

    /**
     * How far the DJL network itself moves when every parameter is scaled by (1 + {@code relative}·g), g standard
     * normal — with {@code relative} ≈ 1e-7 that is float32 rounding noise, the floor under any export's
     * deviation. A well-conditioned (trained) network stays orders of magnitude below the tolerances; if this
     * floor is above them, no float32 export can meet them.
     */
    public Case noiseFloor(Inputs in, double relative) throws Exception {
        int n = in.batch() * in.size() * in.size();
        float[] refDepth = new float[n];
        float[] refMask = new float[n];
        djl(checkpoint, in, refDepth, refMask);
        float[] depth = new float[n];
        float[] mask = new float[n];
        djl(jittered(relative), in, depth, mask);
        return delta(String.format(java.util.Locale.ROOT, "  DJL, weights x(1 + %.1e N)", relative), "djl",
                in, refDepth, refMask, depth, mask);
    }

    /** A second copy of the checkpoint with every parameter scaled by (1 + relative·N(0,1)), seeded. */
    private LoadedCheckpoint jittered(double relative) throws IOException {
        if (jittered == null || jitter != relative) {
            if (jittered != null) {
                jittered.close();
            }
            jittered = LoadedCheckpoint.open(checkpoint.dir());
            jitter = relative;
            SplittableRandom r = new SplittableRandom(1);
            for (ai.djl.util.Pair<String, ai.djl.nn.Parameter> p : jittered.net().getParameters()) {
                NDArray a = p.getValue().getArray();
                float[] v = a.toFloatArray();
                for (int i = 0; i < v.length; i++) {
                    v[i] *= (float) (1 + relative * r.nextGaussian());
                }
                a.set(v);
            }
        }
        return jittered;
    }

    /** Seeded random pairs: uniform noise backgrounds with a random patch changed. */
    public static Inputs randomInputs(int batch, int size, long seed) {
        MdeasNet.checkSize(size, size);
        int plane = size * size;
        float[] bg = new float[batch * 3 * plane];
        float[] fg = new float[batch * 3 * plane];
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < bg.length; i++) {
            bg[i] = (float) rnd.nextDouble();
        }
        System.arraycopy(bg, 0, fg, 0, bg.length);
        for (int b = 0; b < batch; b++) {
            int x0 = rnd.nextInt(size / 2);
            int y0 = rnd.nextInt(size / 2);
            int w = 4 + rnd.nextInt(size / 2);
            int h = 4 + rnd.nextInt(size / 2);
            for (int c = 0; c < 3; c++) {
                float base = (float) rnd.nextDouble();
                for (int y = y0; y < Math.min(size, y0 + h); y++) {
                    for (int x = x0; x < Math.min(size, x0 + w); x++) {
                        fg[(b * 3 + c) * plane + y * size + x] = base + 0.1f * (float) (rnd.nextDouble() - 0.5);
                    }
                }
            }
        }
        return new Inputs("random seed " + seed, batch, size, bg, fg);
    }

    /** Compares on real samples of a dataset, loaded at the model's input size. */
    public Case dataset(String name, List<Sample> samples) throws Exception {
        return compare(datasetInputs(name, samples));
    }

    /** Real samples of a dataset as inputs at the model's input size. */
    public Inputs datasetInputs(String name, List<Sample> samples) throws IOException {
        int s = inputSize();
        int n = samples.size();
        if (n == 0) {
            throw new IllegalArgumentException("dataset " + name + " has no samples to verify on");
        }
        float[] bg = new float[n * 3 * s * s];
        float[] fg = new float[n * 3 * s * s];
        SampleLoader loader = new SampleLoader(s);
        LoadedSample ls = LoadedSample.allocate(s);
        for (int i = 0; i < n; i++) {
            loader.load(samples.get(i), ls);
            System.arraycopy(ls.bg, 0, bg, i * 3 * s * s, 3 * s * s);
            System.arraycopy(ls.fgBg, 0, fg, i * 3 * s * s, 3 * s * s);
        }
        return new Inputs(name, n, s, bg, fg);
    }

    /** DJL against the ONNX file on {@code in}. */
    public Case compare(Inputs in) throws Exception {
        int batch = in.batch();
        int size = in.size();
        float[] bg = in.bg();
        float[] fg = in.fgBg();
        int plane = size * size;
        float[] refDepth = new float[batch * plane];
        float[] refMask = new float[batch * plane];
        djl(checkpoint, in, refDepth, refMask);
        float[] depth = new float[batch * plane];
        float[] mask = new float[batch * plane];
        String runner;
        if (size == inputSize()) {
            runner = "node";
            OnnxModelPredictor p = node();
            float[] b1 = new float[3 * plane];
            float[] f1 = new float[3 * plane];
            float[] d1 = new float[plane];
            float[] m1 = new float[plane];
            for (int i = 0; i < batch; i++) {
                System.arraycopy(bg, i * 3 * plane, b1, 0, 3 * plane);
                System.arraycopy(fg, i * 3 * plane, f1, 0, 3 * plane);
                p.predict(b1, f1, size, d1, m1);
                System.arraycopy(d1, 0, depth, i * plane, plane);
                System.arraycopy(m1, 0, mask, i * plane, plane);
            }
        } else {
            runner = "session";
            session(batch, size, bg, fg, depth, mask);
        }
        return delta(in.name(), runner, in, refDepth, refMask, depth, mask);
    }

    private Case delta(String name, String runner, Inputs in, float[] refDepth, float[] refMask, float[] depth,
            float[] mask) {
        double dm = 0;
        double dd = 0;
        double sm = 0;
        double sd = 0;
        int inRange = 0;
        float floor = encoding.decode(0f, maxDepthM); // 0 m linear, the minimum for log: where outputs clip
        for (int i = 0; i < refMask.length; i++) {
            double em = Math.abs(refMask[i] - mask[i]);
            double ed = Math.abs(refDepth[i] - depth[i]);
            dm = Math.max(dm, em);
            dd = Math.max(dd, ed);
            sm += em;
            sd += ed;
            if (refDepth[i] > floor && refDepth[i] < maxDepthM) {
                inRange++;
            }
            if (Float.isNaN(mask[i]) || Float.isNaN(depth[i])) {
                dm = Double.POSITIVE_INFINITY;
            }
        }
        int n = refDepth.length;
        return new Case(name, runner, in.batch(), in.size(), dm, dd, sm / n, sd / n, inRange / (double) n);
    }

    private void djl(LoadedCheckpoint net, Inputs in, float[] outDepth, float[] outMask) {
        try (NDManager m = net.manager().newSubManager()) {
            Shape shape = new Shape(in.batch(), 3, in.size(), in.size());
            NDArray b = m.create(in.bg(), shape);
            NDArray f = m.create(in.fgBg(), shape);
            NDList out = net.net().forward(new ParameterStore(m, false), new NDList(b, f), false);
            float[] enc = out.get(0).toFloatArray();
            float[] mask = out.get(1).toFloatArray();
            for (int i = 0; i < enc.length; i++) {
                outDepth[i] = encoding.decode(enc[i], maxDepthM);
            }
            System.arraycopy(mask, 0, outMask, 0, mask.length);
        }
    }

    private void session(int batch, int size, float[] bg, float[] fg, float[] outDepth, float[] outMask)
            throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long[] shape = {batch, 3, size, size};
        try (OnnxTensor b = OnnxTensor.createTensor(env, FloatBuffer.wrap(bg), shape);
                OnnxTensor f = OnnxTensor.createTensor(env, FloatBuffer.wrap(fg), shape);
                OrtSession.Result r = session().run(Map.of("bg", b, "fg_bg", f))) {
            read(r, "depth", batch, size, outDepth);
            read(r, "mask", batch, size, outMask);
        }
    }

    private static void read(OrtSession.Result r, String name, int batch, int size, float[] out) throws OrtException {
        OnnxTensor t = (OnnxTensor) r.get(name).orElseThrow(() -> new IllegalStateException("no output " + name));
        long[] shape = t.getInfo().getShape();
        if (shape.length != 4 || shape[0] != batch || shape[1] != 1 || shape[2] != size || shape[3] != size) {
            throw new IllegalStateException("output " + name + " has shape " + java.util.Arrays.toString(shape)
                    + ", expected [" + batch + ", 1, " + size + ", " + size + "]");
        }
        t.getFloatBuffer().get(out);
    }

    private OrtSession session() throws OrtException {
        if (session == null) {
            try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
                so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                session = OrtEnvironment.getEnvironment().createSession(onnxFile.toString(), so);
            }
        }
        return session;
    }

    private OnnxModelPredictor node() throws IOException {
        if (node == null) {
            node = OnnxModelPredictor.open(onnxFile, 0);
        }
        return node;
    }

    /** The exported file's {@code metadata_props}. */
    public Map<String, String> metadata() throws OrtException {
        return session().getMetadata().getCustomMetadata();
    }

    /** The node-side model info (loads the model through MdeasModel if not yet done). */
    public io.mdeas.node.inference.ModelInfo nodeInfo() throws IOException {
        return node().info();
    }

    @Override
    public void close() throws OrtException {
        if (jittered != null) {
            jittered.close();
        }
        if (node != null) {
            node.close();
        }
        if (session != null) {
            session.close();
        }
    }
}
