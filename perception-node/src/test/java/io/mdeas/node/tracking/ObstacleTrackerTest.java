package io.mdeas.node.tracking;

import io.mdeas.node.analysis.Blob;
import io.mdeas.node.publish.EventMessage;
import io.mdeas.node.publish.EventType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ObstacleTrackerTest {
    static final int W = 320;
    static final int H = 240;
    static final long DT = 100;

    static Blob blob(int x, int y, int size, double distance) {
        return new Blob(x, y, size, size, (double) size * size / (W * H), x + size / 2.0, y + size / 2.0,
                distance, distance, 0);
    }

    /** Feeds frames and collects event types per frame. */
    static final class Run {
        final ObstacleTracker tracker;
        long frame;
        final List<List<EventType>> types = new ArrayList<>();
        TrackingResult last;

        Run(TrackerParams p) {
            tracker = new ObstacleTracker(p);
        }

        TrackingResult step(List<Blob> blobs, double changed) {
            last = tracker.update(blobs, changed, true, 1000 + frame * DT, frame, W, H);
            types.add(last.events().stream().map(EventMessage::type).toList());
            frame++;
            return last;
        }

        TrackingResult step(Blob... blobs) {
            return step(List.of(blobs), 0);
        }
    }

    @Test
    void anObstacleExistsAfterMofNAndEndsAfterKAbsent() {
        TrackerParams p = new TrackerParams(3, 5, 4, 0.1, 0.15, 10_000, 0.0, 0.1, 0.02, 300);
        Run run = new Run(p);
        Blob b = blob(100, 100, 40, 2.0);
        run.step(b);
        run.step();          // a missed detection inside the window
        assertTrue(run.step(b).obstacles().isEmpty(), "2 of 3: not yet");
        TrackingResult confirmed = run.step(b);
        assertEquals(List.of(EventType.OBSTACLE_NEW), confirmed.events().stream().map(EventMessage::type).toList());
        assertEquals(1, confirmed.obstacles().size());
        int id = confirmed.obstacles().get(0).id();
        assertEquals(300, confirmed.obstacles().get(0).ageMs(), "age counts from the first sighting");
        // Absent 3 frames: still exists (coasting), same id when it comes back.
        for (int i = 0; i < 3; i++) {
            assertEquals(1, run.step().obstacles().size());
        }
        assertEquals(id, run.step(blob(104, 102, 40, 1.9)).obstacles().get(0).id());
        // Absent 4 frames: ends, once, and the last frame says so (an empty list is published once).
        for (int i = 0; i < 3; i++) {
            run.step();
        }
        TrackingResult end = run.step();
        assertEquals(List.of(EventType.OBSTACLE_END), end.events().stream().map(EventMessage::type).toList());
        assertTrue(end.obstacles().isEmpty());
        assertTrue(end.lastJustEnded());
        assertFalse(run.step().lastJustEnded());
    }

    @Test
    void aFlickerIsNeverAnObstacle() {
        Run run = new Run(TrackerParams.DEFAULTS);
        Blob b = blob(10, 10, 30, 1.0);
        for (int i = 0; i < 20; i++) {
            TrackingResult r = i % 3 == 0 ? run.step(b) : run.step();
            assertTrue(r.obstacles().isEmpty(), "1 in 3 frames never reaches 3 of 5");
            assertTrue(r.events().isEmpty());
        }
    }

    @Test
    void twoObstaclesKeepTheirIdsWhileOneApproaches() {
        Run run = new Run(TrackerParams.DEFAULTS);
        List<Integer> ids = null;
        for (int i = 0; i < 12; i++) {
            // Left one grows and comes nearer; right one stays.
            Blob left = blob(40 - i, 80 - i, 40 + 2 * i, 3.0 - 0.2 * i);
            Blob right = blob(240, 100, 30, 2.5);
            TrackingResult r = run.step(left, right);
            if (i >= 2) {
                assertEquals(2, r.obstacles().size(), "frame " + i);
                List<Integer> now = r.obstacles().stream().map(o -> o.id()).toList();
                if (ids != null) {
                    assertEquals(ids, now, "stable ids");
                }
                ids = now;
            }
        }
        double leftDistance = run.last.obstacles().stream().filter(o -> o.bbox().get(0) < 100).findFirst()
                .orElseThrow().distanceM();
        assertEquals(3.0 - 0.2 * 11, leftDistance, 1e-9);
    }

    @Test
    void aFastSmallObjectIsFollowedByItsCentroid() {
        Run run = new Run(TrackerParams.DEFAULTS);
        for (int i = 0; i < 6; i++) {
            // Jumps 25 px per frame: no overlap between 12 px boxes, but well within 15 % of the diagonal.
            run.step(blob(50 + 25 * i, 100, 12, 2.0));
        }
        assertEquals(1, run.last.obstacles().size());
        assertEquals(1, run.last.obstacles().get(0).id());
    }

    @Test
    void updatesAreThrottledAndNearHasHysteresis() {
        TrackerParams p = new TrackerParams(1, 1, 3, 0.1, 0.15, 500, 0.5, 0.1, 0.02, 300);
        Run run = new Run(p);
        double[] distances = {1.0, 0.9, 0.8, 0.7, 0.45, 0.4, 0.55, 0.58, 0.45, 0.7, 0.65, 0.45};
        for (double d : distances) {
            run.step(blob(100, 100, 40, d));
        }
        long updates = run.types.stream().flatMap(List::stream).filter(t -> t == EventType.OBSTACLE_UPDATE).count();
        // 12 frames of 100 ms, one update every 500 ms after the first sighting: at 500 and 1000 ms.
        assertEquals(2, updates);
        List<Integer> nearFrames = new ArrayList<>();
        for (int i = 0; i < run.types.size(); i++) {
            if (run.types.get(i).contains(EventType.OBSTACLE_NEAR)) {
                nearFrames.add(i);
            }
        }
        // Near at 0.45 (frame 4); 0.55/0.58 stay within the hysteresis band; re-armed at 0.7 (frame 9);
        // near again at 0.45 (frame 11).
        assertEquals(List.of(4, 11), nearFrames);
    }

    @Test
    void changeStartsAndEndsOnlyAfterLastingLongEnough() {
        TrackerParams p = new TrackerParams(3, 5, 5, 0.1, 0.15, 1000, 0.5, 0.1, 0.05, 300);
        Run run = new Run(p);
        double[] changed = {0, 0.2, 0.2, 0, 0.2, 0.2, 0.2, 0.2, 0.2, 0.01, 0.2, 0.01, 0.01, 0.01, 0.01, 0.01};
        for (double c : changed) {
            run.step(List.of(), c);
        }
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < run.types.size(); i++) {
            for (EventType t : run.types.get(i)) {
                seen.add(t.wireName() + "@" + i);
            }
        }
        // A 200 ms blip (frames 1-2) is ignored; from frame 4 on, 300 ms later (frame 7) the change starts;
        // one quiet frame (9) does not end it; quiet from frame 11, 300 ms later (frame 14) it ends.
        assertEquals(List.of("change_start@7", "change_end@14"), seen);
    }

    @Test
    void noChangeEventsWhileChangeDetectionIsOff() {
        TrackerParams p = new TrackerParams(3, 5, 5, 0.1, 0.15, 1000, 0.5, 0.1, 0.05, 0);
        ObstacleTracker t = new ObstacleTracker(p);
        assertEquals(EventType.CHANGE_START, t.update(List.of(), 0.5, true, 0, 0, W, H).events().get(0).type());
        TrackingResult off = t.update(List.of(), 0.5, false, 100, 1, W, H);
        assertEquals(EventType.CHANGE_END, off.events().get(0).type(), "an ongoing change ends when detection stops");
        assertTrue(t.update(List.of(), 0.9, false, 200, 2, W, H).events().isEmpty());
    }
}
