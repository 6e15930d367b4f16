package io.mdeas.model.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The PNG encoder's files decode (with javax.imageio) to exactly the pixels written. */
class PngEncoderTest {

    @Test
    void roundTripsRgbGrayAndSixteenBitGray() throws IOException {
        SplittableRandom rng = new SplittableRandom(5);
        try (PngEncoder png = new PngEncoder()) {
            for (int type : new int[] {BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_BYTE_GRAY,
                BufferedImage.TYPE_USHORT_GRAY}) {
                BufferedImage img = new BufferedImage(37, 21, type);
                int bands = img.getRaster().getNumBands();
                int max = type == BufferedImage.TYPE_USHORT_GRAY ? 65536 : 256;
                for (int y = 0; y < 21; y++) {
                    for (int x = 0; x < 37; x++) {
                        for (int b = 0; b < bands; b++) {
                            // extremes included, to catch sign and overflow mistakes in the filter
                            int v = rng.nextInt(4) == 0 ? (rng.nextBoolean() ? 0 : max - 1) : rng.nextInt(max);
                            img.getRaster().setSample(x, y, b, v);
                        }
                    }
                }
                BufferedImage back = ImageIO.read(new ByteArrayInputStream(png.encode(img)));
                assertEquals(37, back.getWidth());
                assertEquals(21, back.getHeight());
                for (int y = 0; y < 21; y++) {
                    for (int x = 0; x < 37; x++) {
                        if (bands == 3) {
                            assertEquals(img.getRGB(x, y), back.getRGB(x, y), "rgb at " + x + "," + y);
                        } else {
                            assertEquals(img.getRaster().getSample(x, y, 0), back.getRaster().getSample(x, y, 0),
                                    "type " + type + " at " + x + "," + y);
                        }
                    }
                }
            }
        }
    }

    @Test
    void rejectsOtherImageTypesWithAClearMessage() {
        try (PngEncoder png = new PngEncoder()) {
            BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_INT_ARGB);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> png.encode(img));
            assertEquals(true, e.getMessage().contains("TYPE_3BYTE_BGR"));
        }
    }
}
