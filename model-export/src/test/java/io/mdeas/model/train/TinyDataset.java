package io.mdeas.model.train;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;

/** Writes a small synthetic dataset in the DATASET.md layout: a bright square on a gradient, at known depth. */
final class TinyDataset {

    private TinyDataset() {}

    static Path write(Path root, int count, int size, long seed) throws IOException {
        for (String d : new String[] {"bg", "fg_bg", "mask", "depth"}) {
            Files.createDirectories(root.resolve(d));
        }
        Random r = new Random(seed);
        StringBuilder index = new StringBuilder("id,bg,fg_bg,mask,depth,nearest_fg_m\n");
        for (int i = 0; i < count; i++) {
            String id = String.format("%04d", i);
            BufferedImage bg = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
            BufferedImage fg = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
            BufferedImage mask = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
            BufferedImage depth = new BufferedImage(size, size, BufferedImage.TYPE_USHORT_GRAY);
            int x0 = r.nextInt(size / 2);
            int y0 = r.nextInt(size / 2);
            int side = size / 4 + r.nextInt(size / 4);
            float fgDepth = 0.5f + r.nextFloat() * 2;
            WritableRaster mr = mask.getRaster();
            WritableRaster dr = depth.getRaster();
            for (int y = 0; y < size; y++) {
                float floor = 1f + 6f * (size - y) / size;
                for (int x = 0; x < size; x++) {
                    int g = 40 + (150 * y) / size;
                    int rgb = (g << 16) | ((g / 2) << 8) | (255 - g);
                    bg.setRGB(x, y, rgb);
                    boolean inside = x >= x0 && x < x0 + side && y >= y0 && y < y0 + side;
                    fg.setRGB(x, y, inside ? 0xE0E040 : rgb);
                    mr.setSample(x, y, 0, inside ? 255 : 0);
                    boolean unknown = x == 0 && y == 0;
                    dr.setSample(x, y, 0, unknown ? 0 : Math.round((inside ? fgDepth : floor) * 1000));
                }
            }
            ImageIO.write(bg, "png", root.resolve("bg/" + id + ".png").toFile());
            ImageIO.write(fg, "png", root.resolve("fg_bg/" + id + ".png").toFile());
            ImageIO.write(mask, "png", root.resolve("mask/" + id + ".png").toFile());
            ImageIO.write(depth, "png", root.resolve("depth/" + id + ".png").toFile());
            index.append(id).append(",bg/").append(id).append(".png,fg_bg/").append(id).append(".png,mask/")
                    .append(id).append(".png,depth/").append(id).append(".png,").append(fgDepth).append('\n');
        }
        Files.writeString(root.resolve("index.csv"), index.toString());
        return root;
    }
}
