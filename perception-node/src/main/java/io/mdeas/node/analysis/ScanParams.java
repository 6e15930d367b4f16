package io.mdeas.node.analysis;

/**
 * The floor-aware virtual range scan.
 *
 * @param sectors          number K of angular sectors across the horizontal field of view
 * @param rangeMinM        returns nearer than this are ignored
 * @param rangeMaxM        returns farther than this are ignored (also capped by the model's max depth)
 * @param floorToleranceM  points lower than this above the floor plane count as floor and are removed
 * @param maxHeightM       points higher than this above the floor (tables' undersides, ceilings) are ignored
 * @param minPoints        a sector's range is that of its {@code minPoints}-th nearest point, so a few stray depth
 *                         pixels do not make a phantom obstacle (1 = the plain nearest point)
 */
public record ScanParams(int sectors, double rangeMinM, double rangeMaxM, double floorToleranceM, double maxHeightM,
                         int minPoints) {
    public static final ScanParams DEFAULTS = new ScanParams(64, 0.05, 8.0, 0.04, 1.5, 3);

    /** With the default support of {@code minPoints = 3}. */
    public ScanParams(int sectors, double rangeMinM, double rangeMaxM, double floorToleranceM, double maxHeightM) {
        this(sectors, rangeMinM, rangeMaxM, floorToleranceM, maxHeightM, 3);
    }

    public ScanParams {
        if (sectors < 1) {
            throw new IllegalArgumentException("scan sectors must be >= 1, got " + sectors);
        }
        if (!(rangeMinM >= 0 && rangeMaxM > rangeMinM)) {
            throw new IllegalArgumentException("scan needs 0 <= range_min_m < range_max_m, got " + rangeMinM + ", " + rangeMaxM);
        }
        if (minPoints < 1 || minPoints > 64) {
            throw new IllegalArgumentException("scan min_points must be in 1-64, got " + minPoints);
        }
        if (!(floorToleranceM >= 0) || !(maxHeightM > floorToleranceM)) {
            throw new IllegalArgumentException("scan needs 0 <= floor_tolerance_m < max_height_m");
        }
    }
}
