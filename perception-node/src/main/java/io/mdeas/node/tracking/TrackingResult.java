package io.mdeas.node.tracking;

import io.mdeas.node.publish.EventMessage;
import io.mdeas.node.publish.ObstacleReport;

import java.util.List;

/**
 * What the tracker concluded for one frame.
 *
 * @param obstacles      confirmed obstacles that exist now (seen, or missing for fewer than K frames)
 * @param lastJustEnded  true on the frame the last obstacle ended (publish one empty obstacle list)
 * @param events         events in the order they happened
 */
public record TrackingResult(List<ObstacleReport> obstacles, boolean lastJustEnded, List<EventMessage> events) {
    public TrackingResult {
        obstacles = List.copyOf(obstacles);
        events = List.copyOf(events);
    }
}
