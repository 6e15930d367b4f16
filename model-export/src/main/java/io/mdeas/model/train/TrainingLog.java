package io.mdeas.model.train;

import io.mdeas.model.eval.Metric;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The per-epoch CSV log of a run ({@code RUN_DIR/training_log.csv}): one row per finished epoch with the
 * epoch's mean loss terms, the learning rate at its end, validation metrics (empty without validation) and
 * the training seconds so far. Appends on resume, under the file's own header: a run begun before a loss term
 * existed keeps its columns (the new term is off in such a run).
 */
public final class TrainingLog {

    public static final String FILE = "training_log.csv";


    private final Path file;
    private final List<String> header;

    public TrainingLog(Path runDir) throws IOException {
        this.file = runDir.resolve(FILE);
        if (Files.exists(file)) {
            try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
                header = List.of(lines.findFirst().orElseThrow(() -> new IOException(file + " has no header line; "
                        + "move it aside to start a new log")).split(",", -1));
            }
        } else {
            List<String> cols = new ArrayList<>(List.of("epoch", "step", "images", "lr"));
            cols.addAll(List.of(CompoundLoss.TERM_NAMES));
            for (Metric m : Metric.values()) {
                cols.add("val_" + m.key());
            }
            cols.add("seconds");
            header = List.copyOf(cols);
            Files.writeString(file, String.join(",", cols) + "\n", StandardCharsets.UTF_8);
        }
    }

    public Path file() {
        return file;
    }

    /** Appends one epoch row. */
    public void append(long epoch, long step, long images, double lr, double[] terms, Map<String, Double> val,
            double seconds) throws IOException {
        Map<String, String> cells = new LinkedHashMap<>();
        cells.put("epoch", Long.toString(epoch));
        cells.put("step", Long.toString(step));
        cells.put("images", Long.toString(images));
        cells.put("lr", fmt(lr));
        for (int i = 0; i < terms.length; i++) {
            cells.put(CompoundLoss.TERM_NAMES[i], fmt(terms[i]));
        }
        for (Metric m : Metric.values()) {
            Double v = val == null ? null : val.get(m.key());
            cells.put("val_" + m.key(), v == null || v.isNaN() ? "" : fmt(v));
        }
        cells.put("seconds", String.format(Locale.ROOT, "%.1f", seconds));
        List<String> row = new ArrayList<>(header.size());
        for (String col : header) {
            row.add(cells.getOrDefault(col, ""));
        }
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND)) {
            w.write(String.join(",", row) + "\n");
        }
    }

    /** Reads all rows as column → value (NaN for empty cells). */
    public List<Map<String, Double>> rows() throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Map<String, Double>> out = new ArrayList<>();
        if (lines.isEmpty()) {
            return out;
        }
        String[] header = lines.get(0).split(",", -1);
        for (int i = 1; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",", -1);
            Map<String, Double> row = new LinkedHashMap<>();
            for (int c = 0; c < header.length && c < cells.length; c++) {
                row.put(header[c], cells[c].isEmpty() ? Double.NaN : Double.parseDouble(cells[c]));
            }
            out.add(row);
        }
        return out;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }
}
