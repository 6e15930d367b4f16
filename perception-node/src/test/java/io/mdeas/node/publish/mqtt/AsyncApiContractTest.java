package io.mdeas.node.publish.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mdeas.node.publish.EventMessage;
import io.mdeas.node.publish.EventType;
import io.mdeas.node.publish.MessageSink;
import io.mdeas.node.publish.ObstacleReport;
import io.mdeas.node.publish.ObstaclesMessage;
import io.mdeas.node.publish.Payloads;
import io.mdeas.node.publish.Topic;
import io.mdeas.node.service.StatsPublisher;
import io.mdeas.node.testing.AsyncApiContract;
import io.mdeas.node.testing.TopicRecorder;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** deploy/asyncapi.yaml describes every topic, and what the node really sends over MQTT validates against it. */
class AsyncApiContractTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final AsyncApiContract contract = AsyncApiContract.load();

    @Test
    void theDocumentIsAsyncApi26AndHasAChannelPerTopicAndCommand() {
        JsonNode doc = contract.document();
        assertEquals("2.6.0", doc.get("asyncapi").asText());
        for (Topic t : Topic.values()) {
            assertTrue(doc.path("channels").has(AsyncApiContract.channel(t.suffix())), t.suffix());
        }
        assertTrue(doc.path("channels").has(AsyncApiContract.channel("cmd/background")));
        assertTrue(doc.path("channels").has(AsyncApiContract.channel("cmd/motion")));
        assertEquals(1, doc.at("/channels/mdeas~1{nodeId}~1events/subscribe/bindings/mqtt/qos").asInt());
    }

    @Test
    void theSchemasRejectWhatTheContractForbids() {
        assertFalse(contract.problems("events", "{\"type\":\"obstacle_gone\",\"ts\":1,\"frame\":1}").isEmpty());
        assertFalse(contract.problems("obstacles", "{\"ts\":1,\"frame\":1,\"obstacles\":[{\"id\":1}]}").isEmpty());
        assertFalse(contract.problems("scan", "{\"ts\":1,\"frame\":1}").isEmpty());
        assertFalse(contract.problems("availability", "maybe").isEmpty());
        assertFalse(contract.problems("cmd/motion", "fast").isEmpty());
        assertEquals(List.of(), contract.problems("cmd/motion", "moving"));
    }

    @Test
    void everyPayloadTheSinkPublishesValidates() throws Exception {
        String id = MqttSinkTest.newNodeId();
        String root = "mdeas/" + id + "/";
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        // The pipeline's meters, as it registers them, so stats carry real numbers.
        registry.counter("mdeas.frames.captured").increment(30);
        registry.counter("mdeas.frames.processed").increment(28);
        registry.counter("mdeas.frames.dropped", "reason", "stale").increment(2);
        Timer latency = Timer.builder("mdeas.frame.latency").publishPercentiles(0.5, 0.99).register(registry);
        latency.record(Duration.ofMillis(40));
        Timer.builder("mdeas.inference.duration").publishPercentiles(0.5, 0.99).register(registry)
                .record(Duration.ofMillis(20));
        registry.gauge("mdeas.background.age", 12.5);

        ObstacleReport obstacle = new ObstacleReport(4, 1.3, 1.25, 12.0, List.of(100, 80, 60, 120), 0.031, 450);
        try (TopicRecorder rec = TopicRecorder.subscribe("tcp://127.0.0.1:1883", root + "#")) {
            MqttSink sink = new MqttSink(MqttSinkTest.options("tcp://127.0.0.1:1883", id, Map.of()),
                    Payloads.mapper(), registry, NodeCommands.IGNORE);
            try {
                assertTrue(sink.awaitConnected(WAIT), sink.lastProblem());
                sink.publish(Topic.EVENTS, EventMessage.obstacle(EventType.OBSTACLE_NEW, 1_700_000_000_000L, 10, obstacle));
                sink.publish(Topic.EVENTS, EventMessage.obstacle(EventType.OBSTACLE_NEAR, 1_700_000_000_100L, 11, obstacle));
                sink.publish(Topic.EVENTS, EventMessage.change(EventType.CHANGE_START, 1_700_000_000_100L, 11, 0.08));
                sink.publish(Topic.OBSTACLES, new ObstaclesMessage(1_700_000_000_100L, 11, List.of(obstacle)));
                rec.await(m -> m.topic().equals(root + "obstacles"), WAIT, "obstacles");
                sink.publish(Topic.OBSTACLES, new ObstaclesMessage(1_700_000_000_200L, 12, List.of()));
                rec.awaitCount(m -> m.topic().equals(root + "obstacles"), 2, WAIT, "empty obstacles");
                sink.publish(Topic.SCAN, MqttSinkTest.scan(12));
                rec.await(m -> m.topic().equals(root + "scan"), WAIT, "scan");
                StatsPublisher stats = new StatsPublisher(registry, Duration.ofSeconds(5), List.<MessageSink>of(sink),
                        () -> new StatsPublisher.ModelDescription("cpu", "test-1", "00ff"), () -> 12);
                stats.publishNow();
                rec.await(m -> m.topic().equals(root + "stats"), WAIT, "stats");
                rec.awaitCount(m -> m.topic().equals(root + "events"), 3, WAIT, "three events");
            } finally {
                sink.close();
            }
            rec.await(m -> m.topic().equals(root + "availability") && m.payload().equals("offline"), WAIT, "offline");

            List<String> failures = new ArrayList<>();
            Set<String> seen = new java.util.TreeSet<>();
            for (TopicRecorder.Received m : rec.all()) {
                String suffix = m.topic().substring(root.length());
                seen.add(suffix);
                contract.problems(suffix, m.payload()).forEach(p -> failures.add(suffix + ": " + p + " in " + m.payload()));
            }
            assertEquals(List.of(), failures);
            assertEquals(Set.of("availability", "events", "obstacles", "scan", "stats"), seen);
        }
    }
}
