package io.mdeas.node.tracking;

import io.mdeas.node.analysis.Blob;
import io.mdeas.node.publish.EventMessage;
import io.mdeas.node.publish.EventType;
import io.mdeas.node.publish.ObstacleReport;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Associates blobs across frames and turns them into obstacles and events.
 *
 * <ul>
 *   <li>Association: greedy by bounding-box IoU, then by centroid distance for blobs that moved a lot
 *       (an approaching object grows; a small fast one may not overlap).</li>
 *   <li>Hysteresis: an obstacle exists after M sightings in N frames ({@code obstacle_new}) and ends after K
 *       frames absent ({@code obstacle_end}); ids are stable for its life.</li>
 *   <li>{@code obstacle_update} at most every {@code updateIntervalMs}; {@code obstacle_near} when the distance
 *       falls below {@code nearM} (re-armed above {@code nearM + nearHysteresisM}).</li>
 *   <li>{@code change_start} / {@code change_end} when the changed-pixel share stays above / below the threshold
 *       for {@code changeMinMs}.</li>
 * </ul>
 * Single-threaded (the pipeline thread).
 */
public final class ObstacleTracker {
    private final TrackerParams params;
    private final List<TrackedObstacle> tracks = new ArrayList<>();
    private int nextId = 1;
    private boolean changing;
    private long changeConditionSinceMs = -1;
    /** Read by status() from other threads. */
    private volatile int confirmedCount;

    public ObstacleTracker(TrackerParams params) {
        this.params = params;
    }

    public TrackerParams params() {
        return params;
    }

    /**
     * @param blobs         this frame's blobs (empty when change detection is off)
     * @param changedFrac   share of changed pixels this frame
     * @param detectChange  false in depth-only / initialising: no change events (an ongoing change ends)
     * @param frameWidth    source width, with {@code frameHeight} for the centroid-distance association
     */
    public TrackingResult update(List<Blob> blobs, double changedFrac, boolean detectChange, long ts, long frame,
                                 int frameWidth, int frameHeight) {
        List<EventMessage> events = new ArrayList<>();
        associate(blobs, ts, frameWidth, frameHeight);

        Iterator<TrackedObstacle> it = tracks.iterator();
        while (it.hasNext()) {
            TrackedObstacle t = it.next();
            boolean seen = (t.history & 1) != 0;
            if (!t.confirmed && Long.bitCount(t.history & windowMask()) >= params.confirmHits()) {
                t.confirmed = true;
                t.lastUpdateEventMs = ts;
                events.add(EventMessage.obstacle(EventType.OBSTACLE_NEW, ts, frame, t.report(ts)));
            } else if (t.confirmed && seen && ts - t.lastUpdateEventMs >= params.updateIntervalMs()) {
                t.lastUpdateEventMs = ts;
                events.add(EventMessage.obstacle(EventType.OBSTACLE_UPDATE, ts, frame, t.report(ts)));
            }
            if (t.confirmed && seen) {
                double d = t.blob.distanceM();
                if (!t.near && d < params.nearM()) {
                    t.near = true;
                    events.add(EventMessage.obstacle(EventType.OBSTACLE_NEAR, ts, frame, t.report(ts)));
                } else if (t.near && d > params.nearM() + params.nearHysteresisM()) {
                    t.near = false;
                }
            }
            if (t.missing >= params.endAfterMissing()
                    || (!t.confirmed && Long.bitCount(t.history & windowMask()) == 0)) {
                if (t.confirmed) {
                    events.add(EventMessage.obstacle(EventType.OBSTACLE_END, ts, frame, t.report(ts)));
                }
                it.remove();
            }
        }

        changeEvents(changedFrac, detectChange, ts, frame, events);

        List<ObstacleReport> obstacles = new ArrayList<>();
        for (TrackedObstacle t : tracks) {
            if (t.confirmed) {
                obstacles.add(t.report(ts));
            }
        }
        boolean lastJustEnded = confirmedCount > 0 && obstacles.isEmpty();
        confirmedCount = obstacles.size();
        return new TrackingResult(obstacles, lastJustEnded, events);
    }

    private long windowMask() {
        return (1L << params.confirmWindow()) - 1;
    }

    private void associate(List<Blob> blobs, long ts, int frameWidth, int frameHeight) {
        for (TrackedObstacle t : tracks) {
            t.history <<= 1;
        }
        boolean[] blobTaken = new boolean[blobs.size()];
        boolean[] trackTaken = new boolean[tracks.size()];
        // Pass 1: best IoU pairs first; pass 2: nearest centroids within the allowed jump (as a negated distance,
        // so both passes take the highest score).
        matchGreedily(blobs, blobTaken, trackTaken, params.minIou(), (track, blob) -> track.blob.iou(blob));
        double maxJump = params.maxCentroidJump() * Math.hypot(frameWidth, frameHeight);
        matchGreedily(blobs, blobTaken, trackTaken, -maxJump, (track, blob) -> -Math.hypot(
                track.blob.centroidX() - blob.centroidX(), track.blob.centroidY() - blob.centroidY()));
        for (int t = 0; t < trackTaken.length; t++) {
            if (!trackTaken[t]) {
                tracks.get(t).missing++;
            }
        }
        for (int b = 0; b < blobs.size(); b++) {
            if (!blobTaken[b]) {
                tracks.add(new TrackedObstacle(nextId++, blobs.get(b), ts));
            }
        }
    }

    /** How well a track and a blob match; higher is better. */
    @FunctionalInterface
    private interface PairScore {
        double of(TrackedObstacle track, Blob blob);
    }

    /**
     * Repeatedly pairs the free track and free blob with the highest score at or above {@code threshold} (later
     * pairs win ties) until no such pair is left.
     */
    private void matchGreedily(List<Blob> blobs, boolean[] blobTaken, boolean[] trackTaken, double threshold,
            PairScore score) {
        while (true) {
            double best = threshold;
            int bi = -1;
            int ti = -1;
            for (int b = 0; b < blobs.size(); b++) {
                if (blobTaken[b]) {
                    continue;
                }
                for (int t = 0; t < tracks.size(); t++) {
                    if (trackTaken[t]) {
                        continue;
                    }
                    double s = score.of(tracks.get(t), blobs.get(b));
                    if (s >= best) {
                        best = s;
                        bi = b;
                        ti = t;
                    }
                }
            }
            if (bi < 0) {
                return;
            }
            blobTaken[bi] = true;
            trackTaken[ti] = true;
            take(tracks.get(ti), blobs.get(bi));
        }
    }

    private static void take(TrackedObstacle t, Blob blob) {
        t.blob = blob;
        t.history |= 1;
        t.missing = 0;
    }

    private void changeEvents(double changedFrac, boolean detectChange, long ts, long frame, List<EventMessage> events) {
        if (!detectChange) {
            if (changing) {
                changing = false;
                events.add(EventMessage.change(EventType.CHANGE_END, ts, frame, changedFrac));
            }
            changeConditionSinceMs = -1;
            return;
        }
        // The condition that would flip the state: above the threshold while quiet, below it while changing.
        boolean flipCondition = changing ? changedFrac < params.changeFrac() : changedFrac >= params.changeFrac();
        if (!flipCondition) {
            changeConditionSinceMs = -1;
            return;
        }
        if (changeConditionSinceMs < 0) {
            changeConditionSinceMs = ts;
        }
        if (ts - changeConditionSinceMs >= params.changeMinMs()) {
            changing = !changing;
            changeConditionSinceMs = -1;
            events.add(EventMessage.change(changing ? EventType.CHANGE_START : EventType.CHANGE_END, ts, frame, changedFrac));
        }
    }

    /** Whether a change is in progress (between change_start and change_end). */
    public boolean changing() {
        return changing;
    }

    /** Number of confirmed obstacles after the last update. */
    public int obstacleCount() {
        return confirmedCount;
    }
}
