package io.mdeas.node.publish;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/**
 * One tracked obstacle as published.
 *
 * @param id          stable track id
 * @param distanceM   Z depth (along the optical axis) of the obstacle's nearest part, a robust low percentile inside the blob
 * @param rangeM      horizontal distance over the floor from the camera to that part (mount geometry)
 * @param bearingDeg  direction of the blob's centroid column; 0 = straight ahead, positive = to the LEFT
 *                    (counter-clockwise seen from above, as in ROS)
 * @param bbox        [x, y, w, h] in pixels of the source frame
 * @param areaFrac    blob area as a share of the image
 * @param ageMs       time since the obstacle was first seen
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ObstacleReport(int id, double distanceM, double rangeM, double bearingDeg, List<Integer> bbox,
                             double areaFrac, long ageMs) {
    public ObstacleReport {
        bbox = List.copyOf(bbox);
    }
}
