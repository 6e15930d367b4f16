package io.mdeas.node.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format (version 0.0.4): {@code # HELP}, {@code # TYPE}
 * and sample lines with escaped label values. Anything malformed, a sample without a declared family, a
 * second TYPE for a family or a histogram bucket without {@code le} is an error.
 */
public final class PrometheusText {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    /** One sample line. */
    public record Sample(String name, Map<String, String> labels, double value) {}

    /** A metric family: its type, help and samples. */
    public record Family(String name, String type, String help, List<Sample> samples) {}

    private PrometheusText() {}

    /** Parses a whole exposition; throws IllegalArgumentException naming the line on any error. */
    public static Map<String, Family> parse(String text) {
        Map<String, String> types = new LinkedHashMap<>();
        Map<String, String> helps = new LinkedHashMap<>();
        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        if (!text.endsWith("\n")) {
            throw new IllegalArgumentException("exposition must end with a newline");
        }
        for (int i = 0; i < lines.length - 1; i++) {
            String line = lines[i];
            int lineNo = i + 1;
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
                String[] parts = line.substring(7).split(" ", 2);
                if (!NAME.matcher(parts[0]).matches()) {
                    throw error(lineNo, line, "bad metric name");
                }
                if (line.startsWith("# TYPE ")) {
                    if (parts.length != 2 || !TYPES.contains(parts[1])) {
                        throw error(lineNo, line, "bad type");
                    }
                    if (types.put(parts[0], parts[1]) != null) {
                        throw error(lineNo, line, "second TYPE for the family");
                    }
                    if (samples.keySet().stream().anyMatch(s -> familyOf(s, Map.of(parts[0], parts[1])) != null)) {
                        throw error(lineNo, line, "TYPE after samples of the family");
                    }
                } else {
                    helps.put(parts[0], parts.length > 1 ? parts[1] : "");
                }
                continue;
            }
            if (line.startsWith("#")) {
                continue; // a comment
            }
            Sample s = sample(line, lineNo);
            String family = familyOf(s.name(), types);
            if (family == null) {
                throw error(lineNo, line, "sample without a # TYPE for its family");
            }
            if (types.get(family).equals("histogram") && s.name().endsWith("_bucket") && !s.labels().containsKey("le")) {
                throw error(lineNo, line, "histogram bucket without le");
            }
            samples.computeIfAbsent(family, k -> new ArrayList<>()).add(s);
        }
        Map<String, Family> out = new LinkedHashMap<>();
        types.forEach((name, type) -> out.put(name, new Family(name, type, helps.getOrDefault(name, ""),
                List.copyOf(samples.getOrDefault(name, List.of())))));
        return out;
    }

    private static String familyOf(String sampleName, Map<String, String> types) {
        if (types.containsKey(sampleName)) {
            return sampleName;
        }
        for (String suffix : List.of("_total", "_count", "_sum", "_bucket", "_created", "_max")) {
            if (sampleName.endsWith(suffix)) {
                String base = sampleName.substring(0, sampleName.length() - suffix.length());
                if (types.containsKey(base)) {
                    return base;
                }
            }
        }
        return null;
    }

    private static Sample sample(String line, int lineNo) {
        Matcher m = NAME.matcher(line);
        if (!m.lookingAt()) {
            throw error(lineNo, line, "bad sample name");
        }
        String name = m.group();
        int i = m.end();
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                Matcher ln = LABEL_NAME.matcher(line).region(i, line.length());
                if (!ln.lookingAt()) {
                    throw error(lineNo, line, "bad label name");
                }
                String label = ln.group();
                i = ln.end();
                if (line.charAt(i) != '=' || line.charAt(i + 1) != '"') {
                    throw error(lineNo, line, "expected =\" after label " + label);
                }
                i += 2;
                StringBuilder v = new StringBuilder();
                while (line.charAt(i) != '"') {
                    char c = line.charAt(i);
                    if (c == '\\') {
                        char e = line.charAt(i + 1);
                        switch (e) {
                            case '\\' -> v.append('\\');
                            case '"' -> v.append('"');
                            case 'n' -> v.append('\n');
                            default -> throw error(lineNo, line, "bad escape \\" + e);
                        }
                        i += 2;
                    } else {
                        v.append(c);
                        i++;
                    }
                }
                i++;
                if (labels.put(label, v.toString()) != null) {
                    throw error(lineNo, line, "duplicate label " + label);
                }
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            i++;
        }
        if (i >= line.length() || line.charAt(i) != ' ') {
            throw error(lineNo, line, "expected a space before the value");
        }
        String[] rest = line.substring(i + 1).split(" ");
        if (rest.length < 1 || rest.length > 2) {
            throw error(lineNo, line, "expected value [timestamp]");
        }
        double value;
        try {
            value = switch (rest[0]) {
                case "+Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                case "NaN" -> Double.NaN;
                default -> Double.parseDouble(rest[0]);
            };
            if (rest.length == 2) {
                Long.parseLong(rest[1]);
            }
        } catch (NumberFormatException e) {
            throw error(lineNo, line, "bad number");
        }
        return new Sample(name, Map.copyOf(labels), value);
    }

    private static IllegalArgumentException error(int lineNo, String line, String what) {
        return new IllegalArgumentException("line " + lineNo + ": " + what + ": " + line);
    }
}
