package io.mdeas.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mdeas.node.config.ConfigReference;
import io.mdeas.node.testing.TinyModels;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line in-process: exit codes, one-line errors, check, version and config-doc. */
class CliTest {
    @TempDir
    Path tmp;

    private record Result(int code, String out, String err) {}

    private static Result run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = PerceptionNodeCli.execute(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void badInputIsOneLineAndExitCodeTwo() {
        record Case(List<String> args, Map<String, String> env, String expected) {}
        for (Case c : List.of(
                new Case(List.of("run", "--set", "camera.hfov_deg=700"), Map.of(),
                        "perception-node: camera.hfov_deg = \"700\" (from --set camera.hfov_deg) is not allowed: "
                                + "expected a number in [10, 170]"),
                new Case(List.of("run", "--set", "nokey"), Map.of(),
                        "perception-node: --set \"nokey\" is not allowed: expected key=value"),
                new Case(List.of("check"), Map.of("MDEAS_STATS_INTERVAL_S", "often"),
                        "perception-node: stats.interval_s = \"often\" (from environment MDEAS_STATS_INTERVAL_S) is not allowed"),
                new Case(List.of("run", "--max-frames", "-3"), Map.of(),
                        "perception-node: source.max_frames = \"-3\" (from --max-frames) is not allowed"),
                new Case(List.of("run", "--mqtt", "mqtt://x"), Map.of(),
                        "perception-node: mqtt.broker = \"mqtt://x\""),
                new Case(List.of("run", "--config", tmp.resolve("none.yaml").toString()), Map.of(),
                        "perception-node: config file " + tmp.resolve("none.yaml") + " does not exist"),
                new Case(List.of("run", "--no-such-flag"), Map.of(),
                        "perception-node: Unknown option: '--no-such-flag' (see perception-node run --help)"))) {
            Result r = run(c.env(), c.args().toArray(String[]::new));
            assertEquals(2, r.code(), c + " → " + r);
            assertEquals(1, r.err().lines().count(), "one line: " + r.err());
            assertTrue(r.err().startsWith(c.expected()), r.err());
        }
    }

    @Test
    void checkReportsModelAndSourceAndExitsZeroOnlyWhenBothWork() {
        Path model = TinyModels.builder().inputSize(64).write(tmp.resolve("ok.onnx"));
        Result ok = run(Map.of(), "check", "--model", model.toString(), "--set", "model.providers=cpu");
        assertEquals(0, ok.code(), ok.toString());
        assertTrue(ok.out().contains("config: OK"), ok.out());
        assertTrue(ok.out().contains("model: OK " + model), ok.out());
        assertTrue(ok.out().contains("source: OK demo"), ok.out());

        Path corrupt = TinyModels.writeCorrupt(tmp.resolve("bad.onnx"));
        Result bad = run(Map.of(), "check", "--model", corrupt.toString(), "--source", "file:" + tmp.resolve("no.mp4"));
        assertEquals(2, bad.code(), bad.toString());
        assertTrue(bad.out().contains("model: FAILED"), bad.out());
        assertTrue(bad.out().contains("source: FAILED file:" + tmp.resolve("no.mp4")), bad.out());
    }

    @Test
    void checkSaysWhetherTheFloorAgreesWithTheConfiguredMount() {
        // The bundled model on the demo clip's first frame, with the clip's own mount and then a wrong one.
        Result ok = run(Map.of(), "check", "--set", "model.providers=cpu");
        assertEquals(0, ok.code(), ok.toString());
        assertTrue(ok.out().contains("floor: OK the first frame's floor"), ok.out());
        double factor = Double.parseDouble(ok.out().replaceAll("(?s).*depth x ([0-9.]+).*", "$1"));
        assertTrue(factor > 0.8 && factor < 1.25, "the demo clip's mount needs little correction: " + factor);

        Result wrong = run(Map.of(), "check", "--set", "model.providers=cpu", "--set", "camera.height_m=0.5");
        assertEquals(0, wrong.code(), "a doubtful mount is a warning, the node still runs: " + wrong);
        assertTrue(wrong.out().contains("floor: WARNING the first frame's floor is more than a factor 1.50 nearer than "
                + "camera.height_m=0.500"), wrong.out());

        Result off = run(Map.of(), "check", "--set", "model.providers=cpu", "--set", "depth.floor_anchor=false");
        assertTrue(off.out().contains("floor: not checked (depth.floor_anchor is off)"), off.out());
    }

    @Test
    void versionAndConfigDoc() {
        Result v = run(Map.of(), "version");
        assertEquals(0, v.code());
        assertTrue(v.out().startsWith("perception-node "), v.out());
        Result doc = run(Map.of(), "config-doc");
        assertEquals(ConfigReference.markdown(), doc.out());
        Result help = run(Map.of(), "run", "--help");
        assertEquals(0, help.code());
        for (String flag : List.of("--config", "--set", "--source", "--background", "--mqtt", "--node-id", "--print",
                "--max-frames", "--realtime", "--http")) {
            assertTrue(help.out().contains(flag), flag);
        }
    }
}
