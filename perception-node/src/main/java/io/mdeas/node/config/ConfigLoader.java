package io.mdeas.node.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the effective {@link NodeConfig}. Precedence, lowest first: registry defaults, the YAML file,
 * environment variables {@code MDEAS_<KEY>}, command-line flags ({@code --set key=value} and the dedicated
 * flags). Any unknown key, malformed value or out-of-range value is a {@link ConfigException}.
 */
public final class ConfigLoader {
    private static final Logger log = LoggerFactory.getLogger(ConfigLoader.class);
    private static final String ENV_PREFIX = "MDEAS_";
    /** Read by logback.xml (root log level), not a config key. */
    public static final String LOG_LEVEL_ENV = "MDEAS_LOG_LEVEL";

    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

    /**
     * @param file      YAML file, or null for none
     * @param env       the process environment (only {@code MDEAS_*} variables are read)
     * @param overrides flag values by dotted key name, in the order given (later wins)
     */
    public NodeConfig load(Path file, Map<String, String> env, Map<String, String> overrides) {
        return load(file, env, overrides, Map.of());
    }

    /**
     * As {@link #load(Path, Map, Map)}, naming in messages the dedicated flag a key's value came from.
     *
     * @param flagNames the flag that set a key, e.g. {@code source.max_frames → --max-frames}; keys not named
     *                  here came from {@code --set}
     */
    public NodeConfig load(Path file, Map<String, String> env, Map<String, String> overrides,
                           Map<String, String> flagNames) {
        Map<ConfigKey<?>, Object> values = new LinkedHashMap<>();
        Map<ConfigKey<?>, NodeConfig.Origin> origins = new LinkedHashMap<>();
        for (ConfigKey<?> k : ConfigKeys.ALL) {
            values.put(k, k.defaultValue());
            origins.put(k, NodeConfig.Origin.DEFAULT);
        }
        if (file != null) {
            String origin = "file " + file;
            readYaml(file).forEach((name, raw) -> {
                ConfigKey<?> k = known(name, origin);
                values.put(k, k.parse(raw, origin));
                origins.put(k, NodeConfig.Origin.FILE);
            });
        }
        for (ConfigKey<?> k : ConfigKeys.ALL) {
            String raw = env.get(k.envName());
            if (raw != null) {
                values.put(k, k.parse(raw, "environment " + k.envName()));
                origins.put(k, NodeConfig.Origin.ENV);
            }
        }
        env.keySet().stream()
                .filter(n -> n.startsWith(ENV_PREFIX) && !n.equals(LOG_LEVEL_ENV))
                .filter(n -> ConfigKeys.ALL.stream().noneMatch(k -> k.envName().equals(n)))
                .sorted()
                .forEach(n -> log.warn("environment variable {} matches no config key; ignored", n));
        overrides.forEach((name, raw) -> {
            String flag = flagNames.getOrDefault(name, "--set " + name);
            ConfigKey<?> k = known(name, flagNames.getOrDefault(name, "--set"));
            values.put(k, k.parse(raw, flag));
            origins.put(k, NodeConfig.Origin.FLAG);
        });
        NodeConfig config = new NodeConfig(values, origins);
        checkConsistency(config);
        return config;
    }

    /** Parses {@code key=value} as given to {@code --set}. */
    public static Map.Entry<String, String> parseAssignment(String assignment) {
        int eq = assignment.indexOf('=');
        if (eq <= 0) {
            throw new ConfigException("--set \"" + assignment + "\" is not allowed: expected key=value, "
                    + "e.g. --set camera.hfov_deg=70");
        }
        return Map.entry(assignment.substring(0, eq).trim(), assignment.substring(eq + 1).trim());
    }

    private static ConfigKey<?> known(String name, String origin) {
        return ConfigKeys.byName(name).orElseThrow(() -> new ConfigException("unknown config key \"" + name
                + "\" (from " + origin + ")"
                + ConfigKeys.closest(name).map(c -> "; did you mean \"" + c + "\"?").orElse("")
                + " All keys are listed in docs/CONFIG.md"));
    }

    /** Rules that involve more than one key. */
    private static void checkConsistency(NodeConfig c) {
        below(c, ConfigKeys.MQTT_RECONNECT_MIN_S, ConfigKeys.MQTT_RECONNECT_MAX_S, false);
        below(c, ConfigKeys.SOURCE_RETRY_MIN_S, ConfigKeys.SOURCE_RETRY_MAX_S, false);
        below(c, ConfigKeys.SCAN_RANGE_MIN_M, ConfigKeys.SCAN_RANGE_MAX_M, true);
        below(c, ConfigKeys.SCAN_FLOOR_TOLERANCE_M, ConfigKeys.SCAN_MAX_HEIGHT_M, true);
        if (c.get(ConfigKeys.TRACKING_CONFIRM_HITS) > c.get(ConfigKeys.TRACKING_CONFIRM_WINDOW)) {
            throw new ConfigException("tracking.confirm_hits = " + c.get(ConfigKeys.TRACKING_CONFIRM_HITS)
                    + " is not allowed: expected at most tracking.confirm_window = "
                    + c.get(ConfigKeys.TRACKING_CONFIRM_WINDOW));
        }
        boolean cert = !c.get(ConfigKeys.MQTT_TLS_CERT_FILE).isEmpty();
        boolean key = !c.get(ConfigKeys.MQTT_TLS_KEY_FILE).isEmpty();
        if (cert != key) {
            throw new ConfigException("mqtt.tls.cert_file and mqtt.tls.key_file must be given together "
                    + "(cert_file = \"" + c.get(ConfigKeys.MQTT_TLS_CERT_FILE) + "\", key_file = \""
                    + c.get(ConfigKeys.MQTT_TLS_KEY_FILE) + "\")");
        }
    }

    private static void below(NodeConfig c, ConfigKey<Double> low, ConfigKey<Double> high, boolean strict) {
        double a = c.get(low);
        double b = c.get(high);
        if (strict ? a >= b : a > b) {
            throw new ConfigException(low.name() + " = " + a + " is not allowed: expected " + (strict ? "less than " : "at most ")
                    + high.name() + " = " + b);
        }
    }

    /** Reads a YAML file into dotted key → scalar. Nested maps and dotted names may be mixed. */
    private Map<String, Object> readYaml(Path file) {
        JsonNode root;
        try {
            root = yaml.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file " + file + " does not exist: give an existing YAML file to --config");
        } catch (JsonProcessingException e) {
            throw new ConfigException("config file " + file + " is not valid YAML (line "
                    + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + "): "
                    + e.getOriginalMessage().lines().findFirst().orElse(""));
        } catch (IOException e) {
            throw new ConfigException("config file " + file + " cannot be read: " + e.getMessage());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        if (root == null || root.isMissingNode() || root.isNull()) {
            return out;
        }
        if (!root.isObject()) {
            throw new ConfigException("config file " + file + " must be a YAML mapping of keys to values");
        }
        flatten("", root, out, file);
        return out;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, Object> out, Path file) {
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String name = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            JsonNode v = e.getValue();
            if (v.isObject()) {
                flatten(name, v, out, file);
            } else if (v.isValueNode() && !v.isNull()) {
                out.put(name, v.asText());
            } else {
                known(name, "file " + file);
                throw new ConfigException(name + " (from file " + file + ") is not allowed: expected a single "
                        + ConfigKeys.byName(name).map(ConfigKey::allowedText).orElse("value")
                        + (v.isNull() ? ", got an empty value" : ", got a list"));
            }
        }
    }
}
