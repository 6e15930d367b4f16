package io.mdeas.node.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mdeas.node.config.ConfigLoader;
import io.mdeas.node.config.NodeConfig;
import io.mdeas.node.publish.Payloads;
import io.mdeas.node.testing.AsyncApiContract;
import io.mdeas.node.testing.MosquittoProcess;
import io.mdeas.node.testing.ThreadLeaks;
import io.mdeas.node.testing.PrometheusText;
import io.mdeas.node.testing.TinyModels;
import io.mdeas.node.testing.TopicRecorder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole node in-process: the bundled demo clip through a real (tiny) ONNX model, publishing to the real
 * Mosquitto and to an embedded broker; every payload checked against deploy/asyncapi.yaml.
 */
class NodeServiceTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path tmp;

    private final HttpClient http = HttpClient.newHttpClient();

    private NodeConfig config(Map<String, String> overrides) {
        Path model = TinyModels.builder().inputSize(64).write(tmp.resolve("tiny.onnx"));
        Map<String, String> o = new HashMap<>(Map.of("model.path", model.toString(), "model.providers", "cpu",
                "http.listen", "127.0.0.1:0", "stats.interval_s", "0.5"));
        o.putAll(overrides);
        return new ConfigLoader().load(null, Map.of(), o);
    }

    @Test
    void theDemoRunPublishesEveryTopicServesMetricsAndHealthAndEndsAtMaxFrames() throws Exception {
        String id = "svc" + UUID.randomUUID().toString().substring(0, 8);
        String root = "mdeas/" + id + "/";
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (TopicRecorder rec = TopicRecorder.subscribe("tcp://127.0.0.1:1883", root + "#")) {
            NodeConfig c = config(Map.of("node.id", id, "mqtt.broker", "tcp://127.0.0.1:1883", "source.max_frames", "40",
                    "output.print", "true"));
            int code;
            Map<String, PrometheusText.Family> families;
            JsonNode health;
            try (NodeService node = NodeService.start(c, new PrintStream(printed, true, StandardCharsets.UTF_8))) {
                rec.await(m -> m.topic().equals(root + "scan"), WAIT, "a scan");
                families = PrometheusText.parse(get(node.httpUrl() + "/metrics").body());
                health = Payloads.mapper().readTree(get(node.httpUrl() + "/health").body());
                code = node.awaitEnd();
            }
            assertEquals(0, code);
            rec.await(m -> m.topic().equals(root + "availability") && m.payload().equals("offline"), WAIT,
                    "offline after the run");
            rec.await(m -> m.topic().equals(root + "stats"), WAIT, "stats");

            assertTrue(families.get("mdeas_frames_processed_total").samples().get(0).value() > 0);
            assertNotNull(families.get("mdeas_model_info"), "model info gauge");
            assertEquals("cpu", families.get("mdeas_model_info").samples().get(0).labels().get("provider"));
            assertEquals("false", families.get("mdeas_model_info").samples().get(0).labels().get("mirror_average"));
            assertEquals(1.0, families.get("mdeas_mqtt_connected").samples().get(0).value());
            assertEquals(List.of("camera", "model", "broker", "background", "depth"), fieldNames(health.get("checks")));
            assertEquals("UP", health.at("/checks/model/status").asText());
            assertEquals("UP", health.at("/checks/broker/status").asText());

            AsyncApiContract contract = AsyncApiContract.load();
            List<String> failures = new ArrayList<>();
            for (TopicRecorder.Received m : rec.all()) {
                String suffix = m.topic().substring(root.length());
                contract.problems(suffix, m.payload()).forEach(p -> failures.add(suffix + ": " + p));
            }
            assertEquals(List.of(), failures);
            JsonNode stats = Payloads.mapper().readTree(rec.all().stream()
                    .filter(m -> m.topic().equals(root + "stats")).reduce((a, b) -> b).orElseThrow().payload());
            assertEquals("cpu", stats.get("provider").asText());
            assertEquals("tiny-test-1", stats.get("model_version").asText());
            assertTrue(stats.get("model_sha256").asText().matches("[0-9a-f]{64}"), "model hash: " + stats);
            assertTrue(stats.at("/latency_ms/p50").asDouble() > 0, "capture → publish latency measured: " + stats);
            assertTrue(stats.at("/inference_ms/p99").asDouble() > 0, "inference time measured: " + stats);
            assertTrue(stats.get("depth_scale").asDouble() > 0, "the floor anchor's depth factor: " + stats);
            assertTrue(rec.all().stream().filter(m -> m.topic().equals(root + "stats")).anyMatch(m -> {
                try {
                    return Payloads.mapper().readTree(m.payload()).get("fps_processed").asDouble() > 0;
                } catch (java.io.IOException e) {
                    throw new AssertionError(e);
                }
            }), "a stats message with a processing rate");

            // --print wrote the same messages as JSON lines {topic, payload}.
            String[] lines = printed.toString(StandardCharsets.UTF_8).split("\n");
            assertTrue(lines.length > 10, "printed lines: " + lines.length);
            JsonNode line = Payloads.mapper().readTree(lines[0]);
            assertTrue(line.get("topic").asText().startsWith(root), lines[0]);
            assertTrue(line.has("payload"));
        }
    }

    @Test
    void autoStartsTheEmbeddedBrokerWhenNoneAnswersAndCommandsReachThePipeline() throws Exception {
        ThreadLeaks threads = ThreadLeaks.snapshot();
        int port = MosquittoProcess.freePort();
        String id = "emb" + UUID.randomUUID().toString().substring(0, 6);
        NodeConfig c = config(Map.of("node.id", id, "mqtt.broker", "auto",
                "mqtt.embedded_listen", "127.0.0.1:" + port));
        try (NodeService node = NodeService.start(c, System.out)) {
            assertTrue(BrokerChoice.answers(new HostPort("127.0.0.1", port)), "embedded broker listens");
            try (TopicRecorder rec = TopicRecorder.subscribe("tcp://127.0.0.1:" + port, "mdeas/" + id + "/#")) {
                rec.await(m -> m.topic().endsWith("/availability") && m.payload().equals("online"), WAIT,
                        "retained online from the embedded broker");
                rec.await(m -> m.topic().endsWith("/scan"), WAIT, "scans through the embedded broker");
                MqttClient pub = new MqttClient("tcp://127.0.0.1:" + port, "cmd-" + id, new MemoryPersistence());
                pub.connect();
                pub.publish("mdeas/" + id + "/cmd/background", "reset".getBytes(StandardCharsets.UTF_8), 1, false);
                pub.disconnect();
                pub.close();
                long end = System.nanoTime() + WAIT.toNanos();
                JsonNode health;
                do {
                    health = Payloads.mapper().readTree(get(node.httpUrl() + "/health").body());
                    Thread.sleep(50);
                } while (!health.at("/checks/background/reason").asText().contains("reset") && System.nanoTime() < end);
                assertTrue(health.at("/checks/background/reason").asText().contains("reset"),
                        "background reset by command: " + health);
            }
            node.requestStop();
            assertEquals(0, node.awaitEnd());
        }
        assertTrue(!BrokerChoice.answers(new HostPort("127.0.0.1", port)), "embedded broker stopped with the node");
        // Everything the node started is closed: nothing left that would keep a JVM alive.
        assertEquals(List.of(), threads.newNonDaemonAfter(WAIT), "non-daemon threads left after close");
    }

    @Test
    void withMqttAndHttpOffOnlyThePrintedLinesRemain() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        NodeConfig c = config(Map.of("node.id", "quiet", "mqtt.broker", "none", "http.listen", "none",
                "output.print", "true", "source.max_frames", "12"));
        try (NodeService node = NodeService.start(c, new PrintStream(printed, true, StandardCharsets.UTF_8))) {
            assertEquals(null, node.httpUrl());
            assertEquals(0, node.awaitEnd());
        }
        List<String> topics = printed.toString(StandardCharsets.UTF_8).lines()
                .map(l -> {
                    try {
                        return Payloads.mapper().readTree(l).get("topic").asText();
                    } catch (java.io.IOException e) {
                        throw new AssertionError("not a JSON line: " + l, e);
                    }
                }).distinct().toList();
        assertTrue(topics.contains("mdeas/quiet/scan"), topics.toString());
        assertTrue(topics.stream().allMatch(t -> t.startsWith("mdeas/quiet/")), topics.toString());
    }

    @Test
    void autoUsesABrokerThatAlreadyAnswers() throws Exception {
        try (MosquittoProcess broker = MosquittoProcess.start(tmp, List.of())) {
            BrokerChoice choice = BrokerChoice.resolve(new ConfigLoader().load(null, Map.of(),
                    Map.of("mqtt.embedded_listen", "127.0.0.1:" + broker.port())));
            assertEquals(broker.tcpUri(), choice.uri());
            assertEquals(null, choice.embedded());
            choice.close();
        }
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
