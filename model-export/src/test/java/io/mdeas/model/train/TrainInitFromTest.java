package io.mdeas.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mdeas.model.cli.ModelExportCli;
import io.mdeas.model.net.TorchRuntime;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code train --init-from} keeps the starting checkpoint's depth encoding unless told otherwise: session 8 fine-tuned
 * a log-trained model without naming the encoding, the old default (linear) applied, and the depth head had to
 * relearn its output.
 */
class TrainInitFromTest {

    @TempDir
    Path tmp;

    private void train(Path data, Path out, Path initFrom, String... extra) {
        StringWriter log = new StringWriter();
        CommandLine cli = ModelExportCli.commandLine();
        cli.setOut(new PrintWriter(log));
        cli.setErr(new PrintWriter(log));
        String[] base = {"train", "--data", data.toString(), "--out", out.toString(), "--init-from", initFrom.toString(),
            "--size", "32", "--batch", "4", "--epoch-samples", "4", "--max-steps", "1", "--threads", "1"};
        String[] args = java.util.Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        assertEquals(0, cli.execute(args), log.toString());
    }

    @Test
    void aFineTuneKeepsTheStartingDepthEncodingUnlessOneIsNamed() throws Exception {
        TorchRuntime.start(null, 1);
        Path data = TinyDataset.write(tmp.resolve("data"), 4, 32, 7);
        Path start = tmp.resolve("start");
        TrainConfig logEncoded = new TrainConfig(data.toString(), null, 32, 4, 4, 4, 11, false,
                new CyclicLrSchedule(1e-3, 1e-3, 0, 0, 1, 1), LossWeights.original(), 0.5, 0.999, 1e-8, "log", 8,
                false, 0);
        TinyRun.train(logEncoded, start, 1);

        Path kept = tmp.resolve("kept");
        train(data, kept, start.resolve("latest"));
        CheckpointMetadata k = Checkpoint.readMetadata(kept.resolve("latest"));
        assertEquals("log", k.depthEncoding());
        assertEquals(8.0, k.maxDepthM());

        Path switched = tmp.resolve("switched");
        train(data, switched, start.resolve("latest"), "--depth-encoding", "linear", "--max-depth", "10");
        CheckpointMetadata s = Checkpoint.readMetadata(switched.resolve("latest"));
        assertEquals("linear", s.depthEncoding());
        assertEquals(10.0, s.maxDepthM());
    }
}
