package io.mdeas.model.train;

import ai.djl.ndarray.NDArray;
import java.util.Locale;

/**
 * How metric depth maps to the network's depth output. Recorded in every checkpoint ({@code depth_encoding},
 * {@code max_depth_m}) so export and evaluation decode it the same way.
 */
public enum DepthEncoding {
    /** encoded = clip(metres / max, 0, 1); metres = clip(encoded, 0, 1) · max. */
    LINEAR {
        @Override
        public float encode(float metres, float maxDepthM) {
            return clip01(metres / maxDepthM);
        }

        @Override
        public float decode(float encoded, float maxDepthM) {
            return clip01(encoded) * maxDepthM;
        }

        @Override
        public NDArray logMetres(NDArray encoded, float maxDepthM) {
            return encoded.clip(minMetres(maxDepthM) / maxDepthM, 1f).mul(maxDepthM).log();
        }
    },
    /**
     * encoded = clip(ln(metres / min) / ln(max / min), 0, 1) with min = max / {@value #LOG_RANGE};
     * metres = min · exp(clip(encoded, 0, 1) · ln(max / min)). Equal steps are equal ratios, so an error in
     * the output is a relative depth error everywhere, and no output decodes below min (a linear output that
     * undershoots 0 reads as 0 m, which is the worst possible answer for the nearest obstacle).
     */
    LOG {
        @Override
        public float encode(float metres, float maxDepthM) {
            return clip01((float) (Math.log(metres / minMetres(maxDepthM)) / Math.log(LOG_RANGE)));
        }

        @Override
        public float decode(float encoded, float maxDepthM) {
            return (float) (minMetres(maxDepthM) * Math.exp(clip01(encoded) * Math.log(LOG_RANGE)));
        }

        @Override
        public NDArray logMetres(NDArray encoded, float maxDepthM) {
            return encoded.clip(0f, 1f).mul((float) Math.log(LOG_RANGE)).add((float) Math.log(minMetres(maxDepthM)));
        }
    };

    /** max / min of the {@link #LOG} encoding: 10 m max gives 5 cm min. */
    public static final float LOG_RANGE = 200f;

    /** The nearest depth the {@link #LOG} encoding represents, max / {@value #LOG_RANGE}; also the floor of
     *  {@link #logMetres} for linear outputs, so both encodings span the same range. */
    public static float minMetres(float maxDepthM) {
        return maxDepthM / LOG_RANGE;
    }

    /** Encodes metres (> 0) for a target; callers keep unknown depth (0) out. */
    public abstract float encode(float metres, float maxDepthM);

    /** Decodes a network output to metres. */
    public abstract float decode(float encoded, float maxDepthM);

    /**
     * ln(metres) of encoded depth, differentiable inside the encoding's range. Linear depth is floored first at the
     * log encoding's minimum, max / {@value #LOG_RANGE} (5 cm at 10 m): the log of an output at or below 0 m is not
     * a number, and both encodings then span the same range.
     */
    public abstract NDArray logMetres(NDArray encoded, float maxDepthM);

    private static float clip01(float e) {
        return e < 0 ? 0 : Math.min(e, 1f);
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
        throw new IllegalArgumentException("unknown depth encoding '" + id + "'; known: linear, log");
    }
}
