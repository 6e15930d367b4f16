package io.mdeas.model.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PerSampleCsvTest {

    @TempDir
    Path dir;

    private static PerSampleCsv twoRows() {
        double[] a = new double[PerSampleMetrics.COLUMNS];
        double[] b = new double[PerSampleMetrics.COLUMNS];
        for (Metric m : Metric.values()) {
            a[m.ordinal()] = 0.1 + m.ordinal();
            b[m.ordinal()] = 0.5 * m.ordinal();
        }
        b[Metric.DEPTH_ABSREL.ordinal()] = Double.NaN; // a sample the metric does not qualify
        return new PerSampleCsv(List.of("s1", "s2"), PerSampleMetrics.of(a, b));
    }

    @Test
    void columnsAreReadByNameInAnyOrder() throws IOException {
        Path file = dir.resolve("samples.csv");
        twoRows().write(file);
        // Reverse the metric columns of every line, as a file from a build that listed the metrics differently.
        List<String> reordered = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            List<String> cells = new ArrayList<>(List.of(line.split(",", -1)));
            List<String> metrics = cells.subList(1, cells.size());
            Collections.reverse(metrics);
            reordered.add(String.join(",", cells));
        }
        Path shuffled = Files.write(dir.resolve("reordered.csv"), reordered);

        PerSampleCsv read = PerSampleCsv.read(shuffled);
        assertEquals(List.of("s1", "s2"), read.ids());
        for (Metric m : Metric.values()) {
            assertEquals(0.1 + m.ordinal(), read.metrics().get(0, m), 1e-9, m.key());
            if (m != Metric.DEPTH_ABSREL) {
                assertEquals(0.5 * m.ordinal(), read.metrics().get(1, m), 1e-9, m.key());
            }
        }
        assertTrue(Double.isNaN(read.metrics().get(1, Metric.DEPTH_ABSREL)), "empty cell stays not-qualified");
    }

    @Test
    void aHeaderWithoutEveryMetricOnceIsRefusedByName() throws IOException {
        Path file = dir.resolve("samples.csv");
        twoRows().write(file);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        String header = lines.get(0);
        lines.set(0, header.replace(Metric.DEPTH_SSIM.key(), Metric.MASK_MIOU.key())); // one twice, one missing
        Path broken = Files.write(dir.resolve("broken.csv"), lines);

        IOException e = assertThrows(IOException.class, () -> PerSampleCsv.read(broken));
        assertTrue(e.getMessage().contains("broken.csv is not a per-sample metrics file"), e.getMessage());
        assertTrue(e.getMessage().contains("evaluate --per-sample"), e.getMessage());
    }
}
