package io.mdeas.node.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mdeas.node.config.ConfigException;
import io.mdeas.node.config.ConfigLoader;
import io.mdeas.node.publish.Payloads;
import io.mdeas.node.publish.Topic;
import io.mdeas.node.publish.mqtt.MqttLinkOptions;
import io.mdeas.node.publish.mqtt.MqttSink;
import io.mdeas.node.publish.mqtt.NodeCommands;
import io.mdeas.node.testing.MosquittoProcess;
import io.mdeas.node.testing.ThreadLeaks;
import io.mdeas.node.testing.TopicRecorder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The in-process Moquette broker: the sink talks to it like to Mosquitto; a taken port is a clear error. */
class EmbeddedBrokerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void theSinkPublishesThroughTheEmbeddedBroker() throws Exception {
        ThreadLeaks threads = ThreadLeaks.snapshot();
        int port = MosquittoProcess.freePort();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (EmbeddedBroker broker = EmbeddedBroker.start("127.0.0.1", port)) {
            // The node connects as soon as the broker is up (the demo's --mqtt auto): that first connect must work.
            MqttSink sink = new MqttSink(MqttLinkOptions.from(new ConfigLoader().load(null, Map.of(), Map.of()),
                    broker.uri(), "emb"), Payloads.mapper(), registry, NodeCommands.IGNORE);
            try (TopicRecorder rec = TopicRecorder.subscribe(broker.uri(), "mdeas/emb/#")) {
                assertTrue(sink.awaitConnected(WAIT), sink.lastProblem());
                sink.publish(Topic.EVENTS, Map.of("type", "change_start", "ts", 5, "frame", 1));
                rec.await(m -> m.topic().equals("mdeas/emb/events") && m.payload().contains("\"frame\":1"), WAIT, "event");
                sink.close();
                rec.await(m -> m.topic().equals("mdeas/emb/availability") && m.payload().equals("offline"), WAIT, "offline");
            } finally {
                sink.close();
            }
            assertEquals(0.0, registry.counter("mdeas.mqtt.reconnects").count(), "connected at the first attempt");
            assertEquals("", sink.lastProblem(), "no failed connection attempt");
        }
        // Closed broker and sink leave no thread that would keep a JVM alive (Netty's global executor ends
        // itself after a quiet second).
        assertEquals(List.of(), threads.newNonDaemonAfter(WAIT), "non-daemon threads left");
    }

    @Test
    void autoProbesForARealMqttBroker() throws Exception {
        assertTrue(BrokerChoice.answers(new HostPort("127.0.0.1", 1883)), "the shared Mosquitto answers");
        try (java.net.ServerSocket notMqtt = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            HostPort address = new HostPort("127.0.0.1", notMqtt.getLocalPort());
            assertTrue(!BrokerChoice.answers(address), "a port that accepts TCP but not MQTT is no broker");
            ConfigException e = assertThrows(ConfigException.class, () -> BrokerChoice.resolve(new ConfigLoader()
                    .load(null, Map.of(), Map.of("mqtt.embedded_listen", address.toString()))));
            assertTrue(e.getMessage().contains("cannot listen on " + address), e.getMessage());
        }
    }

    @Test
    void aTakenPortIsAClearOneLineError() throws Exception {
        int port = MosquittoProcess.freePort();
        try (EmbeddedBroker first = EmbeddedBroker.start("127.0.0.1", port)) {
            assertEquals("tcp://127.0.0.1:" + port, first.uri());
            ConfigException e = assertThrows(ConfigException.class, () -> EmbeddedBroker.start("127.0.0.1", port));
            assertTrue(e.getMessage().startsWith("mqtt.broker = embedded: cannot listen on 127.0.0.1:" + port),
                    e.getMessage());
            ConfigException viaChoice = assertThrows(ConfigException.class, () -> BrokerChoice.resolve(
                    new ConfigLoader().load(null, Map.of(), Map.of("mqtt.broker", "embedded",
                            "mqtt.embedded_listen", "127.0.0.1:" + port))));
            assertTrue(viaChoice.getMessage().contains("cannot listen"), viaChoice.getMessage());
        }
    }
}
