package io.mdeas.model.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The sample list of one dataset folder in the {@code DATASET.md} layout: {@code <root>/index.csv} (columns in
 * any order, extra columns ignored) plus the optional {@code camera.json}. Files are not opened here; a missing
 * image is reported by {@link SampleLoader} when the sample is loaded.
 */
public final class DatasetIndex {

    /** Columns every index must have. */
    private static final List<String> REQUIRED = List.of("id", "bg", "fg_bg", "mask");

    private final Path root;
    private final List<Sample> samples;
    private final JsonNode camera;

    private DatasetIndex(Path root, List<Sample> samples, JsonNode camera) {
        this.root = root;
        this.samples = List.copyOf(samples);
        this.camera = camera;
    }

    /**
     * Parses {@code <root>/index.csv} and, when present, {@code <root>/camera.json}.
     *
     * @throws IOException              when the folder or index cannot be read
     * @throws IllegalArgumentException when the index is malformed (message names file, line and column)
     */
    public static DatasetIndex open(Path root) throws IOException {
        Path dir = root.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "dataset folder not found (expected index.csv inside)");
        }
        Path index = dir.resolve("index.csv");
        if (!Files.isRegularFile(index)) {
            throw new NoSuchFileException(index.toString(), null, "dataset has no index.csv; see DATASET.md for the layout");
        }
        List<Sample> samples = parseIndex(dir, index);
        return new DatasetIndex(dir, samples, readCamera(dir.resolve("camera.json")));
    }

    /** The dataset folder (absolute). */
    public Path root() {
        return root;
    }

    /** The samples in index order. */
    public List<Sample> samples() {
        return samples;
    }

    /** Number of samples. */
    public int size() {
        return samples.size();
    }

    /** The parsed {@code camera.json}, when the dataset has one. */
    public Optional<JsonNode> camera() {
        return Optional.ofNullable(camera);
    }

    private static JsonNode readCamera(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            JsonNode node = new ObjectMapper().readTree(file.toFile());
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException(file + ": camera.json must hold one JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static List<Sample> parseIndex(Path root, Path index) throws IOException {
        List<Sample> out = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(index, StandardCharsets.UTF_8)) {
            String headerLine = in.readLine();
            if (headerLine == null) {
                throw new IllegalArgumentException(index + ": empty file; the first line must be the header");
            }
            if (!headerLine.isEmpty() && headerLine.charAt(0) == '\uFEFF') {
                headerLine = headerLine.substring(1);
            }
            List<String> header = splitCsvLine(headerLine, index, 1);
            Map<String, Integer> col = new HashMap<>();
            for (int i = 0; i < header.size(); i++) {
                String name = header.get(i).trim().toLowerCase(Locale.ROOT);
                if (col.putIfAbsent(name, i) != null) {
                    throw new IllegalArgumentException(index + ": line 1: column '" + name + "' appears twice");
                }
            }
            for (String req : REQUIRED) {
                if (!col.containsKey(req)) {
                    throw new IllegalArgumentException(index + ": line 1: header lacks required column '" + req
                            + "' (need " + String.join(", ", REQUIRED) + "; see DATASET.md)");
                }
            }
            Set<String> ids = new HashSet<>();
            String line;
            int lineNo = 1;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                List<String> cells = splitCsvLine(line, index, lineNo);
                Row row = new Row(index, lineNo, col, cells);
                String id = row.required("id");
                if (!ids.add(id)) {
                    throw new IllegalArgumentException(index + ": line " + lineNo + ", column 'id': duplicate id '" + id + "'");
                }
                String depth = row.optional("depth");
                out.add(new Sample(id,
                        root.resolve(row.required("bg")).normalize(),
                        root.resolve(row.required("fg_bg")).normalize(),
                        root.resolve(row.required("mask")).normalize(),
                        depth == null ? null : root.resolve(depth).normalize(),
                        row.number("nearest_fg_m"),
                        row.number("camera_height_m"),
                        row.number("pitch_deg"),
                        row.number("hfov_deg")));
            }
        }
        return out;
    }

    /** Splits one CSV record (RFC 4180 quoting; records spanning lines are not supported). */
    static List<String> splitCsvLine(String line, Path file, int lineNo) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cell.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException(file + ": line " + lineNo + ": unterminated quoted field");
        }
        cells.add(cell.toString());
        return cells;
    }

    /** One data line with access by column name and error messages that point at the cell. */
    private record Row(Path file, int lineNo, Map<String, Integer> col, List<String> cells) {

        String cell(String name) {
            Integer i = col.get(name);
            if (i == null || i >= cells.size()) {
                return null;
            }
            String v = cells.get(i).trim();
            return v.isEmpty() ? null : v;
        }

        String required(String name) {
            String v = cell(name);
            if (v == null) {
                throw new IllegalArgumentException(file + ": line " + lineNo + ", column '" + name + "': value is empty");
            }
            return v;
        }

        String optional(String name) {
            return cell(name);
        }

        Double number(String name) {
            String v = cell(name);
            if (v == null) {
                return null;
            }
            try {
                double d = Double.parseDouble(v);
                if (!Double.isFinite(d)) {
                    throw new NumberFormatException();
                }
                return d;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(file + ": line " + lineNo + ", column '" + name
                        + "': '" + v + "' is not a finite number");
            }
        }
    }
}
