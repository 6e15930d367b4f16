package io.mdeas.node.background;

/**
 * How the rolling background is built and kept.
 *
 * @param pixelDiffLevels     a pixel has changed when a colour channel differs by more than this many levels (0-255)
 * @param stableFrames        consecutive quiet frames needed before the scene counts as stable
 * @param stableMaxChangedFrac a frame is quiet when fewer than this share of pixels changed since the last one
 * @param blendAlpha          weight of the current frame in the slow blend of unmasked pixels (per frame)
 * @param maskThreshold       mask probability at or above which a pixel is foreground and not blended
 * @param globalChangeFrac    a share of pixels differing from the background at least this large is a global change
 * @param globalChangeFrames  consecutive globally-changed frames that trigger a re-initialisation
 */
public record BackgroundParams(int pixelDiffLevels, int stableFrames, double stableMaxChangedFrac, double blendAlpha,
                               double maskThreshold, double globalChangeFrac, int globalChangeFrames) {
    public static final BackgroundParams DEFAULTS = new BackgroundParams(25, 5, 0.02, 0.02, 0.5, 0.6, 5);

    public BackgroundParams {
        if (pixelDiffLevels < 0 || pixelDiffLevels > 255) {
            throw new IllegalArgumentException("background pixel difference must be 0-255 levels, got " + pixelDiffLevels);
        }
        if (stableFrames < 1 || globalChangeFrames < 1) {
            throw new IllegalArgumentException("background stable_frames and global_change_frames must be >= 1");
        }
        if (!(blendAlpha >= 0 && blendAlpha <= 1)) {
            throw new IllegalArgumentException("background blend alpha must be in [0, 1], got " + blendAlpha);
        }
        if (!(globalChangeFrac > 0 && globalChangeFrac <= 1) || !(stableMaxChangedFrac >= 0 && stableMaxChangedFrac < 1)) {
            throw new IllegalArgumentException("background change fractions must be in (0, 1]");
        }
    }
}
