package io.mdeas.model.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The MDEAS network (architecture {@value #ARCHITECTURE}): from a background image and the same view with
 * foreground objects, predict encoded depth and a foreground mask. 1,521,026 trainable parameters.
 *
 * <p>Inputs {@code bg}, {@code fg_bg}: [N,3,H,W] RGB in [0,1], H and W multiples of 16 (224 reference).
 * Outputs, in order: {@code depth} [N,1,H,W] (encoded, see the training's depth encoding; no activation) and
 * {@code mask} [N,1,H,W] (probability, sigmoid).
 *
 * <p>Block tree (children in this order; {@link #layers()} lists the leaves in the same order):
 *
 * <pre>
 * stem_bg      Stem                 bg    → [32, H/2]
 * stem_fg      Stem                 fg_bg → [32, H/2]
 *              concat(stem_bg, stem_fg) on channels → [64, H/2]
 * enc1         DenseBlock(64→128)   then MAX_POOL_2 → [128, H/4]
 * enc2         DenseBlock(128→256)  then MAX_POOL_2 → [256, H/8]
 * enc3         DenseBlock(256→256)  then MAX_POOL_2 → [256, H/16]
 * neck         PointwiseUnit(256→128)
 * aspp_d1, aspp_d3, aspp_d6, aspp_d9   DepthwiseSeparable(128, dilation 1/3/6/9), each on neck's output;
 *              concat in that order → [512, H/16]
 * mask_head    PointwiseUnit(512→128)
 * depth_head   PointwiseUnit(512→256)
 * depth_dec1   DenseBlock(256→256)  then NEAREST_2       → [256, H/8]
 * depth_dec2   DenseBlock(256→128)  then NEAREST_2       → [128, H/4]
 * depth_dec3   DenseBlock(128→128)  then PIXEL_SHUFFLE_2 → [32, H/2]
 * depth_dec4   DenseBlock(32→64)    then PIXEL_SHUFFLE_2 → [16, H]
 * depth_out    Conv2d 1×1 16→1 (bias)                    → depth
 * mask_dec1    DenseBlock(128→128)  then NEAREST_2       → [128, H/8]
 * mask_dec2    DenseBlock(128→128)  then NEAREST_2       → [128, H/4]
 * mask_dec3    DenseBlock(128→64)   then NEAREST_2       → [64, H/2]
 * mask_dec4    DenseBlock(64→64)    then PIXEL_SHUFFLE_2 → [16, H]
 * mask_out     Conv2d 1×1 16→1 (bias), then sigmoid      → mask
 * </pre>
 *
 * <p>Units: {@link Stem}, {@link DenseBlock} (three {@link DepthwiseSeparable} + {@link PointwiseUnit}),
 * {@link PointwiseUnit} (conv 1×1 → ReLU → BN), {@link DepthwiseSeparable} (depthwise 3×3 → pointwise 1×1 →
 * ReLU → BN). Batch norm settings: {@link Norms}. Resampling semantics: {@link Resampling}. Conv parameters
 * are {@code weight} [out, in/groups, kh, kw] and {@code bias} [out]; all convs have stride 1 except the
 * second stem conv (stride 2).
 */
public final class MdeasNet extends AbstractBlock {

    /** Architecture identifier written into checkpoints and model metadata. */
    public static final String ARCHITECTURE = "mdeas-dense-v1";

    /** Input sizes must be multiples of this (four halvings). */
    public static final int SIZE_MULTIPLE = 16;

    /** ASPP dilations, in concatenation order. */
    public static final int[] ASPP_DILATIONS = {1, 3, 6, 9};

    private static final byte VERSION = 1;

    /** A dense block followed by a parameter-free resampling step. */
    public record Stage(String name, DenseBlock block, Resampling after) {}

    /** One leaf layer (a {@link Conv2d} or a batch norm) with its dotted path, e.g. {@code enc1.ds2.pointwise}. */
    public record Layer(String path, Block block) {}

    /** Receives the output shape of every top-level step during {@link #forwardTraced}. */
    @FunctionalInterface
    public interface Tracer {
        void record(String name, Block block, Shape outputShape);
    }

    private final Stem stemBg;
    private final Stem stemFg;
    private final List<Stage> encoder;
    private final PointwiseUnit neck;
    private final List<DepthwiseSeparable> aspp;
    private final PointwiseUnit maskHead;
    private final PointwiseUnit depthHead;
    private final List<Stage> depthDecoder;
    private final Conv2d depthOut;
    private final List<Stage> maskDecoder;
    private final Conv2d maskOut;

    public MdeasNet() {
        super(VERSION);
        stemBg = addChildBlock("stem_bg", new Stem());
        stemFg = addChildBlock("stem_fg", new Stem());
        encoder = List.of(
                stage("enc1", 64, 128, Resampling.MAX_POOL_2),
                stage("enc2", 128, 256, Resampling.MAX_POOL_2),
                stage("enc3", 256, 256, Resampling.MAX_POOL_2));
        neck = addChildBlock("neck", new PointwiseUnit(128));
        List<DepthwiseSeparable> branches = new ArrayList<>();
        for (int d : ASPP_DILATIONS) {
            branches.add(addChildBlock("aspp_d" + d, new DepthwiseSeparable(128, d)));
        }
        aspp = Collections.unmodifiableList(branches);
        maskHead = addChildBlock("mask_head", new PointwiseUnit(128));
        depthHead = addChildBlock("depth_head", new PointwiseUnit(256));
        depthDecoder = List.of(
                stage("depth_dec1", 256, 256, Resampling.NEAREST_2),
                stage("depth_dec2", 256, 128, Resampling.NEAREST_2),
                stage("depth_dec3", 128, 128, Resampling.PIXEL_SHUFFLE_2),
                stage("depth_dec4", 32, 64, Resampling.PIXEL_SHUFFLE_2));
        depthOut = addChildBlock("depth_out", Convs.pointwise(1));
        maskDecoder = List.of(
                stage("mask_dec1", 128, 128, Resampling.NEAREST_2),
                stage("mask_dec2", 128, 128, Resampling.NEAREST_2),
                stage("mask_dec3", 128, 64, Resampling.NEAREST_2),
                stage("mask_dec4", 64, 64, Resampling.PIXEL_SHUFFLE_2));
        maskOut = addChildBlock("mask_out", Convs.pointwise(1));
    }

    /**
     * A network with freshly initialised parameters for {@code size}×{@code size} inputs: He-normal conv
     * weights (std sqrt(2 / fan_in)), zero biases, BN gamma 1, beta 0, running mean 0, running var 1. Set
     * {@code Engine.getInstance().setRandomSeed} first for reproducible weights.
     */
    public static MdeasNet initialized(NDManager manager, int size) {
        checkSize(size, size);
        MdeasNet net = new MdeasNet();
        net.setInitializer(
                new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN, XavierInitializer.FactorType.IN, 2),
                Parameter.Type.WEIGHT);
        Shape in = new Shape(1, 3, size, size);
        net.initialize(manager, DataType.FLOAT32, in, in);
        return net;
    }

    private Stage stage(String name, int in, int out, Resampling after) {
        return new Stage(name, addChildBlock(name, new DenseBlock(in, out)), after);
    }

    public Stem stemBg() {
        return stemBg;
    }

    public Stem stemFg() {
        return stemFg;
    }

    public List<Stage> encoder() {
        return encoder;
    }

    public PointwiseUnit neck() {
        return neck;
    }

    /** The four ASPP branches in concatenation order (dilations {@link #ASPP_DILATIONS}). */
    public List<DepthwiseSeparable> aspp() {
        return aspp;
    }

    public PointwiseUnit maskHead() {
        return maskHead;
    }

    public PointwiseUnit depthHead() {
        return depthHead;
    }

    public List<Stage> depthDecoder() {
        return depthDecoder;
    }

    public Conv2d depthOut() {
        return depthOut;
    }

    public List<Stage> maskDecoder() {
        return maskDecoder;
    }

    public Conv2d maskOut() {
        return maskOut;
    }

    /** Every conv and batch norm, depth first in child order, with dotted paths. */
    public List<Layer> layers() {
        List<Layer> out = new ArrayList<>();
        collectLeaves("", this, out);
        return out;
    }

    private static void collectLeaves(String prefix, Block block, List<Layer> out) {
        if (block.getChildren().isEmpty()) {
            out.add(new Layer(prefix, block));
            return;
        }
        for (Pair<String, Block> child : block.getChildren()) {
            String name = stripIndex(child.getKey());
            collectLeaves(prefix.isEmpty() ? name : prefix + "." + name, child.getValue(), out);
        }
    }

    /** DJL prefixes child names with a two-digit position ("01stem_bg"); the paths use the bare name. */
    static String stripIndex(String childName) {
        return childName.replaceFirst("^\\d+", "");
    }

    /** Number of trainable parameters (BN running statistics excluded). */
    public long trainableParameterCount() {
        return countTrainable(this);
    }

    /** Number of trainable parameters of one block and its children. */
    public static long countTrainable(Block block) {
        long total = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient()) {
                total += p.getValue().getShape().size();
            }
        }
        return total;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return forwardTraced(ps, inputs, training, (n, b, s) -> {});
    }

    /** Forward pass that reports every top-level step's output shape to {@code tracer}. */
    public NDList forwardTraced(ParameterStore ps, NDList inputs, boolean training, Tracer tracer) {
        if (inputs.size() != 2) {
            throw new IllegalArgumentException("MdeasNet takes two inputs (bg, fg_bg), got " + inputs.size());
        }
        Shape inShape = inputs.get(0).getShape();
        checkSize(inShape.get(2), inShape.get(3));
        NDArray bg = run(stemBg, "stem_bg", ps, inputs.get(0), training, tracer);
        NDArray fg = run(stemFg, "stem_fg", ps, inputs.get(1), training, tracer);
        NDArray x = NDArrays.concat(new NDList(bg, fg), 1);
        tracer.record("concat", null, x.getShape());
        for (Stage s : encoder) {
            x = runStage(s, ps, x, training, tracer);
        }
        NDArray n = run(neck, "neck", ps, x, training, tracer);
        NDList branches = new NDList(aspp.size());
        for (int i = 0; i < aspp.size(); i++) {
            branches.add(run(aspp.get(i), "aspp_d" + ASPP_DILATIONS[i], ps, n, training, tracer));
        }
        NDArray a = NDArrays.concat(branches, 1);
        tracer.record("aspp_concat", null, a.getShape());
        NDArray m = run(maskHead, "mask_head", ps, a, training, tracer);
        NDArray d = run(depthHead, "depth_head", ps, a, training, tracer);
        for (Stage s : depthDecoder) {
            d = runStage(s, ps, d, training, tracer);
        }
        NDArray depth = run(depthOut, "depth_out", ps, d, training, tracer);
        for (Stage s : maskDecoder) {
            m = runStage(s, ps, m, training, tracer);
        }
        NDArray mask = Activation.sigmoid(run(maskOut, "mask_out", ps, m, training, tracer));
        depth.setName("depth");
        mask.setName("mask");
        return new NDList(depth, mask);
    }

    private static NDArray run(
            Block block, String name, ParameterStore ps, NDArray x, boolean training, Tracer tracer) {
        NDArray y = block.forward(ps, new NDList(x), training).head();
        tracer.record(name, block, y.getShape());
        return y;
    }

    private static NDArray runStage(Stage s, ParameterStore ps, NDArray x, boolean training, Tracer tracer) {
        NDArray y = run(s.block(), s.name(), ps, x, training, tracer);
        NDArray z = s.after().apply(y);
        tracer.record(s.name() + "." + s.after().name().toLowerCase(java.util.Locale.ROOT), null, z.getShape());
        return z;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        Shape out = new Shape(in.get(0), 1, in.get(2), in.get(3));
        return new Shape[] {out, out};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        checkSize(in.get(2), in.get(3));
        stemBg.initialize(manager, dataType, in);
        stemFg.initialize(manager, dataType, inputShapes.length > 1 ? inputShapes[1] : in);
        Shape stem = stemBg.getOutputShapes(new Shape[] {in})[0];
        Shape x = new Shape(stem.get(0), stem.get(1) * 2, stem.get(2), stem.get(3));
        for (Stage s : encoder) {
            x = initStage(s, manager, dataType, x);
        }
        neck.initialize(manager, dataType, x);
        Shape n = neck.getOutputShapes(new Shape[] {x})[0];
        for (DepthwiseSeparable b : aspp) {
            b.initialize(manager, dataType, n);
        }
        Shape a = new Shape(n.get(0), n.get(1) * aspp.size(), n.get(2), n.get(3));
        maskHead.initialize(manager, dataType, a);
        depthHead.initialize(manager, dataType, a);
        Shape d = depthHead.getOutputShapes(new Shape[] {a})[0];
        for (Stage s : depthDecoder) {
            d = initStage(s, manager, dataType, d);
        }
        depthOut.initialize(manager, dataType, d);
        Shape m = maskHead.getOutputShapes(new Shape[] {a})[0];
        for (Stage s : maskDecoder) {
            m = initStage(s, manager, dataType, m);
        }
        maskOut.initialize(manager, dataType, m);
    }

    private static Shape initStage(Stage s, NDManager manager, DataType dataType, Shape in) {
        s.block().initialize(manager, dataType, in);
        return s.after().outputShape(s.block().getOutputShapes(new Shape[] {in})[0]);
    }

    /** Rejects input sizes the network cannot take, with a message that says what to use. */
    public static void checkSize(long h, long w) {
        if (h <= 0 || w <= 0 || h % SIZE_MULTIPLE != 0 || w % SIZE_MULTIPLE != 0) {
            throw new IllegalArgumentException(
                    "MdeasNet input must be a positive multiple of " + SIZE_MULTIPLE + " in height and width, got "
                            + h + "x" + w + " (use e.g. 112 or 224)");
        }
    }
}
