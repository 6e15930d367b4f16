package io.mdeas.node.reliability;

import io.mdeas.node.config.ConfigException;
import io.mdeas.node.config.ConfigKey;
import io.mdeas.node.config.ConfigKeys;
import io.mdeas.node.config.ConfigLoader;
import io.mdeas.node.testing.NodeProcess;
import io.mdeas.node.testing.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Configuration fuzz with a fixed seed: random and mutated YAML files and {@code --set} values either load or are
 * refused with a {@link ConfigException} whose message is one line; nothing else escapes. A few of them also go
 * through a real {@code perception-node check} process: exit 0 or 2, and never a stack trace on stderr.
 */
class ConfigFuzzTest {
    private static final long SEED = 20261125L;
    private static final int CASES = 400;

    @TempDir
    Path tmp;

    private final Random rnd = new Random(SEED);
    private final List<ConfigKey<?>> keys = ConfigKeys.ALL;

    @Test
    void randomAndMutatedConfigsLoadOrFailWithOneLine() throws Exception {
        int loaded = 0;
        int refused = 0;
        for (int i = 0; i < CASES; i++) {
            Path yaml = tmp.resolve("fuzz-" + i + ".yaml");
            Files.write(yaml, yamlCase(i));
            Map<String, String> sets = setCase();
            try {
                Map<String, String> overrides = new LinkedHashMap<>();
                for (Map.Entry<String, String> e : sets.entrySet()) {
                    Map.Entry<String, String> a = ConfigLoader.parseAssignment(e.getKey() + "=" + e.getValue());
                    overrides.put(a.getKey(), a.getValue());
                }
                new ConfigLoader().load(yaml, Map.of(), overrides);
                loaded++;
            } catch (ConfigException e) {
                refused++;
                String m = e.getMessage();
                assertTrue(m != null && !m.isBlank() && !m.contains("\n"),
                        "case " + i + ": one-line message, got: " + m + "\n--- yaml:\n" + show(yaml));
            } catch (RuntimeException | Error e) {
                fail("case " + i + " escaped as " + e + "\n--- yaml:\n" + show(yaml) + "\n--- set: " + sets, e);
            }
        }
        // Both outcomes must occur, or the generator is not testing anything.
        assertTrue(loaded >= CASES / 40 && refused >= CASES / 40, "loaded " + loaded + ", refused " + refused);
    }

    @Test
    void aRealProcessExitsZeroOrTwoWithoutAStackTrace() throws Exception {
        Path model = TinyModels.builder().inputSize(32).write(tmp.resolve("tiny.onnx"));
        int twos = 0;
        for (int i = 0; i < 6; i++) {
            Path yaml = tmp.resolve("proc-" + i + ".yaml");
            Files.write(yaml, yamlCase(i * 7 + 3));
            List<String> args = new ArrayList<>(List.of("check", "--config", yaml.toString(), "--model", model.toString(),
                    "--set", "model.providers=cpu"));
            setCase().forEach((k, v) -> args.addAll(List.of("--set", k + "=" + v)));
            try (NodeProcess node = NodeProcess.start(tmp, Map.of(), args.toArray(String[]::new))) {
                int code = node.awaitExit(Duration.ofSeconds(60));
                String err = node.stderr();
                assertTrue(code == 0 || code == 2, "exit " + code + " for " + args + ": " + err);
                assertFalse(err.contains("\tat ") || err.contains("Exception in thread"), "no stack trace: " + err);
                if (code == 2) {
                    twos++;
                    assertEquals(1, err.lines().count(), "one line: " + err);
                }
            }
        }
        assertTrue(twos > 0, "some cases must be refused");
    }

    private static String show(Path yaml) throws java.io.IOException {
        return new String(Files.readAllBytes(yaml), StandardCharsets.ISO_8859_1);
    }

    /** A YAML file: valid-looking keys with random values, typos, nesting, broken syntax or binary junk. */
    private byte[] yamlCase(int i) {
        StringBuilder y = new StringBuilder();
        switch (i % 10) {
            case 0 -> { // binary junk
                byte[] b = new byte[rnd.nextInt(200)];
                rnd.nextBytes(b);
                return b;
            }
            case 1 -> y.append("camera:\n  height_m: [1, 2\n"); // broken flow sequence
            case 2 -> y.append("\tcamera.height_m: 0.3\n"); // tab indentation
            case 3 -> { // nested form of real keys
                ConfigKey<?> k = pick();
                String[] parts = k.name().split("\\.", 2);
                y.append(parts[0]).append(":\n  ").append(parts.length > 1 ? parts[1] : "x").append(": ")
                        .append(value(k)).append('\n');
            }
            case 4 -> y.append(mutate(pick().name())).append(": ").append(randomValue()).append('\n'); // typos
            case 5 -> y.append("- a\n- b\n"); // a list, not a mapping
            case 6 -> y.append(pick().name()).append(":\n  deeper: {a: 1}\n"); // a map where a value belongs
            default -> {
                int n = 1 + rnd.nextInt(6);
                for (int j = 0; j < n; j++) {
                    ConfigKey<?> k = pick();
                    y.append(k.name()).append(": ").append(rnd.nextInt(3) == 0 ? randomValue() : value(k)).append('\n');
                }
            }
        }
        return y.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Zero to three {@code --set} assignments, mostly plausible. */
    private Map<String, String> setCase() {
        Map<String, String> m = new LinkedHashMap<>();
        int n = rnd.nextInt(4);
        for (int j = 0; j < n; j++) {
            ConfigKey<?> k = pick();
            String name = rnd.nextInt(8) == 0 ? mutate(k.name()) : k.name();
            m.put(name, rnd.nextInt(3) == 0 ? randomValue() : value(k));
        }
        return m;
    }

    private ConfigKey<?> pick() {
        return keys.get(rnd.nextInt(keys.size()));
    }

    /** A value of the key's own type: in range, at the edges or beyond. */
    private String value(ConfigKey<?> k) {
        Object def = k.defaultValue();
        if (def instanceof Double d) {
            double[] picks = {d, d * 2, -d, 0, 1e9, -1e-9, Double.NaN, d + 0.5};
            return String.valueOf(picks[rnd.nextInt(picks.length)]);
        }
        if (def instanceof Integer n) {
            int[] picks = {n, n + 1, -n, 0, Integer.MAX_VALUE, -1};
            return String.valueOf(picks[rnd.nextInt(picks.length)]);
        }
        if (def instanceof Boolean) {
            return rnd.nextBoolean() ? "true" : "no";
        }
        return quoteMaybe(String.valueOf(def));
    }

    private String randomValue() {
        String[] picks = {"", "null", "~", "true", "-1", "1e400", "NaN", ".inf", "0x1F", "'quoted'", "\"unterminated",
                "[1, 2]", "{a: b}", "ünïcødé", "tcp://host:99999", "demo", "/dev/video99", "12abc", "   ", "&anchor x",
                "*nowhere", "!!binary AAAA", "2026-11-25", "1_000"};
        return picks[rnd.nextInt(picks.length)];
    }

    private String mutate(String name) {
        char[] c = name.toCharArray();
        int at = rnd.nextInt(c.length);
        return switch (rnd.nextInt(3)) {
            case 0 -> name.substring(0, at) + name.substring(at + 1);
            case 1 -> name.substring(0, at) + (char) ('a' + rnd.nextInt(26)) + name.substring(at);
            default -> name.toUpperCase();
        };
    }

    private String quoteMaybe(String s) {
        return s.isEmpty() ? "\"\"" : s;
    }
}
