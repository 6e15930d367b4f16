package io.mdeas.node.cli;

import io.mdeas.node.config.ConfigKeys;
import io.mdeas.node.config.ConfigLoader;
import io.mdeas.node.config.NodeConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The configuration flags shared by {@code run} and {@code check}. Each dedicated flag is a shorthand for a
 * config key; values are validated by the key registry (one-line errors), not by picocli.
 */
final class ConfigOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file (keys: docs/CONFIG.md).")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override any config key, e.g. --set camera.hfov_deg=70 (repeatable; later wins).")
    List<String> set = new ArrayList<>();

    @Option(names = "--source", paramLabel = "URI",
            description = "Frame source: demo, v4l2:/dev/videoN, file:PATH, dir:PATH, rtsp://..., http(s)://... (source.uri).")
    String source;

    @Option(names = "--background", paramLabel = "PNG", description = "Background image to start from (source.background).")
    String background;

    @Option(names = "--model", paramLabel = "ONNX", description = "Model file instead of the bundled one (model.path).")
    String model;

    @Option(names = "--mqtt", paramLabel = "MODE",
            description = "auto | tcp://host:port | ssl://host:port | embedded | none (mqtt.broker; default auto).")
    String mqtt;

    @Option(names = "--node-id", paramLabel = "ID", description = "Node name in topics mdeas/<id>/... (node.id).")
    String nodeId;

    @Option(names = "--print", description = "Also write every message as a JSON line to stdout (output.print).")
    boolean print;

    @Option(names = "--max-frames", paramLabel = "N", description = "Exit 0 after N frames (source.max_frames).")
    String maxFrames;

    @Option(names = "--realtime", description = "Pace files at their frame rate like a camera (source.realtime).")
    boolean realtime;

    @Option(names = "--http", paramLabel = "HOST:PORT",
            description = "Address for /metrics and /health, or none (http.listen; default 127.0.0.1:9464).")
    String http;

    /** The flag values as key overrides: {@code --set} first, then the dedicated flags. */
    Map<String, String> overrides() {
        return collect(new LinkedHashMap<>());
    }

    /** Loads the effective configuration (defaults < file < environment < flags). */
    NodeConfig load(Map<String, String> env) {
        Map<String, String> flagNames = new LinkedHashMap<>();
        return new ConfigLoader().load(config, env, collect(flagNames), flagNames);
    }

    /** Builds the overrides; {@code flagNames} receives, per key set by a dedicated flag, that flag's name. */
    private Map<String, String> collect(Map<String, String> flagNames) {
        Map<String, String> o = new LinkedHashMap<>();
        for (String s : set) {
            Map.Entry<String, String> e = ConfigLoader.parseAssignment(s);
            o.remove(e.getKey()); // keep "later wins" visible in the order too
            o.put(e.getKey(), e.getValue());
        }
        put(o, flagNames, ConfigKeys.SOURCE_URI.name(), "--source", source);
        put(o, flagNames, ConfigKeys.SOURCE_BACKGROUND.name(), "--background", background);
        put(o, flagNames, ConfigKeys.MODEL_PATH.name(), "--model", model);
        put(o, flagNames, ConfigKeys.MQTT_BROKER.name(), "--mqtt", mqtt);
        put(o, flagNames, ConfigKeys.NODE_ID_KEY.name(), "--node-id", nodeId);
        put(o, flagNames, ConfigKeys.SOURCE_MAX_FRAMES.name(), "--max-frames", maxFrames);
        put(o, flagNames, ConfigKeys.HTTP_LISTEN.name(), "--http", http);
        if (print) {
            put(o, flagNames, ConfigKeys.OUTPUT_PRINT.name(), "--print", "true");
        }
        if (realtime) {
            put(o, flagNames, ConfigKeys.SOURCE_REALTIME.name(), "--realtime", "true");
        }
        return o;
    }

    private static void put(Map<String, String> o, Map<String, String> flagNames, String key, String flag,
                            String value) {
        if (value != null) {
            o.remove(key); // the dedicated flag wins over --set of the same key
            o.put(key, value);
            flagNames.put(key, flag);
        }
    }
}
