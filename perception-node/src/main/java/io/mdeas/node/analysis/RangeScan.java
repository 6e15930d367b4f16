package io.mdeas.node.analysis;

/**
 * A virtual laser scan: {@code ranges[i]} is the nearest non-floor point (horizontal range, metres) in the sector
 * starting at {@code angleMinDeg + i * angleIncrementDeg}, +Inf for no return. Angles are positive to the left,
 * so index 0 is the rightmost sector (ROS LaserScan convention).
 */
public record RangeScan(double angleMinDeg, double angleIncrementDeg, double rangeMinM, double rangeMaxM, float[] ranges) {

    /** Smallest finite range, or +Inf. */
    public float nearest() {
        float best = Float.POSITIVE_INFINITY;
        for (float r : ranges) {
            best = Math.min(best, r);
        }
        return best;
    }
}
