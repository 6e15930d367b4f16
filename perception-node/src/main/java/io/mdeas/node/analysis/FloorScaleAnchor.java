package io.mdeas.node.analysis;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fixes the overall scale of a depth map with the floor. A single image gives metric depth only up to the
 * camera's height and focal length; the network was trained on a range of mounts, so each map's scale is a
 * guess (off by about 13 % per image on the rendered test split). The robot's own mount is known
 * ({@code camera.*}), and with it the depth at which every pixel below the horizon meets the floor. Pixels that
 * show floor read that depth times the map's scale error; pixels that show something standing on the floor read
 * less (it hides the floor behind it). So the median ratio of predicted to floor depth, over unchanged pixels
 * whose floor is near, is the scale error, and the whole map is divided by it.
 *
 * <p>When too little floor is in view (a wall or an obstacle fills the image) or the floor asks for more
 * correction than {@link FloorAnchorParams#maxCorrection()} (the configured mount is likely wrong), the last
 * accepted factor is kept. One instance per pipeline; the histogram is allocated once, so a frame allocates
 * nothing.
 */
public final class FloorScaleAnchor {
    private static final Logger log = LoggerFactory.getLogger(FloorScaleAnchor.class);

    /** Pixels with at least this mask probability changed: they are not the floor of the background. */
    public static final float MASK_THRESHOLD = 0.5f;
    /** Histogram bin width in log-ratio: 0.2 % of scale. */
    private static final double BIN = 0.002;
    /**
     * Every second pixel of every second row is read: the median of a quarter of the floor (thousands of pixels at
     * 224) is as good as the median of all of it, and the logarithm per pixel is most of the cost.
     */
    static final int STEP = 2;
    private static final long WARN_INTERVAL_NANOS = 60_000_000_000L;

    /** What the last frame's floor said. */
    public enum Outcome {
        /** The floor fixed the scale. */
        ANCHORED,
        /** Too few floor pixels in view; the last factor was kept. */
        TOO_LITTLE_FLOOR,
        /** The floor asked for more correction than allowed; the last factor was kept. */
        IMPLAUSIBLE,
        /** Anchoring is turned off; depth passes unchanged. */
        OFF
    }

    /**
     * What the anchor is doing now, for /health (read from other threads).
     *
     * @param factor         the factor depth maps are multiplied by now
     * @param outcome        what the last frame's floor said
     * @param refusedFrames  consecutive frames (up to the last) whose floor was refused as implausible
     * @param maxCorrection  {@code depth.floor_anchor_max_correction}
     */
    public record State(float factor, Outcome outcome, int refusedFrames, double maxCorrection) {}

    private final FloorAnchorParams params;
    private final double logLimit;
    /** Log-ratio histogram over [-logLimit, logLimit); below and above are counted apart. */
    private final int[] histogram;
    // written by the pipeline thread, read by state() from others
    private volatile float factor = 1f;
    private volatile Outcome lastOutcome;
    private volatile int refusedStreak;
    private float lastEstimate = Float.NaN;
    private int lastFloorPixels;
    private float lastFloorShare;
    private long lastWarnNanos;
    private boolean warned;

    public FloorScaleAnchor(FloorAnchorParams params) {
        this.params = params;
        this.logLimit = Math.log(params.maxCorrection());
        this.histogram = new int[(int) Math.ceil(2 * logLimit / BIN)];
        this.lastOutcome = params.enabled() ? Outcome.TOO_LITTLE_FLOOR : Outcome.OFF;
    }

    public FloorAnchorParams params() {
        return params;
    }

    /**
     * Rescales {@code depth} in place so that its floor lies where {@code geometry}'s mount puts it.
     *
     * @param depth     Z depth per map pixel, metres (row-major, the geometry's map size)
     * @param mask      foreground probability per map pixel
     * @param maxDepthM the model's range: depths at or beyond it are "no return" and stay so
     * @return the factor the map was multiplied by (1 when off)
     */
    public float apply(FloatBuffer depth, FloatBuffer mask, MapGeometry geometry, float maxDepthM) {
        if (!params.enabled()) {
            lastOutcome = Outcome.OFF;
            return 1f;
        }
        estimate(depth, mask, geometry, maxDepthM);
        if (factor != 1f) {
            int n = geometry.mapWidth() * geometry.mapHeight();
            for (int i = 0; i < n; i++) {
                float d = depth.get(i);
                if (d > 0f && d < maxDepthM) {
                    depth.put(i, Math.min(d * factor, maxDepthM));
                }
            }
        }
        return factor;
    }

    /** Reads the floor's scale error and updates {@link #factor} (or keeps it). */
    private void estimate(FloatBuffer depth, FloatBuffer mask, MapGeometry geometry, float maxDepthM) {
        Arrays.fill(histogram, 0);
        int below = 0;
        int above = 0;
        int width = geometry.mapWidth();
        int height = geometry.mapHeight();
        int read = 0;
        float maxRange = (float) params.maxRangeM();
        for (int v = STEP / 2; v < height; v += STEP) {
            for (int i = v * width + STEP / 2, end = (v + 1) * width; i < end; i += STEP) {
                read++;
                float floor = geometry.floorDepth(i);
                if (!(floor <= maxRange) || mask.get(i) >= MASK_THRESHOLD) {
                    continue;
                }
                float d = depth.get(i);
                if (!(d > 0f && d < maxDepthM)) {
                    continue;
                }
                double lr = Math.log(d / floor);
                int b = (int) Math.floor((lr + logLimit) / BIN);
                if (b < 0) {
                    below++;
                } else if (b >= histogram.length) {
                    above++;
                } else {
                    histogram[b]++;
                }
            }
        }
        int total = below + above;
        for (int c : histogram) {
            total += c;
        }
        lastFloorPixels = total;
        lastFloorShare = read == 0 ? 0f : (float) total / read;
        if (total < Math.max(1, params.minFloorShare() * read)) {
            lastEstimate = Float.NaN;
            lastOutcome = Outcome.TOO_LITTLE_FLOOR;
            return;
        }
        double half = total / 2.0;
        if (below >= half || above >= half) {
            // mostly nearer than the floor: it would take a factor above the limit, and the other way round
            lastEstimate = below >= half ? Float.POSITIVE_INFINITY : 0f;
            refuse(geometry, below >= half ? "nearer" : "farther");
            return;
        }
        double cumulative = below;
        int b = 0;
        while (cumulative + histogram[b] < half) {
            cumulative += histogram[b];
            b++;
        }
        double logScale = -logLimit + (b + (half - cumulative) / histogram[b]) * BIN;
        float correction = (float) Math.exp(-logScale);
        lastEstimate = correction;
        factor = correction;
        lastOutcome = Outcome.ANCHORED;
        refusedStreak = 0;
    }

    private void refuse(MapGeometry geometry, String direction) {
        lastOutcome = Outcome.IMPLAUSIBLE;
        refusedStreak++;
        long now = System.nanoTime();
        if (!warned || now - lastWarnNanos >= WARN_INTERVAL_NANOS) {
            warned = true;
            lastWarnNanos = now;
            CameraMount m = geometry.mount(); // pitch printed as the config counts it: positive down
            log.warn(String.format(Locale.ROOT, "floor anchor: the floor in the depth map is more than a factor %.2f %s than "
                    + "camera.height_m=%.3f, pitch_deg=%.1f, hfov_deg=%.1f put it; keeping the depth scale at %.3f. "
                    + "Check the camera.* settings against the robot, or set depth.floor_anchor: false if this camera "
                    + "does not see a flat floor (logged at most once a minute)", params.maxCorrection(), direction,
                    m.heightM(), 0.0 - m.pitchDeg(), m.hfovDeg(), factor));
        }
    }

    /** The factor depth maps are multiplied by now (the last accepted one; 1 before any). */
    public float factor() {
        return factor;
    }

    /**
     * The correction the last frame's floor asked for: NaN when too little floor was in view, +∞ (or 0) when it
     * was beyond the allowed correction upwards (downwards).
     */
    public float lastEstimate() {
        return lastEstimate;
    }

    /** Usable floor pixels read in the last frame (a quarter of the map's pixels are read). */
    public int lastFloorPixels() {
        return lastFloorPixels;
    }

    /** Share of the image that was usable floor in the last frame, 0-1. */
    public float lastFloorShare() {
        return lastFloorShare;
    }

    public Outcome lastOutcome() {
        return lastOutcome;
    }

    /** A snapshot for /health; safe to call from any thread. */
    public State state() {
        return new State(factor, lastOutcome, refusedStreak, params.maxCorrection());
    }

    /** Forgets the held factor (back to 1), e.g. between unrelated images. */
    public void reset() {
        factor = 1f;
        lastEstimate = Float.NaN;
        lastFloorPixels = 0;
        lastFloorShare = 0f;
        refusedStreak = 0;
        lastOutcome = params.enabled() ? Outcome.TOO_LITTLE_FLOOR : Outcome.OFF;
    }
}
