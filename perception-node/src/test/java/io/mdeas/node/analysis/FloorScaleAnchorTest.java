package io.mdeas.node.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

class FloorScaleAnchorTest {
    private static final int SIZE = 224;
    private static final float MAX_DEPTH = 10f;
    private static final MapGeometry GEOMETRY = new MapGeometry(new CameraMount(0.15, -8, 70), 640, 480, SIZE, SIZE);

    /** A room: floor below the horizon up to a wall {@code wallM} ahead (Z depth), the wall above it. */
    private static float[] room(float wallM) {
        float[] d = new float[SIZE * SIZE];
        for (int i = 0; i < d.length; i++) {
            d[i] = Math.min(GEOMETRY.floorDepth(i), wallM);
        }
        return d;
    }

    private static FloatBuffer scaled(float[] truth, float scale) {
        FloatBuffer b = FloatBuffer.allocate(truth.length);
        for (float t : truth) {
            b.put(Math.min(t * scale, MAX_DEPTH));
        }
        return b.flip();
    }

    private static FloatBuffer mask(float value) {
        FloatBuffer b = FloatBuffer.allocate(SIZE * SIZE);
        for (int i = 0; i < SIZE * SIZE; i++) {
            b.put(value);
        }
        return b.flip();
    }

    @Test
    void aDepthMapReadTooFarIsBroughtBackToTheFloor() {
        float[] truth = room(4f);
        FloatBuffer depth = scaled(truth, 1.3f);
        FloorScaleAnchor anchor = new FloorScaleAnchor(FloorAnchorParams.DEFAULTS);

        float factor = anchor.apply(depth, mask(0), GEOMETRY, MAX_DEPTH);

        assertEquals(FloorScaleAnchor.Outcome.ANCHORED, anchor.lastOutcome());
        assertEquals(1 / 1.3f, factor, 0.003f);
        assertTrue(anchor.lastFloorShare() > 0.2, "floor share " + anchor.lastFloorShare());
        assertEquals(anchor.lastFloorShare() * SIZE * SIZE / 4, anchor.lastFloorPixels(), 1, "a quarter is read");
        // the wall, not used for the estimate, is rescaled as well
        int wallPixel = 10 * SIZE + SIZE / 2;
        assertEquals(4f, depth.get(wallPixel), 0.02f);
        int floorPixel = (SIZE - 5) * SIZE + SIZE / 2;
        assertEquals(truth[floorPixel], depth.get(floorPixel), 0.003f * truth[floorPixel]);
    }

    @Test
    void thingsStandingOnTheFloorDoNotPullTheScale() {
        // Furniture nearer than the floor behind it over 40 % of the floor pixels, unchanged (mask 0).
        float[] truth = room(4f);
        int floorPixels = 0;
        for (int i = 0; i < truth.length; i++) {
            if (GEOMETRY.floorDepth(i) <= 3.0) {
                floorPixels++;
            }
        }
        int covered = 0;
        for (int i = 0; i < truth.length && covered < 0.4 * floorPixels; i++) {
            if (GEOMETRY.floorDepth(i) <= 3.0 && (i % SIZE) < SIZE / 2) {
                truth[i] = 0.6f * truth[i];
                covered++;
            }
        }
        FloatBuffer depth = scaled(truth, 0.8f);
        FloorScaleAnchor anchor = new FloorScaleAnchor(FloorAnchorParams.DEFAULTS);

        float factor = anchor.apply(depth, mask(0), GEOMETRY, MAX_DEPTH);

        assertEquals(FloorScaleAnchor.Outcome.ANCHORED, anchor.lastOutcome());
        assertEquals(1.25f, factor, 0.01f, "the floor left in view fixes the scale");
    }

    @Test
    void changedPixelsAreNotFloor() {
        float[] truth = room(4f);
        FloatBuffer depth = scaled(truth, 1.2f);
        FloatBuffer mask = mask(0);
        // a large foreground object read very near over the lower 45 % of the image: masked, so ignored
        for (int i = (int) (0.55 * SIZE) * SIZE; i < SIZE * SIZE; i++) {
            depth.put(i, 0.1f);
            mask.put(i, 0.9f);
        }
        FloorScaleAnchor anchor = new FloorScaleAnchor(FloorAnchorParams.DEFAULTS);

        assertEquals(1 / 1.2f, anchor.apply(depth, mask, GEOMETRY, MAX_DEPTH), 0.005f);
    }

    @Test
    void withTooLittleFloorInViewTheLastScaleIsKept() {
        FloorScaleAnchor anchor = new FloorScaleAnchor(FloorAnchorParams.DEFAULTS);
        anchor.apply(scaled(room(4f), 1.25f), mask(0), GEOMETRY, MAX_DEPTH);
        float held = anchor.factor();

        FloatBuffer depth = scaled(room(4f), 2f);
        float factor = anchor.apply(depth, mask(1), GEOMETRY, MAX_DEPTH);

        assertEquals(FloorScaleAnchor.Outcome.TOO_LITTLE_FLOOR, anchor.lastOutcome());
        assertEquals(0, anchor.lastFloorPixels());
        assertEquals(0f, anchor.lastFloorShare());
        assertEquals(held, factor);
        assertTrue(Float.isNaN(anchor.lastEstimate()));
        int wallPixel = 10 * SIZE;
        assertEquals(8f * held, depth.get(wallPixel), 1e-4f, "the held factor is applied");

        anchor.reset();
        assertEquals(1f, anchor.factor());
    }

    @Test
    void aFloorFarFromTheConfiguredMountIsRefusedNotFollowed() {
        FloorScaleAnchor anchor = new FloorScaleAnchor(FloorAnchorParams.DEFAULTS);
        float[] truth = room(4f);
        FloatBuffer depth = scaled(truth, 0.4f); // as if camera.height_m were 2.5x the real one

        float factor = anchor.apply(depth, mask(0), GEOMETRY, MAX_DEPTH);

        assertEquals(FloorScaleAnchor.Outcome.IMPLAUSIBLE, anchor.lastOutcome());
        assertEquals(1f, factor);
        assertEquals(Float.POSITIVE_INFINITY, anchor.lastEstimate(), "the floor reads 2.5x too near");
        assertEquals(0.4f * truth[0], depth.get(0), 1e-6f, "depth unchanged");
    }

    @Test
    void saturatedPixelsStayNoReturn() {
        FloatBuffer depth = scaled(room(20f), 1.25f);
        int top = 0;
        assertEquals(MAX_DEPTH, depth.get(top));
        FloorScaleAnchor anchor = new FloorScaleAnchor(FloorAnchorParams.DEFAULTS);

        anchor.apply(depth, mask(0), GEOMETRY, MAX_DEPTH);

        assertEquals(MAX_DEPTH, depth.get(top), "a no-return pixel must not become a return at 8 m");
    }

    @Test
    void offLeavesDepthAlone() {
        FloatBuffer depth = scaled(room(4f), 1.3f);
        float before = depth.get(SIZE * SIZE - 1);
        FloorScaleAnchor anchor = new FloorScaleAnchor(FloorAnchorParams.OFF);

        assertEquals(1f, anchor.apply(depth, mask(0), GEOMETRY, MAX_DEPTH));
        assertEquals(FloorScaleAnchor.Outcome.OFF, anchor.lastOutcome());
        assertEquals(before, depth.get(SIZE * SIZE - 1));
    }

    @Test
    void floorDepthFollowsTheMount() {
        // The bottom row's centre of a camera 0.15 m high looking 8° down, 4:3 frame, hfov 70°: the ray leaves
        // the optical axis by atan(yn) downwards, meets the floor after 0.15 / sin(8° + atan(yn)) metres, and Z is
        // that length projected on the optical axis.
        double f = 320 / Math.tan(Math.toRadians(35));
        double yn = ((SIZE - 0.5) * 480.0 / SIZE - 240) / f;
        double rayLength = 0.15 / Math.sin(Math.toRadians(8) + Math.atan(yn));
        double z = rayLength * Math.cos(Math.atan(yn));
        int i = (SIZE - 1) * SIZE + SIZE / 2;
        assertEquals(z, GEOMETRY.floorDepth(i), 1e-3 * z);
        assertEquals(Float.POSITIVE_INFINITY, GEOMETRY.floorDepth(0), "above the horizon");
    }

    @Test
    void paramsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new FloorAnchorParams(true, 0, 0.05, 1.5));
        assertThrows(IllegalArgumentException.class, () -> new FloorAnchorParams(true, 3, 1.0, 1.5));
        assertThrows(IllegalArgumentException.class, () -> new FloorAnchorParams(true, 3, 0.05, 1.0));
    }
}
