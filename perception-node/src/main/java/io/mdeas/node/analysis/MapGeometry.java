package io.mdeas.node.analysis;

/**
 * Per-pixel geometry of a model-sized map (depth, mask) that shows a source frame (or a region of it, e.g. its
 * centred square), precomputed once per frame size so the per-frame work is a multiply per pixel.
 *
 * <p>Camera frame: x right, y down, z forward (optical axis). A pixel (u, v) of the map covers the source pixel
 * centre (x0 + (u + ½)·w/mapW, y0 + (v + ½)·h/mapH) of the region (x0, y0, w, h); with the source focal length f = (srcW/2) / tan(hfov/2) it
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
    private final int regionX;
    private final int regionY;
    private final int regionWidth;
    private final int regionHeight;
    private final double focalPx;
    private final float[] downPerDepth;
    private final float[] rangePerDepth;
    private final float[] bearingDeg;

    /** A map showing the whole source frame (resized, aspect not kept). */
    public MapGeometry(CameraMount mount, int sourceWidth, int sourceHeight, int mapWidth, int mapHeight) {
        this(mount, sourceWidth, sourceHeight, 0, 0, sourceWidth, sourceHeight, mapWidth, mapHeight);
    }

    /** A map showing the region (x, y, w, h) of the source frame, e.g. its centred square. */
    public MapGeometry(CameraMount mount, int sourceWidth, int sourceHeight, int regionX, int regionY, int regionWidth,
                       int regionHeight, int mapWidth, int mapHeight) {
        if (sourceWidth <= 0 || sourceHeight <= 0 || mapWidth <= 0 || mapHeight <= 0) {
            throw new IllegalArgumentException("image sizes must be positive");
        }
        if (regionX < 0 || regionY < 0 || regionWidth <= 0 || regionHeight <= 0
                || regionX + regionWidth > sourceWidth || regionY + regionHeight > sourceHeight) {
            throw new IllegalArgumentException("region must lie inside the source frame");
        }
        this.mount = mount;
        this.mapWidth = mapWidth;
        this.mapHeight = mapHeight;
        this.sourceWidth = sourceWidth;
        this.sourceHeight = sourceHeight;
        this.regionX = regionX;
        this.regionY = regionY;
        this.regionWidth = regionWidth;
        this.regionHeight = regionHeight;
        this.focalPx = (sourceWidth / 2.0) / Math.tan(Math.toRadians(mount.hfovDeg()) / 2);
        double theta = Math.toRadians(-mount.pitchDeg());
        double cos = Math.cos(theta);
        double sin = Math.sin(theta);
        int n = mapWidth * mapHeight;
        downPerDepth = new float[n];
        rangePerDepth = new float[n];
        bearingDeg = new float[n];
        for (int v = 0; v < mapHeight; v++) {
            double yn = (regionY + (v + 0.5) * regionHeight / mapHeight - sourceHeight / 2.0) / focalPx;
            double down = yn * cos + sin;
            double forward = cos - yn * sin;
            for (int u = 0; u < mapWidth; u++) {
                double xn = (regionX + (u + 0.5) * regionWidth / mapWidth - sourceWidth / 2.0) / focalPx;
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

    /** Whether this geometry was built for these sizes and region. */
    public boolean fits(int srcW, int srcH, int x, int y, int w, int h, int mapW, int mapH) {
        return srcW == sourceWidth && srcH == sourceHeight && x == regionX && y == regionY && w == regionWidth
                && h == regionHeight && mapW == mapWidth && mapH == mapHeight;
    }

    /** Height above the floor of map pixel {@code i} seen at Z depth {@code depth}. */
    public float heightAboveFloor(int i, float depth) {
        return (float) mount.heightM() - depth * downPerDepth[i];
    }

    /**
     * Z depth at which map pixel {@code i}'s ray meets the floor plane, metres; +∞ for pixels at or above the
     * horizon.
     */
    public float floorDepth(int i) {
        float down = downPerDepth[i];
        return down > 0 ? (float) (mount.heightM() / down) : Float.POSITIVE_INFINITY;
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
        return (double) regionWidth / mapWidth;
    }

    /** Source-frame pixels per map pixel, vertically. */
    public double scaleY() {
        return (double) regionHeight / mapHeight;
    }

    /** Source-frame column of the map's left edge. */
    public int offsetX() {
        return regionX;
    }

    /** Source-frame row of the map's top edge. */
    public int offsetY() {
        return regionY;
    }
}
