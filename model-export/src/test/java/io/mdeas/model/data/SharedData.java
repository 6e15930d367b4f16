package io.mdeas.model.data;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates datasets in the team's shared folder ({@code <repo>/../shared}) as seen from the module folder. */
public final class SharedData {

    private SharedData() {
    }

    /** The real-photo set {@code shared/data/eva4-fgbg-samples}, or null when absent. */
    public static Path eva4Samples() {
        for (String p : new String[] {"../../shared/data/eva4-fgbg-samples", "../shared/data/eva4-fgbg-samples"}) {
            Path dir = Path.of(p).toAbsolutePath().normalize();
            if (Files.isRegularFile(dir.resolve("index.csv"))) {
                return dir;
            }
        }
        return null;
    }
}
