package io.mdeas.node.deploy;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The unit passes {@code systemd-analyze verify} silently and {@code systemd-analyze security --offline=true}
 * rates its exposure at most 2.5, alone and with each GPU drop-in. Skipped where systemd-analyze is missing.
 */
class SystemdUnitTest {
    private static final String UNIT = "mdeas-perception.service";
    private static final String EXEC = "/opt/mdeas-perception/current/bin/mdeas-perception";
    private static final double MAX_EXPOSURE = 2.5;
    private static final Pattern EXPOSURE = Pattern.compile("Overall exposure level for \\S+: (\\d+\\.\\d)");

    @TempDir
    Path tmp;

    @BeforeAll
    static void systemdAnalyzeIsInstalled() {
        boolean found = false;
        try {
            Process p = new ProcessBuilder("systemd-analyze", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            found = p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            found = false;
        }
        assumeTrue(found, "systemd-analyze is not installed here (apt install systemd): unit checks skipped");
    }

    @Test
    void theUnitVerifiesCleanly() throws Exception {
        Path unit = stageUnit(tmp.resolve("plain"), List.of());
        Run r = run("systemd-analyze", "verify", unit.toString());
        assertEquals(0, r.exit, r.output);
        assertEquals("", r.output.strip(), "systemd-analyze verify has something to say");
    }

    @Test
    void theUnitWithEachGpuDropInVerifiesCleanly() throws Exception {
        for (String dropIn : List.of("jetson.conf", "nvidia-gpu.conf")) {
            Path unit = stageUnit(tmp.resolve(dropIn), List.of(dropIn));
            Run r = run("systemd-analyze", "verify", unit.toString());
            assertEquals(0, r.exit, dropIn + ": " + r.output);
            assertEquals("", r.output.strip(), dropIn + ": systemd-analyze verify has something to say");
        }
    }

    @Test
    void exposureIsAtMostTwoAndAHalf() throws Exception {
        Path unit = RepoFiles.root().resolve("systemd/" + UNIT);
        Run r = run("systemd-analyze", "security", "--offline=true", "--no-pager", unit.toString());
        Matcher m = EXPOSURE.matcher(r.output);
        assertTrue(m.find(), "no exposure level in: " + r.output);
        double exposure = Double.parseDouble(m.group(1));
        System.out.println("systemd-analyze security --offline=true: exposure " + exposure);
        assertTrue(exposure <= MAX_EXPOSURE, "exposure " + exposure + " > " + MAX_EXPOSURE + "\n" + r.output);
    }

    /**
     * A copy of the unit whose ExecStart= names an executable that exists here (verify checks it), with the
     * given drop-ins beside it (verify reads {@code <unit>.d/} next to the file).
     */
    private static Path stageUnit(Path dir, List<String> dropIns) throws IOException {
        Path launcher = dir.resolve("bin/mdeas-perception");
        Files.createDirectories(launcher.getParent());
        Files.copy(RepoFiles.module().resolve("src/dist/bin/mdeas-perception"), launcher);
        String text = Files.readString(RepoFiles.root().resolve("systemd/" + UNIT));
        assertTrue(text.contains("ExecStart=" + EXEC + " "), "ExecStart= no longer runs " + EXEC);
        Path unit = dir.resolve(UNIT);
        Files.writeString(unit, text.replace("ExecStart=" + EXEC, "ExecStart=" + launcher));
        for (String d : dropIns) {
            Path target = dir.resolve(UNIT + ".d/" + d);
            Files.createDirectories(target.getParent());
            Files.copy(RepoFiles.root().resolve("systemd/" + UNIT + ".d/" + d), target);
        }
        return unit;
    }

    private record Run(int exit, String output) {}

    private static Run run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", cmd) + " did not finish");
        return new Run(p.exitValue(), out);
    }
}
