package io.mdeas.node.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mdeas.node.cli.PerceptionNodeCli;
import io.mdeas.node.testing.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code perception-node bench} end to end on the demo clip with a tiny model: the JSON has every field the issue asks for. */
class BenchCommandTest {
    @TempDir
    Path tmp;

    @Test
    void writesTheReportWithEveryField() throws Exception {
        Path model = TinyModels.builder().inputSize(64).write(tmp.resolve("tiny.onnx"));
        Path json = tmp.resolve("out/bench.json");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // More frames than the clip has: the source loops. Mirror averaging on: the config reaches the model.
        int code = PerceptionNodeCli.execute(new String[] {"bench", "--model", model.toString(), "--set",
                "model.providers=cpu", "--set", "model.mirror_average=true", "--frames", "360", "--warmup", "3", "--mqtt", "embedded", "--json", json.toString()},
                Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(0, code, out + "\n" + err);
        assertTrue(out.toString().contains("pipeline"), out.toString());
        JsonNode r = new ObjectMapper().readTree(json.toFile());
        for (String k : List.of("model_fps", "model_latency_ms_p50", "model_latency_ms_p99", "pipeline_fps",
                "e2e_latency_ms_p50", "e2e_latency_ms_p99", "rss_mb", "alloc_bytes_per_frame", "cpu_cores_used",
                "mog2_fps", "absdiff_fps", "paced_fps", "e2e_paced_latency_ms_p50", "e2e_paced_latency_ms_p99")) {
            assertTrue(r.get(k).isNumber() && r.get(k).asDouble() > 0, k + " = " + r.get(k));
        }
        assertEquals("cpu", r.get("provider").asText());
        assertEquals(360, r.get("frames").asInt());
        assertEquals("embedded", r.get("mqtt").asText());
        assertTrue(r.get("mirror_average").asBoolean(), r.toString());
        assertTrue(out.toString().contains("mirror-averaged"), out.toString());
        assertTrue(r.get("model_latency_ms_p99").asDouble() >= r.get("model_latency_ms_p50").asDouble());
        assertTrue(r.get("alloc_bytes_per_frame_by_thread").has("pipeline"), r.toString());
    }

    @Test
    void aSourceThatEndsTooSoonIsOneLineAndExitTwo() throws Exception {
        Path model = TinyModels.builder().inputSize(32).write(tmp.resolve("tiny.onnx"));
        StringWriter err = new StringWriter();
        int code = PerceptionNodeCli.execute(new String[] {"bench", "--model", model.toString(), "--set",
                "model.providers=cpu", "--source", "dir:" + tmp.resolve("nowhere")},
                Map.of(), new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertEquals(2, code, err.toString());
        assertEquals(1, err.toString().lines().count(), err.toString());
        assertTrue(err.toString().contains("nowhere"), err.toString());
    }
}
