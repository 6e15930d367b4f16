package io.mdeas.node.tracking;

import io.mdeas.node.analysis.Blob;
import io.mdeas.node.publish.ObstacleReport;
import io.mdeas.node.publish.Payloads;

import java.util.List;

/** One track: its last measurement and the hysteresis bookkeeping. Owned by {@link ObstacleTracker}. */
final class TrackedObstacle {
    final int id;
    final long firstSeenMs;
    Blob blob;
    /** Bit i set = seen i frames ago (bit 0 = this frame). */
    long history = 1;
    int missing;
    boolean confirmed;
    boolean near;
    long lastUpdateEventMs;

    TrackedObstacle(int id, Blob blob, long nowMs) {
        this.id = id;
        this.blob = blob;
        this.firstSeenMs = nowMs;
    }

    ObstacleReport report(long nowMs) {
        return new ObstacleReport(id, Payloads.round3(blob.distanceM()), Payloads.round3(blob.rangeM()),
                Payloads.round3(blob.bearingDeg()), List.of(blob.x(), blob.y(), blob.width(), blob.height()),
                Payloads.round3(blob.areaFrac() * 1000) / 1000, Math.max(0, nowMs - firstSeenMs));
    }
}
