package io.mdeas.node.cli;

import io.mdeas.node.bench.BenchReport;
import io.mdeas.node.bench.NodeBenchmark;
import io.mdeas.node.config.ConfigException;
import io.mdeas.node.config.ConfigKeys;
import io.mdeas.node.config.ConfigLoader;
import io.mdeas.node.config.NodeConfig;
import io.mdeas.node.inference.ModelLoadException;
import io.mdeas.node.service.NodeService;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code perception-node bench}: the bare model and the full pipeline on the same frames, read unpaced, in one
 * run; prints a summary and optionally writes the numbers as JSON (BENCHMARKS.md is generated from it).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure the bare model and the full pipeline on the same frames (source read unpaced).")
final class BenchCommand implements Callable<Integer> {
    private final Map<String, String> env;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--source", paramLabel = "URI", defaultValue = "demo",
            description = "demo (bundled clip, looped), file:PATH (looped), dir:PATH, ... (default: ${DEFAULT-VALUE}).")
    String source;

    @Option(names = "--frames", paramLabel = "N", defaultValue = "300", description = "Measured frames (default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "30",
            description = "Frames run before measuring, in each part (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--model", paramLabel = "ONNX", description = "Model file instead of the bundled one (model.path).")
    String model;

    @Option(names = "--threads", paramLabel = "N", description = "ONNX Runtime intra-op threads (model.cpu_threads; 0 = cores - 1, at least 1).")
    String threads;

    @Option(names = "--mqtt", paramLabel = "MODE", defaultValue = "none",
            description = "none (serialise, discard), embedded (own broker on a free port) or tcp://host:port (default: ${DEFAULT-VALUE}).")
    String mqtt;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the measurements as one JSON object.")
    Path json;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file (stage parameters).")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override any config key (repeatable).")
    List<String> set = new ArrayList<>();

    BenchCommand() {
        this(System.getenv());
    }

    BenchCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() throws ModelLoadException, InterruptedException, IOException {
        if (frames < 1 || warmup < 1) {
            throw new ConfigException("--frames and --warmup must be at least 1 (got " + frames + " and " + warmup + ")");
        }
        Map<String, String> overrides = new LinkedHashMap<>();
        Map<String, String> flagNames = new LinkedHashMap<>();
        for (String s : set) {
            Map.Entry<String, String> e = ConfigLoader.parseAssignment(s);
            overrides.put(e.getKey(), e.getValue());
        }
        put(overrides, flagNames, ConfigKeys.SOURCE_URI.name(), "--source", source);
        put(overrides, flagNames, ConfigKeys.MODEL_PATH.name(), "--model", model);
        put(overrides, flagNames, ConfigKeys.MODEL_CPU_THREADS.name(), "--threads", threads);
        put(overrides, flagNames, ConfigKeys.MQTT_BROKER.name(), "--mqtt", mqtt);
        if (mqtt.equals("embedded") && !overrides.containsKey(ConfigKeys.MQTT_EMBEDDED_LISTEN.name())) {
            // The default embedded port is usually taken by a real broker; the benchmark's own broker needs none.
            overrides.put(ConfigKeys.MQTT_EMBEDDED_LISTEN.name(), "127.0.0.1:" + freePort());
        }
        NodeConfig c = new ConfigLoader().load(config, env, overrides, flagNames);
        BenchReport report = NodeBenchmark.run(c, NodeService.mountFor(c), warmup, frames);
        spec.commandLine().getOut().println(report.summary());
        spec.commandLine().getOut().flush();
        if (json != null) {
            try {
                report.write(json);
            } catch (IOException e) {
                throw new ConfigException("--json " + json + " cannot be written: " + e.getMessage());
            }
        }
        return 0;
    }

    private static void put(Map<String, String> o, Map<String, String> flagNames, String key, String flag, String value) {
        if (value != null) {
            o.remove(key);
            o.put(key, value);
            flagNames.put(key, flag);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
