package io.mdeas.node.deploy;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The packaged distribution ({@code mvn verify}: runs after {@code package}) is unpacked and its launcher run on
 * the demo clip: it prints messages, and it publishes them to the real Mosquitto on 127.0.0.1:1883.
 */
class PackagedLauncherIT {
    private static final String BROKER = "tcp://127.0.0.1:1883";
    private static final int FRAMES = 30;

    @TempDir
    static Path tmp;
    static Path home;

    @BeforeAll
    static void unpackTheDistribution() throws Exception {
        String archive = System.getProperty("mdeas.distribution", "");
        assumeTrue(!archive.isEmpty() && Files.isRegularFile(Path.of(archive)),
                "no distribution archive at '" + archive + "': run through mvn verify (failsafe, after package)");
        Run untar = run(List.of("tar", "-xzf", archive, "-C", tmp.toString()), Map.of(), 120);
        assertEquals(0, untar.exit, untar.output);
        try (var dirs = Files.list(tmp)) {
            home = dirs.filter(p -> p.getFileName().toString().startsWith("mdeas-perception-")).findFirst().orElseThrow();
        }
        assertTrue(Files.isExecutable(home.resolve("bin/mdeas-perception")), "bin/mdeas-perception is not executable");
    }

    @Test
    void theLauncherRunsTheDemoAndPrintsMessages() throws Exception {
        Run r = launcher(List.of("run", "--source", "demo", "--max-frames", Integer.toString(FRAMES), "--mqtt", "none", "--print"));
        assumeNodeIsWired(r);
        assertEquals(0, r.exit, r.output);
        List<String> lines = r.output.lines().filter(l -> l.startsWith("{\"topic\":")).toList();
        assertTrue(lines.stream().anyMatch(l -> l.matches("\\{\"topic\":\"mdeas/[^/]+/(obstacles|scan|stats|events)\".*")),
                "no published message among " + lines.size() + " JSON lines:\n" + r.output);
    }

    @Test
    void theLauncherPublishesTheDemoToMosquitto() throws Exception {
        String nodeId = "packaged-it-" + ProcessHandle.current().pid();
        List<String> topics = new CopyOnWriteArrayList<>();
        MqttClient subscriber;
        try {
            subscriber = new MqttClient(BROKER, nodeId + "-sub", new MemoryPersistence());
            MqttConnectOptions options = new MqttConnectOptions();
            options.setConnectionTimeout(5);
            subscriber.connect(options);
        } catch (MqttException e) {
            assumeTrue(false, "no MQTT broker on " + BROKER + " (start mosquitto): " + e.getMessage());
            return;
        }
        try {
            subscriber.subscribe("mdeas/" + nodeId + "/#", 1, (topic, message) -> topics.add(topic));
            Run r = launcher(List.of("run", "--source", "demo", "--max-frames", Integer.toString(FRAMES),
                    "--set", "mqtt.broker=" + BROKER, "--set", "node.id=" + nodeId));
            assumeNodeIsWired(r);
            assertEquals(0, r.exit, r.output);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (topics.stream().noneMatch(t -> t.endsWith("/obstacles") || t.endsWith("/scan"))
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(topics.contains("mdeas/" + nodeId + "/availability"), "no availability message: " + topics);
            assertTrue(topics.stream().anyMatch(t -> t.endsWith("/obstacles") || t.endsWith("/scan")),
                    "no obstacles/scan message: " + topics + "\n" + r.output);
        } finally {
            // Clear the retained availability message this run left behind.
            subscriber.publish("mdeas/" + nodeId + "/availability", new byte[0], 1, true);
            subscriber.disconnect();
            subscriber.close();
        }
    }

    @Test
    void theArchiveHoldsLauncherConfigUnitInstallerAndANoticeForEveryLibrary() throws Exception {
        for (String file : List.of("bin/mdeas-perception", "install.sh", "VERSION", "conf/perception.yaml",
                "conf/perception.env", "conf/profiles/robot-jetson.yaml", "conf/profiles/laptop-webcam.yaml",
                "conf/profiles/demo.yaml", "systemd/mdeas-perception.service", "licenses/THIRD-PARTY-NOTICES.md")) {
            assertTrue(Files.isRegularFile(home.resolve(file)), "missing " + file);
        }
        assertTrue(Files.isExecutable(home.resolve("install.sh")), "install.sh is not executable");
        assertTrue(Files.readString(home.resolve("VERSION")).strip().matches("\\d+\\.\\d+\\.\\d+.*"), "VERSION is filtered");

        java.util.Set<String> noticed = new java.util.HashSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("`([A-Za-z0-9_.-]+)`")
                .matcher(Files.readString(home.resolve("licenses/THIRD-PARTY-NOTICES.md")));
        while (m.find()) {
            noticed.add(m.group(1));
        }
        List<String> missing;
        try (var jars = Files.list(home.resolve("lib"))) {
            missing = jars.map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith("perception-node-"))
                    .filter(n -> !noticed.contains(artifactOf(n)))
                    .sorted().toList();
        }
        assertEquals(List.of(), missing, "bundled jars without a line in licenses/THIRD-PARTY-NOTICES.md");
    }

    /** {@code netty-codec-mqtt-4.1.93.Final.jar} → {@code netty-codec-mqtt}: the name up to the version. */
    private static String artifactOf(String jar) {
        return jar.replaceFirst("-\\d[^-]*(-[^-]*)*\\.jar$", "").replaceFirst("\\.jar$", "");
    }

    @Test
    void theLauncherSizesTheJvmForASmallBoardAndTheEnvFileOverridesIt() throws Exception {
        List<String> printFlags = List.of(home.resolve("bin/mdeas-perception").toString(), "--version");
        Map<String, String> env = new java.util.HashMap<>(Map.of("JAVA_HOME", System.getProperty("java.home"),
                "HOME", tmp.toString(), "JAVA_OPTS", "-XX:+PrintCommandLineFlags",
                "PERCEPTION_ENV_FILE", tmp.resolve("absent.env").toString()));
        String defaults = run(printFlags, env, 120).output;
        assertTrue(defaults.contains("-XX:MaxHeapSize=536870912"), "default heap bound 512m:\n" + defaults);
        assertTrue(defaults.contains("-XX:+UseSerialGC"), "default collector:\n" + defaults);

        Path envFile = tmp.resolve("perception.env");
        Files.writeString(envFile, "# a robot with less memory\nJAVA_HEAP_MAX=256m\nJAVA_GC=-XX:+UseParallelGC\n");
        env.put("PERCEPTION_ENV_FILE", envFile.toString());
        String overridden = run(printFlags, env, 120).output;
        assertTrue(overridden.contains("-XX:MaxHeapSize=268435456"), "env file heap bound:\n" + overridden);
        assertTrue(overridden.contains("-XX:+UseParallelGC"), "env file collector:\n" + overridden);
    }

    /** Until the service work has wired {@code run}, the packaged launcher cannot be exercised: skip, saying why. */
    private static void assumeNodeIsWired(Run r) {
        boolean notWired = r.exit != 0 && (r.output.contains("not wired yet") || r.output.contains("Unknown option")
                || r.output.contains("Unmatched argument") || r.output.contains("Unknown subcommand"));
        assumeTrue(!notWired, "the node's 'run' command is not available yet (exit " + r.exit + "): "
                + r.output.lines().findFirst().orElse(""));
    }

    private static Run launcher(List<String> args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add(home.resolve("bin/mdeas-perception").toString());
        cmd.addAll(args);
        // A clean environment, as systemd would give: no inherited MDEAS_* settings, caches under the temp dir.
        return run(cmd, Map.of("JAVA_HOME", System.getProperty("java.home"), "HOME", tmp.toString(),
                "PERCEPTION_ENV_FILE", tmp.resolve("absent.env").toString()), 300);
    }

    private record Run(int exit, String output) {}

    private static Run run(List<String> cmd, Map<String, String> env, int timeoutS) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (!env.isEmpty()) {
            String path = pb.environment().get("PATH");
            pb.environment().clear();
            pb.environment().put("PATH", path);
            pb.environment().putAll(env);
        }
        // Output goes to a file, so a hung process cannot block the reader past the timeout.
        Path log = Files.createTempFile(tmp, "run-", ".log");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        if (!p.waitFor(timeoutS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " did not finish in " + timeoutS + " s:\n"
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
        return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
