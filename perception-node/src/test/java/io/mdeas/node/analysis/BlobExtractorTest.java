package io.mdeas.node.analysis;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BlobExtractorTest {
    static final int S = 64;

    static FloatBuffer map(float value) {
        FloatBuffer b = ByteBuffer.allocateDirect(S * S * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        for (int i = 0; i < S * S; i++) {
            b.put(i, value);
        }
        return b;
    }

    static void rect(FloatBuffer b, int x, int y, int w, int h, float value) {
        for (int v = y; v < y + h; v++) {
            for (int u = x; u < x + w; u++) {
                b.put(v * S + u, value);
            }
        }
    }

    @Test
    void blobsCarryBoxesInSourcePixelsAndRobustDistances() {
        FloatBuffer mask = map(0.02f);
        FloatBuffer depth = map(6f);
        // Blob A on the left: 10x12 map px at depth 1.5 m, with a few wildly wrong pixels that the
        // low percentile must ignore.
        rect(mask, 4, 20, 10, 12, 0.97f);
        rect(depth, 4, 20, 10, 12, 1.5f);
        depth.put(25 * S + 8, 0.2f);
        depth.put(26 * S + 9, 0.25f);
        // Blob B on the right: 8x8 at depth 3 m.
        rect(mask, 50, 40, 8, 8, 0.9f);
        rect(depth, 50, 40, 8, 8, 3f);
        // A 2x2 speck under the minimum area, and isolated noise pixels the opening removes.
        rect(mask, 30, 5, 2, 2, 0.9f);
        Random rnd = new Random(1);
        for (int k = 0; k < 20; k++) {
            int u = 20 + rnd.nextInt(20);
            int v = 50 + rnd.nextInt(10);
            mask.put(v * S + u, 0.8f);
        }

        MapGeometry g = new MapGeometry(new CameraMount(0.2, 0, 60), 640, 480, S, S);
        try (BlobExtractor ex = new BlobExtractor(new BlobParams(0.5, 3, 0.005, 5))) {
            MaskAnalysis result = ex.extract(mask, depth, g, 10f);
            assertEquals(2, result.blobs().size(), result.toString());
            Blob a = result.blobs().get(0);
            Blob b = result.blobs().get(1);
            // The elliptic opening rounds the four corners off (4 px of 120).
            assertEquals(120.0 / (S * S), a.areaFrac(), 5.0 / (S * S));
            // Map 64x64 → source 640x480: 10 px per map column, 7.5 px per map row.
            assertEquals(40, a.x());
            assertEquals(150, a.y());
            assertEquals(100, a.width());
            assertEquals(90, a.height());
            assertEquals(1.5, a.distanceM(), 1e-6, "two outlier pixels out of 120 must not move the 5th percentile");
            assertTrue(a.bearingDeg() > 10, "left of centre → positive bearing: " + a.bearingDeg());
            assertTrue(b.bearingDeg() < -10, "right of centre → negative bearing: " + b.bearingDeg());
            assertEquals(3.0, b.distanceM(), 1e-6);
            // Level camera: range = Z · hypot(xn, 1) ≥ Z, equal near the optical axis.
            assertTrue(b.rangeM() > 3.0 && b.rangeM() < 3.0 / Math.cos(Math.toRadians(31)), "range " + b.rangeM());
            double expectedChanged = (120 + 64 + 4 + 20) / (double) (S * S);
            assertEquals(expectedChanged, result.changedFrac(), 20.0 / (S * S));
        }
    }

    @Test
    void anEmptyMaskHasNoBlobs() {
        MapGeometry g = new MapGeometry(CameraMount.DEFAULTS, 320, 240, S, S);
        try (BlobExtractor ex = new BlobExtractor(BlobParams.DEFAULTS)) {
            MaskAnalysis r = ex.extract(map(0f), map(2f), g, 10f);
            assertTrue(r.blobs().isEmpty());
            assertEquals(0, r.changedFrac());
        }
    }

    @Test
    void aBlobBeyondTheModelRangeHasNoDistanceAndIsSkipped() {
        FloatBuffer mask = map(0f);
        rect(mask, 10, 10, 10, 10, 1f);
        MapGeometry g = new MapGeometry(CameraMount.DEFAULTS, 320, 240, S, S);
        try (BlobExtractor ex = new BlobExtractor(BlobParams.DEFAULTS)) {
            assertTrue(ex.extract(mask, map(10f), g, 10f).blobs().isEmpty());
        }
    }

    @Test
    void percentileSelectsTheKthValue() {
        float[] v = {9, 1, 8, 2, 7, 3, 6, 4, 5, 0};
        assertEquals(0f, BlobExtractor.percentile(v.clone(), 10, 0));
        assertEquals(9f, BlobExtractor.percentile(v.clone(), 10, 100));
        assertEquals(5f, BlobExtractor.percentile(v.clone(), 10, 50));
        assertEquals(3f, BlobExtractor.percentile(new float[] {3}, 1, 5));
    }
}
