package io.mdeas.model.cli;

import io.mdeas.model.train.DeadChannels;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code silence-dead}: a copy of a checkpoint with the BatchNorm channels that never fired in training silenced
 * (see {@link DeadChannels}), the step before export that keeps float32 exports within the parity tolerance.
 */
@Command(name = "silence-dead", mixinStandardHelpOptions = true,
        description = {"Copy a checkpoint with its dead BatchNorm channels (running variance ~0: they never fired in "
                + "training) set to output their constant, removing their ~300x amplification of float rounding.",
                "With --max-gain G, also floor the running variance of nearly dead channels so that no channel "
                        + "amplifies its input more than G times (rare inputs that make them fire otherwise explode "
                        + "through the depth decoder).",
                "Export and verify the copy."})
public final class SilenceDeadCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--checkpoint", required = true, description = "Checkpoint folder (a run's latest/, best-depth/ or best-mask/).")
    Path checkpoint;

    @Option(names = "--out", required = true, description = "Folder of the new checkpoint.")
    Path out;

    @Option(names = "--max-variance", defaultValue = "1e-6", description = "Running variance under which a channel is dead (default: ${DEFAULT-VALUE}).")
    double maxVariance;

    @Option(names = "--max-gain", defaultValue = "Infinity", description = "Largest BatchNorm gain |gamma|/sqrt(var + eps) "
            + "kept; larger ones are capped by raising the running variance (default: ${DEFAULT-VALUE}, no cap; "
            + "scripts/ship-model.sh passes the validated value).")
    double maxGain;

    @Option(names = "--max-gain-ratio", defaultValue = "0", description = "With --max-gain: spare gains under this "
            + "multiple of their layer's median gain (layers whose gains are all high by design, like the image "
            + "stems); the higher of the two limits applies (default: ${DEFAULT-VALUE}, the absolute limit alone).")
    double maxGainRatio;

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        if (checkpoint.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
            spec.commandLine().getErr().println("silence-dead: --out must differ from --checkpoint (the original is kept)");
            return 2;
        }
        DeadChannels.Conditioning done;
        try {
            done = DeadChannels.condition(checkpoint, out, maxVariance, maxGain, maxGainRatio);
        } catch (java.io.IOException | IllegalArgumentException e) {
            spec.commandLine().getErr().println("silence-dead: " + (e instanceof java.nio.file.NoSuchFileException n
                    && n.getReason() != null ? n.getFile() + ": " + n.getReason() : e.getMessage()));
            return 1;
        }
        int total = 0;
        for (DeadChannels.Silenced s : done.silenced()) {
            w.printf(Locale.ROOT, "%-36s %3d of %3d channels: %s%n", s.layer(), s.channels().length, s.of(),
                    Arrays.toString(s.channels()));
            total += s.channels().length;
        }
        w.printf(Locale.ROOT, "silenced %d dead channel(s) (running variance < %g) in %d layer(s)%n", total,
                maxVariance, done.silenced().size());
        int capped = 0;
        for (DeadChannels.Capped c : done.capped()) {
            w.printf(Locale.ROOT, "%-36s %3d of %3d channels capped at gain %.3g: %s, gains were %s%n", c.layer(),
                    c.channels().length, c.of(), c.limit(), Arrays.toString(c.channels()), Arrays.toString(c.gains()));
            capped += c.channels().length;
        }
        if (!Double.isInfinite(maxGain)) {
            w.printf(Locale.ROOT, "capped %d channel(s) (gain > %g and > %g x the layer's median) in %d layer(s)%n",
                    capped, maxGain, maxGainRatio, done.capped().size());
        }
        w.printf(Locale.ROOT, "wrote %s%n", out);
        w.flush();
        return 0;
    }
}
