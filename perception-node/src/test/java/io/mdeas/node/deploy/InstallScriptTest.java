package io.mdeas.node.deploy;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** deploy/install.sh into a temporary root (DESTDIR): files, modes, idempotence, config preservation, uninstall. */
class InstallScriptTest {
    @TempDir
    Path tmp;
    Path root;
    Path dist;

    @BeforeEach
    void stage() throws IOException {
        root = tmp.resolve("root");
        dist = RepoFiles.stageDistribution(tmp.resolve("dist-1.0.0"), "1.0.0");
    }

    @Test
    void installsUserSoftwareConfigAndServiceIntoTheStagingRoot() throws Exception {
        Result r = install(dist, "--profile", "robot-jetson", "--gpu", "jetson");
        assertEquals(0, r.exit, r.output);

        Path release = root.resolve("opt/mdeas-perception/releases/1.0.0");
        assertEquals(Path.of("releases/1.0.0"), Files.readSymbolicLink(root.resolve("opt/mdeas-perception/current")));
        assertEquals("rwxr-xr-x", perms(release.resolve("bin/mdeas-perception")));
        assertTrue(Files.isRegularFile(release.resolve("lib/perception-node-1.0.0.jar")));
        assertEquals(Path.of("/opt/mdeas-perception/current/bin/mdeas-perception"),
                Files.readSymbolicLink(root.resolve("usr/local/bin/mdeas-perception")));

        Path config = root.resolve("etc/mdeas/perception.yaml");
        assertEquals(Files.readString(dist.resolve("conf/profiles/robot-jetson.yaml")), Files.readString(config));
        assertEquals("rw-r-----", perms(config), "config may hold credentials: not world-readable");
        assertEquals("rw-r-----", perms(root.resolve("etc/mdeas/perception.env")));
        assertEquals("rwxr-x---", perms(root.resolve("var/lib/mdeas")));

        Path unit = root.resolve("etc/systemd/system/mdeas-perception.service");
        assertEquals(Files.readString(RepoFiles.root().resolve("systemd/mdeas-perception.service")), Files.readString(unit));
        assertTrue(Files.isRegularFile(root.resolve("etc/systemd/system/mdeas-perception.service.d/jetson.conf")));
        assertFalse(Files.exists(root.resolve("etc/systemd/system/mdeas-perception.service.d/nvidia-gpu.conf")));

        List<String> actions = actions();
        assertTrue(actions.stream().anyMatch(a -> a.startsWith("useradd --system") && a.endsWith(" mdeas")), actions.toString());
        assertTrue(actions.contains("usermod --append --groups video mdeas"), actions.toString());
        assertTrue(actions.contains("chown mdeas:mdeas /var/lib/mdeas"), actions.toString());
        assertEquals(List.of("systemctl daemon-reload", "systemctl enable mdeas-perception.service",
                "systemctl restart mdeas-perception.service"), systemctl(actions));
    }

    @Test
    void aSecondRunKeepsAnEditedConfigAndChangesNothingElse() throws Exception {
        assertEquals(0, install(dist, "--gpu", "none").exit);
        Path config = root.resolve("etc/mdeas/perception.yaml");
        String edited = Files.readString(config).replace("height_m: 0.30", "height_m: 0.42");
        Files.writeString(config, edited);

        Result again = install(dist, "--gpu", "none", "--no-start");
        assertEquals(0, again.exit, again.output);
        assertEquals(edited, Files.readString(config), "an edited config is never overwritten");
        assertEquals(Files.readString(dist.resolve("conf/profiles/robot-jetson.yaml")),
                Files.readString(root.resolve("etc/mdeas/perception.yaml.new")), "the new default is put beside it");
        assertFalse(Files.exists(root.resolve("etc/mdeas/perception.env.new")), "an unedited file needs no .new");
        assertTrue(again.output.contains("kept /etc/mdeas/perception.yaml (edited)"), again.output);
        assertFalse(Files.exists(root.resolve("etc/systemd/system/mdeas-perception.service.d")), "no GPU drop-in");
        try (var releases = Files.list(root.resolve("opt/mdeas-perception/releases"))) {
            assertEquals(List.of("1.0.0"), releases.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void anUpgradeSwitchesCurrentAndKeepsThePreviousReleaseForRollback() throws Exception {
        assertEquals(0, install(dist, "--gpu", "none").exit);
        Path dist2 = RepoFiles.stageDistribution(tmp.resolve("dist-1.1.0"), "1.1.0");
        Result r = install(dist2, "--gpu", "nvidia");
        assertEquals(0, r.exit, r.output);
        assertEquals(Path.of("releases/1.1.0"), Files.readSymbolicLink(root.resolve("opt/mdeas-perception/current")));
        assertTrue(Files.isDirectory(root.resolve("opt/mdeas-perception/releases/1.0.0")));
        assertTrue(Files.isRegularFile(root.resolve("etc/systemd/system/mdeas-perception.service.d/nvidia-gpu.conf")));
    }

    @Test
    void uninstallRemovesTheServiceAndSoftwareButKeepsConfigUnlessPurged() throws Exception {
        assertEquals(0, install(dist, "--gpu", "jetson").exit);
        Files.writeString(root.resolve("install-actions.log"), "");

        Result r = install(null, "--uninstall");
        assertEquals(0, r.exit, r.output);
        assertFalse(Files.exists(root.resolve("opt/mdeas-perception")));
        assertFalse(Files.exists(root.resolve("etc/systemd/system/mdeas-perception.service")));
        assertFalse(Files.exists(root.resolve("etc/systemd/system/mdeas-perception.service.d")));
        assertFalse(Files.exists(root.resolve("usr/local/bin/mdeas-perception"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.isRegularFile(root.resolve("etc/mdeas/perception.yaml")), "config survives an uninstall");
        assertEquals(List.of("systemctl disable --now mdeas-perception.service", "systemctl daemon-reload"), systemctl(actions()));

        Result purge = install(null, "--uninstall", "--purge");
        assertEquals(0, purge.exit, purge.output);
        assertFalse(Files.exists(root.resolve("etc/mdeas")));
        assertFalse(Files.exists(root.resolve("var/lib/mdeas")));
        assertTrue(actions().contains("userdel mdeas"));
    }

    @Test
    void badInputGetsAOneLineReason() throws Exception {
        Result profile = install(dist, "--profile", "toaster");
        assertEquals(1, profile.exit);
        assertTrue(profile.output.contains("unknown profile 'toaster': choose one of demo laptop-webcam robot-jetson"),
                profile.output);
        Result notADist = install(tmp, "--gpu", "none");
        assertEquals(1, notADist.exit);
        assertTrue(notADist.output.contains("is not a mdeas-perception distribution"), notADist.output);
    }

    @Test
    void installsFromTheArchiveToo() throws Exception {
        Path archive = tmp.resolve("mdeas-perception-1.0.0-linux-x86_64.tar.gz");
        Process tar = new ProcessBuilder("tar", "-czf", archive.toString(), "-C", tmp.toString(), dist.getFileName().toString())
                .inheritIO().start();
        assertEquals(0, tar.waitFor());
        Result r = install(archive, "--gpu", "none");
        assertEquals(0, r.exit, r.output);
        assertTrue(Files.isExecutable(root.resolve("opt/mdeas-perception/current/bin/mdeas-perception")));
    }

    private record Result(int exit, String output) {}

    private Result install(Path distribution, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", RepoFiles.root().resolve("deploy/install.sh").toString()));
        if (distribution != null) {
            cmd.add("--dist");
            cmd.add(distribution.toString());
        }
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("DESTDIR", root.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "install.sh did not finish");
        return new Result(p.exitValue(), out);
    }

    private List<String> actions() throws IOException {
        return Files.readAllLines(root.resolve("install-actions.log"));
    }

    private static List<String> systemctl(List<String> actions) {
        return actions.stream().filter(a -> a.startsWith("systemctl ")).toList();
    }

    private static String perms(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
