package io.mdeas.node.deploy;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * deploy/mosquitto/mosquitto.conf run by a real Mosquitto (on a free port and a temporary persistence folder):
 * retained messages survive a restart, and the commented bridge, once enabled, forwards mdeas/# to a fleet broker.
 */
class MosquittoConfigTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void mosquittoIsInstalled() {
        boolean found;
        try {
            Process p = new ProcessBuilder("mosquitto", "-h").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            found = p.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            found = false;
        }
        assumeTrue(found, "mosquitto is not installed (apt install mosquitto): broker config checks skipped");
    }

    @Test
    void retainedAvailabilitySurvivesABrokerRestart() throws Exception {
        int port = freePort();
        Path conf = robotConfig(tmp.resolve("robot"), port, null);
        Process broker = start(conf, port);
        try {
            publish(port, "mdeas/robot-07/availability", "online", true);
        } finally {
            stop(broker);
        }
        broker = start(conf, port);
        try {
            assertEquals("online", receive(port, "mdeas/robot-07/availability", null));
        } finally {
            stop(broker);
        }
    }

    @Test
    void theBridgeForwardsMdeasTopicsToTheFleetBroker() throws Exception {
        int fleetPort = freePort();
        Path fleetConf = tmp.resolve("fleet/mosquitto.conf");
        Files.createDirectories(fleetConf.getParent());
        Files.writeString(fleetConf, "listener " + fleetPort + " 127.0.0.1\nallow_anonymous true\nuser root\n");
        Process fleet = start(fleetConf, fleetPort);
        int robotPort = freePort();
        Process robot = start(robotConfig(tmp.resolve("robot"), robotPort, "127.0.0.1:" + fleetPort), robotPort);
        try {
            String received = receive(fleetPort, "mdeas/robot-07/events",
                    () -> publish(robotPort, "mdeas/robot-07/events", "{\"type\":\"obstacle_new\"}", false));
            assertEquals("{\"type\":\"obstacle_new\"}", received);
        } finally {
            stop(robot);
            stop(fleet);
        }
    }

    /**
     * The shipped file with what a test must change: port, persistence folder, pid file, no include_dir, and
     * (when {@code fleet} is given) the bridge uncommented, pointed at the fleet broker without TLS.
     */
    private static Path robotConfig(Path dir, int port, String fleet) throws IOException {
        Files.createDirectories(dir.resolve("db"));
        String shipped = Files.readString(RepoFiles.root().resolve("deploy/mosquitto/mosquitto.conf"));
        assertTrue(shipped.contains("\nlistener 1883 127.0.0.1\n"), "the robot broker listens on localhost only");
        StringBuilder out = new StringBuilder();
        for (String line : shipped.split("\n", -1)) {
            if (line.equals("listener 1883 127.0.0.1")) {
                line = "listener " + port + " 127.0.0.1";
            } else if (line.startsWith("persistence_location ")) {
                line = "persistence_location " + dir.resolve("db") + "/";
            } else if (line.startsWith("pid_file ")) {
                line = "pid_file " + dir.resolve("mosquitto.pid");
            } else if (line.startsWith("include_dir ")) {
                line = "# " + line;
            } else if (fleet != null && line.startsWith("#") && !line.startsWith("##") && !line.startsWith("# ")) {
                String setting = line.substring(1);
                if (setting.startsWith("address ")) {
                    line = "address " + fleet;
                } else if (setting.matches("(connection|remote_clientid|bridge_protocol_version|cleansession"
                        + "|restart_timeout|keepalive_interval|topic|notifications|notification_topic) .*")) {
                    line = setting;
                }
            }
            out.append(line).append('\n');
        }
        out.append("user root\n");  // when the tests run as root, stay root (the default drops to 'mosquitto')
        Path conf = dir.resolve("mosquitto.conf");
        Files.writeString(conf, out.toString());
        return conf;
    }

    private static Process start(Path conf, int port) throws Exception {
        Process p = new ProcessBuilder("mosquitto", "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(conf.resolveSibling("broker.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            assertTrue(p.isAlive(), "mosquitto exited: " + Files.readString(conf.resolveSibling("broker.log")));
            try (Socket s = new Socket("127.0.0.1", port)) {
                return p;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        p.destroyForcibly();
        throw new AssertionError("mosquitto did not listen on " + port);
    }

    /** SIGTERM: Mosquitto writes its persistence file on a clean exit. */
    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
    }

    private static void publish(int port, String topic, String payload, boolean retained) throws MqttException {
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + port, MqttClient.generateClientId(), new MemoryPersistence());
        c.connect();
        c.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, retained);
        c.disconnect();
        c.close();
    }

    private interface Action {
        void run() throws Exception;
    }

    /** Subscribes, runs {@code then} (if any), and returns the first payload on {@code topic}. */
    private static String receive(int port, String topic, Action then) throws Exception {
        BlockingQueue<String> got = new ArrayBlockingQueue<>(16);
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + port, MqttClient.generateClientId(), new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setConnectionTimeout(5);
        c.connect(o);
        try {
            c.subscribe(topic, 1, (t, m) -> got.offer(new String(m.getPayload(), StandardCharsets.UTF_8)));
            if (then != null) {
                // The bridge connects asynchronously: publish until the first copy arrives.
                for (int i = 0; i < 50 && got.isEmpty(); i++) {
                    then.run();
                    String first = got.poll(200, TimeUnit.MILLISECONDS);
                    if (first != null) {
                        return first;
                    }
                }
            }
            String payload = got.poll(10, TimeUnit.SECONDS);
            assertNotNull(payload, "nothing on " + topic);
            return payload;
        } finally {
            c.disconnect();
            c.close();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
