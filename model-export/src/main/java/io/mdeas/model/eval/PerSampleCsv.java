package io.mdeas.model.eval;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The per-image metrics of one evaluation as CSV: {@code id} (the dataset's sample id) then the
 * {@link Metric} columns (by {@link Metric#key()}), empty where the image did not qualify. Written by {@code evaluate
 * --per-sample}, read by {@code compare}.
 *
 * @param ids     sample ids, one per row of {@code metrics}
 * @param metrics the values
 */
public record PerSampleCsv(List<String> ids, PerSampleMetrics metrics) {

    private static final String HEADER = "id," + String.join(",",
            Arrays.stream(Metric.values()).map(Metric::key).toList());
    private static final Map<String, Metric> BY_KEY = Arrays.stream(Metric.values())
            .collect(Collectors.toUnmodifiableMap(Metric::key, m -> m));

    public PerSampleCsv {
        if (ids.size() != metrics.rows()) {
            throw new IllegalArgumentException(ids.size() + " ids for " + metrics.rows() + " rows");
        }
        ids = List.copyOf(ids);
    }

    /** Writes the table to {@code file}, creating its folder. */
    public void write(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(HEADER);
            w.newLine();
            for (int r = 0; r < ids.size(); r++) {
                StringBuilder line = new StringBuilder(ids.get(r));
                for (Metric m : Metric.values()) {
                    double v = metrics.get(r, m);
                    line.append(',');
                    if (!Double.isNaN(v)) {
                        line.append(String.format(Locale.ROOT, "%.6g", v));
                    }
                }
                w.write(line.toString());
                w.newLine();
            }
        }
    }

    /**
     * Reads a table {@link #write} wrote. Columns are found by their header names, so a file stays readable
     * whatever order {@link Metric} lists the metrics in.
     *
     * @throws IOException when the file cannot be read or is not such a table (the message names the file and line)
     */
    public static PerSampleCsv read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        int[] columnOf = lines.isEmpty() ? null : columnsOf(lines.get(0).strip().split(",", -1));
        if (columnOf == null) {
            throw new IOException(file + " is not a per-sample metrics file (its first line should name the columns '"
                    + HEADER + "', in any order after id; write one with evaluate --per-sample)");
        }
        List<String> ids = new ArrayList<>(lines.size() - 1);
        List<double[]> rows = new ArrayList<>(lines.size() - 1);
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] cells = line.split(",", -1);
            if (cells.length != PerSampleMetrics.COLUMNS + 1) {
                throw new IOException(file + " line " + (i + 1) + ": " + cells.length + " fields, expected "
                        + (PerSampleMetrics.COLUMNS + 1));
            }
            double[] row = new double[PerSampleMetrics.COLUMNS];
            for (Metric m : Metric.values()) {
                String cell = cells[columnOf[m.ordinal()]];
                try {
                    row[m.ordinal()] = cell.isEmpty() ? Double.NaN : Double.parseDouble(cell);
                } catch (NumberFormatException e) {
                    throw new IOException(file + " line " + (i + 1) + ": " + m.key() + " '" + cell
                            + "' is not a number", e);
                }
            }
            ids.add(cells[0]);
            rows.add(row);
        }
        return new PerSampleCsv(ids, PerSampleMetrics.of(rows.toArray(double[][]::new)));
    }

    /** Each metric's column in a header row, by {@link Metric#ordinal()}; null unless it is id then every metric once. */
    private static int[] columnsOf(String[] header) {
        if (header.length != PerSampleMetrics.COLUMNS + 1 || !header[0].equals("id")) {
            return null;
        }
        int[] columnOf = new int[PerSampleMetrics.COLUMNS];
        for (int c = 1; c < header.length; c++) {
            Metric m = BY_KEY.get(header[c]);
            if (m == null || columnOf[m.ordinal()] != 0) {
                return null; // not a metric, or one named twice (so another is missing)
            }
            columnOf[m.ordinal()] = c;
        }
        return columnOf;
    }
}
