package io.mdeas.model.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mdeas.model.cli.ModelExportCli;
import io.mdeas.model.data.DatasetIndex;
import io.mdeas.model.data.SharedData;
import io.mdeas.model.data.TinyDatasetWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Evaluation end to end on a 3-sample dataset written here. The fg_bg images carry their own ground truth:
 * red 255 marks mask pixels and green is depth / 20 mm, so a predictor that decodes them returns the truth
 * through the real loading path.
 */
class EvaluatorTest {

    private static final int S = 8;

    @TempDir
    Path dir;

    @BeforeEach
    void writeDataset() throws IOException {
        // a: left half foreground, depth 2 m everywhere, nearest 2 m.
        sample("a", (x, y) -> x < 4, 2000);
        // b: one foreground pixel, depth 3 m, nearest 3 m.
        sample("b", (x, y) -> x == 5 && y == 6, 3000);
        // c: no foreground, no depth file.
        sample("c", (x, y) -> false, 0);
        Files.writeString(dir.resolve("index.csv"), "id,bg,fg_bg,mask,depth,nearest_fg_m\n"
                + "a,bg/a.png,fg_bg/a.png,mask/a.png,depth/a.png,2.0\n"
                + "b,bg/b.png,fg_bg/b.png,mask/b.png,depth/b.png,3.0\n"
                + "c,bg/c.png,fg_bg/c.png,mask/c.png,,\n");
    }

    private void sample(String id, Fg fg, int depthMm) throws IOException {
        int g = depthMm / 20;
        TinyDatasetWriter.rgb(dir.resolve("bg/" + id + ".png"), S, S, (x, y) -> g << 8);
        TinyDatasetWriter.rgb(dir.resolve("fg_bg/" + id + ".png"), S, S, (x, y) -> (fg.at(x, y) ? 255 << 16 : 0) | g << 8);
        TinyDatasetWriter.gray8(dir.resolve("mask/" + id + ".png"), S, S, (x, y) -> fg.at(x, y) ? 255 : 0);
        if (depthMm > 0) {
            TinyDatasetWriter.gray16(dir.resolve("depth/" + id + ".png"), S, S, (x, y) -> depthMm);
        }
    }

    @Test
    void groundTruthPredictorScoresPerfectly() throws Exception {
        EvaluationResult r = new Evaluator(2).run(DatasetIndex.open(dir).samples(), new Decoding(1f, false), null);
        assertEquals(3, r.samples());
        assertEquals(1.0, r.maskFgIou(), 1e-12);
        assertEquals(1.0, r.maskMiou(), 1e-12);
        assertEquals(1.0, r.depthSsim(), 1e-9);
        assertEquals(0.0, r.depthAbsrel(), 1e-6);
        assertEquals(0.0, r.depthRmseM(), 1e-5);
        assertEquals(1.0, r.depthDelta1(), 1e-12);
        assertEquals(0.0, r.nearestRelerr(), 1e-6);
    }

    @Test
    void knownWrongPredictorScoresAsComputedByHand() throws Exception {
        // Everything foreground, depth 20 % too far.
        EvaluationResult r = new Evaluator(1).run(DatasetIndex.open(dir).samples(), new Decoding(1.2f, true), null);
        // IoU_fg: a 32/64, b 1/64, c 0 (gt empty, prediction full); IoU_bg is 0 for all three.
        double fg = (0.5 + 1.0 / 64 + 0) / 3;
        assertEquals(fg, r.maskFgIou(), 1e-12);
        assertEquals(fg / 2, r.maskMiou(), 1e-12);
        assertEquals(0.2, r.depthAbsrel(), 1e-6);
        assertEquals((0.4 + 0.6) / 2, r.depthRmseM(), 1e-5);
        assertEquals(1.0, r.depthDelta1(), 1e-12);  // ratio 1.2 < 1.25
        assertEquals(0.2, r.nearestRelerr(), 1e-6); // 2.4 vs 2 and 3.6 vs 3
        // SSIM of constant maps: checked against the closed form in GaussianSsimTest; here the per-image values.
        GaussianSsim ssim = new GaussianSsim();
        double expected = (constantSsim(ssim, 0.24, 0.2) + constantSsim(ssim, 0.36, 0.3)) / 2;
        assertEquals(expected, r.depthSsim(), 1e-6);
        assertTrue(r.depthSsim() < 1.0);
    }

    @Test
    void limitAndMissingFilesAreHandled() throws Exception {
        List<io.mdeas.model.data.Sample> samples = DatasetIndex.open(dir).samples();
        EvaluationResult r = new Evaluator(2).run(samples.subList(2, 3), new Decoding(1f, false), null);
        assertEquals(1, r.samples());
        assertNull(r.depthAbsrel());
        Files.delete(dir.resolve("mask/b.png"));
        IOException e = assertThrows(IOException.class,
                () -> new Evaluator(2).run(samples, new Decoding(1f, false), null));
        assertTrue(e.getMessage().contains("sample 'b'"), e.getMessage());
    }

    @Test
    void cliWritesTheSevenMetricsAndTheBreakdown() throws Exception {
        Path json = dir.resolve("out/metrics.json");
        StringWriter out = new StringWriter();
        CommandLine cli = ModelExportCli.commandLine();
        cli.setOut(new PrintWriter(out));
        int code = cli.execute("evaluate", "--data", dir.toString(), "--baseline", "absdiff",
                "--json", json.toString(), "--limit", "2");
        assertEquals(0, code, out.toString());
        assertTrue(out.toString().contains("samples          2"), out.toString());
        JsonNode node = new ObjectMapper().readTree(json.toFile());
        List<String> keys = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        List<String> expected = new java.util.ArrayList<>(Arrays.stream(Metric.values()).map(Metric::key).toList());
        expected.add("ci95");
        expected.add("by_foreground_share");
        expected.add("depth_by_region");
        expected.add("depth_by_range");
        expected.add("depth_by_predicted_range");
        expected.add("depth_by_edge");
        expected.add("depth_scale_aligned");
        expected.add("mirror_average");
        expected.add("mask_edge_refine");
        expected.add("depth_edge_refine");
        expected.add("floor_anchor");
        assertEquals(expected, keys);
        assertFalse(node.get("mirror_average").asBoolean());
        assertFalse(node.get("mask_edge_refine").asBoolean());
        assertFalse(node.get("depth_edge_refine").asBoolean());
        assertFalse(node.get("floor_anchor").asBoolean());
        assertEquals(0, node.get("depth_scale_aligned").get("samples").asInt(), "absdiff has no depth to align");
        assertTrue(node.get("depth_ssim").isNull(), "absdiff has no depth");
        for (JsonNode region : node.get("depth_by_region")) {
            assertEquals(0, region.get("samples").asInt(), "absdiff has no depth in any region");
            assertTrue(region.get("depth_absrel").isNull());
        }
        assertTrue(node.get("mask_fg_iou").isNumber());
        JsonNode ci = node.get("ci95").get("mask_fg_iou");
        assertTrue(ci.get("lo").asDouble() <= node.get("mask_fg_iou").asDouble()
                && node.get("mask_fg_iou").asDouble() <= ci.get("hi").asDouble(), ci.toString());
        assertTrue(node.get("ci95").get("depth_ssim").isNull(), "no interval without depth");
        assertTrue(out.toString().contains("95% CI"), out.toString());
        JsonNode bins = node.get("by_foreground_share");
        assertEquals(5, bins.size());
        int binned = 0;
        for (JsonNode b : bins) {
            binned += b.get("samples").asInt();
        }
        assertEquals(2, binned, "every sample in one bin");
        assertTrue(out.toString().contains("by ground-truth foreground share"), out.toString());

        StringWriter err = new StringWriter();
        cli = ModelExportCli.commandLine();
        cli.setErr(new PrintWriter(err));
        assertEquals(1, cli.execute("evaluate", "--data", dir.resolve("nowhere").toString(), "--baseline", "absdiff"));
        assertTrue(err.toString().startsWith("evaluate: "), err.toString());
        cli = ModelExportCli.commandLine();
        cli.setErr(new PrintWriter(err = new StringWriter()));
        Path onnx = Files.writeString(dir.resolve("m.onnx"), "x");
        assertEquals(1, cli.execute("evaluate", "--data", dir.toString(), "--model", onnx.toString()));
        // .onnx files are opened by the service-loaded provider (the node's MdeasModel): a bad file is named.
        assertTrue(err.toString().contains("m.onnx") && err.toString().contains("not a usable ONNX model"), err.toString());
    }

    @Test
    void cliRecordsTheEdgeRefinementsItRanAndRefusesTheirSettingsAlone() throws Exception {
        Path json = dir.resolve("out/edges.json");
        StringWriter out = new StringWriter();
        CommandLine cli = ModelExportCli.commandLine();
        cli.setOut(new PrintWriter(out));
        assertEquals(0, cli.execute("evaluate", "--data", dir.toString(), "--baseline", "absdiff", "--mask-edges",
                "--mask-edge-radius", "6", "--depth-edges", "--json", json.toString()), out.toString());
        assertTrue(out.toString().contains("edge refinement (guided by fg_bg): mask radius 6 px, eps 1.0E-4, depth "
                + "radius 4 px, eps 0.001"), out.toString());
        JsonNode node = new ObjectMapper().readTree(json.toFile());
        assertTrue(node.get("mask_edge_refine").asBoolean());
        assertEquals(6, node.get("mask_edge_refine_radius_px").asInt());
        assertEquals(1e-4, node.get("mask_edge_refine_eps").asDouble(), 0);
        assertTrue(node.get("depth_edge_refine").asBoolean());
        assertEquals(4, node.get("depth_edge_refine_radius_px").asInt());

        StringWriter err = new StringWriter();
        cli = ModelExportCli.commandLine();
        cli.setErr(new PrintWriter(err));
        assertEquals(2, cli.execute("evaluate", "--data", dir.toString(), "--baseline", "absdiff",
                "--depth-edge-eps", "0.01"));
        assertTrue(err.toString().contains("apply only with --depth-edges"), err.toString());
        cli = ModelExportCli.commandLine();
        cli.setErr(new PrintWriter(err = new StringWriter()));
        assertEquals(1, cli.execute("evaluate", "--data", dir.toString(), "--baseline", "absdiff", "--mask-edges",
                "--mask-edge-radius", "0"));
        assertTrue(err.toString().contains("mask.edge_refine_radius_px must be >= 1"), err.toString());
    }

    @Test
    void perSampleMetricsAreWrittenAndComparedPaired() throws Exception {
        Path strict = dir.resolve("out/strict.csv");
        Path loose = dir.resolve("out/loose.csv");
        Path two = dir.resolve("out/two.csv");
        assertEquals(0, ModelExportCli.commandLine().execute("evaluate", "--data", dir.toString(), "--baseline",
                "absdiff", "--per-sample", strict.toString()));
        assertEquals(0, ModelExportCli.commandLine().execute("evaluate", "--data", dir.toString(), "--baseline",
                "absdiff", "--absdiff-threshold", "0.01", "--per-sample", loose.toString()));
        assertEquals(0, ModelExportCli.commandLine().execute("evaluate", "--data", dir.toString(), "--baseline",
                "absdiff", "--limit", "2", "--per-sample", two.toString()));

        PerSampleCsv table = PerSampleCsv.read(strict);
        assertEquals(List.of("a", "b", "c"), table.ids());
        assertTrue(Double.isNaN(table.metrics().get(0, Metric.DEPTH_ABSREL)), "absdiff has no depth");
        assertTrue(Files.readAllLines(strict).get(3).startsWith("c,"), "rows in sample order");
        double fg = table.metrics().get(0, Metric.MASK_FG_IOU);
        assertTrue(fg >= 0 && fg <= 1, "IoU of sample a: " + fg);

        StringWriter out = new StringWriter();
        CommandLine cli = ModelExportCli.commandLine();
        cli.setOut(new PrintWriter(out));
        Path pairedCsv = dir.resolve("out/compare.csv");
        assertEquals(0, cli.execute("compare", "--csv", pairedCsv.toString(), strict.toString(), loose.toString()));
        List<String> rows = Files.readAllLines(pairedCsv);
        assertEquals("metric,base,candidate,difference,ci_lo,ci_hi,pairs,verdict", rows.get(0));
        String iou = rows.stream().filter(r -> r.startsWith("mask_fg_iou,")).findFirst().orElseThrow();
        String[] f = iou.split(",");
        assertEquals(Double.parseDouble(f[2]) - Double.parseDouble(f[1]), Double.parseDouble(f[3]), 1e-5, iou);
        assertEquals("3", f[6], iou);
        assertTrue(List.of("better", "worse", "same").contains(f[7]), iou);
        assertTrue(rows.stream().noneMatch(r -> r.startsWith("depth_ssim,")), "unqualified metrics have no row");

        out.getBuffer().setLength(0);
        assertEquals(0, cli.execute("compare", strict.toString(), strict.toString()));
        assertTrue(out.toString().contains("on 3 samples"), out.toString());
        assertTrue(out.toString().contains("candidate better on 0, worse on 0"), out.toString());
        assertTrue(out.toString().contains("depth_ssim       fewer than 2 samples"), out.toString());

        StringWriter err = new StringWriter();
        cli = ModelExportCli.commandLine();
        cli.setErr(new PrintWriter(err));
        assertEquals(1, cli.execute("compare", two.toString(), strict.toString()));
        assertTrue(err.toString().contains("evaluate both on the same --data and --limit"), err.toString());
        Path notCsv = Files.writeString(dir.resolve("out/x.csv"), "id,foo\n");
        cli = ModelExportCli.commandLine();
        cli.setErr(new PrintWriter(err = new StringWriter()));
        assertEquals(1, cli.execute("compare", notCsv.toString(), loose.toString()));
        assertTrue(err.toString().contains("x.csv is not a per-sample metrics file"), err.toString());
    }

    /** The absdiff baseline separates the pasted foreground of the real photos (the number is reported by the CLI). */
    @Test
    void absDiffOnTheEva4RealPhotos() throws Exception {
        Path root = SharedData.eva4Samples();
        Assumptions.assumeTrue(root != null, "shared eva4-fgbg-samples folder not present; skipping real-photo check");
        try (DepthMaskPredictor p = PredictorFactory.standard().baseline("absdiff")) {
            EvaluationResult r = new Evaluator(2).run(DatasetIndex.open(root).samples(), p, null);
            assertEquals(13, r.samples());
            assertTrue(r.maskFgIou() > 0.5 && r.maskFgIou() < 1.0, "absdiff fg IoU " + r.maskFgIou());
            assertNull(r.depthAbsrel());
            assertNull(r.nearestRelerr());
        }
    }

    private static double constantSsim(GaussianSsim ssim, double a, double b) {
        double[] x = new double[S * S];
        double[] y = new double[S * S];
        Arrays.fill(x, a);
        Arrays.fill(y, b);
        return ssim.mean(x, y, null, S, S);
    }

    /** Reads the truth encoded in fg_bg; optionally scales depth and claims everything is foreground. */
    private static final class Decoding implements DepthMaskPredictor {
        private final float depthScale;
        private final boolean allForeground;

        Decoding(float depthScale, boolean allForeground) {
            this.depthScale = depthScale;
            this.allForeground = allForeground;
        }

        @Override
        public int inputSize() {
            return S;
        }

        @Override
        public boolean predict(float[] bg, float[] fgBg, int size, float[] outDepthM, float[] outMask) {
            int n = size * size;
            for (int i = 0; i < n; i++) {
                outMask[i] = allForeground ? 0.8f : fgBg[i];
                outDepthM[i] = Math.round(fgBg[n + i] * 255f) * 0.02f * depthScale;
            }
            return true;
        }

        @Override
        public String describe() {
            return "truth decoder";
        }

        @Override
        public void close() {
        }
    }

    @FunctionalInterface
    private interface Fg {
        boolean at(int x, int y);
    }
}
