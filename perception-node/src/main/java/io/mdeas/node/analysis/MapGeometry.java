package io.mdeas.node.analysis;

/**
 * Per-pixel geometry of a model-sized map (depth, mask) that shows a whole source frame, precomputed once per
 * frame size so the per-frame work is a multiply per pixel.
 *
 * <p>Camera frame: x right, y down, z forward (optical axis). A pixel (u, v) of the map covers the source pixel
 * centre ((u + ½)·srcW/mapW, (v + ½)·srcH/mapH); with the source focal length f = (srcW/2) / tan(hfov/2) it
 * back-projects at Z depth d to (xn·d, yn·d, d). Rotating by the pitch θ (positive = down) gives the level
 * frame: down = d·(yn·cosθ + sinθ), forward = d·(cosθ − yn·sinθ), lateral = d·xn. So for every pixel the
 * height above the floor is {@code h − d·down[i]}, the horizontal range is {@code d·rangePerDepth[i]} and the
 * bearing (positive to the left) does not depend on d at all.
 */
public final class MapGeometry {
    private final CameraMount mount;
    private final int mapWidth;
    private final int mapHeight;
    private final int sourceWidth;
    private final int sourceHeight;
    private final double focalPx;
    private final float[] downPerDepth;
    private final float[] rangePerDepth;
    private final float[] bearingDeg;

    public MapGeometry(CameraMount mount, int sourceWidth, int sourceHeight, int mapWidth, int mapHeight) {
        if (sourceWidth <= 0 || sourceHeight <= 0 || mapWidth <= 0 || mapHeight <= 0) {
            throw new IllegalArgumentException("image sizes must be positive");
        }
        this.mount = mount;
        this.mapWidth = mapWidth;
        this.mapHeight = mapHeight;
        this.sourceWidth = sourceWidth;
        this.sourceHeight = sourceHeight;
        this.focalPx = (sourceWidth / 2.0) / Math.tan(Math.toRadians(mount.hfovDeg()) / 2);
        double theta = Math.toRadians(-mount.pitchDeg());
        double cos = Math.cos(theta);
        double sin = Math.sin(theta);
        int n = mapWidth * mapHeight;
        downPerDepth = new float[n];
        rangePerDepth = new float[n];
        bearingDeg = new float[n];
        for (int v = 0; v < mapHeight; v++) {
            double yn = ((v + 0.5) * sourceHeight / mapHeight - sourceHeight / 2.0) / focalPx;
            double down = yn * cos + sin;
            double forward = cos - yn * sin;
            for (int u = 0; u < mapWidth; u++) {
                double xn = ((u + 0.5) * sourceWidth / mapWidth - sourceWidth / 2.0) / focalPx;
                int i = v * mapWidth + u;
                downPerDepth[i] = (float) down;
                rangePerDepth[i] = (float) Math.hypot(xn, forward);
                bearingDeg[i] = (float) Math.toDegrees(Math.atan2(-xn, forward));
            }
        }
    }

    public CameraMount mount() {
        return mount;
    }

    public int mapWidth() {
        return mapWidth;
    }

    public int mapHeight() {
        return mapHeight;
    }

    public int sourceWidth() {
        return sourceWidth;
    }

    public int sourceHeight() {
        return sourceHeight;
    }

    /** Whether this geometry was built for these sizes. */
    public boolean fits(int srcW, int srcH, int mapW, int mapH) {
        return srcW == sourceWidth && srcH == sourceHeight && mapW == mapWidth && mapH == mapHeight;
    }

    /** Height above the floor of map pixel {@code i} seen at Z depth {@code depth}. */
    public float heightAboveFloor(int i, float depth) {
        return (float) mount.heightM() - depth * downPerDepth[i];
    }

    /** Horizontal distance over the floor from the camera to map pixel {@code i} at Z depth {@code depth}. */
    public float range(int i, float depth) {
        return depth * rangePerDepth[i];
    }

    /** Bearing of map pixel {@code i} in the level frame, degrees, positive to the left. */
    public float bearingDeg(int i) {
        return bearingDeg[i];
    }

    /**
     * Bearing of a source-frame column from the horizontal field of view alone (the simple pinhole model used
     * for blobs): 0 straight ahead, positive to the left.
     */
    public double columnBearingDeg(double sourceColumn) {
        return -Math.toDegrees(Math.atan((sourceColumn - sourceWidth / 2.0) / focalPx));
    }

    /** Source-frame pixels per map pixel, horizontally. */
    public double scaleX() {
        return (double) sourceWidth / mapWidth;
    }

    /** Source-frame pixels per map pixel, vertically. */
    public double scaleY() {
        return (double) sourceHeight / mapHeight;
    }
}
