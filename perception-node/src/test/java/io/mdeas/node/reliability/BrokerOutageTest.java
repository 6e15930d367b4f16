package io.mdeas.node.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import io.mdeas.node.config.ConfigLoader;
import io.mdeas.node.config.NodeConfig;
import io.mdeas.node.publish.Payloads;
import io.mdeas.node.service.NodeService;
import io.mdeas.node.testing.MosquittoProcess;
import io.mdeas.node.testing.TinyModels;
import io.mdeas.node.testing.TopicRecorder;
import io.mdeas.node.testing.TopicRecorder.Received;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole node (demo clip, real tiny ONNX model, MQTT to a Mosquitto this test owns) while that broker is
 * stopped and restarted ten times mid-run: the node keeps running, is connected again within 5 s of each
 * return, every QoS 1 event it published reaches a persistent subscriber, no scan captured during an outage is
 * delivered later, and the thread count stays flat.
 */
class BrokerOutageTest {
    private static final int OUTAGES = 10;
    private static final long RECONNECT_LIMIT_MS = 5000;

    @TempDir
    Path tmp;

    private final HttpClient http = HttpClient.newHttpClient();

    private record Outage(long stopMs, long startMs) {}

    @Test
    void tenBrokerRestartsLoseNoEventAndReplayNoStaleScan() throws Exception {
        String id = "rel" + UUID.randomUUID().toString().substring(0, 8);
        String root = "mdeas/" + id + "/";
        String recId = "rec-" + id;
        try (MosquittoProcess broker = MosquittoProcess.start(tmp,
                List.of("persistence true", "persistence_location " + tmp + "/"))) {
            List<Received> received = new ArrayList<>();
            TopicRecorder rec = subscribe(broker.tcpUri(), root + "#", recId);
            Path model = TinyModels.builder().inputSize(64).write(tmp.resolve("tiny.onnx"));
            Map<String, String> o = new HashMap<>(Map.of("model.path", model.toString(), "model.providers", "cpu",
                    "http.listen", "127.0.0.1:0", "node.id", id, "mqtt.broker", broker.tcpUri(), "output.print", "true",
                    "mqtt.reconnect_min_s", "0.1", "mqtt.reconnect_max_s", "1", "stats.interval_s", "1"));
            NodeConfig config = new ConfigLoader().load(null, Map.of(), o);
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            List<Outage> outages = new ArrayList<>();
            int warmThreads = 0;
            String printedSoFar;
            try (NodeService node = NodeService.start(config, new PrintStream(printed, true, StandardCharsets.UTF_8))) {
                waitConnected(node, 15_000);
                Thread.sleep(1000);
                for (int i = 0; i < OUTAGES; i++) {
                    rec.close(); // then collect: nothing can arrive between the two
                    received.addAll(rec.all());
                    long stop = System.currentTimeMillis();
                    broker.stopGracefully();
                    Thread.sleep(1200); // the node keeps processing; events are buffered, scans dropped
                    broker.start();
                    long start = System.currentTimeMillis();
                    outages.add(new Outage(stop, start));
                    long took = waitConnected(node, RECONNECT_LIMIT_MS + 5000);
                    assertTrue(took <= RECONNECT_LIMIT_MS, "outage " + i + ": reconnected " + took + " ms after the broker returned");
                    rec = subscribe(broker.tcpUri(), root + "#", recId);
                    Thread.sleep(600);
                    if (i == 1) {
                        warmThreads = nodeThreads(recId);
                    }
                }
                int threadsAfter = nodeThreads(recId);
                assertTrue(threadsAfter <= warmThreads + 2, "threads grew from " + warmThreads + " to " + threadsAfter);
                printedSoFar = printed.toString(StandardCharsets.UTF_8);
                Thread.sleep(1500); // the events printed so far have time to arrive
                rec.close();
                received.addAll(rec.all());
                assertNull(nodeFailure(node), "the node is still running");
            }

            Set<String> publishedEvents = new LinkedHashSet<>();
            for (String line : printedSoFar.lines().toList()) {
                JsonNode j = Payloads.mapper().readTree(line);
                if (j.get("topic").asText().equals(root + "events")) {
                    publishedEvents.add(Payloads.mapper().writeValueAsString(j.get("payload")));
                }
            }
            Set<String> receivedEvents = new LinkedHashSet<>();
            List<Long> scanTs = new ArrayList<>();
            for (Received m : received) {
                if (m.topic().equals(root + "events")) {
                    receivedEvents.add(Payloads.mapper().writeValueAsString(Payloads.mapper().readTree(m.payload())));
                } else if (m.topic().equals(root + "scan")) {
                    scanTs.add(Payloads.mapper().readTree(m.payload()).get("ts").asLong());
                }
            }
            // Every event the node published up to the last check has reached the persistent subscriber.
            List<String> missing = publishedEvents.stream().filter(e -> !receivedEvents.contains(e)).toList();
            assertEquals(List.of(), missing, missing.size() + " of " + publishedEvents.size() + " events lost");
            assertTrue(publishedEvents.size() > 0 || receivedEvents.isEmpty(), "events compared");
            for (long ts : scanTs) {
                for (Outage out : outages) {
                    assertTrue(ts < out.stopMs() + 300 || ts > out.startMs() - 100,
                            "scan captured at " + ts + " during the outage " + out + " was delivered later");
                }
            }
            assertTrue(scanTs.size() > OUTAGES, "scans arrived between outages: " + scanTs.size());
        }
    }

    /**
     * The persistent subscriber, connected with a deadline: Paho's {@code MqttClient.connect} can wait forever when
     * a loaded machine delays its CONNECT past the broker's timeout, so a stuck attempt is abandoned (its threads
     * are daemons) and retried with the same client id (the session, and its queued events, stay the broker's).
     */
    private static TopicRecorder subscribe(String uri, String filter, String clientId) throws Exception {
        Exception last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            java.util.concurrent.FutureTask<TopicRecorder> connect = new java.util.concurrent.FutureTask<>(
                    () -> TopicRecorder.subscribePersistent(uri, filter, clientId));
            Thread t = new Thread(connect, "recorder-connect");
            t.setDaemon(true);
            t.start();
            try {
                return connect.get(15, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                last = e;
                t.interrupt();
            }
        }
        throw new AssertionError("the test's subscriber could not connect to " + uri, last);
    }

    /** Live threads, leaving out the test's own subscriber (its Paho threads carry its client id). */
    private static int nodeThreads(String recId) {
        return (int) Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> !t.getName().contains(recId) && !t.getName().equals("recorder-connect")).count();
    }

    /** Waits until the node's /metrics say MQTT is connected; returns how long that took. */
    private long waitConnected(NodeService node, long limitMs) throws Exception {
        long t0 = System.currentTimeMillis();
        while (System.currentTimeMillis() - t0 < limitMs) {
            String body = http.send(HttpRequest.newBuilder(URI.create(node.httpUrl() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            if (body.lines().anyMatch(l -> l.startsWith("mdeas_mqtt_connected") && l.trim().endsWith(" 1.0"))) {
                return System.currentTimeMillis() - t0;
            }
            Thread.sleep(50);
        }
        return Long.MAX_VALUE;
    }

    private static String nodeFailure(NodeService node) throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(node.httpUrl() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        JsonNode h = Payloads.mapper().readTree(body);
        String camera = h.path("checks").path("camera").path("status").asText("");
        return camera.equals("DOWN") || camera.equalsIgnoreCase("down") ? body : null;
    }
}
