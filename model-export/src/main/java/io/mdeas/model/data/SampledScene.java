package io.mdeas.model.data;

/**
 * One sample as drawn by {@link SceneSampler}: what to render and how to turn it into images.
 *
 * @param scene geometry, materials and light
 * @param camera the camera of bg (fg_bg is the same, shifted by the jitter)
 * @param kind what changes between bg and fg_bg
 * @param sensor exposure, noise, blur, compression, jitter and global change
 */
public record SampledScene(Scene scene, Camera camera, SampleKind kind, SensorSettings sensor) {}
