package io.mdeas.node.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The repository's deployment files, found from the module directory the tests run in. */
final class RepoFiles {
    private RepoFiles() {}

    /** The repository root (the folder holding {@code deploy/} and {@code systemd/}). */
    static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("deploy")) && Files.isDirectory(p.resolve("systemd"))) {
                return p;
            }
        }
        throw new IllegalStateException("no repository root with deploy/ and systemd/ above " + dir);
    }

    static Path module() {
        return root().resolve("perception-node");
    }

    /**
     * Lays out a distribution as the assembly does (bin/, conf/, conf/profiles/, systemd/, VERSION, lib/),
     * from the sources, with a stand-in jar: enough for install.sh, which only copies files.
     */
    static Path stageDistribution(Path dir, String version) throws IOException {
        Path root = root();
        Path module = module();
        copyTree(module.resolve("src/dist/bin"), dir.resolve("bin"));
        copyTree(module.resolve("src/dist/conf"), dir.resolve("conf"));
        copyTree(root.resolve("deploy/profiles"), dir.resolve("conf/profiles"));
        Files.copy(root.resolve("deploy/profiles/robot-jetson.yaml"), dir.resolve("conf/perception.yaml"));
        copyTree(root.resolve("systemd"), dir.resolve("systemd"));
        Files.copy(root.resolve("deploy/install.sh"), dir.resolve("install.sh"));
        Files.createDirectories(dir.resolve("lib"));
        Files.writeString(dir.resolve("lib/perception-node-" + version + ".jar"), "stand-in for the node's jar");
        Files.writeString(dir.resolve("VERSION"), version + "\n");
        return dir;
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path src : (Iterable<Path>) files::iterator) {
                Path dst = to.resolve(from.relativize(src).toString());
                if (Files.isDirectory(src)) {
                    Files.createDirectories(dst);
                } else {
                    Files.copy(src, dst, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
