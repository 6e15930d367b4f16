package io.mdeas.model.data;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Turns a rendered linear view into an 8-bit image the way a cheap camera would: exposure and gain, sRGB-like
 * gamma, optional slight blur, sensor noise, quantisation and optional JPEG compression. One instance per
 * thread; scratch buffers are reused.
 */
public final class SensorModel implements AutoCloseable {
    private static final int LUT_SIZE = 4096;
    /** Linear [0, 1] to gamma-encoded [0, 255] (float). */
    private static final float[] GAMMA = new float[LUT_SIZE + 1];

    static {
        for (int i = 0; i <= LUT_SIZE; i++) {
            double v = i / (double) LUT_SIZE;
            GAMMA[i] = (float) (255 * (v <= 0.0031308 ? 12.92 * v : 1.055 * StrictMath.pow(v, 1 / 2.4) - 0.055));
        }
    }

    private float[] work = new float[0];
    private float[] work2 = new float[0];
    private long noiseState;
    private final ByteArrayOutputStream jpegBytes = new ByteArrayOutputStream(1 << 16);
    /** Created on first use and kept: looking codecs up per image costs more than the coding itself. */
    private ImageWriter jpegWriter;
    private ImageReader jpegReader;
    private ImageWriteParam jpegParam;

    /**
     * Develops a {@code size x size} crop starting at (x0, y0) of a rendered linear RGB view into
     * {@code out} (TYPE_3BYTE_BGR, size x size).
     *
     * @param gainR extra per-channel gain (1 = none)
     * @param noiseSeed seed of this image's noise (different for bg and fg_bg)
     */
    public void develop(float[] linear, int gridWidth, int x0, int y0, SensorSettings s, double gainR,
                        double gainG, double gainB, long noiseSeed, BufferedImage out) {
        int w = out.getWidth();
        int h = out.getHeight();
        int n = w * h * 3;
        if (work.length < n) {
            work = new float[n];
            work2 = new float[n];
        }
        float kr = (float) (s.exposure() * gainR * LUT_SIZE);
        float kg = (float) (s.exposure() * gainG * LUT_SIZE);
        float kb = (float) (s.exposure() * gainB * LUT_SIZE);
        float vig = (float) s.vignette();
        float cx = (w - 1) / 2f;
        float cy = (h - 1) / 2f;
        float invR2 = 1 / (cx * cx + cy * cy);
        for (int y = 0; y < h; y++) {
            int src = 3 * ((y0 + y) * gridWidth + x0);
            int dst = 3 * y * w;
            float dyy = (y - cy) * (y - cy);
            for (int x = 0; x < w; x++) {
                float v = vig == 0 ? 1 : 1 - vig * ((x - cx) * (x - cx) + dyy) * invR2;
                work[dst] = gamma(linear[src] * kr * v);
                work[dst + 1] = gamma(linear[src + 1] * kg * v);
                work[dst + 2] = gamma(linear[src + 2] * kb * v);
                src += 3;
                dst += 3;
            }
        }
        float[] img = work;
        if (s.blur()) {
            blur3x3(work, work2, w, h);
            img = work2;
        }
        byte[] bgr = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
        noiseState = noiseSeed ^ 0x9E3779B97F4A7C15L;
        if (noiseState == 0) {
            noiseState = 1;
        }
        float sigma = (float) s.noiseSigma();
        for (int i = 0, p = 0; i < n; i += 3, p += 3) {
            float r = img[i];
            float g = img[i + 1];
            float b = img[i + 2];
            if (sigma > 0) {
                // luminance-correlated part plus independent per-channel part
                float common = sigma * 0.6f * gaussian();
                r += common + sigma * 0.8f * gaussian();
                g += common + sigma * 0.8f * gaussian();
                b += common + sigma * 0.8f * gaussian();
            }
            bgr[p] = clampByte(b);
            bgr[p + 1] = clampByte(g);
            bgr[p + 2] = clampByte(r);
        }
        if (s.jpegQuality() > 0) {
            jpegRoundTrip(out, s.jpegQuality());
        }
    }

    private static float gamma(float v) {
        if (!(v > 0)) {
            return 0;
        }
        if (v >= LUT_SIZE) {
            return 255;
        }
        int i = (int) v;
        float f = v - i;
        return GAMMA[i] + (GAMMA[i + 1] - GAMMA[i]) * f;
    }

    private static byte clampByte(float v) {
        int q = Math.round(v);
        return (byte) (q < 0 ? 0 : (q > 255 ? 255 : q));
    }

    /** Approximately standard normal: sum of four uniforms, rescaled (cheap and good enough for noise). */
    private float gaussian() {
        long x = noiseState;
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
        noiseState = x;
        float a = (x & 0xFFFF) + ((x >>> 16) & 0xFFFF) + ((x >>> 32) & 0xFFFF) + ((x >>> 48) & 0xFFFF);
        // mean 4 * 32767.5, variance 4 * 65536^2 / 12
        return (a - 131070f) / 37837.2f;
    }

    /** [1 2 1]^2 / 16 blur with edge clamping, as two 1-D passes (src is used as scratch). */
    private static void blur3x3(float[] src, float[] dst, int w, int h) {
        // horizontal: src -> dst
        for (int y = 0; y < h; y++) {
            int row = 3 * y * w;
            for (int x = 0; x < w; x++) {
                int l = row + 3 * Math.max(0, x - 1);
                int c = row + 3 * x;
                int r = row + 3 * Math.min(w - 1, x + 1);
                dst[c] = (src[l] + 2 * src[c] + src[r]) * 0.25f;
                dst[c + 1] = (src[l + 1] + 2 * src[c + 1] + src[r + 1]) * 0.25f;
                dst[c + 2] = (src[l + 2] + 2 * src[c + 2] + src[r + 2]) * 0.25f;
            }
        }
        // vertical: dst -> src -> copied back into dst
        int stride = 3 * w;
        for (int y = 0; y < h; y++) {
            int up = 3 * Math.max(0, y - 1) * w;
            int mid = 3 * y * w;
            int down = 3 * Math.min(h - 1, y + 1) * w;
            for (int i = 0; i < stride; i++) {
                src[mid + i] = (dst[up + i] + 2 * dst[mid + i] + dst[down + i]) * 0.25f;
            }
        }
        System.arraycopy(src, 0, dst, 0, 3 * w * h);
    }

    /** Encodes {@code img} as JPEG and decodes it back into the same pixels. */
    private void jpegRoundTrip(BufferedImage img, int quality) {
        try {
            if (jpegWriter == null) {
                jpegWriter = ImageIO.getImageWritersByFormatName("jpeg").next();
                jpegReader = ImageIO.getImageReadersByFormatName("jpeg").next();
                jpegParam = jpegWriter.getDefaultWriteParam();
                jpegParam.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            }
            jpegParam.setCompressionQuality(quality / 100f);
            jpegBytes.reset();
            try (ImageOutputStream ios = new MemoryCacheImageOutputStream(jpegBytes)) {
                jpegWriter.setOutput(ios);
                jpegWriter.write(null, new IIOImage(img, null, null), jpegParam);
            }
            BufferedImage decoded;
            try (ImageInputStream iis = new MemoryCacheImageInputStream(
                    new ByteArrayInputStream(jpegBytes.toByteArray()))) {
                jpegReader.setInput(iis, true, true);
                decoded = jpegReader.read(0);
            }
            img.getRaster().setRect(decoded.getRaster());
        } catch (IOException e) {
            throw new UncheckedIOException("JPEG round trip failed", e);
        }
    }

    @Override
    public void close() {
        if (jpegWriter != null) {
            jpegWriter.dispose();
            jpegReader.dispose();
        }
    }
}
