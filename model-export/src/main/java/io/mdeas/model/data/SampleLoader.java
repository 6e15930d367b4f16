package io.mdeas.model.data;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;

/**
 * Decodes the PNGs of a {@link Sample} (javax.imageio) into a {@link LoadedSample} at a fixed square size.
 * Images of another size are resized: area/bilinear for RGB, nearest neighbour for mask and depth. Decoding
 * scratch buffers are kept between calls, so use one instance per thread.
 */
public final class SampleLoader {

    private final int size;
    private int[] pixels = new int[0];
    private float[] plane = new float[0];
    private PlaneResizer resizer;

    /** A loader that produces {@code size} x {@code size} samples. */
    public SampleLoader(int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("sample size must be positive, got " + size);
        }
        this.size = size;
    }

    /** Side of the square images this loader produces. */
    public int size() {
        return size;
    }

    /**
     * Loads one sample into {@code dst}.
     *
     * @throws IOException              when a file is missing or cannot be decoded (message names sample and file)
     * @throws IllegalArgumentException when {@code dst} has another size
     */
    public void load(Sample s, LoadedSample dst) throws IOException {
        if (dst.size != size) {
            throw new IllegalArgumentException("LoadedSample size " + dst.size + " does not match loader size " + size);
        }
        BufferedImage bg = read(s, "bg", s.bg());
        int w = bg.getWidth();
        int h = bg.getHeight();
        rgb(bg, dst.bg);
        rgb(read(s, "fg_bg", s.fgBg(), w, h), dst.fgBg);
        mask(read(s, "mask", s.mask(), w, h), dst.mask);
        if (s.depth() != null) {
            depth(s, read(s, "depth", s.depth(), w, h), dst.depthM);
            dst.hasDepth = true;
        } else {
            Arrays.fill(dst.depthM, 0f);
            dst.hasDepth = false;
        }
        dst.sample = s;
    }

    private static BufferedImage read(Sample s, String column, Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null,
                    "sample '" + s.id() + "': " + column + " image not found");
        }
        BufferedImage img = ImageIO.read(file.toFile());
        if (img == null) {
            throw new IOException("sample '" + s.id() + "': " + column + " file " + file
                    + " is not a readable image (expected PNG)");
        }
        return img;
    }

    private static BufferedImage read(Sample s, String column, Path file, int w, int h) throws IOException {
        BufferedImage img = read(s, column, file);
        if (img.getWidth() != w || img.getHeight() != h) {
            throw new IOException("sample '" + s.id() + "': " + column + " image " + file + " is "
                    + img.getWidth() + "x" + img.getHeight() + " but bg is " + w + "x" + h
                    + "; all images of one sample must have the same size");
        }
        return img;
    }

    /** RGB image → CHW floats in [0,1] at the target size. */
    private void rgb(BufferedImage img, float[] dst) {
        int w = img.getWidth();
        int h = img.getHeight();
        int n = w * h;
        int[] argb = pixels(n);
        img.getRGB(0, 0, w, h, argb, 0, w);
        boolean direct = w == size && h == size;
        float[] out = direct ? dst : plane(3 * n);
        final float inv = 1f / 255f;
        for (int i = 0; i < n; i++) {
            int p = argb[i];
            out[i] = ((p >> 16) & 0xFF) * inv;
            out[n + i] = ((p >> 8) & 0xFF) * inv;
            out[2 * n + i] = (p & 0xFF) * inv;
        }
        if (!direct) {
            PlaneResizer r = resizer(w, h);
            int dn = size * size;
            for (int c = 0; c < 3; c++) {
                r.smooth(out, c * n, dst, c * dn);
            }
        }
    }

    /** Gray mask → exactly 0/1, foreground where the 8-bit value is >= 128. */
    private void mask(BufferedImage img, float[] dst) {
        int w = img.getWidth();
        int h = img.getHeight();
        int n = w * h;
        int[] v = pixels(n);
        int bits = gray(img, v);
        // ">= 128 of 255" expressed at the image's own bit depth.
        double threshold = 128.0 / 255.0 * ((1 << bits) - 1);
        boolean direct = w == size && h == size;
        float[] out = direct ? dst : plane(n);
        for (int i = 0; i < n; i++) {
            out[i] = v[i] >= threshold ? 1f : 0f;
        }
        if (!direct) {
            resizer(w, h).nearest(out, dst);
        }
    }

    /** 16-bit gray depth in millimetres → metres (0 stays 0 = unknown). */
    private void depth(Sample s, BufferedImage img, float[] dst) throws IOException {
        Raster raster = img.getRaster();
        if (raster.getNumBands() != 1 || img.getColorModel() instanceof IndexColorModel
                || raster.getSampleModel().getSampleSize(0) != 16) {
            throw new IOException("sample '" + s.id() + "': depth image " + s.depth()
                    + " must be a 16-bit grayscale PNG in millimetres (DATASET.md)");
        }
        int w = img.getWidth();
        int h = img.getHeight();
        int n = w * h;
        int[] v = pixels(n);
        raster.getSamples(0, 0, w, h, 0, v);
        boolean direct = w == size && h == size;
        float[] out = direct ? dst : plane(n);
        for (int i = 0; i < n; i++) {
            out[i] = v[i] * 0.001f;
        }
        if (!direct) {
            resizer(w, h).nearest(out, dst);
        }
    }

    /** Gray values of an image into {@code out}; returns their bit depth. Colour images give 8-bit luma. */
    private static int gray(BufferedImage img, int[] out) {
        Raster raster = img.getRaster();
        int w = img.getWidth();
        int h = img.getHeight();
        if (raster.getNumBands() == 1 && !(img.getColorModel() instanceof IndexColorModel)) {
            raster.getSamples(0, 0, w, h, 0, out);
            return raster.getSampleModel().getSampleSize(0);
        }
        img.getRGB(0, 0, w, h, out, 0, w);
        for (int i = 0; i < w * h; i++) {
            int p = out[i];
            out[i] = (299 * ((p >> 16) & 0xFF) + 587 * ((p >> 8) & 0xFF) + 114 * (p & 0xFF) + 500) / 1000;
        }
        return 8;
    }

    private int[] pixels(int n) {
        if (pixels.length < n) {
            pixels = new int[n];
        }
        return pixels;
    }

    private float[] plane(int n) {
        if (plane.length < n) {
            plane = new float[n];
        }
        return plane;
    }

    private PlaneResizer resizer(int w, int h) {
        if (resizer == null || !resizer.fits(w, h, size, size)) {
            resizer = new PlaneResizer(w, h, size, size);
        }
        return resizer;
    }
}
