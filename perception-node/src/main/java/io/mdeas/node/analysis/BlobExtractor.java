package io.mdeas.node.analysis;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.javacpp.indexer.IntIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;
import static org.bytedeco.opencv.global.opencv_core.CV_32S;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.countNonZero;
import static org.bytedeco.opencv.global.opencv_imgproc.CC_STAT_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.CC_STAT_HEIGHT;
import static org.bytedeco.opencv.global.opencv_imgproc.CC_STAT_LEFT;
import static org.bytedeco.opencv.global.opencv_imgproc.CC_STAT_TOP;
import static org.bytedeco.opencv.global.opencv_imgproc.CC_STAT_WIDTH;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_CLOSE;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_ELLIPSE;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_OPEN;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY;
import static org.bytedeco.opencv.global.opencv_imgproc.connectedComponentsWithStats;
import static org.bytedeco.opencv.global.opencv_imgproc.getStructuringElement;
import static org.bytedeco.opencv.global.opencv_imgproc.morphologyEx;
import static org.bytedeco.opencv.global.opencv_imgproc.threshold;

/**
 * Mask → threshold → morphological open/close → connected components (OpenCV) → measured blobs.
 *
 * <p>Works on model-sized maps given as direct float buffers (the model's own output buffers, wrapped once);
 * the working matrices and the per-blob scratch arrays are reused from frame to frame. Distances: a low
 * percentile of Z depth and of horizontal range over the blob's pixels; bearing from the centroid column.
 */
public final class BlobExtractor implements AutoCloseable {
    private final BlobParams params;
    private final Mat kernel;
    private final Mat binaryF = new Mat();
    private final Mat binary = new Mat();
    private final Mat cleaned = new Mat();
    private final Mat labels = new Mat();
    private final Mat stats = new Mat();
    private final Mat centroids = new Mat();
    private FloatBuffer wrappedBuffer;
    private Mat maskView;
    private float[] depthScratch = new float[0];
    private float[] rangeScratch = new float[0];

    public BlobExtractor(BlobParams params) {
        this.params = params;
        int k = params.morphKernelPx();
        this.kernel = k > 1 ? getStructuringElement(MORPH_ELLIPSE, new Size(k, k)) : null;
    }

    public BlobParams params() {
        return params;
    }

    /**
     * @param mask      mask probabilities per map pixel (direct buffer, row-major, geometry's map size)
     * @param depth     Z depth per map pixel, metres
     * @param geometry  map ↔ source-frame geometry and camera mount
     * @param maxDepthM depths at or beyond this carry no distance
     */
    public MaskAnalysis extract(FloatBuffer mask, FloatBuffer depth, MapGeometry geometry, float maxDepthM) {
        int w = geometry.mapWidth();
        int h = geometry.mapHeight();
        int n = w * h;
        Mat maskMat = wrap(mask, w, h);
        threshold(maskMat, binaryF, params.maskThreshold() - 1e-6, 255, THRESH_BINARY);
        binaryF.convertTo(binary, CV_8U);
        double changedFrac = countNonZero(binary) / (double) n;
        Mat clean = binary;
        if (kernel != null) {
            morphologyEx(binary, cleaned, MORPH_OPEN, kernel);
            morphologyEx(cleaned, cleaned, MORPH_CLOSE, kernel);
            clean = cleaned;
        }
        int count = connectedComponentsWithStats(clean, labels, stats, centroids, 8, CV_32S);
        if (count <= 1) {
            return new MaskAnalysis(List.of(), changedFrac);
        }
        if (depthScratch.length < n) {
            depthScratch = new float[n];
            rangeScratch = new float[n];
        }
        List<Blob> blobs = new ArrayList<>();
        try (IntIndexer st = stats.createIndexer(); IntIndexer lab = labels.createIndexer();
             DoubleIndexer cen = centroids.createIndexer()) {
            double sx = geometry.scaleX();
            double sy = geometry.scaleY();
            for (int label = 1; label < count; label++) {
                int area = st.get(label, CC_STAT_AREA);
                double areaFrac = area / (double) n;
                if (areaFrac < params.minAreaFrac()) {
                    continue;
                }
                int left = st.get(label, CC_STAT_LEFT);
                int top = st.get(label, CC_STAT_TOP);
                int bw = st.get(label, CC_STAT_WIDTH);
                int bh = st.get(label, CC_STAT_HEIGHT);
                int valid = 0;
                for (int v = top; v < top + bh; v++) {
                    for (int u = left; u < left + bw; u++) {
                        if (lab.get(v, u) != label) {
                            continue;
                        }
                        int i = v * w + u;
                        float d = depth.get(i);
                        if (d > 0f && d < maxDepthM) {
                            depthScratch[valid] = d;
                            rangeScratch[valid] = geometry.range(i, d);
                            valid++;
                        }
                    }
                }
                if (valid == 0) {
                    continue; // nothing measurable inside (all beyond range): not an obstacle we can place
                }
                double distance = percentile(depthScratch, valid, params.depthPercentile());
                double range = percentile(rangeScratch, valid, params.depthPercentile());
                int ox = geometry.offsetX();
                int oy = geometry.offsetY();
                double cx = ox + (cen.get(label, 0) + 0.5) * sx;
                double cy = oy + (cen.get(label, 1) + 0.5) * sy;
                int x0 = ox + (int) Math.floor(left * sx);
                int y0 = oy + (int) Math.floor(top * sy);
                int x1 = Math.min(geometry.sourceWidth(), ox + (int) Math.ceil((left + bw) * sx));
                int y1 = Math.min(geometry.sourceHeight(), oy + (int) Math.ceil((top + bh) * sy));
                blobs.add(new Blob(x0, y0, x1 - x0, y1 - y0, areaFrac, cx, cy, distance, range,
                        geometry.columnBearingDeg(cx)));
            }
        }
        blobs.sort(Comparator.comparingDouble(Blob::areaFrac).reversed());
        return new MaskAnalysis(blobs, changedFrac);
    }

    private Mat wrap(FloatBuffer buffer, int w, int h) {
        if (buffer != wrappedBuffer || maskView.cols() != w || maskView.rows() != h) {
            if (!buffer.isDirect()) {
                throw new IllegalArgumentException("mask must be a direct buffer");
            }
            if (maskView != null) {
                maskView.close();
            }
            maskView = new Mat(h, w, CV_32FC1, new FloatPointer(buffer));
            wrappedBuffer = buffer;
        }
        return maskView;
    }

    /** The p-th percentile (0-100) of the first n values, by selection (reorders them). */
    static float percentile(float[] values, int n, double p) {
        int k = (int) Math.min(n - 1, Math.max(0, Math.round(p / 100.0 * (n - 1))));
        int lo = 0;
        int hi = n - 1;
        while (lo < hi) {
            float pivot = values[(lo + hi) >>> 1];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (values[i] < pivot) {
                    i++;
                }
                while (values[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    float t = values[i];
                    values[i] = values[j];
                    values[j] = t;
                    i++;
                    j--;
                }
            }
            if (k <= j) {
                hi = j;
            } else if (k >= i) {
                lo = i;
            } else {
                break;
            }
        }
        return values[k];
    }

    @Override
    public void close() {
        if (kernel != null) {
            kernel.close();
        }
        if (maskView != null) {
            maskView.close();
        }
        binaryF.close();
        binary.close();
        cleaned.close();
        labels.close();
        stats.close();
        centroids.close();
    }
}
