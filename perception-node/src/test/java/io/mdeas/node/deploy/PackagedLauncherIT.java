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
    void theLauncherRunsTheDemoPrintingAndPublishingToMosquitto() throws Exception {
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
            Run r = launcher(withModel("run", "--source", "demo", "--max-frames", Integer.toString(FRAMES), "--print",
                    "--set", "mqtt.broker=" + BROKER, "--set", "node.id=" + nodeId, "--http", "none"));
            assertEquals(0, r.exit, r.output);

            List<String> lines = r.output.lines().filter(l -> l.startsWith("{\"topic\":")).toList();
            assertTrue(lines.stream().anyMatch(l -> l.matches("\\{\"topic\":\"mdeas/" + nodeId + "/(obstacles|scan)\".*")),
                    "no printed obstacles/scan message among " + lines.size() + " JSON lines:\n" + r.output);

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (topics.stream().noneMatch(t -> t.endsWith("/obstacles") || t.endsWith("/scan"))
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(topics.contains("mdeas/" + nodeId + "/availability"), "no availability message: " + topics);
            assertTrue(topics.stream().anyMatch(t -> t.endsWith("/obstacles") || t.endsWith("/scan")),
                    "no obstacles/scan message on the broker: " + topics + "\n" + r.output);
        } finally {
            // Clear the retained availability message this run left behind.
            subscriber.publish("mdeas/" + nodeId + "/availability", new byte[0], 1, true);
            subscriber.disconnect();
            subscriber.close();
        }
    }

    @Test
    void underSystemdTheNodeReportsReadyPingsTheWatchdogAndSaysWhenItStops() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        Path socket = tmp.resolve("notify.sock");
        try (io.mdeas.node.service.NotifySocketReceiver pid1 =
                     new io.mdeas.node.service.NotifySocketReceiver(socket.toString(), java.time.Duration.ofMillis(200))) {
            Thread reader = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    pid1.receive().ifPresent(received::add);
                }
            }, "test-pid1");
            reader.setDaemon(true);
            reader.start();
            // As systemd starts it: NOTIFY_SOCKET, WATCHDOG_USEC (1 s here, so pings come every 0.5 s), INVOCATION_ID.
            Run r = run(withModel(home.resolve("bin/mdeas-perception").toString(), "run", "--source", "demo",
                    "--max-frames", Integer.toString(FRAMES), "--mqtt", "none", "--http", "none"),
                    Map.of("JAVA_HOME", System.getProperty("java.home"), "HOME", tmp.toString(),
                            "NOTIFY_SOCKET", socket.toString(), "WATCHDOG_USEC", "1000000",
                            "INVOCATION_ID", "0123456789abcdef0123456789abcdef"), 300);
            Thread.sleep(500);
            reader.interrupt();
            reader.join(2000);
            assertEquals(0, r.exit, r.output);
            assumeTrue(!received.isEmpty(), "the node sent nothing to NOTIFY_SOCKET: NodeService does not use "
                    + "SystemdNotifier/FrameWatchdog yet (wiring: docs/DEPLOY.md)");
            assertTrue(received.contains("READY=1"), "no READY=1 in " + received);
            assertTrue(received.contains("WATCHDOG=1"), "no WATCHDOG=1 in " + received);
            assertTrue(received.indexOf("READY=1") < received.indexOf("WATCHDOG=1"), "ping before READY: " + received);
            assertTrue(received.contains("STOPPING=1"), "no STOPPING=1 in " + received);
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

    @Test
    void theRunningNodeServesEverySeriesTheDashboardQueries() throws Exception {
        int port = freePort();
        List<String> cmd = new java.util.ArrayList<>(List.of(home.resolve("bin/mdeas-perception").toString()));
        // With its own embedded broker, so the MQTT meters exist too.
        cmd.addAll(withModel("run", "--source", "demo", "--mqtt", "embedded",
                "--set", "mqtt.embedded_listen=127.0.0.1:" + freePort(), "--http", "127.0.0.1:" + port));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(Files.createTempFile(tmp, "node-", ".log").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("MDEAS_") || k.equals("NOTIFY_SOCKET"));
        pb.environment().putAll(Map.of("JAVA_HOME", System.getProperty("java.home"), "HOME", tmp.toString(),
                "PERCEPTION_ENV_FILE", tmp.resolve("absent.env").toString()));
        Process node = pb.start();
        java.util.Set<String> exposed = java.util.Set.of();
        try {
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            java.net.URI metrics = java.net.URI.create("http://127.0.0.1:" + port + "/metrics");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (System.nanoTime() < deadline && node.isAlive()) {
                try {
                    String body = http.send(java.net.http.HttpRequest.newBuilder(metrics).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString()).body();
                    if (body.lines().anyMatch(l -> l.startsWith("mdeas_frames_processed_total ") && !l.endsWith(" 0.0"))) {
                        exposed = MonitoringConfigTest.exposed(body);
                        break;
                    }
                } catch (IOException notListeningYet) {
                    // the HTTP server starts after the model and the source
                }
                Thread.sleep(250);
            }
        } finally {
            node.destroy();  // SIGTERM: the node shuts down in order and exits 0
            assertTrue(node.waitFor(30, TimeUnit.SECONDS), "the node did not stop on SIGTERM");
        }
        assertEquals(0, node.exitValue(), "exit status after SIGTERM");
        assertTrue(!exposed.isEmpty(), "no processed frame on /metrics within 90 s");
        java.util.Set<String> missing = new java.util.TreeSet<>(MonitoringConfigTest.dashboardMetrics());
        missing.removeAll(exposed);
        assertEquals(java.util.Set.of(), missing, "series the Grafana dashboard queries but the node does not serve");
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            return free.getLocalPort();
        }
    }


    /**
     * The arguments plus {@code --model FILE} with a contract-shaped tiny model while no trained model is bundled
     * in the packaged jar; with one bundled, the shipped model itself runs.
     */
    private static List<String> withModel(String... args) throws IOException {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        Path jar;
        try (var jars = Files.list(home.resolve("lib"))) {
            jar = jars.filter(p -> p.getFileName().toString().startsWith("perception-node-")).findFirst().orElseThrow();
        }
        try (java.util.jar.JarFile j = new java.util.jar.JarFile(jar.toFile())) {
            if (j.getEntry("models/mdeas.onnx") != null) {
                return all;
            }
        }
        Path tiny = tmp.resolve("tiny.onnx");
        if (!Files.exists(tiny)) {
            io.mdeas.node.testing.TinyModels.builder().inputSize(64).write(tiny);
        }
        all.add("--model");
        all.add(tiny.toString());
        return all;
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
