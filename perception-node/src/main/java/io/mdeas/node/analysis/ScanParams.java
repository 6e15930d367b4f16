package io.mdeas.node.analysis;

/**
 * The floor-aware virtual range scan.
 *
 * @param sectors          number K of angular sectors across the horizontal field of view
 * @param rangeMinM        returns nearer than this are ignored
 * @param rangeMaxM        returns farther than this are ignored (also capped by the model's max depth)
 * @param floorToleranceM  points lower than this above the floor plane count as floor and are removed
 * @param maxHeightM       points higher than this above the floor (tables' undersides, ceilings) are ignored
 */
public record ScanParams(int sectors, double rangeMinM, double rangeMaxM, double floorToleranceM, double maxHeightM) {
    public static final ScanParams DEFAULTS = new ScanParams(64, 0.05, 8.0, 0.04, 1.5);

    public ScanParams {
        if (sectors < 1) {
            throw new IllegalArgumentException("scan sectors must be >= 1, got " + sectors);
        }
        if (!(rangeMinM >= 0 && rangeMaxM > rangeMinM)) {
            throw new IllegalArgumentException("scan needs 0 <= range_min_m < range_max_m, got " + rangeMinM + ", " + rangeMaxM);
        }
        if (!(floorToleranceM >= 0) || !(maxHeightM > floorToleranceM)) {
            throw new IllegalArgumentException("scan needs 0 <= floor_tolerance_m < max_height_m");
        }
    }
}
