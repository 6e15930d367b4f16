package io.mdeas.node.pipeline;

import io.mdeas.node.analysis.FloorScaleAnchor;
import io.mdeas.node.background.BackgroundStatus;
import io.mdeas.node.capture.SourceStatus;
import io.mdeas.node.inference.ModelInfo;

/**
 * Snapshot for /health and stats.
 *
 * @param framesCaptured  frames read from the source
 * @param framesProcessed frames through the whole pipeline
 * @param framesDropped   stale + corrupt + wrong-size frames
 * @param lastFrameEpochMs capture time of the last processed frame (0 before the first)
 * @param lastFrameNanos  {@link System#nanoTime()} when the last frame was processed (0 before the first)
 * @param source          source state and reason
 * @param background      background state and age
 * @param model           model and provider in use
 * @param obstacles       obstacles that exist now
 * @param ended           the run is over (source ended, max frames, stopped or failed)
 * @param failure         why processing stopped on an error, or null
 * @param floorAnchor     what the depth floor anchor is doing
 */
public record PipelineStatus(long framesCaptured, long framesProcessed, long framesDropped, long lastFrameEpochMs,
                             long lastFrameNanos, SourceStatus source, BackgroundStatus background, ModelInfo model,
                             int obstacles, boolean ended, String failure, FloorScaleAnchor.State floorAnchor) {
}
