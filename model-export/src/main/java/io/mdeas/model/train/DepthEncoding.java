package io.mdeas.model.train;

import java.util.Locale;

/**
 * How metric depth maps to the network's depth output. Recorded in every checkpoint ({@code depth_encoding},
 * {@code max_depth_m}) so export and evaluation decode it the same way.
 */
public enum DepthEncoding {
    /** encoded = clip(metres / max, 0, 1); metres = clip(encoded, 0, 1) · max. */
    LINEAR;

    /** Encodes metres for a target; unknown depth (0) stays 0. */
    public float encode(float metres, float maxDepthM) {
        float e = metres / maxDepthM;
        return e < 0 ? 0 : Math.min(e, 1f);
    }

    /** Decodes a network output to metres. */
    public float decode(float encoded, float maxDepthM) {
        float e = encoded < 0 ? 0 : Math.min(encoded, 1f);
        return e * maxDepthM;
    }

    /** The lowercase name used in metadata ({@code linear}). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a metadata name, with a clear message for unknown ones. */
    public static DepthEncoding fromId(String id) {
        for (DepthEncoding e : values()) {
            if (e.id().equalsIgnoreCase(id)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown depth encoding '" + id + "'; known: linear");
    }
}
