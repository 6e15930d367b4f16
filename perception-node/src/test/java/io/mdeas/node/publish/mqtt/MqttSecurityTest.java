package io.mdeas.node.publish.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mdeas.node.publish.Payloads;
import io.mdeas.node.publish.Topic;
import io.mdeas.node.testing.MosquittoProcess;
import io.mdeas.node.testing.TopicRecorder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** User name / password and mutual TLS against private Mosquitto brokers, with a CA made by the test. */
class MqttSecurityTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path tmp;

    @Test
    void usernameAndPasswordAreSentAndAWrongPasswordIsRefused() throws Exception {
        Path passwords = tmp.resolve("passwd");
        run(tmp, "mosquitto_passwd", "-b", "-c", passwords.toString(), "robot", "s3cret");
        try (MosquittoProcess broker = MosquittoProcess.start(tmp, List.of("password_file " + passwords))) {
            String id = MqttSinkTest.newNodeId();
            try (TopicRecorder rec = TopicRecorder.subscribe(broker.tcpUri(), "mdeas/" + id + "/#", "robot", "s3cret", null);
                 MqttSink sink = new MqttSink(MqttSinkTest.options(broker.tcpUri(), id,
                         Map.of("mqtt.username", "robot", "mqtt.password", "s3cret")),
                         Payloads.mapper(), new SimpleMeterRegistry(), NodeCommands.IGNORE)) {
                assertTrue(sink.awaitConnected(WAIT), sink.lastProblem());
                sink.publish(Topic.EVENTS, MqttSinkTest.event(1));
                rec.await(m -> m.topic().endsWith("/events"), WAIT, "event through an authenticated session");
            }
            try (MqttSink wrong = new MqttSink(MqttSinkTest.options(broker.tcpUri(), MqttSinkTest.newNodeId(),
                    Map.of("mqtt.username", "robot", "mqtt.password", "nope")),
                    Payloads.mapper(), new SimpleMeterRegistry(), NodeCommands.IGNORE)) {
                assertFalse(wrong.awaitConnected(Duration.ofSeconds(2)));
                assertTrue(wrong.lastProblem().toLowerCase().contains("not authori"), wrong.lastProblem());
            }
        }
    }

    @Test
    void mutualTlsWithATestCa() throws Exception {
        Path ca = tmp.resolve("ca.crt");
        run(tmp, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
                "-days", "1", "-subj", "/CN=mdeas-test-ca");
        issue(tmp, "server", "/CN=localhost", "subjectAltName=IP:127.0.0.1,DNS:localhost");
        issue(tmp, "client", "/CN=mdeas-node", "extendedKeyUsage=clientAuth");
        try (MosquittoProcess broker = MosquittoProcess.start(tmp, List.of(
                "cafile " + ca, "certfile " + tmp.resolve("server.crt"), "keyfile " + tmp.resolve("server.key"),
                "require_certificate true"))) {
            String uri = "ssl://127.0.0.1:" + broker.port();
            String id = MqttSinkTest.newNodeId();
            MqttLinkOptions.TlsFiles files = new MqttLinkOptions.TlsFiles(ca, tmp.resolve("client.crt"),
                    tmp.resolve("client.key"));
            SSLSocketFactory recorderTls = PemTls.socketFactory(files);
            Map<String, String> tls = Map.of("mqtt.tls.ca_file", ca.toString(),
                    "mqtt.tls.cert_file", tmp.resolve("client.crt").toString(),
                    "mqtt.tls.key_file", tmp.resolve("client.key").toString());
            try (TopicRecorder rec = TopicRecorder.subscribe(uri, "mdeas/" + id + "/#", null, null, recorderTls);
                 MqttSink sink = new MqttSink(MqttSinkTest.options(uri, id, tls), Payloads.mapper(),
                         new SimpleMeterRegistry(), NodeCommands.IGNORE)) {
                assertTrue(sink.awaitConnected(WAIT), sink.lastProblem());
                sink.publish(Topic.EVENTS, MqttSinkTest.event(1));
                TopicRecorder.Received ev = rec.await(m -> m.topic().endsWith("/events"), WAIT, "event over TLS");
                assertTrue(ev.payload().contains("\"frame\":1"));
            }
            // Without a client certificate the broker refuses the session.
            try (MqttSink noCert = new MqttSink(MqttSinkTest.options(uri, MqttSinkTest.newNodeId(),
                    Map.of("mqtt.tls.ca_file", ca.toString())), Payloads.mapper(), new SimpleMeterRegistry(),
                    NodeCommands.IGNORE)) {
                assertFalse(noCert.awaitConnected(Duration.ofSeconds(2)));
                assertFalse(noCert.lastProblem().isEmpty());
            }
        }
    }

    private static void issue(Path dir, String name, String subject, String extension) throws Exception {
        Files.writeString(dir.resolve(name + ".ext"), extension + "\n");
        run(dir, "openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".csr",
                "-subj", subject);
        run(dir, "openssl", "x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                "-CAcreateserial", "-out", name + ".crt", "-days", "1", "-extfile", name + ".ext");
    }

    private static void run(Path dir, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
    }
}
