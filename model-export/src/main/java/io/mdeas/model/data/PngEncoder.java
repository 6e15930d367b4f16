package io.mdeas.model.data;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferUShort;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A small, fast PNG encoder for the three image types of the dataset: 8-bit RGB (from TYPE_3BYTE_BGR), 8-bit
 * gray and 16-bit gray. javax.imageio's writer is several times slower and dominated generation time; this one
 * uses the Sub filter and a fast deflate level. Files are standard PNGs that any reader (ImageIO included)
 * decodes. One instance per thread; buffers are reused.
 */
public final class PngEncoder implements AutoCloseable {
    private static final byte[] SIGNATURE = {(byte) 137, 80, 78, 71, 13, 10, 26, 10};

    private final Deflater deflater;
    private final CRC32 crc = new CRC32();
    private byte[] raw = new byte[0];
    private byte[] compressed = new byte[1 << 16];
    private final ByteArrayOutputStream file = new ByteArrayOutputStream(1 << 16);
    private final byte[] chunkHeader = new byte[8];

    /** @param level deflate level 0..9 (1-3 is the sweet spot for noisy images) */
    public PngEncoder(int level) {
        this.deflater = new Deflater(level);
    }

    /** Deflate level 1: on noisy images higher levels cost much more time for a few per cent of size. */
    public PngEncoder() {
        this(1);
    }

    /** Encodes {@code img} (TYPE_3BYTE_BGR, TYPE_BYTE_GRAY or TYPE_USHORT_GRAY) and writes it to {@code path}. */
    public void write(BufferedImage img, Path path) throws IOException {
        encodeInto(img);
        try (OutputStream os = Files.newOutputStream(path)) {
            file.writeTo(os);
        }
    }

    /** Encodes {@code img} to the bytes of a PNG file. */
    public byte[] encode(BufferedImage img) throws IOException {
        encodeInto(img);
        return file.toByteArray();
    }

    private void encodeInto(BufferedImage img) throws IOException {
        int w = img.getWidth();
        int h = img.getHeight();
        int channels;
        int bitDepth;
        int colourType;
        switch (img.getType()) {
            case BufferedImage.TYPE_3BYTE_BGR -> {
                channels = 3;
                bitDepth = 8;
                colourType = 2;
            }
            case BufferedImage.TYPE_BYTE_GRAY -> {
                channels = 1;
                bitDepth = 8;
                colourType = 0;
            }
            case BufferedImage.TYPE_USHORT_GRAY -> {
                channels = 1;
                bitDepth = 16;
                colourType = 0;
            }
            default -> throw new IllegalArgumentException("unsupported image type " + img.getType()
                    + "; use TYPE_3BYTE_BGR, TYPE_BYTE_GRAY or TYPE_USHORT_GRAY");
        }
        int bpp = channels * bitDepth / 8;
        int stride = w * bpp;
        int rawSize = h * (stride + 1);
        if (raw.length < rawSize) {
            raw = new byte[rawSize];
        }
        fillRows(img, w, h, stride, bpp);
        deflater.reset();
        deflater.setInput(raw, 0, rawSize);
        deflater.finish();
        int n = 0;
        while (!deflater.finished()) {
            if (n == compressed.length) {
                byte[] bigger = new byte[compressed.length * 2];
                System.arraycopy(compressed, 0, bigger, 0, n);
                compressed = bigger;
            }
            n += deflater.deflate(compressed, n, compressed.length - n);
        }
        file.reset();
        file.write(SIGNATURE);
        byte[] ihdr = new byte[13];
        putInt(ihdr, 0, w);
        putInt(ihdr, 4, h);
        ihdr[8] = (byte) bitDepth;
        ihdr[9] = (byte) colourType;
        chunk("IHDR", ihdr, 13);
        chunk("IDAT", compressed, n);
        chunk("IEND", ihdr, 0);
    }

    @Override
    public void close() {
        deflater.end();
    }

    private void fillRows(BufferedImage img, int w, int h, int stride, int bpp) {
        int type = img.getType();
        if (type == BufferedImage.TYPE_USHORT_GRAY) {
            short[] px = ((DataBufferUShort) img.getRaster().getDataBuffer()).getData();
            for (int y = 0; y < h; y++) {
                int o = y * (stride + 1);
                raw[o] = 1; // Sub filter
                int prevHi = 0;
                int prevLo = 0;
                for (int x = 0; x < w; x++) {
                    int v = px[y * w + x] & 0xFFFF;
                    int hi = v >>> 8;
                    int lo = v & 0xFF;
                    raw[o + 1 + 2 * x] = (byte) (hi - prevHi);
                    raw[o + 2 + 2 * x] = (byte) (lo - prevLo);
                    prevHi = hi;
                    prevLo = lo;
                }
            }
            return;
        }
        byte[] px = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        if (type == BufferedImage.TYPE_BYTE_GRAY) {
            for (int y = 0; y < h; y++) {
                int o = y * (stride + 1);
                raw[o] = 0; // None: masks are mostly runs of one value
                System.arraycopy(px, y * w, raw, o + 1, w);
            }
            return;
        }
        // BGR -> RGB with the Sub filter
        for (int y = 0; y < h; y++) {
            int o = y * (stride + 1);
            raw[o] = 1;
            int s = y * w * 3;
            int pr = 0;
            int pg = 0;
            int pb = 0;
            for (int x = 0; x < w; x++) {
                int b = px[s] & 0xFF;
                int g = px[s + 1] & 0xFF;
                int r = px[s + 2] & 0xFF;
                raw[o + 1 + 3 * x] = (byte) (r - pr);
                raw[o + 2 + 3 * x] = (byte) (g - pg);
                raw[o + 3 + 3 * x] = (byte) (b - pb);
                pr = r;
                pg = g;
                pb = b;
                s += 3;
            }
        }
    }

    private void chunk(String type, byte[] data, int len) {
        putInt(chunkHeader, 0, len);
        for (int i = 0; i < 4; i++) {
            chunkHeader[4 + i] = (byte) type.charAt(i);
        }
        file.write(chunkHeader, 0, 8);
        file.write(data, 0, len);
        crc.reset();
        crc.update(chunkHeader, 4, 4);
        crc.update(data, 0, len);
        long c = crc.getValue();
        byte[] tail = {(byte) (c >>> 24), (byte) (c >>> 16), (byte) (c >>> 8), (byte) c};
        file.write(tail, 0, 4);
    }

    private static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}
