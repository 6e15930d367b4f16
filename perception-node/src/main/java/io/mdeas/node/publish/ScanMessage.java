package io.mdeas.node.publish;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Payload of {@code mdeas/<node>/scan}: a floor-aware virtual range scan, like ROS {@code sensor_msgs/LaserScan}.
 * {@code ranges_m[i]} covers the sector starting at {@code angle_min_deg + i * angle_increment_deg}; angles are
 * positive to the LEFT (counter-clockwise seen from above), so index 0 is the rightmost sector. A sector with no
 * return (nothing but floor, or everything beyond range) is {@code null} (+Inf).
 *
 * @param nearestM the smallest finite range, or null when no sector has a return
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ScanMessage(long ts, long frame, double angleMinDeg, double angleIncrementDeg, double rangeMinM,
                          double rangeMaxM, List<Double> rangesM, Double nearestM) {

    /** Builds the message from raw ranges (+Inf = no return), rounding to millimetres. */
    public static ScanMessage of(long ts, long frame, double angleMinDeg, double angleIncrementDeg, double rangeMinM,
                                 double rangeMaxM, float[] ranges) {
        List<Double> out = new ArrayList<>(ranges.length);
        double nearest = Double.POSITIVE_INFINITY;
        for (float r : ranges) {
            if (Float.isFinite(r)) {
                out.add(Payloads.round3(r));
                nearest = Math.min(nearest, r);
            } else {
                out.add(null);
            }
        }
        return new ScanMessage(ts, frame, Payloads.round3(angleMinDeg), Payloads.round3(angleIncrementDeg),
                rangeMinM, rangeMaxM, Collections.unmodifiableList(out),
                Double.isFinite(nearest) ? Payloads.round3(nearest) : null);
    }
}
