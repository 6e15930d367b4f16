package io.mdeas.node.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mdeas.node.analysis.CameraMount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path tmp;

    private final ConfigLoader loader = new ConfigLoader();

    @Test
    void defaultsComeFromTheRegistryAndTheStageRecords() {
        NodeConfig c = NodeConfig.defaults();
        assertEquals("auto", c.get(ConfigKeys.MQTT_BROKER));
        assertEquals("127.0.0.1:9464", c.get(ConfigKeys.HTTP_LISTEN));
        assertEquals("demo", c.get(ConfigKeys.SOURCE_URI));
        assertEquals(CameraMount.DEFAULTS, StageParams.cameraMount(c), "config pitch (down +) maps onto the mount's");
        assertEquals(NodeConfig.Origin.DEFAULT, c.origin(ConfigKeys.CAMERA_HFOV_DEG));
    }

    @Test
    void flagsBeatEnvironmentBeatFileBeatDefaults() throws IOException {
        Path file = write("camera:\n  hfov_deg: 61\n  height_m: 0.4\n  pitch_deg: 12\nstats.interval_s: 2\n");
        Map<String, String> env = Map.of("MDEAS_CAMERA_HFOV_DEG", "62", "MDEAS_CAMERA_HEIGHT_M", "0.5");
        NodeConfig c = loader.load(file, env, Map.of("camera.hfov_deg", "70"));
        assertEquals(70.0, c.get(ConfigKeys.CAMERA_HFOV_DEG));
        assertEquals(NodeConfig.Origin.FLAG, c.origin(ConfigKeys.CAMERA_HFOV_DEG));
        assertEquals(0.5, c.get(ConfigKeys.CAMERA_HEIGHT_M));
        assertEquals(NodeConfig.Origin.ENV, c.origin(ConfigKeys.CAMERA_HEIGHT_M));
        assertEquals(12.0, c.get(ConfigKeys.CAMERA_PITCH_DEG));
        assertEquals(NodeConfig.Origin.FILE, c.origin(ConfigKeys.CAMERA_PITCH_DEG));
        assertEquals(2.0, c.get(ConfigKeys.STATS_INTERVAL_S));
        assertEquals(-12.0, StageParams.cameraMount(c).pitchDeg());
        assertTrue(c.describeOverrides().contains("camera.hfov_deg=70.0 (flag)"), c.describeOverrides());
    }

    @Test
    void anUnknownKeyIsNamedWithASuggestion() throws IOException {
        Path file = write("camera:\n  heigth_m: 0.3\n");
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(file, Map.of(), Map.of()));
        assertOneLine(e);
        assertTrue(e.getMessage().contains("\"camera.heigth_m\""), e.getMessage());
        assertTrue(e.getMessage().contains("did you mean \"camera.height_m\""), e.getMessage());
        ConfigException flag = assertThrows(ConfigException.class,
                () -> loader.load(null, Map.of(), Map.of("no.such_key", "1")));
        assertTrue(flag.getMessage().contains("unknown config key \"no.such_key\" (from --set)"), flag.getMessage());
    }

    @Test
    void wrongTypesAndOutOfRangeValuesNameKeyValueAndWhatIsAllowed() {
        record Case(String key, String value, String allowed) {}
        for (Case k : List.of(
                new Case("camera.height_m", "abc", "a number in [0.02, 5]"),
                new Case("camera.hfov_deg", "200", "a number in [10, 170]"),
                new Case("stats.interval_s", "0", "a number in [0.5, 3600]"),
                new Case("mqtt.qos.events", "3", "a whole number in [0, 2]"),
                new Case("mqtt.qos.events", "1.5", "a whole number in [0, 2]"),
                new Case("output.print", "yes", "true or false"),
                new Case("model.mirror_average", "sometimes", "auto, true, false"),
                new Case("mqtt.broker", "http://x:1", "auto, embedded, none, tcp://host:port or ssl://host:port"),
                new Case("http.listen", "9464", "host:port or none"),
                new Case("node.id", "a/b", "letters, digits"),
                new Case("source.background", tmp.resolve("missing.png").toString(), "a readable PNG file"))) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> loader.load(null, Map.of(), Map.of(k.key(), k.value())), k.toString());
            assertOneLine(e);
            assertTrue(e.getMessage().startsWith(k.key() + " = \"" + k.value() + "\""), e.getMessage());
            assertTrue(e.getMessage().contains(k.allowed()), e.getMessage());
        }
    }

    @Test
    void environmentValuesAreValidatedToo() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> loader.load(null, Map.of("MDEAS_ALERT_NEAR_M", "-1"), Map.of()));
        assertTrue(e.getMessage().contains("from environment MDEAS_ALERT_NEAR_M"), e.getMessage());
    }

    @Test
    void keysThatDependOnEachOtherAreChecked() {
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(null, Map.of(),
                Map.of("scan.range_min_m", "5", "scan.range_max_m", "4")));
        assertTrue(e.getMessage().contains("scan.range_min_m"), e.getMessage());
        ConfigException tls = assertThrows(ConfigException.class, () -> loader.load(null, Map.of(),
                Map.of("mqtt.tls.cert_file", "/etc/hostname")));
        assertTrue(tls.getMessage().contains("mqtt.tls.key_file"), tls.getMessage());
    }

    @Test
    void aBrokenFileIsOneLineToo() throws IOException {
        Path file = write("camera: [1, 2\n");
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(file, Map.of(), Map.of()));
        assertOneLine(e);
        assertTrue(e.getMessage().contains("not valid YAML"), e.getMessage());
        ConfigException list = assertThrows(ConfigException.class,
                () -> loader.load(write("camera:\n  hfov_deg: [1, 2]\n"), Map.of(), Map.of()));
        assertTrue(list.getMessage().startsWith("camera.hfov_deg"), list.getMessage());
        ConfigException missing = assertThrows(ConfigException.class,
                () -> loader.load(tmp.resolve("nope.yaml"), Map.of(), Map.of()));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
    }

    @Test
    void setAssignmentsMustHaveAnEqualsSign() {
        assertEquals(Map.entry("camera.hfov_deg", "70"), ConfigLoader.parseAssignment("camera.hfov_deg=70"));
        assertThrows(ConfigException.class, () -> ConfigLoader.parseAssignment("camera.hfov_deg"));
    }

    @Test
    void theShippedProfilesAreValid() throws IOException {
        Path profiles = Path.of("..", "deploy", "profiles");
        if (!Files.isDirectory(profiles)) {
            return; // the module is built on its own
        }
        try (Stream<Path> files = Files.list(profiles)) {
            List<Path> yaml = files.filter(p -> p.toString().endsWith(".yaml")).toList();
            assertFalse(yaml.isEmpty());
            for (Path p : yaml) {
                NodeConfig c = loader.load(p, Map.of(), Map.of());
                StageParams.cameraMount(c);
                StageParams.sourceOptions(c);
                StageParams.modelOptions(c);
            }
        }
    }

    @Test
    void theReferenceDocumentMatchesTheRegistry() throws IOException {
        Path doc = Path.of("..", "docs", "CONFIG.md");
        assertTrue(Files.exists(doc), "docs/CONFIG.md is missing: run `perception-node config-doc > docs/CONFIG.md`");
        assertEquals(ConfigReference.markdown(), Files.readString(doc),
                "docs/CONFIG.md is stale: regenerate it with `perception-node config-doc > docs/CONFIG.md`");
        for (ConfigKey<?> k : ConfigKeys.ALL) {
            assertTrue(ConfigReference.markdown().contains("| `" + k.name() + "` |"), k.name());
        }
    }

    private Path write(String yaml) throws IOException {
        Path p = Files.createTempFile(tmp, "node", ".yaml");
        Files.writeString(p, yaml);
        return p;
    }

    private static void assertOneLine(ConfigException e) {
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        assertEquals(0, e.getStackTrace().length, "no stack trace is captured");
    }
}
