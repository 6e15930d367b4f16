package io.mdeas.model.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.mdeas.model.data.DatasetIndex;
import io.mdeas.model.data.Sample;
import io.mdeas.model.eval.BootstrapInterval;
import io.mdeas.model.eval.DepthMaskPredictor;
import io.mdeas.model.eval.EvaluationResult;
import io.mdeas.model.eval.FloorAnchoredDepth;
import io.mdeas.model.eval.MetricAccumulator;
import io.mdeas.model.eval.Evaluator;
import io.mdeas.model.eval.PerSampleCsv;
import io.mdeas.model.eval.PredictorFactory;
import io.mdeas.node.analysis.FloorAnchorParams;
import io.mdeas.node.analysis.DepthEdgeParams;
import io.mdeas.node.analysis.MaskEdgeParams;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code evaluate}: runs a checkpoint, an exported model or a classical baseline over a dataset in the
 * {@code DATASET.md} layout and reports the seven metrics defined there.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Evaluate a model (or a classical baseline) on a dataset folder (DATASET.md layout).",
            "Prints mask_fg_iou, mask_miou, depth_ssim, depth_absrel, depth_rmse_m, depth_delta1, nearest_relerr "
                + "(median over samples), each with its 95 %% bootstrap interval over the samples; a metric no sample "
                + "qualifies for is null. Then the mask metrics by the ground truth's foreground share of the image "
                + "(JSON: by_foreground_share) and depth breakdowns."})
public final class EvaluateCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(EvaluateCommand.class);

    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Subject subject;

    /** What is evaluated: a model or a baseline. */
    static final class Subject {
        @Option(names = "--model", paramLabel = "PATH",
                description = "Checkpoint directory or exported .onnx file.")
        Path model;

        @Option(names = "--baseline", paramLabel = "NAME",
                description = "Classical baseline instead of a model: absdiff or mog2 (OpenCV BackgroundSubtractorMOG2).")
        String baseline;
    }

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Dataset folder with index.csv.")
    Path data;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the seven metrics as one JSON object.")
    Path json;

    @Option(names = "--per-sample", paramLabel = "FILE.csv",
            description = "Also write every sample's metrics as CSV, for `compare` with another model on the same data.")
    Path perSample;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "0",
            description = "Evaluate only the first N samples (0 = all; default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--loader-threads", paramLabel = "N", defaultValue = "2",
            description = "Threads decoding samples ahead of prediction (default ${DEFAULT-VALUE}).")
    int loaderThreads;

    @Option(names = "--absdiff-threshold", paramLabel = "T", defaultValue = "0.12",
            description = "Threshold of the absdiff baseline on the blurred max-channel difference, RGB in [0,1] "
                    + "(default ${DEFAULT-VALUE}).")
    float absDiffThreshold;

    @Option(names = "--mirror-average",
            description = "Run an .onnx model as the node does with model.mirror_average: each sample together with its "
                    + "left-right mirror image, the two answers averaged.")
    boolean mirrorAverage;

    @Option(names = "--floor-anchor",
            description = "Rescale each predicted depth map as the node does with depth.floor_anchor (its defaults), "
                    + "with each sample's camera mount from index.csv and the sensor aspect from camera.json.")
    boolean floorAnchor;

    @Option(names = "--floor-anchor-max-correction", paramLabel = "F",
            description = "With --floor-anchor: the node's depth.floor_anchor_max_correction (default: the node's, "
                    + "1.5 — a robot whose mount is configured right; raise it for cameras far from the model's mount).")
    Double floorAnchorMaxCorrection;

    @Option(names = "--mask-edges",
            description = "Refine each predicted mask as the node does with mask.edge_refine: a colour-guided filter "
                    + "with the sample's fg_bg image as the guide (the node's defaults unless the two options below "
                    + "say otherwise).")
    boolean maskEdges;

    @Option(names = "--mask-edge-radius", paramLabel = "PX",
            description = "With --mask-edges: the node's mask.edge_refine_radius_px (default: the node's, 10).")
    Integer maskEdgeRadius;

    @Option(names = "--mask-edge-eps", paramLabel = "E",
            description = "With --mask-edges: the node's mask.edge_refine_eps (default: the node's, 0.0001).")
    Double maskEdgeEps;

    @Option(names = "--depth-edges",
            description = "Refine each predicted depth map as the node does with depth.edge_refine: the same filter over "
                    + "the whole map, with a smaller window (the node's defaults unless the two options below say "
                    + "otherwise).")
    boolean depthEdges;

    @Option(names = "--depth-edge-radius", paramLabel = "PX",
            description = "With --depth-edges: the node's depth.edge_refine_radius_px (default: the node's, 4).")
    Integer depthEdgeRadius;

    @Option(names = "--depth-edge-eps", paramLabel = "E",
            description = "With --depth-edges: the node's depth.edge_refine_eps (default: the node's, 0.001).")
    Double depthEdgeEps;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (floorAnchorMaxCorrection != null && !floorAnchor) {
            err.println("evaluate: --floor-anchor-max-correction applies only with --floor-anchor");
            return 2;
        }
        if ((maskEdgeRadius != null || maskEdgeEps != null) && !maskEdges) {
            err.println("evaluate: --mask-edge-radius and --mask-edge-eps apply only with --mask-edges");
            return 2;
        }
        if ((depthEdgeRadius != null || depthEdgeEps != null) && !depthEdges) {
            err.println("evaluate: --depth-edge-radius and --depth-edge-eps apply only with --depth-edges");
            return 2;
        }
        if (limit < 0) {
            err.println("evaluate: --limit must be >= 0, got " + limit);
            return 2;
        }
        try {
            DatasetIndex index = DatasetIndex.open(data);
            List<Sample> samples = limit > 0 && limit < index.size()
                    ? index.samples().subList(0, limit) : index.samples();
            if (samples.isEmpty()) {
                err.println("evaluate: " + index.root().resolve("index.csv") + " lists no samples");
                return 1;
            }
            PredictorFactory factory = PredictorFactory.standard().withAbsDiffThreshold(absDiffThreshold)
                    .withMirrorAverage(mirrorAverage);
            try (DepthMaskPredictor predictor = subject.model != null
                    ? factory.open(subject.model) : factory.baseline(subject.baseline)) {
                LOG.info("evaluating {} on {} samples of {}", predictor.describe(), samples.size(), index.root());
                int step = Math.max(1, samples.size() / 10);
                long start = System.nanoTime();
                Evaluator evaluator = new Evaluator(loaderThreads);
                FloorAnchoredDepth anchor = null;
                if (floorAnchor) {
                    double aspect = index.camera().map(c -> c.path("sensor_aspect").asDouble(1.0)).orElse(1.0);
                    FloorAnchorParams params = floorAnchorMaxCorrection == null ? FloorAnchorParams.DEFAULTS
                            : FloorAnchorParams.DEFAULTS.withMaxCorrection(floorAnchorMaxCorrection);
                    anchor = new FloorAnchoredDepth(params, aspect);
                    evaluator = evaluator.withFloorAnchor(anchor);
                }
                MaskEdgeParams md = MaskEdgeParams.DEFAULTS;
                MaskEdgeParams edges = !maskEdges ? MaskEdgeParams.OFF : new MaskEdgeParams(true,
                        maskEdgeRadius == null ? md.radiusPx() : maskEdgeRadius, maskEdgeEps == null ? md.eps() : maskEdgeEps);
                DepthEdgeParams dd = DepthEdgeParams.ON;
                DepthEdgeParams dEdges = !depthEdges ? DepthEdgeParams.OFF : new DepthEdgeParams(true,
                        depthEdgeRadius == null ? dd.radiusPx() : depthEdgeRadius,
                        depthEdgeEps == null ? dd.eps() : depthEdgeEps);
                evaluator = evaluator.withEdges(edges, dEdges);
                EvaluationResult result = evaluator.run(samples, predictor, done -> {
                    if (done % step == 0 || done == samples.size()) {
                        LOG.info("{}/{} samples", done, samples.size());
                    }
                });
                double seconds = (System.nanoTime() - start) / 1e9;
                Map<String, BootstrapInterval.Interval> intervals = result.ci95();
                print(out, predictor.describe(), index.root(), result, intervals, seconds);
                if (maskEdges || depthEdges) {
                    out.printf(Locale.ROOT, "edge refinement (guided by fg_bg): mask %s, depth %s%n",
                            maskEdges ? String.format(Locale.ROOT, "radius %d px, eps %s", edges.radiusPx(), edges.eps())
                                    : "off",
                            depthEdges ? String.format(Locale.ROOT, "radius %d px, eps %s", dEdges.radiusPx(),
                                    dEdges.eps()) : "off");
                }
                if (anchor != null) {
                    out.printf(Locale.ROOT, "floor anchor (depth.floor_anchor): %d samples rescaled by their floor, %d "
                            + "left at the network's scale%n", anchor.anchored(), anchor.held());
                }
                if (json != null) {
                    Map<String, Object> doc = new LinkedHashMap<>(result.asMap());
                    Map<String, Object> ci = new LinkedHashMap<>();
                    // An ordered map: Map.of's order changes from run to run, and so would the committed reports.
                    intervals.forEach((k, v) -> ci.put(k, v == null ? null : bounds(v)));
                    doc.put("ci95", ci);
                    doc.put("by_foreground_share", result.byForegroundShare());
                    doc.put("depth_by_region", result.byDepthRegion());
                    doc.put("depth_by_range", result.byDepthRange());
                    doc.put("depth_by_predicted_range", result.byPredictedRange());
                    doc.put("depth_by_edge", result.byDepthEdge());
                    doc.put("depth_scale_aligned", result.scaleAligned());
                    doc.put("mirror_average", mirrorAverage);
                    doc.put("mask_edge_refine", maskEdges);
                    if (maskEdges) {
                        doc.put("mask_edge_refine_radius_px", edges.radiusPx());
                        doc.put("mask_edge_refine_eps", edges.eps());
                    }
                    doc.put("depth_edge_refine", depthEdges);
                    if (depthEdges) {
                        doc.put("depth_edge_refine_radius_px", dEdges.radiusPx());
                        doc.put("depth_edge_refine_eps", dEdges.eps());
                    }
                    doc.put("floor_anchor", floorAnchor);
                    if (anchor != null) {
                        doc.put("floor_anchor_max_correction", anchor.params().maxCorrection());
                        doc.put("floor_anchor_samples_rescaled", anchor.anchored());
                    }
                    writeJson(json, doc);
                    out.println("wrote " + json);
                }
                if (perSample != null) {
                    new PerSampleCsv(samples.stream().map(Sample::id).toList(), result.perSample()).write(perSample);
                    out.println("wrote " + perSample);
                }
            }
            out.flush();
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            err.println("evaluate: " + e.getMessage());
            return 1;
        }
    }

    private static void print(PrintWriter out, String what, Path root, EvaluationResult r,
                              Map<String, BootstrapInterval.Interval> ci, double seconds) {
        out.printf(Locale.ROOT, "%s on %s%n", what, root);
        out.printf(Locale.ROOT, "%-16s %d%n", "samples", r.samples());
        for (Map.Entry<String, Double> e : r.asMap().entrySet()) {
            BootstrapInterval.Interval i = ci.get(e.getKey());
            out.printf(Locale.ROOT, "%-16s %s%s%n", e.getKey(),
                    e.getValue() == null ? "null (no sample qualified)" : String.format(Locale.ROOT, "%.4f", e.getValue()),
                    i == null ? "" : String.format(Locale.ROOT, "   95%% CI %.4f..%.4f", i.lo(), i.hi()));
        }
        out.printf(Locale.ROOT, "%-16s %.1f (%.2f s)%n", "images_per_s", r.samples() / seconds, seconds);
        out.printf(Locale.ROOT, "by ground-truth foreground share of the image:%n");
        out.printf(Locale.ROOT, "  %-8s %7s %12s %10s%n", "share", "samples", "mask_fg_iou", "mask_miou");
        for (EvaluationResult.ShareBin b : r.byForegroundShare()) {
            out.printf(Locale.ROOT, "  %-8s %7d %12s %10s%n", b.share(), b.samples(), fixed(b.maskFgIou()),
                    fixed(b.maskMiou()));
        }
        if (r.depthAbsrel() != null) {
            out.printf(Locale.ROOT, "depth by ground-truth region:%n");
            out.printf(Locale.ROOT, "  %-10s %7s %12s %12s%n", "region", "samples", "depth_absrel", "depth_delta1");
            for (EvaluationResult.DepthRegion d : r.byDepthRegion()) {
                out.printf(Locale.ROOT, "  %-10s %7d %12s %12s%n", d.region(), d.samples(), fixed(d.depthAbsrel()),
                        fixed(d.depthDelta1()));
            }
            printRanges(out, "depth by true distance (all valid pixels pooled; bias = mean ln(predicted/true)):",
                    r.byDepthRange());
            printRanges(out, "depth by predicted distance (bias near 0 everywhere: unbiased given its output):",
                    r.byPredictedRange());
            out.printf(Locale.ROOT, "depth at true depth edges (within %d px of a >%.2fx depth step; pooled):%n",
                    MetricAccumulator.EDGE_RADIUS, MetricAccumulator.DELTA1);
            out.printf(Locale.ROOT, "  %-10s %7s %12s %12s %13s%n", "pixels", "share", "depth_absrel", "depth_delta1",
                    "absrel_share");
            for (EvaluationResult.DepthEdge d : r.byDepthEdge()) {
                out.printf(Locale.ROOT, "  %-10s %6.1f%% %12s %12s %12.1f%%%n", d.region(), 100 * d.pixelShare(),
                        fixed(d.depthAbsrel()), fixed(d.depthDelta1()), 100 * d.absrelShare());
            }
            EvaluationResult.ScaleAligned a = r.scaleAligned();
            out.printf(Locale.ROOT, "depth with each image scaled by its median true/predicted ratio (shape error only):%n");
            out.printf(Locale.ROOT, "  %7s %12s %12s %15s %13s%n", "samples", "depth_absrel", "depth_delta1",
                    "log_scale_mean", "log_scale_sd");
            out.printf(Locale.ROOT, "  %7d %12s %12s %15s %13s%n", a.samples(), fixed(a.depthAbsrel()),
                    fixed(a.depthDelta1()), fixed(a.logScaleMean()), fixed(a.logScaleSd()));
        }
    }

    private static Map<String, Double> bounds(BootstrapInterval.Interval v) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("lo", v.lo());
        m.put("hi", v.hi());
        return m;
    }

    private static void printRanges(PrintWriter out, String title, List<EvaluationResult.DepthRange> ranges) {
        out.println(title);
        out.printf(Locale.ROOT, "  %-10s %7s %12s %12s %8s%n", "metres", "pixels", "depth_absrel", "depth_delta1",
                "bias");
        for (EvaluationResult.DepthRange d : ranges) {
            String range = d.toM() == null ? ">=" + metres(d.fromM()) : metres(d.fromM()) + "-" + metres(d.toM());
            out.printf(Locale.ROOT, "  %-10s %6.1f%% %12s %12s %8s%n", range, 100 * d.pixelShare(),
                    fixed(d.depthAbsrel()), fixed(d.depthDelta1()), fixed(d.meanLogRatio()));
        }
    }

    private static String metres(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    private static String fixed(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static void writeJson(Path file, Map<String, Object> metrics) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), metrics);
    }
}
