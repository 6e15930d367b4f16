package io.mdeas.node.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mdeas.node.config.ConfigException;
import io.mdeas.node.config.ConfigLoader;
import io.mdeas.node.publish.Payloads;
import io.mdeas.node.publish.Topic;
import io.mdeas.node.publish.mqtt.MqttLinkOptions;
import io.mdeas.node.publish.mqtt.MqttSink;
import io.mdeas.node.publish.mqtt.NodeCommands;
import io.mdeas.node.testing.MosquittoProcess;
import io.mdeas.node.testing.PrometheusText;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP server: /metrics parsed by a strict Prometheus text parser, /health following the broker. */
class HttpEndpointsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = Payloads.mapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path tmp;

    @Test
    void metricsAreValidPrometheusTextWithTheAgreedNames() throws Exception {
        try (NodeMetrics metrics = new NodeMetrics()) {
            PrometheusMeterRegistry r = metrics.registry();
            // What the pipeline registers (names from NODE.md), recorded once each.
            Counter.builder("mdeas.frames.captured").register(r).increment(3);
            Counter.builder("mdeas.frames.processed").register(r).increment(2);
            Counter.builder("mdeas.frames.dropped").tag("reason", "stale").register(r).increment();
            for (String t : List.of("mdeas.preprocess.duration", "mdeas.inference.duration", "mdeas.analysis.duration",
                    "mdeas.frame.latency")) {
                Timer.builder(t).publishPercentiles(0.5, 0.99).publishPercentileHistogram().register(r)
                        .record(Duration.ofMillis(12));
            }
            MqttSink sink = new MqttSink(MqttLinkOptions.from(new ConfigLoader().load(null, Map.of(), Map.of()),
                    "tcp://127.0.0.1:1883", "metrics-test"), JSON, r, NodeCommands.IGNORE);
            StatsPublisher stats = new StatsPublisher(r, Duration.ofSeconds(5), List.of(sink),
                    () -> new StatsPublisher.ModelDescription("cpu", "t", "00ff"), () -> 1);
            try (HttpEndpoints server = HttpEndpoints.start(new HostPort("127.0.0.1", 0), r,
                    () -> HealthReport.evaluate(Map.of()), JSON)) {
                assertTrue(sink.awaitConnected(WAIT));
                sink.publish(Topic.EVENTS, Map.of("type", "change_start", "ts", 1, "frame", 1));
                stats.sample();
                Thread.sleep(200);
                HttpResponse<String> res = get(server.baseUrl() + "/metrics");
                assertEquals(200, res.statusCode());
                assertTrue(res.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
                Map<String, PrometheusText.Family> families = PrometheusText.parse(res.body());

                assertFamily(families, "mdeas_frames_captured_total", "counter");
                assertEquals(3.0, value(families, "mdeas_frames_captured_total", "mdeas_frames_captured_total", Map.of()));
                assertFamily(families, "mdeas_frames_processed_total", "counter");
                assertEquals(1.0, value(families, "mdeas_frames_dropped_total", "mdeas_frames_dropped_total",
                        Map.of("reason", "stale")));
                assertFamily(families, "mdeas_mqtt_messages_published_total", "counter");
                assertEquals(1.0, value(families, "mdeas_mqtt_messages_published_total", "mdeas_mqtt_messages_published_total",
                        Map.of("topic", "events")));
                assertFamily(families, "mdeas_mqtt_reconnects_total", "counter");
                assertEquals(1.0, value(families, "mdeas_mqtt_connected", "mdeas_mqtt_connected", Map.of()));
                assertFamily(families, "mdeas_fps_in", "gauge");
                assertFamily(families, "mdeas_fps_processed", "gauge");
                for (String t : List.of("mdeas_preprocess_duration_seconds", "mdeas_inference_duration_seconds",
                        "mdeas_analysis_duration_seconds", "mdeas_frame_latency_seconds")) {
                    PrometheusText.Family f = assertFamily(families, t, "histogram");
                    assertTrue(f.samples().stream().anyMatch(s -> s.name().equals(t + "_bucket")
                            && s.labels().get("le").equals("+Inf") && s.value() == 1.0), t + " +Inf bucket");
                    assertEquals(0.012, value(families, t, t + "_sum", Map.of()), 1e-9, t + " in seconds");
                }
                assertFamily(families, "jvm_memory_used_bytes", "gauge");
                assertFamily(families, "jvm_threads_live_threads", "gauge");
                assertFamily(families, "process_uptime_seconds", "gauge");
                assertFamily(families, "process_cpu_usage", "gauge");
            } finally {
                sink.close();
            }
        }
    }

    @Test
    void healthFollowsTheBrokerAndIs503WhenDown() throws Exception {
        try (MosquittoProcess broker = MosquittoProcess.start(tmp, List.of());
             NodeMetrics metrics = new NodeMetrics()) {
            MqttSink sink = new MqttSink(MqttLinkOptions.from(new ConfigLoader().load(null, Map.of(),
                    Map.of("mqtt.reconnect_min_s", "0.05", "mqtt.reconnect_max_s", "0.2")), broker.tcpUri(), "health-test"),
                    JSON, metrics.registry(), NodeCommands.IGNORE);
            boolean[] cameraUp = {true};
            Map<String, Supplier<HealthCheck>> checks = new LinkedHashMap<>();
            checks.put("camera", () -> cameraUp[0] ? HealthCheck.up("frames arriving") : HealthCheck.down("no frame for 6 s"));
            checks.put("model", () -> HealthCheck.up("cpu"));
            checks.put("broker", new BrokerHealth(sink, "test"));
            checks.put("background", () -> HealthCheck.up("stable"));
            try (HttpEndpoints server = HttpEndpoints.start(new HostPort("127.0.0.1", 0), metrics.registry(),
                    () -> HealthReport.evaluate(checks), JSON)) {
                assertTrue(sink.awaitConnected(WAIT));
                JsonNode up = health(server, 200);
                assertEquals("UP", up.get("status").asText());
                assertEquals(List.of("camera", "model", "broker", "background"), names(up.get("checks")));
                assertTrue(up.at("/checks/broker/reason").asText().contains(broker.tcpUri()));

                broker.stop();
                JsonNode degraded = awaitStatus(server, "DEGRADED", 200);
                assertEquals("DOWN", degraded.at("/checks/broker/status").asText());
                assertTrue(degraded.at("/checks/broker/reason").asText().length() > 5);

                broker.start();
                assertTrue(sink.awaitConnected(WAIT));
                awaitStatus(server, "UP", 200);

                cameraUp[0] = false;
                JsonNode down = health(server, 503);
                assertEquals("DOWN", down.get("status").asText());
                assertEquals("no frame for 6 s", down.at("/checks/camera/reason").asText());
            } finally {
                sink.close();
            }
        }
    }

    @Test
    void aTakenAddressIsAOneLineConfigError() throws Exception {
        try (NodeMetrics metrics = new NodeMetrics();
             HttpEndpoints first = HttpEndpoints.start(new HostPort("127.0.0.1", 0), metrics.registry(),
                     () -> HealthReport.evaluate(Map.of()), JSON)) {
            int port = first.address().getPort();
            ConfigException e = assertThrows(ConfigException.class, () -> HttpEndpoints.start(
                    new HostPort("127.0.0.1", port), metrics.registry(), () -> HealthReport.evaluate(Map.of()), JSON));
            assertTrue(e.getMessage().startsWith("http.listen = 127.0.0.1:" + port), e.getMessage());
            assertEquals(405, http.send(HttpRequest.newBuilder(URI.create(first.baseUrl() + "/metrics"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        }
    }

    private JsonNode awaitStatus(HttpEndpoints server, String status, int code) throws Exception {
        long end = System.nanoTime() + WAIT.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < end) {
            last = health(server, -1);
            if (last.get("status").asText().equals(status)) {
                return health(server, code);
            }
            Thread.sleep(20);
        }
        throw new AssertionError("health never became " + status + ": " + last);
    }

    private JsonNode health(HttpEndpoints server, int expectedCode) throws Exception {
        HttpResponse<String> res = get(server.baseUrl() + "/health");
        if (expectedCode > 0) {
            assertEquals(expectedCode, res.statusCode(), res.body());
        }
        assertTrue(res.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        return JSON.readTree(res.body());
    }

    private static List<String> names(JsonNode object) {
        List<String> out = new java.util.ArrayList<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static PrometheusText.Family assertFamily(Map<String, PrometheusText.Family> families, String name,
                                                      String type) {
        PrometheusText.Family f = families.get(name);
        assertNotNull(f, "no metric family " + name + " in " + families.keySet());
        assertEquals(type, f.type(), name);
        return f;
    }

    private static double value(Map<String, PrometheusText.Family> families, String family, String sample,
                                Map<String, String> labels) {
        return assertFamily(families, family, families.get(family) == null ? "" : families.get(family).type())
                .samples().stream()
                .filter(s -> s.name().equals(sample) && s.labels().entrySet().containsAll(labels.entrySet()))
                .mapToDouble(PrometheusText.Sample::value).findFirst()
                .orElseThrow(() -> new AssertionError("no sample " + sample + labels));
    }
}
