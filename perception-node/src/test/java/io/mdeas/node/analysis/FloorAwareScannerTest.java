package io.mdeas.node.analysis;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FloorAwareScannerTest {
    static final int W = 96;
    static final int H = 72;
    static final int SRC_W = 320;
    static final int SRC_H = 240;
    static final float MAX_DEPTH = 10f;

    /**
     * Ray-casts an analytic scene independently of MapGeometry: a floor plane, and optionally a box standing on
     * it whose front face is at {@code boxForward} metres, spanning {@code ±boxHalfWidth} laterally and
     * {@code boxHeight} tall. Returns Z depth per pixel (0 = no hit within range).
     */
    static FloatBuffer render(CameraMount mount, double boxForward, double boxHalfWidth, double boxHeight) {
        FloatBuffer depth = ByteBuffer.allocateDirect(W * H * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        double f = (SRC_W / 2.0) / Math.tan(Math.toRadians(mount.hfovDeg()) / 2);
        double th = Math.toRadians(-mount.pitchDeg());
        for (int v = 0; v < H; v++) {
            for (int u = 0; u < W; u++) {
                double xn = ((u + 0.5) * SRC_W / W - SRC_W / 2.0) / f;
                double yn = ((v + 0.5) * SRC_H / H - SRC_H / 2.0) / f;
                // Level-frame direction per unit Z depth.
                double lat = xn;
                double down = yn * Math.cos(th) + Math.sin(th);
                double fwd = Math.cos(th) - yn * Math.sin(th);
                double best = Double.POSITIVE_INFINITY;
                if (down > 1e-9) {
                    best = mount.heightM() / down; // floor: height h - t*down = 0
                }
                if (boxForward > 0 && fwd > 1e-9) {
                    double t = boxForward / fwd;
                    double y = mount.heightM() - t * down;
                    if (Math.abs(t * lat) <= boxHalfWidth && y >= 0 && y <= boxHeight && t < best) {
                        best = t;
                    }
                }
                depth.put(v * W + u, best < MAX_DEPTH ? (float) best : 0f);
            }
        }
        return depth;
    }

    @Test
    void anEmptyFloorGivesNoReturns() {
        CameraMount mount = new CameraMount(0.25, -15, 70);
        MapGeometry g = new MapGeometry(mount, SRC_W, SRC_H, W, H);
        RangeScan scan = new FloorAwareScanner(ScanParams.DEFAULTS).scan(render(mount, 0, 0, 0), g, MAX_DEPTH);
        assertEquals(ScanParams.DEFAULTS.sectors(), scan.ranges().length);
        for (float r : scan.ranges()) {
            assertEquals(Float.POSITIVE_INFINITY, r, "floor must be removed");
        }
        assertEquals(-35.0, scan.angleMinDeg(), 1e-9);
        assertEquals(70.0 / 64, scan.angleIncrementDeg(), 1e-9);
    }

    @Test
    void withoutFloorRemovalTheFloorWouldShowUp() {
        CameraMount mount = new CameraMount(0.25, -15, 70);
        MapGeometry g = new MapGeometry(mount, SRC_W, SRC_H, W, H);
        ScanParams noFloorRemoval = new ScanParams(64, 0.05, 8.0, -1e-3 + 1e-3, 1.5);
        // Tolerance 0: numerical noise puts about half the floor pixels above the plane.
        RangeScan scan = new FloorAwareScanner(noFloorRemoval).scan(render(mount, 0, 0, 0), g, MAX_DEPTH);
        assertTrue(Float.isFinite(scan.nearest()), "a zero tolerance lets the floor through");
    }

    @Test
    void aBoxOnTheFloorIsSeenAtItsRangeAndBearing() {
        CameraMount mount = new CameraMount(0.25, -15, 70);
        MapGeometry g = new MapGeometry(mount, SRC_W, SRC_H, W, H);
        RangeScan scan = new FloorAwareScanner(ScanParams.DEFAULTS)
                .scan(render(mount, 2.0, 0.3, 0.4), g, MAX_DEPTH);
        assertEquals(2.0, scan.nearest(), 0.02);
        double halfAngle = Math.toDegrees(Math.atan2(0.3, 2.0));
        for (int i = 0; i < scan.ranges().length; i++) {
            double lo = scan.angleMinDeg() + i * scan.angleIncrementDeg();
            double hi = lo + scan.angleIncrementDeg();
            if (lo > halfAngle + 1.5 || hi < -halfAngle - 1.5) {
                assertEquals(Float.POSITIVE_INFINITY, scan.ranges()[i], "sector " + i + " outside the box");
            } else if (lo > -halfAngle + 1.5 && hi < halfAngle - 1.5) {
                double nearestInSector = 2.0 / Math.cos(Math.toRadians(Math.min(Math.abs(lo), Math.abs(hi))));
                if (lo < 0 && hi > 0) {
                    nearestInSector = 2.0;
                }
                assertEquals(nearestInSector, scan.ranges()[i], 0.03, "sector " + i + " inside the box");
            }
        }
    }

    @Test
    void anOffCentreBoxOnTheLeftHasPositiveBearings() {
        CameraMount mount = new CameraMount(0.20, 0, 60);
        MapGeometry g = new MapGeometry(mount, SRC_W, SRC_H, W, H);
        // Shift the box left by rendering it and mirroring columns: the left half of the image = positive angles.
        FloatBuffer depth = render(mount, 1.5, 0.2, 0.5);
        FloatBuffer shifted = ByteBuffer.allocateDirect(W * H * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        int shift = W / 4;
        for (int v = 0; v < H; v++) {
            for (int u = 0; u < W; u++) {
                int from = u + shift;
                shifted.put(v * W + u, from < W ? depth.get(v * W + from) : depth.get(v * W + W - 1));
            }
        }
        RangeScan scan = new FloorAwareScanner(new ScanParams(12, 0.05, 8, 0.04, 1.5)).scan(shifted, g, MAX_DEPTH);
        int nearestSector = 0;
        for (int i = 1; i < scan.ranges().length; i++) {
            if (scan.ranges()[i] < scan.ranges()[nearestSector]) {
                nearestSector = i;
            }
        }
        double angle = scan.angleMinDeg() + (nearestSector + 0.5) * scan.angleIncrementDeg();
        assertTrue(angle > 5, "box moved to the left of the image must be at a positive bearing, got " + angle);
    }

    @Test
    void strayPixelsNeedSupportBeforeTheyCountAsAReturn() {
        CameraMount mount = new CameraMount(0.25, -15, 70);
        MapGeometry g = new MapGeometry(mount, SRC_W, SRC_H, W, H);
        FloatBuffer depth = render(mount, 0, 0, 0);
        // Two isolated bad depth pixels in the upper half (read as things 0.3 m away, above the floor).
        depth.put(10 * W + 20, 0.3f);
        depth.put(12 * W + 70, 0.3f);
        RangeScan supported = new FloorAwareScanner(ScanParams.DEFAULTS).scan(depth, g, MAX_DEPTH);
        assertEquals(Float.POSITIVE_INFINITY, supported.nearest(), "fewer than 3 points: no return");
        RangeScan plainMin = new FloorAwareScanner(new ScanParams(64, 0.05, 8, 0.04, 1.5, 1)).scan(depth, g, MAX_DEPTH);
        assertTrue(plainMin.nearest() < 0.35, "min_points 1: each stray pixel is a return");
    }

    @Test
    void heightAndRangeFollowTheMount() {
        CameraMount mount = new CameraMount(0.30, -30, 60);
        // A 2x2 map of a 2x2 source: pixel centres are at ±0.5 px, nearly the optical axis.
        MapGeometry g = new MapGeometry(mount, 2000, 2000, 2000, 2000);
        int centre = 1000 * 2000 + 1000;
        assertEquals(0.30 - 1.0 * Math.sin(Math.toRadians(30)), g.heightAboveFloor(centre, 1f), 1e-3);
        assertEquals(Math.cos(Math.toRadians(30)), g.range(centre, 1f), 1e-3);
        assertEquals(0, g.bearingDeg(centre), 0.05);
        assertEquals(30, g.columnBearingDeg(0), 1e-9);
        assertEquals(-30, g.columnBearingDeg(2000), 1e-9);
    }
}
