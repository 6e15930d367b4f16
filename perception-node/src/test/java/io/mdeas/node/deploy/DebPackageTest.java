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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** deploy/deb/build-deb.sh makes a .deb from a distribution archive: control fields, file tree, conffiles, scripts. */
class DebPackageTest {
    @TempDir
    static Path tmp;
    static Path deb;

    @BeforeAll
    static void buildThePackage() throws Exception {
        assumeTrue(run("dpkg-deb", "--version").exit == 0, "dpkg-deb is not installed: .deb checks skipped");
        Path dist = RepoFiles.stageDistribution(tmp.resolve("mdeas-perception-1.2.0-SNAPSHOT"), "1.2.0-SNAPSHOT");
        Path archive = tmp.resolve("mdeas-perception-1.2.0-SNAPSHOT-linux-arm64.tar.gz");
        assertEquals(0, run("tar", "-czf", archive.toString(), "-C", tmp.toString(), dist.getFileName().toString()).exit);
        Run build = run("bash", RepoFiles.root().resolve("deploy/deb/build-deb.sh").toString(), archive.toString(),
                tmp.resolve("out").toString());
        assertEquals(0, build.exit, build.output);
        deb = Path.of(build.output.strip());
        assertEquals("mdeas-perception_1.2.0~SNAPSHOT_arm64.deb", deb.getFileName().toString());
    }

    @Test
    void controlNamesVersionArchitectureAndJava() throws Exception {
        String info = run("dpkg-deb", "--field", deb.toString(), "Package", "Version", "Architecture", "Depends").output;
        assertTrue(info.contains("Package: mdeas-perception"), info);
        assertTrue(info.contains("Version: 1.2.0~SNAPSHOT"), info);
        assertTrue(info.contains("Architecture: arm64"), info);
        assertTrue(info.contains("Depends: openjdk-17-jre-headless | java17-runtime-headless"), info);
    }

    @Test
    void filesLandWhereInstallShPutsThemWithThePackageOwningTheUnit() throws Exception {
        String contents = run("dpkg-deb", "--contents", deb.toString()).output;
        for (String line : List.of(
                "-rw-r----- root/root .* ./etc/mdeas/perception.yaml",
                "-rw-r----- root/root .* ./etc/mdeas/perception.env",
                "-rw-r--r-- root/root .* ./lib/systemd/system/mdeas-perception.service",
                "-rwxr-xr-x root/root .* ./opt/mdeas-perception/releases/1.2.0-SNAPSHOT/bin/mdeas-perception",
                "lrwxrwxrwx root/root .* ./opt/mdeas-perception/current -> releases/1.2.0-SNAPSHOT",
                "lrwxrwxrwx root/root .* ./usr/bin/mdeas-perception -> /opt/mdeas-perception/current/bin/mdeas-perception")) {
            assertTrue(contents.lines().anyMatch(l -> l.matches(line)), "no line like '" + line + "' in\n" + contents);
        }
        assertTrue(contents.lines().noneMatch(l -> l.contains("./usr/local") || l.contains("./etc/systemd")
                || l.contains("./var/")), contents);
    }

    @Test
    void configurationIsConffilesAndTheMaintainerScriptsParse() throws Exception {
        Path control = tmp.resolve("control");
        assertEquals(0, run("dpkg-deb", "--control", deb.toString(), control.toString()).exit);
        assertEquals(List.of("/etc/mdeas/perception.yaml", "/etc/mdeas/perception.env"),
                Files.readAllLines(control.resolve("conffiles")));
        for (String script : List.of("postinst", "prerm", "postrm")) {
            assertTrue(Files.isExecutable(control.resolve(script)), script);
            Run syntax = run("sh", "-n", control.resolve(script).toString());
            assertEquals(0, syntax.exit, script + ": " + syntax.output);
        }
        assertTrue(Files.readString(control.resolve("postinst")).contains("useradd --system"));
    }

    private record Run(int exit, String output) {}

    private static Run run(String... cmd) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            return new Run(127, e.getMessage());
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", cmd) + " did not finish");
        return new Run(p.exitValue(), out);
    }
}
