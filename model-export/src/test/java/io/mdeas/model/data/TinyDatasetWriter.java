package io.mdeas.model.data;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Writes small PNGs in the DATASET.md encodings for tests. */
public final class TinyDatasetWriter {

    private TinyDatasetWriter() {
    }

    /** RGB image from a function giving 0xRRGGBB per (x, y). */
    public static void rgb(Path file, int w, int h, PixelFunction rgb) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rgb.at(x, y));
            }
        }
        write(img, file);
    }

    /** 8-bit gray image (mask). */
    public static void gray8(Path file, int w, int h, PixelFunction v) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster r = img.getRaster();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                r.setSample(x, y, 0, v.at(x, y));
            }
        }
        write(img, file);
    }

    /** 16-bit gray image (depth in millimetres). */
    public static void gray16(Path file, int w, int h, PixelFunction mm) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
        WritableRaster r = img.getRaster();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                r.setSample(x, y, 0, mm.at(x, y));
            }
        }
        write(img, file);
    }

    private static void write(BufferedImage img, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        if (!ImageIO.write(img, "png", file.toFile())) {
            throw new IOException("no PNG writer");
        }
    }

    /** Pixel value at (x, y). */
    @FunctionalInterface
    public interface PixelFunction {
        int at(int x, int y);
    }
}
