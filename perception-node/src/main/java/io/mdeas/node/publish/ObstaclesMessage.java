package io.mdeas.node.publish;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/**
 * Payload of {@code mdeas/<node>/obstacles}: published every processed frame while any obstacle exists, and
 * once with an empty list when the last one ends.
 *
 * @param ts    capture time of the frame, epoch ms
 * @param frame 0-based frame index from the source's start
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ObstaclesMessage(long ts, long frame, List<ObstacleReport> obstacles) {
    public ObstaclesMessage {
        obstacles = List.copyOf(obstacles);
    }
}
