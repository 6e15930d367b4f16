package io.mdeas.model.cli;

import io.mdeas.model.data.DatasetIndex;
import io.mdeas.model.data.Sample;
import io.mdeas.model.net.MdeasNet;
import io.mdeas.model.net.TorchRuntime;
import io.mdeas.model.onnx.LoadedCheckpoint;
import io.mdeas.model.onnx.OnnxParity;
import io.mdeas.model.onnx.OrtLatency;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code verify}: runs a checkpoint (DJL) and its exported ONNX file (the node's inference class, and a plain
 * ONNX Runtime session for other sizes and batches) on the same inputs and fails unless they agree.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check an exported ONNX model against the checkpoint it came from.",
            "Compares on seeded random inputs at the training size (batch 1 through the node's MdeasModel, batch 2 "
                + "through a plain ONNX Runtime session) and at a second size, plus real samples with --data.",
            "Fails (exit 1) unless max |d mask| <= 1e-4 and max |d depth| <= 1e-3 m (fp32 weights). An fp16-weight "
                + "file is held to 4x what float16 rounding of the weights does to the checkpoint itself on the same "
                + "inputs; its deviation is the number to read."})
public final class VerifyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--checkpoint", required = true, paramLabel = "DIR", description = "Checkpoint directory.")
    Path checkpoint;

    @Option(names = "--model", required = true, paramLabel = "FILE.onnx", description = "Exported model file.")
    Path model;

    @Option(names = "--data", paramLabel = "DIR", description = "Dataset folder (DATASET.md layout) for real inputs.")
    Path data;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "8",
            description = "Real samples taken from --data, from the start (0 = all; default ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--size", paramLabel = "S",
            description = "Second input side to check (multiple of 16; default 128, or 96 for 128-trained models).")
    Integer otherSize;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "7", description = "Seed of the random inputs.")
    long seed;

    @Option(names = "--mask-tolerance", paramLabel = "D", description = "Override the allowed max |d mask|.")
    Double maskTolerance;

    @Option(names = "--depth-tolerance", paramLabel = "M", description = "Override the allowed max |d depth| (m).")
    Double depthTolerance;

    @Option(names = "--latency", description = "Also time the node's inference at the training size, batch 1.")
    boolean latency;

    @Option(names = "--latency-threads", paramLabel = "N", defaultValue = "2",
            description = "Intra-op threads for --latency (default ${DEFAULT-VALUE}).")
    int latencyThreads;

    @Option(names = "--latency-runs", paramLabel = "N", defaultValue = "50",
            description = "Timed runs for --latency, after 10 warm-up runs (default ${DEFAULT-VALUE}).")
    int latencyRuns;

    private static void row(PrintWriter o, OnnxParity.Case c, String note) {
        o.printf(Locale.ROOT, "%-40s %-8s %6d %5d %12.3e %14.3e %12.3e %14.3e %8.0f%%%s%n", c.name(), c.runner(),
                c.images(), c.size(), c.maxMaskDelta(), c.maxDepthDeltaM(), c.meanMaskDelta(), c.meanDepthDeltaM(),
                100 * c.depthInRange(), note);
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (samples < 0) {
            err.println("verify: --samples must be >= 0, got " + samples);
            return 2;
        }
        TorchRuntime.start();
        try (LoadedCheckpoint ckpt = LoadedCheckpoint.open(checkpoint);
                OnnxParity parity = new OnnxParity(ckpt, model)) {
            int size = parity.inputSize();
            int second = otherSize != null ? otherSize : (size == 128 ? 96 : 128);
            MdeasNet.checkSize(second, second);
            Map<String, String> meta = parity.metadata();
            boolean fp16 = "fp16".equals(meta.get("mdeas.weights"));
            boolean absolute = !fp16 || maskTolerance != null || depthTolerance != null;
            OnnxParity.Tolerance tol = new OnnxParity.Tolerance(
                    maskTolerance != null ? maskTolerance : OnnxParity.FP32.mask(),
                    depthTolerance != null ? depthTolerance : OnnxParity.FP32.depthM());
            String sha = meta.get("mdeas.checkpoint_sha256");
            if (sha != null && !sha.equals(ckpt.paramsSha256())) {
                o.println("note: " + model + " was exported from other weights (checkpoint_sha256 " + sha.substring(0, 12)
                        + ", this checkpoint " + ckpt.paramsSha256().substring(0, 12) + ")");
            }
            o.printf(Locale.ROOT, "verifying %s (%s weights, node: %s) against %s%n", model, fp16 ? "fp16" : "fp32",
                    parity.nodeInfo().provider(), checkpoint);
            List<OnnxParity.Inputs> inputs = new ArrayList<>();
            inputs.add(OnnxParity.randomInputs(1, size, seed));
            inputs.add(OnnxParity.randomInputs(2, size, seed + 1));
            inputs.add(OnnxParity.randomInputs(2, second, seed + 2));
            if (data != null) {
                DatasetIndex index = DatasetIndex.open(data);
                List<Sample> all = index.samples();
                List<Sample> chosen = samples > 0 && samples < all.size() ? all.subList(0, samples) : all;
                inputs.add(parity.datasetInputs(index.root().getFileName() + " (" + chosen.size() + " samples)", chosen));
            }
            o.printf(Locale.ROOT, "%-40s %-8s %6s %5s %12s %14s %12s %14s %9s%n", "inputs", "runner", "images",
                    "size", "max|d mask|", "max|d depth|m", "mean|d mask|", "mean|d depth|m", "depth in");
            double worstMask = 0;
            double worstDepth = 0;
            boolean ok = true;
            OnnxParity.Inputs worst = null;
            double worstExcess = -1;
            for (OnnxParity.Inputs in : inputs) {
                OnnxParity.Case c = parity.compare(in);
                OnnxParity.Case floor = absolute ? null : parity.noiseFloor(in, OnnxParity.FP16_JITTER);
                boolean pass = absolute ? c.within(tol) : c.withinFloor(floor, OnnxParity.FP16_FLOOR_FACTOR);
                row(o, c, pass ? "" : "  OVER TOLERANCE");
                if (floor != null) {
                    row(o, floor, String.format(Locale.ROOT, "  (fp16 noise floor; allowed %.0fx)",
                            OnnxParity.FP16_FLOOR_FACTOR));
                }
                worstMask = Math.max(worstMask, c.maxMaskDelta());
                worstDepth = Math.max(worstDepth, c.maxDepthDeltaM());
                double excess = Math.max(c.maxMaskDelta() / tol.mask(), c.maxDepthDeltaM() / tol.depthM());
                if (excess > worstExcess) {
                    worstExcess = excess;
                    worst = in;
                }
                ok &= pass;
            }
            o.printf(Locale.ROOT, "max |d mask| %.3e, max |d depth| %.3e m (%s)%n", worstMask, worstDepth,
                    absolute ? String.format(Locale.ROOT, "allowed %.1e and %.1e m", tol.mask(), tol.depthM())
                            : String.format(Locale.ROOT, "allowed %.0fx the fp16 noise floor per input set",
                                    OnnxParity.FP16_FLOOR_FACTOR));
            if (latency) {
                OrtLatency.Result r = OrtLatency.measure(model, latencyThreads, 10, latencyRuns);
                o.printf(Locale.ROOT, "latency %dx%d batch 1, %s, %d threads, %d runs: p50 %.2f ms, p90 %.2f ms, "
                        + "min %.2f ms, mean %.2f ms, process CPU %.2f ms/run%n", r.size(), r.size(), r.provider(),
                        r.threads(), r.runs(), r.p50Ms(), r.p90Ms(), r.minMs(), r.meanMs(), r.cpuMsPerRun());
            }
            o.flush();
            if (!ok) {
                // Tell an export fault from a network that float32 rounding alone moves past the tolerance.
                String why;
                if (absolute) {
                    // Noise of the file's precision on the worst input set: the floor under any export's deviation.
                    OnnxParity.Case floor = parity.noiseFloor(worst, fp16 ? OnnxParity.FP16_JITTER : OnnxParity.FP32_JITTER);
                    row(o, floor, "  (noise floor of the checkpoint at this precision)");
                    o.flush();
                    why = floor.within(tol)
                        ? "the checkpoint itself is stable under " + (fp16 ? "float16" : "float32")
                            + " rounding, so the export differs: re-export and check the exporter"
                        : "but the checkpoint itself moves this much under " + (fp16 ? "float16" : "float32")
                            + "-level weight noise (floor above), so no such export can meet the tolerance: the "
                            + "network is ill-conditioned (untrained?)";
                } else {
                    why = "the fp16 file deviates more than float16 weight rounding explains: check the fp16 path";
                }
                err.printf(Locale.ROOT, "verify: FAILED: %s does not match %s: max |d mask| %.3e, max |d depth| "
                        + "%.3e m; %s%n", model, checkpoint, worstMask, worstDepth, why);
                err.flush();
                return 1;
            }
            o.println("verify: OK");
            o.flush();
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            err.println("verify: " + e.getMessage());
            err.flush();
            return 2;
        }
    }
}
