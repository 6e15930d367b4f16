package io.mdeas.node.publish.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mdeas.node.config.ConfigLoader;
import io.mdeas.node.config.NodeConfig;
import io.mdeas.node.publish.EventMessage;
import io.mdeas.node.publish.EventType;
import io.mdeas.node.publish.ObstacleReport;
import io.mdeas.node.publish.ObstaclesMessage;
import io.mdeas.node.publish.Payloads;
import io.mdeas.node.publish.ScanMessage;
import io.mdeas.node.publish.Topic;
import io.mdeas.node.testing.MosquittoProcess;
import io.mdeas.node.testing.TopicRecorder;
import io.mdeas.node.testing.TopicRecorder.Received;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MqttSink against real Mosquitto brokers: the shared one on 1883 and private ones it can stop and restart. */
class MqttSinkTest {
    private static final ObjectMapper JSON = Payloads.mapper();
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path tmp;

    static MqttLinkOptions options(String uri, String nodeId, Map<String, String> overrides) {
        NodeConfig c = new ConfigLoader().load(null, Map.of(), overrides);
        return MqttLinkOptions.from(c, uri, nodeId);
    }

    static String newNodeId() {
        return "t" + UUID.randomUUID().toString().substring(0, 8);
    }

    static EventMessage event(long frame) {
        return EventMessage.change(EventType.CHANGE_START, 1_700_000_000_000L + frame, frame, 0.25);
    }

    static ScanMessage scan(long frame) {
        return ScanMessage.of(1_700_000_000_000L + frame, frame, -30, 1, 0.1, 10,
                new float[] {1.5f, Float.POSITIVE_INFINITY, 0.75f});
    }

    /** Records commands arriving on cmd/background and cmd/motion. */
    static final class RecordedCommands implements NodeCommands {
        final List<String> seen = new CopyOnWriteArrayList<>();

        @Override
        public void resetBackground() {
            seen.add("reset");
        }

        @Override
        public void setMoving(boolean moving) {
            seen.add(moving ? "moving" : "stopped");
        }
    }

    /** Events still buffered when the node stops are sent before {@code offline}, none lost (close flushes). */
    @Test
    void closeDeliversTheEventsStillWaiting() throws Exception {
        String id = newNodeId();
        String root = "mdeas/" + id + "/";
        int n = 300;
        try (TopicRecorder rec = TopicRecorder.subscribe("tcp://127.0.0.1:1883", root + "#")) {
            MqttSink sink = new MqttSink(options("tcp://127.0.0.1:1883", id, Map.of()), JSON, new SimpleMeterRegistry(),
                    NodeCommands.IGNORE);
            assertTrue(sink.awaitConnected(WAIT), sink.lastProblem());
            for (int i = 0; i < n; i++) {
                sink.publish(Topic.EVENTS, event(i));
            }
            int waiting = sink.bufferedEvents();
            sink.close();
            assertTrue(waiting > 0, "the test needs events still buffered at close");
            rec.await(m -> m.topic().equals(root + "availability") && m.payload().equals("offline"), WAIT,
                    "offline on close");
            List<Received> events = rec.all().stream().filter(m -> m.topic().equals(root + "events")).toList();
            assertEquals(n, events.size(), waiting + " events were waiting at close");
            assertEquals(n - 1, JSON.readTree(events.get(n - 1).payload()).get("frame").asLong(), "in order");
        }
    }

    @Test
    void publishesEveryTopicAndCommandsArriveOnTheSharedBroker() throws Exception {
        String id = newNodeId();
        String root = "mdeas/" + id + "/";
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RecordedCommands commands = new RecordedCommands();
        try (TopicRecorder rec = TopicRecorder.subscribe("tcp://127.0.0.1:1883", root + "#")) {
            MqttSink sink = new MqttSink(options("tcp://127.0.0.1:1883", id, Map.of()), JSON, registry, commands);
            try {
                assertTrue(sink.awaitConnected(WAIT), sink.lastProblem());
                Received online = rec.await(m -> m.topic().equals(root + "availability"), WAIT, "online");
                assertEquals("online", online.payload());

                sink.publish(Topic.EVENTS, EventMessage.obstacle(EventType.OBSTACLE_NEW, 1_700_000_000_123L, 7,
                        new ObstacleReport(3, 1.25, 1.2, -10.5, List.of(10, 20, 30, 40), 0.05, 0)));
                sink.publish(Topic.OBSTACLES, new ObstaclesMessage(1_700_000_000_123L, 7,
                        List.of(new ObstacleReport(3, 1.25, 1.2, -10.5, List.of(10, 20, 30, 40), 0.05, 0))));
                sink.publish(Topic.SCAN, scan(7));

                JsonNode ev = JSON.readTree(rec.await(m -> m.topic().equals(root + "events"), WAIT, "event").payload());
                assertEquals("obstacle_new", ev.get("type").asText());
                assertEquals(1_700_000_000_123L, ev.get("ts").asLong());
                assertEquals(7, ev.get("frame").asLong());
                assertEquals(1.25, ev.get("obstacle").get("distance_m").asDouble());
                assertEquals(1.2, ev.get("obstacle").get("range_m").asDouble());
                assertEquals(4, ev.get("obstacle").get("bbox").size());
                Received evMsg = rec.await(m -> m.topic().equals(root + "events"), WAIT, "event");
                assertEquals(1, evMsg.qos(), "events go with QoS 1 by default");

                JsonNode obs = JSON.readTree(rec.await(m -> m.topic().equals(root + "obstacles"), WAIT, "obstacles").payload());
                assertEquals(7, obs.get("frame").asLong());
                JsonNode o = obs.get("obstacles").get(0);
                for (String f : List.of("id", "distance_m", "range_m", "bearing_deg", "bbox", "area_frac", "age_ms")) {
                    assertTrue(o.has(f), "obstacle field " + f);
                }
                JsonNode sc = JSON.readTree(rec.await(m -> m.topic().equals(root + "scan"), WAIT, "scan").payload());
                assertTrue(sc.get("ranges_m").get(1).isNull(), "+Inf is null");
                assertEquals(0.75, sc.get("nearest_m").asDouble());

                org.eclipse.paho.client.mqttv3.MqttClient pub = new org.eclipse.paho.client.mqttv3.MqttClient(
                        "tcp://127.0.0.1:1883", "pub-" + id, new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence());
                pub.connect();
                pub.publish(root + "cmd/background", "reset".getBytes(), 1, false);
                pub.publish(root + "cmd/motion", "moving".getBytes(), 1, false);
                pub.publish(root + "cmd/motion", "stopped".getBytes(), 1, false);
                pub.disconnect();
                pub.close();
                long end = System.nanoTime() + WAIT.toNanos();
                while (commands.seen.size() < 3 && System.nanoTime() < end) {
                    Thread.sleep(20);
                }
                assertEquals(List.of("reset", "moving", "stopped"), commands.seen);
            } finally {
                sink.close();
            }
            Received offline = rec.await(m -> m.topic().equals(root + "availability") && m.payload().equals("offline"),
                    WAIT, "offline on close");
            assertEquals("offline", offline.payload());
            assertEquals(1.0, registry.get("mdeas.mqtt.messages.published").tag("topic", "events").counter().count());
            assertEquals(0.0, registry.get("mdeas.mqtt.connected").gauge().value());
        }
        // The retained availability is what a late subscriber sees.
        try (TopicRecorder late = TopicRecorder.subscribe("tcp://127.0.0.1:1883", root + "availability")) {
            Received r = late.await(m -> true, WAIT, "retained availability");
            assertTrue(r.retained());
            assertEquals("offline", r.payload());
        }
    }

    @Test
    void aLateLastWillOfAnEarlierRunIsAnsweredWithOnline() throws Exception {
        String id = newNodeId();
        String topic = "mdeas/" + id + "/availability";
        try (MqttSink sink = new MqttSink(options("tcp://127.0.0.1:1883", id, Map.of()), JSON, new SimpleMeterRegistry(),
                NodeCommands.IGNORE)) {
            assertTrue(sink.awaitConnected(WAIT), sink.lastProblem());
            // What the broker does when the connection of a crashed earlier run times out after we restarted.
            org.eclipse.paho.client.mqttv3.MqttClient ghost = new org.eclipse.paho.client.mqttv3.MqttClient(
                    "tcp://127.0.0.1:1883", "ghost-" + id, new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence());
            ghost.connect();
            ghost.publish(topic, "offline".getBytes(), 1, true);
            ghost.disconnect();
            ghost.close();
            long end = System.nanoTime() + WAIT.toNanos();
            String retained = null;
            while (System.nanoTime() < end) {
                try (TopicRecorder late = TopicRecorder.subscribe("tcp://127.0.0.1:1883", topic)) {
                    retained = late.await(m -> true, WAIT, "retained availability").payload();
                }
                if (retained.equals("online")) {
                    break;
                }
                Thread.sleep(50);
            }
            assertEquals("online", retained, "the node put its retained online back");
        }
    }

    @Test
    void eventsSurviveABrokerRestartAndStaleStateIsNotReplayed() throws Exception {
        try (MosquittoProcess broker = MosquittoProcess.start(tmp,
                List.of("persistence true", "persistence_location " + tmp + "/"))) {
            String id = newNodeId();
            String root = "mdeas/" + id + "/";
            String recId = "rec-" + id;
            TopicRecorder.subscribePersistent(broker.tcpUri(), root + "#", recId).close();
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            try (MqttSink sink = new MqttSink(options(broker.tcpUri(), id,
                    Map.of("mqtt.reconnect_min_s", "0.1", "mqtt.reconnect_max_s", "0.5")), JSON, registry,
                    NodeCommands.IGNORE)) {
                assertTrue(sink.awaitConnected(WAIT), sink.lastProblem());
                sink.publish(Topic.EVENTS, event(1));
                broker.stopGracefully();
                long end = System.nanoTime() + WAIT.toNanos();
                while (sink.connected() && System.nanoTime() < end) {
                    Thread.sleep(10);
                }
                assertFalse(sink.connected(), "sink notices the broker is gone");
                for (long f = 2; f <= 6; f++) {
                    sink.publish(Topic.EVENTS, event(f));
                    sink.publish(Topic.SCAN, scan(f));
                }
                broker.start();
                assertTrue(sink.awaitConnected(WAIT), sink.lastProblem());
                try (TopicRecorder rec = TopicRecorder.subscribePersistent(broker.tcpUri(), root + "#", recId)) {
                    sink.publish(Topic.SCAN, scan(7)); // QoS 0: only a connected subscriber gets it
                    List<Received> events = rec.awaitCount(m -> m.topic().equals(root + "events"), 6, WAIT,
                            "all six events");
                    List<Long> frames = events.stream().map(m -> frame(m.payload())).distinct().toList();
                    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), frames, "no event lost, in order");
                    rec.await(m -> m.topic().equals(root + "scan"), WAIT, "the fresh scan");
                    Thread.sleep(300);
                    List<Long> scans = rec.all().stream().filter(m -> m.topic().equals(root + "scan"))
                            .map(m -> frame(m.payload())).toList();
                    assertEquals(List.of(7L), scans, "scans from the outage are not replayed");
                }
                assertEquals(1.0, registry.get("mdeas.mqtt.reconnects").counter().count());
                assertEquals(5.0, registry.get("mdeas.mqtt.messages.dropped").tags("topic", "scan", "reason",
                        "disconnected").counter().count());
            }
        }
    }

    @Test
    void theOfflineBufferKeepsTheNewestEventsAndCountsTheDropped() throws Exception {
        try (MosquittoProcess broker = MosquittoProcess.start(tmp,
                List.of("persistence true", "persistence_location " + tmp + "/"))) {
            String id = newNodeId();
            String root = "mdeas/" + id + "/";
            String recId = "rec-" + id;
            TopicRecorder.subscribePersistent(broker.tcpUri(), root + "events", recId).close();
            broker.stopGracefully();
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            try (MqttSink sink = new MqttSink(options(broker.tcpUri(), id, Map.of("mqtt.event_buffer", "3",
                    "mqtt.reconnect_min_s", "0.1", "mqtt.reconnect_max_s", "0.3")), JSON, registry,
                    NodeCommands.IGNORE)) {
                for (long f = 1; f <= 10; f++) {
                    sink.publish(Topic.EVENTS, event(f));
                }
                assertEquals(3, sink.bufferedEvents());
                assertEquals(7.0, registry.get("mdeas.mqtt.messages.dropped").tags("topic", "events", "reason",
                        "buffer_full").counter().count());
                broker.start();
                assertTrue(sink.awaitConnected(WAIT), sink.lastProblem());
                try (TopicRecorder rec = TopicRecorder.subscribePersistent(broker.tcpUri(), root + "events", recId)) {
                    List<Received> got = rec.awaitCount(m -> true, 3, WAIT, "the three newest events");
                    Thread.sleep(300);
                    assertEquals(List.of(8L, 9L, 10L), rec.all().stream().map(m -> frame(m.payload())).toList());
                    assertEquals(3, got.size());
                }
            }
        }
    }

    private static long frame(String json) {
        try {
            return JSON.readTree(json).get("frame").asLong();
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }
}
