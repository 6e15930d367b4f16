package io.mdeas.node.analysis;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * Turns a metric depth map into a virtual range scan, like ROS depthimage_to_laserscan but aware of the floor:
 * every pixel is lifted into the level robot frame with the camera mount; points within the floor tolerance of
 * the floor plane (and points above the maximum height) are removed; for each of K sectors across the field of
 * view the nearest remaining horizontal range is kept (the {@code minPoints}-th nearest, so single stray pixels
 * do not count). Needs no mask, so it also runs in depth-only mode.
 */
public final class FloorAwareScanner {
    private final ScanParams params;
    private MapGeometry sectorsFor;
    private int[] sectorOf = new int[0];
    /** Per sector, its {@code minPoints} nearest ranges in ascending order (reused). */
    private final float[] nearest;

    public FloorAwareScanner(ScanParams params) {
        this.params = params;
        this.nearest = new float[params.sectors() * params.minPoints()];
    }

    public ScanParams params() {
        return params;
    }

    /**
     * @param depth     Z depth per map pixel (row-major, geometry's map size), metres
     * @param maxDepthM depths at or beyond this are "no return" (the model's range)
     */
    public RangeScan scan(FloatBuffer depth, MapGeometry geometry, float maxDepthM) {
        prepare(geometry);
        int k = params.sectors();
        int m = params.minPoints();
        Arrays.fill(nearest, Float.POSITIVE_INFINITY);
        float floorTol = (float) params.floorToleranceM();
        float maxHeight = (float) params.maxHeightM();
        float rangeMin = (float) params.rangeMinM();
        float rangeMax = (float) Math.min(params.rangeMaxM(), maxDepthM);
        int n = geometry.mapWidth() * geometry.mapHeight();
        for (int i = 0; i < n; i++) {
            float d = depth.get(i);
            if (!(d > 0f && d < maxDepthM)) {
                continue;
            }
            float h = geometry.heightAboveFloor(i, d);
            if (h < floorTol || h > maxHeight) {
                continue;
            }
            float r = geometry.range(i, d);
            if (r < rangeMin || r > rangeMax) {
                continue;
            }
            // Keep the m nearest per sector, sorted: insertion into a tiny array.
            int base = sectorOf[i] * m;
            int j = base + m - 1;
            if (r < nearest[j]) {
                while (j > base && nearest[j - 1] > r) {
                    nearest[j] = nearest[j - 1];
                    j--;
                }
                nearest[j] = r;
            }
        }
        float[] ranges = new float[k];
        for (int s = 0; s < k; s++) {
            ranges[s] = nearest[s * m + m - 1];
        }
        double hfov = geometry.mount().hfovDeg();
        return new RangeScan(-hfov / 2, hfov / k, params.rangeMinM(), rangeMax, ranges);
    }

    /** Sector index per pixel, rebuilt only when the geometry changes. */
    private void prepare(MapGeometry geometry) {
        if (geometry == sectorsFor) {
            return;
        }
        int n = geometry.mapWidth() * geometry.mapHeight();
        sectorOf = new int[n];
        double hfov = geometry.mount().hfovDeg();
        int k = params.sectors();
        for (int i = 0; i < n; i++) {
            // Pitched cameras see slightly beyond ±hfov/2 in the image corners: clamp into the edge sectors.
            int s = (int) Math.floor((geometry.bearingDeg(i) + hfov / 2) / (hfov / k));
            sectorOf[i] = Math.max(0, Math.min(k - 1, s));
        }
        sectorsFor = geometry;
    }
}
