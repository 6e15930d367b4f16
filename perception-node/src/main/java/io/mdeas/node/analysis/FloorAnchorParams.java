package io.mdeas.node.analysis;

/**
 * The floor anchor ({@link FloorScaleAnchor}): rescaling each depth map so that the floor it shows lies where
 * the camera mount puts it.
 *
 * @param enabled       whether depth maps are rescaled at all
 * @param maxRangeM     floor pixels whose floor depth (from the mount) is beyond this are not used: far floor is
 *                      a few pixels per metre and mostly hidden behind furniture
 * @param minFloorShare fewer usable floor pixels than this share of the map, and the frame keeps the last scale
 *                      (a wall or an obstacle fills the view)
 * @param maxCorrection a correction beyond {@code [1/maxCorrection, maxCorrection]} is refused and the last scale
 *                      kept: that much disagreement means the configured mount is wrong, not the network
 */
public record FloorAnchorParams(boolean enabled, double maxRangeM, double minFloorShare, double maxCorrection) {
    public static final FloorAnchorParams DEFAULTS = new FloorAnchorParams(true, 3.0, 0.05, 1.5);
    /** The floor anchor turned off: depth maps pass unchanged. */
    public static final FloorAnchorParams OFF = new FloorAnchorParams(false, 3.0, 0.05, 1.5);

    public FloorAnchorParams {
        if (!(maxRangeM > 0)) {
            throw new IllegalArgumentException("depth.floor_anchor_range_m must be > 0, got " + maxRangeM);
        }
        if (!(minFloorShare >= 0 && minFloorShare < 1)) {
            throw new IllegalArgumentException("depth.floor_anchor_min_share must be in [0, 1), got " + minFloorShare);
        }
        if (!(maxCorrection > 1)) {
            throw new IllegalArgumentException("depth.floor_anchor_max_correction must be > 1, got " + maxCorrection);
        }
    }

    public FloorAnchorParams withMaxCorrection(double factor) {
        return new FloorAnchorParams(enabled, maxRangeM, minFloorShare, factor);
    }
}
