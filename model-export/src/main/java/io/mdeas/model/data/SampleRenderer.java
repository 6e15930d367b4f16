package io.mdeas.model.data;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferUShort;

/**
 * Turns a {@link SampledScene} into the four images of one dataset sample (bg, fg_bg, mask, depth) of
 * {@code size x size} pixels. The scene is rendered with a margin of {@link #MARGIN} pixels so that the fg_bg
 * crop can be shifted by the camera jitter and still be exact. One instance per thread; all buffers are
 * reused.
 */
public final class SampleRenderer implements AutoCloseable {
    /** Render margin around the crop: the largest jitter in pixels. */
    public static final int MARGIN = 2;
    /** Largest depth a 16-bit PNG in millimetres can hold. */
    public static final double MAX_DEPTH_M = 65.535;

    private final int size;
    private final Renderer renderer = new Renderer();
    private final SensorModel sensor = new SensorModel();
    private final RenderedViews views;
    private final BufferedImage bg;
    private final BufferedImage fgBg;
    private final BufferedImage mask;
    private final BufferedImage depth;
    private double nearestFg;
    private int fgPixels;

    public SampleRenderer(int size) {
        if (size < 8) {
            throw new IllegalArgumentException("image size must be at least 8 pixels, got " + size);
        }
        this.size = size;
        this.views = new RenderedViews(size + 2 * MARGIN, size + 2 * MARGIN);
        bg = new BufferedImage(size, size, BufferedImage.TYPE_3BYTE_BGR);
        fgBg = new BufferedImage(size, size, BufferedImage.TYPE_3BYTE_BGR);
        mask = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
        depth = new BufferedImage(size, size, BufferedImage.TYPE_USHORT_GRAY);
    }

    /** Renders all four images of {@code s}. */
    public void render(SampledScene s) {
        renderer.render(s.scene(), s.camera(), views);
        SensorSettings ss = s.sensor();
        int gw = views.width;
        if (ss.autoExposure()) {
            ss = ss.withExposure(ss.exposure() * autoExposure(gw));
        }
        int jx = MARGIN + ss.jitterX();
        int jy = MARGIN + ss.jitterY();
        sensor.develop(views.bg, gw, MARGIN, MARGIN, ss, 1, 1, 1, ss.noiseSeed(), bg);
        byte[] m = ((DataBufferByte) mask.getRaster().getDataBuffer()).getData();
        short[] d = ((DataBufferUShort) depth.getRaster().getDataBuffer()).getData();
        nearestFg = Double.POSITIVE_INFINITY;
        fgPixels = 0;
        if (s.kind() == SampleKind.UNCHANGED) {
            // fg_bg is the bg image itself: same pixels, and the depth of the bg view
            byte[] src = ((DataBufferByte) bg.getRaster().getDataBuffer()).getData();
            byte[] dst = ((DataBufferByte) fgBg.getRaster().getDataBuffer()).getData();
            System.arraycopy(src, 0, dst, 0, src.length);
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    m[y * size + x] = 0;
                    d[y * size + x] = millimetres(views.bgDepth[(y + MARGIN) * gw + x + MARGIN]);
                }
            }
            return;
        }
        sensor.develop(views.fgBg, gw, jx, jy, ss, ss.gainR(), ss.gainG(), ss.gainB(), ~ss.noiseSeed() * 31, fgBg);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int g = (y + jy) * gw + x + jx;
                float z = views.depth[g];
                boolean fg = views.fgObject[g] >= 0;
                m[y * size + x] = (byte) (fg ? 255 : 0);
                d[y * size + x] = millimetres(z);
                if (fg) {
                    fgPixels++;
                    if (z < nearestFg) {
                        nearestFg = z;
                    }
                }
            }
        }
    }

    /** Gain that brings the mean linear level of the bg view to 0.18, like a camera's auto exposure. */
    private double autoExposure(int gw) {
        double sum = 0;
        int n = 0;
        for (int y = MARGIN; y < MARGIN + size; y += 2) {
            for (int x = MARGIN; x < MARGIN + size; x += 2) {
                int c = 3 * (y * gw + x);
                sum += 0.2126 * views.bg[c] + 0.7152 * views.bg[c + 1] + 0.0722 * views.bg[c + 2];
                n++;
            }
        }
        double mean = sum / n;
        return Math.max(0.25, Math.min(8, 0.18 / Math.max(1e-4, mean)));
    }

    @Override
    public void close() {
        sensor.close();
    }

    private static short millimetres(float z) {
        long mm = Math.round(z * 1000.0);
        // 0 means unknown in DATASET.md; every pixel here has a hit, so the nearest valid value is 1 mm
        return (short) (mm < 1 ? 1 : (mm > 65535 ? 65535 : mm));
    }

    public BufferedImage bg() {
        return bg;
    }

    public BufferedImage fgBg() {
        return fgBg;
    }

    public BufferedImage mask() {
        return mask;
    }

    public BufferedImage depth() {
        return depth;
    }

    /** The raw render of the last sample (size + 2 * MARGIN square). */
    public RenderedViews views() {
        return views;
    }

    /** Smallest Z (m) over foreground pixels of the last sample, or NaN when none is visible. */
    public double nearestForeground() {
        return fgPixels == 0 ? Double.NaN : nearestFg;
    }

    public int foregroundPixels() {
        return fgPixels;
    }

    public int size() {
        return size;
    }
}
