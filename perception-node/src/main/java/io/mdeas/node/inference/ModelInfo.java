package io.mdeas.node.inference;

/**
 * What was loaded: where from, what the metadata says, which execution provider runs it.
 *
 * @param source        file path or "bundled"
 * @param version       {@code mdeas.version}
 * @param depthEncoding {@code mdeas.depth_encoding} ({@code linear} or {@code log}; the graph decodes it, so depth comes out in metres either way)
 * @param maxDepthM     {@code mdeas.max_depth_m}: depths at or beyond this are "no return"
 * @param inputSize     square input side H = W
 * @param provider      execution provider in use ({@code tensorrt}, {@code cuda} or {@code cpu})
 * @param sha256        hash of the model bytes, hex
 * @param mounts        the camera mounts it was trained for ({@code mdeas.mount.*}; none known for older exports)
 * @param mirrorAverage each frame's outputs are averaged with its mirror image's ({@code model.mirror_average},
 *                      resolved for {@code provider})
 */
public record ModelInfo(String source, String version, String depthEncoding, float maxDepthM, int inputSize,
                        String provider, String sha256, TrainingMounts mounts, boolean mirrorAverage) {
}
