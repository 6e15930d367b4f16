package io.mdeas.node.deploy;

import io.mdeas.node.config.ConfigKeys;
import io.mdeas.node.config.ConfigLoader;
import io.mdeas.node.config.NodeConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shipped config profiles load through the node's own config loader: known keys, values in range. */
class ConfigProfilesTest {
    private final ConfigLoader loader = new ConfigLoader();

    private NodeConfig load(String profile) {
        return loader.load(RepoFiles.root().resolve("deploy/profiles/" + profile + ".yaml"), Map.of(), Map.of());
    }

    @Test
    void everyProfileLoads() throws Exception {
        List<String> profiles;
        try (Stream<Path> files = Files.list(RepoFiles.root().resolve("deploy/profiles"))) {
            profiles = files.map(p -> p.getFileName().toString().replace(".yaml", "")).sorted().toList();
        }
        assertEquals(List.of("demo", "laptop-webcam", "robot-jetson"), profiles);
        profiles.forEach(this::load);
    }

    @Test
    void theRobotUsesItsCameraItsLocalBrokerAndTheGpuFirst() {
        NodeConfig robot = load("robot-jetson");
        assertEquals("v4l2:/dev/video0", robot.get(ConfigKeys.SOURCE_URI));
        assertEquals("tcp://127.0.0.1:1883", robot.get(ConfigKeys.MQTT_BROKER));
        assertTrue(robot.get(ConfigKeys.MODEL_PROVIDERS).startsWith("tensorrt"), robot.get(ConfigKeys.MODEL_PROVIDERS));
        assertEquals("127.0.0.1:9464", robot.get(ConfigKeys.HTTP_LISTEN));
        assertEquals("/var/lib/mdeas/tensorrt", robot.get(ConfigKeys.MODEL_TRT_CACHE_DIR), "inside StateDirectory=");
        assertFalse(robot.get(ConfigKeys.MODEL_TRT_FP16), "fp16 overflows the bundled model (GPU check, session 6)");
    }

    @Test
    void theLaptopAndTheDemoNeedNoBrokerAndNoGpu() {
        NodeConfig laptop = load("laptop-webcam");
        assertEquals("v4l2:/dev/video0", laptop.get(ConfigKeys.SOURCE_URI));
        assertEquals("auto", laptop.get(ConfigKeys.MQTT_BROKER));
        assertTrue(laptop.get(ConfigKeys.MODEL_PROVIDERS).endsWith("cpu"));
        NodeConfig demo = load("demo");
        assertEquals("demo", demo.get(ConfigKeys.SOURCE_URI));
        assertEquals("cpu", demo.get(ConfigKeys.MODEL_PROVIDERS));
        assertEquals("auto", demo.get(ConfigKeys.MQTT_BROKER));
        assertTrue(ConfigKeys.ALL.stream().filter(k -> k.name().startsWith("camera."))
                .allMatch(k -> demo.origin(k) == NodeConfig.Origin.DEFAULT),
                "the demo profile must leave camera.* unset so the clip's own mount is used");
    }

    @Test
    void theEnvFileCanOverrideAProfileKey() {
        NodeConfig robot = loader.load(RepoFiles.root().resolve("deploy/profiles/robot-jetson.yaml"),
                Map.of("MDEAS_NODE_ID", "robot-07"), Map.of());
        assertEquals("robot-07", robot.get(ConfigKeys.NODE_ID_KEY));
    }
}
