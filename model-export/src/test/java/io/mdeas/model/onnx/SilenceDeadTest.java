package io.mdeas.model.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.mdeas.model.cli.ModelExportCli;
import io.mdeas.model.net.MdeasNet;
import io.mdeas.model.train.Checkpoint;
import io.mdeas.model.train.TensorFile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SilenceDeadTest {

    @TempDir
    Path dir;

    private static String run(int expectedCode, String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = ModelExportCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(out));
        assertEquals(expectedCode, cli.execute(args), out.toString());
        return out.toString();
    }

    @Test
    void theCopyKeepsEverythingButTheDeadChannelsAndStillLoads() throws Exception {
        Path src = TestCheckpoints.shared();
        byte[] before = Files.readAllBytes(src.resolve(Checkpoint.PARAMS));

        Path none = dir.resolve("none");
        assertTrue(run(0, "silence-dead", "--checkpoint", src.toString(), "--out", none.toString(),
                "--max-variance", "0").contains("silenced 0 dead channel(s)"));
        assertArrayEquals(before, Files.readAllBytes(none.resolve(Checkpoint.PARAMS)), "nothing dead: same bytes");
        assertArrayEquals(Files.readAllBytes(src.resolve(Checkpoint.METADATA)),
                Files.readAllBytes(none.resolve(Checkpoint.METADATA)));

        // Every channel below an absurd limit: every gamma zero, everything else as it was.
        Path all = dir.resolve("all");
        String out = run(0, "silence-dead", "--checkpoint", src.toString(), "--out", all.toString(),
                "--max-variance", "1e30");
        Map<String, TensorFile.Tensor> a = TensorFile.read(src.resolve(Checkpoint.PARAMS));
        Map<String, TensorFile.Tensor> b = TensorFile.read(all.resolve(Checkpoint.PARAMS));
        assertEquals(a.keySet(), b.keySet());
        int layers = 0;
        for (String k : a.keySet()) {
            if (k.endsWith("_gamma")) {
                layers++;
                for (float g : b.get(k).data()) {
                    assertEquals(0f, g, k);
                }
            } else {
                assertArrayEquals(a.get(k).data(), b.get(k).data(), k);
            }
        }
        assertTrue(out.contains("in " + layers + " layer(s)"), out);
        assertArrayEquals(before, Files.readAllBytes(src.resolve(Checkpoint.PARAMS)), "the original is untouched");
        try (NDManager m = NDManager.newBaseManager()) {
            Checkpoint.loadParameters(all, MdeasNet.initialized(m, TestCheckpoints.SHARED_SIZE));
        }

        // A gain cap below every trained gain caps every channel that is not silenced, and only variances move.
        Path capped = dir.resolve("capped");
        String capOut = run(0, "silence-dead", "--checkpoint", src.toString(), "--out", capped.toString(),
                "--max-gain", "1e-3");
        assertTrue(capOut.contains("capped") && capOut.contains("at gain 0.00100:"), capOut);
        Map<String, TensorFile.Tensor> c = TensorFile.read(capped.resolve(Checkpoint.PARAMS));
        int cappedLayers = 0;
        for (String k : a.keySet()) {
            if (k.endsWith("_runningVar")) {
                cappedLayers++;
                float[] gamma = c.get(k.replace("_runningVar", "_gamma")).data();
                float[] var = c.get(k).data();
                for (int ch = 0; ch < var.length; ch++) {
                    assertTrue(Math.abs(gamma[ch]) / Math.sqrt(var[ch] + 1e-5) <= 1e-3 * (1 + 1e-4), k + " " + ch);
                }
            } else {
                assertArrayEquals(a.get(k).data(), c.get(k).data(), k);
            }
        }
        assertTrue(capOut.contains("in " + cappedLayers + " layer(s)"), capOut);
        try (NDManager m = NDManager.newBaseManager()) {
            Checkpoint.loadParameters(capped, MdeasNet.initialized(m, TestCheckpoints.SHARED_SIZE));
        }
        assertTrue(run(1, "silence-dead", "--checkpoint", src.toString(), "--out", dir.resolve("bad").toString(),
                "--max-gain", "0").contains("gain limit must be positive"));

        assertTrue(run(2, "silence-dead", "--checkpoint", src.toString(), "--out", src.toString())
                .contains("--out must differ"));
        assertTrue(run(1, "silence-dead", "--checkpoint", dir.resolve("nowhere").toString(), "--out",
                dir.resolve("x").toString()).contains("not a training checkpoint"));
    }
}
