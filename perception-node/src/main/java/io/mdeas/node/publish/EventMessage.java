package io.mdeas.node.publish;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Payload of {@code mdeas/<node>/events}.
 *
 * @param type        what happened
 * @param ts          capture time of the frame, epoch ms
 * @param frame       0-based frame index
 * @param obstacle    the obstacle, for obstacle_* events (absent otherwise)
 * @param changedFrac share of changed pixels, for change_* events (absent otherwise)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EventMessage(EventType type, long ts, long frame, ObstacleReport obstacle, Double changedFrac) {

    public static EventMessage obstacle(EventType type, long ts, long frame, ObstacleReport obstacle) {
        return new EventMessage(type, ts, frame, obstacle, null);
    }

    public static EventMessage change(EventType type, long ts, long frame, double changedFrac) {
        return new EventMessage(type, ts, frame, null, Payloads.round3(changedFrac));
    }
}
