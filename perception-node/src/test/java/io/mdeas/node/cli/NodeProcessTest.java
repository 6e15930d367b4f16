package io.mdeas.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mdeas.node.testing.NodeProcess;
import io.mdeas.node.testing.TinyModels;
import io.mdeas.node.testing.TopicRecorder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node as its own process: SIGTERM, kill -9 (last will), exit codes and one-line errors. */
class NodeProcessTest {
    private static final Duration START = Duration.ofSeconds(40);

    @TempDir
    Path tmp;

    private String[] runArgs(String id) {
        return runArgsWith(id, "tcp://127.0.0.1:1883");
    }

    private String[] runArgsWith(String id, String mqtt, String... extra) {
        Path model = TinyModels.builder().inputSize(64).write(tmp.resolve("tiny-" + id + ".onnx"));
        List<String> args = new java.util.ArrayList<>(List.of("run", "--node-id", id, "--mqtt", mqtt,
                "--http", "127.0.0.1:0", "--model", model.toString(), "--set", "model.providers=cpu",
                "--set", "mqtt.keepalive_s=2"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    @Test
    void sigtermPublishesOfflineAndExitsZeroWithinFiveSeconds() throws Exception {
        String id = "term" + UUID.randomUUID().toString().substring(0, 6);
        try (TopicRecorder rec = TopicRecorder.subscribe("tcp://127.0.0.1:1883", "mdeas/" + id + "/#");
             NodeProcess node = NodeProcess.start(tmp, Map.of(), runArgs(id))) {
            rec.await(m -> m.topic().endsWith("/scan"), START, "the node runs");
            long t0 = System.nanoTime();
            node.process().destroy(); // SIGTERM
            int code = node.awaitExit(Duration.ofSeconds(5));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(0, code, node.stderr());
            rec.await(m -> m.topic().endsWith("/availability") && m.payload().equals("offline"),
                    Duration.ofSeconds(2), "offline on SIGTERM");
            assertTrue(node.stderr().contains("SIGTERM received"), node.stderr());
            assertTrue(node.stderr().contains("perception-node stopped"), node.stderr());
            System.out.println("SIGTERM to exit: " + ms + " ms");
        }
    }

    @Test
    void sigtermWithTheEmbeddedBrokerAlsoEndsWithinFiveSeconds() throws Exception {
        String id = "emb" + UUID.randomUUID().toString().substring(0, 6);
        int port = io.mdeas.node.testing.MosquittoProcess.freePort();
        String[] args = runArgsWith(id, "embedded", "--set", "mqtt.embedded_listen=127.0.0.1:" + port);
        try (NodeProcess node = NodeProcess.start(tmp, Map.of(), args)) {
            TopicRecorder rec = null;
            long end = System.nanoTime() + START.toNanos();
            while (rec == null && System.nanoTime() < end) {
                try {
                    rec = TopicRecorder.subscribe("tcp://127.0.0.1:" + port, "mdeas/" + id + "/#");
                } catch (org.eclipse.paho.client.mqttv3.MqttException e) {
                    Thread.sleep(200); // the node is still starting its broker
                }
            }
            assertTrue(rec != null, "embedded broker never came up: " + node.stderr());
            try (TopicRecorder r = rec) {
                r.await(m -> m.topic().endsWith("/scan"), START, "the node runs");
                node.process().destroy();
                assertEquals(0, node.awaitExit(Duration.ofSeconds(5)), node.stderr());
                r.await(m -> m.topic().endsWith("/availability") && m.payload().equals("offline"), Duration.ofSeconds(1),
                        "offline before the embedded broker stopped");
            }
        }
    }

    @Test
    void killMinus9LeavesTheRetainedLastWill() throws Exception {
        String id = "kill" + UUID.randomUUID().toString().substring(0, 6);
        try (TopicRecorder rec = TopicRecorder.subscribe("tcp://127.0.0.1:1883", "mdeas/" + id + "/availability");
             NodeProcess node = NodeProcess.start(tmp, Map.of(), runArgs(id))) {
            rec.await(m -> m.payload().equals("online"), START, "online");
            node.process().destroyForcibly(); // SIGKILL: no code of ours runs
            node.awaitExit(Duration.ofSeconds(5));
            rec.await(m -> m.payload().equals("offline"), Duration.ofSeconds(10), "the last will");
        }
        try (TopicRecorder late = TopicRecorder.subscribe("tcp://127.0.0.1:1883", "mdeas/" + id + "/availability")) {
            TopicRecorder.Received r = late.await(m -> true, Duration.ofSeconds(5), "retained availability");
            assertTrue(r.retained());
            assertEquals("offline", r.payload());
        }
    }

    @Test
    void configErrorsExitTwoWithOneLineAndNoStackTrace() throws Exception {
        record Case(List<String> args, Map<String, String> env, String expected) {}
        // More cases run in-process in CliTest; here the process itself: exit status and all of stderr.
        for (Case c : List.of(
                new Case(List.of("run", "--set", "camera.heigth_m=0.3"), Map.of(),
                        "perception-node: unknown config key \"camera.heigth_m\" (from --set); did you mean \"camera.height_m\"?"),
                new Case(List.of("run"), Map.of("MDEAS_CAMERA_HFOV_DEG", "700"),
                        "perception-node: camera.hfov_deg = \"700\" (from environment MDEAS_CAMERA_HFOV_DEG) is not allowed: expected a number in [10, 170]"))) {
            try (NodeProcess node = NodeProcess.start(tmp, c.env(), c.args().toArray(String[]::new))) {
                int code = node.awaitExit(Duration.ofSeconds(30));
                String err = node.stderr();
                assertEquals(2, code, err);
                List<String> lines = err.lines().toList();
                assertEquals(1, lines.size(), "one line: " + err);
                assertTrue(lines.get(0).startsWith(c.expected()), lines.get(0));
                assertFalse(err.contains("\tat "), "no stack trace");
            }
        }
    }
}
