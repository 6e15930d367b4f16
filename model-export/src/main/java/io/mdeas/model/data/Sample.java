package io.mdeas.model.data;

import java.nio.file.Path;

/**
 * One row of a dataset's {@code index.csv} (see {@code DATASET.md}), paths resolved against the dataset root.
 * Optional numbers are {@code null} when the column is absent or the cell is empty.
 *
 * @param id            unique sample id
 * @param bg            background image (RGB PNG)
 * @param fgBg          the same view with foreground (RGB PNG)
 * @param mask          ground-truth mask (gray PNG, {@code >= 128} is foreground)
 * @param depth         ground-truth depth (16-bit PNG, millimetres), {@code null} when the set has none
 * @param nearestFgM    metres to the nearest foreground pixel, {@code null} when unknown or no foreground
 * @param cameraHeightM camera height above the floor in metres
 * @param pitchDeg      camera pitch in degrees
 * @param hfovDeg       horizontal field of view in degrees
 */
public record Sample(String id, Path bg, Path fgBg, Path mask, Path depth,
                     Double nearestFgM, Double cameraHeightM, Double pitchDeg, Double hfovDeg) {
}
