package io.mdeas.node.analysis;

/**
 * One connected region of the change mask, measured.
 *
 * @param x, y, width, height  bounding box in source-frame pixels
 * @param areaFrac             area as a share of the image
 * @param centroidX, centroidY centroid in source-frame pixels
 * @param distanceM            robust low percentile of Z depth inside the blob (its nearest part)
 * @param rangeM               robust low percentile of the horizontal range over the floor inside the blob
 * @param bearingDeg           bearing of the centroid column, positive to the left
 */
public record Blob(int x, int y, int width, int height, double areaFrac, double centroidX, double centroidY,
                   double distanceM, double rangeM, double bearingDeg) {

    /** Intersection over union of the two bounding boxes. */
    public double iou(Blob o) {
        int ix = Math.max(0, Math.min(x + width, o.x + o.width) - Math.max(x, o.x));
        int iy = Math.max(0, Math.min(y + height, o.y + o.height) - Math.max(y, o.y));
        double inter = (double) ix * iy;
        double union = (double) width * height + (double) o.width * o.height - inter;
        return union <= 0 ? 0 : inter / union;
    }
}
