package io.mdeas.node.deploy;

import io.mdeas.node.config.ConfigKeys;
import io.mdeas.node.config.ConfigLoader;
import io.mdeas.node.config.NodeConfig;
import io.mdeas.node.inference.MdeasModel;
import io.mdeas.node.inference.ModelOptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    }

    @Test
    void theRobotBuildsFp16EnginesOnlyForAModelThatPassedARealFp16GpuCheck() throws Exception {
        NodeConfig robot = load("robot-jetson");
        if (!robot.get(ConfigKeys.MODEL_TRT_FP16)) {
            return; // fp32 engines need no evidence
        }
        String sha256; // the hash the node itself reports for the model it loads (StatsMessage.modelSha256)
        try (MdeasModel bundled = MdeasModel.load(ModelOptions.DEFAULTS.withProviders(List.of("cpu")))) {
            sha256 = bundled.info().sha256();
        }
        List<String> reasons = GpuCheckEvidence.whyNoPassingReport(RepoFiles.root().resolve("model-export/eval/gpu"), sha256);
        assertTrue(reasons.isEmpty(), "robot-jetson.yaml sets model.trt_fp16 but the bundled model has no passing "
                + "GPU check: run scripts/gpu_check.py on a GPU and commit its --json report under model-export/eval/gpu/, "
                + "or set trt_fp16: false. " + reasons);
    }

    @Test
    void theFp16RuleRejectsNaNDepthTooFewSamplesAndACpuRun() throws Exception {
        String passing = """
                {"device": "cuda", "samples": 128, "fp16_overflow_nodes": 0, "saturated_frames": [],
                 "results": {"torch_cuda_fp16": {"vs_reference": {"depth_max_m": 0.048, "mask_flips_share": 2.4e-05}}}}""";
        assertEquals(List.of(), GpuCheckEvidence.failures(GpuCheckEvidence.parse(passing)));
        String nan = passing.replace("0.048", "NaN");
        assertEquals(1, GpuCheckEvidence.failures(GpuCheckEvidence.parse(nan)).size(), "NaN depth must fail");
        String few = passing.replace("128", "64").replace("\"cuda\"", "\"cpu\"");
        assertEquals(2, GpuCheckEvidence.failures(GpuCheckEvidence.parse(few)).size());
        String overflow = passing.replace("\"fp16_overflow_nodes\": 0", "\"fp16_overflow_nodes\": 3")
                .replace("\"torch_cuda_fp16\"", "\"torch_cuda_fp32\"");
        assertEquals(2, GpuCheckEvidence.failures(GpuCheckEvidence.parse(overflow)).size(), "overflow, and no fp16 row");
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
