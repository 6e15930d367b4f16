package io.mdeas.model.cli;

import io.mdeas.model.data.DatasetIndex;
import io.mdeas.model.data.Sample;
import io.mdeas.model.net.TorchRuntime;
import io.mdeas.model.train.Checkpoint;
import io.mdeas.model.train.TrainingRun;
import io.mdeas.model.train.WeightAverage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code average}: stochastic weight averaging of a run's checkpoints with BatchNorm statistics recomputed (see
 * {@link WeightAverage}).
 */
@Command(name = "average", mixinStandardHelpOptions = true,
        description = {"Average the weights of several checkpoints of one run (e.g. its last epochs at a constant "
                + "learning rate, kept by train --epoch-snapshots) and recompute BatchNorm statistics over "
                + "training images.",
            "Evaluate, silence-dead and export the result like any checkpoint."})
public final class AverageCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--checkpoint", paramLabel = "DIR", description = "A checkpoint to average; repeatable.")
    List<Path> checkpoints = new ArrayList<>();

    @Option(names = "--snapshots", paramLabel = "RUN_DIR",
            description = "A run folder whose snapshots/epoch-NNNN/ to average (with --last).")
    Path snapshots;

    @Option(names = "--last", defaultValue = "0", paramLabel = "K",
            description = "Average only the last K epoch snapshots of --snapshots (0 = all).")
    int last;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Training dataset for the BatchNorm statistics (default: the last checkpoint's training data).")
    Path data;

    @Option(names = "--bn-images", defaultValue = "1024", paramLabel = "N",
            description = "Training images for the BatchNorm statistics, spread evenly over the set; 0 keeps the mean of "
                    + "the checkpoints' running statistics (default: ${DEFAULT-VALUE}).")
    int bnImages;

    @Option(names = "--batch", defaultValue = "8", paramLabel = "N",
            description = "Images per forward pass; use the training batch, since layers after the first see batch-normalised inputs (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder of the averaged checkpoint.")
    Path out;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0", description = "PyTorch threads (0 = all cores).")
    int threads;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (bnImages < 0 || batch < 1) {
            err.println("average: --bn-images must be >= 0 and --batch >= 1");
            return 2;
        }
        try {
            List<Path> dirs = new ArrayList<>(checkpoints);
            if (snapshots != null) {
                dirs.addAll(TrainingRun.snapshots(snapshots, last));
            }
            if (dirs.isEmpty()) {
                err.println("average: give --checkpoint DIR (repeatable) or --snapshots RUN_DIR");
                return 2;
            }
            Path trainData = data != null ? data
                    : Path.of(Checkpoint.readMetadata(dirs.get(dirs.size() - 1)).config().trainData());
            List<Sample> all = bnImages == 0 ? List.of() : DatasetIndex.open(trainData).samples();
            int n = Math.min(bnImages, all.size());
            List<Sample> spread = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                spread.add(all.get((int) ((long) i * all.size() / n)));
            }
            TorchRuntime.start(null, threads);
            long t0 = System.nanoTime();
            int layers = WeightAverage.write(dirs, spread, batch, out);
            o.printf(Locale.ROOT, "averaged %d checkpoint(s): %s%n", dirs.size(), dirs);
            o.printf(Locale.ROOT, n == 0 ? "BatchNorm statistics averaged like the weights%n"
                    : "recomputed %d BatchNorm layers over %d images of %s%n", layers, n, trainData);
            o.printf(Locale.ROOT, "%.0f s; wrote %s%n", (System.nanoTime() - t0) / 1e9, out);
            o.flush();
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            err.println("average: " + (e instanceof NoSuchFileException f && f.getReason() != null
                    ? f.getFile() + ": " + f.getReason() : e.getMessage()));
            return 1;
        }
    }
}
