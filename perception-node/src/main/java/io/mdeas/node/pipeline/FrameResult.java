package io.mdeas.node.pipeline;

import io.mdeas.node.analysis.MaskAnalysis;
import io.mdeas.node.analysis.RangeScan;
import io.mdeas.node.background.BackgroundState;
import io.mdeas.node.tracking.TrackingResult;

/**
 * Everything one frame produced (what was published is built from it).
 *
 * @param frame           0-based index from the source's start
 * @param ts              capture time, epoch ms
 * @param background      background state the frame was processed in
 * @param mask            blobs and changed share (empty outside {@link BackgroundState#STABLE})
 * @param scan            the virtual range scan
 * @param tracking        obstacles and events
 * @param latencyNanos    capture → published
 */
public record FrameResult(long frame, long ts, BackgroundState background, MaskAnalysis mask, RangeScan scan,
                          TrackingResult tracking, long latencyNanos) {
}
