package io.mdeas.model.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleLoaderTest {

    @TempDir
    Path dir;

    @Test
    void loadsAtNativeSizeExactly() throws IOException {
        TinyDatasetWriter.rgb(dir.resolve("bg/0.png"), 4, 4, (x, y) -> (x * 60) << 16 | (y * 60) << 8 | 255);
        TinyDatasetWriter.rgb(dir.resolve("fg_bg/a.png"), 4, 4, (x, y) -> 0x102030);
        TinyDatasetWriter.gray8(dir.resolve("mask/a.png"), 4, 4, (x, y) -> x == 0 ? 128 : 127);
        TinyDatasetWriter.gray16(dir.resolve("depth/a.png"), 4, 4, (x, y) -> y * 1000 + x);
        Files.writeString(dir.resolve("index.csv"),
                "id,bg,fg_bg,mask,depth,nearest_fg_m\na,bg/0.png,fg_bg/a.png,mask/a.png,depth/a.png,1.5\n");
        Sample s = DatasetIndex.open(dir).samples().get(0);
        LoadedSample out = LoadedSample.allocate(4);
        new SampleLoader(4).load(s, out);
        assertEquals("a", out.id());
        assertEquals(1.5, out.nearestFgM());
        assertTrue(out.hasDepth);
        assertEquals(180 / 255f, out.bg[3], 1e-6);            // R plane, x = 3, y = 0
        assertEquals(120 / 255f, out.bg[16 + 2 * 4], 1e-6);   // G plane, y = 2
        assertEquals(1f, out.bg[32 + 5], 1e-6);               // B plane
        assertEquals(0x30 / 255f, out.fgBg[32], 1e-6);
        for (int i = 0; i < 16; i++) {
            assertEquals(i % 4 == 0 ? 1f : 0f, out.mask[i], "mask pixel " + i);
        }
        assertEquals(2.003f, out.depthM[2 * 4 + 3], 1e-6);
    }

    @Test
    void resizesRgbByAreaAndMaskDepthByNearest() throws IOException {
        // 8x8 -> 4x4: every output pixel averages a 2x2 block.
        TinyDatasetWriter.rgb(dir.resolve("bg.png"), 8, 8, (x, y) -> ((x + y) % 2 == 0 ? 200 : 100) << 16);
        TinyDatasetWriter.rgb(dir.resolve("fg.png"), 8, 8, (x, y) -> x < 4 ? 0xFFFFFF : 0);
        TinyDatasetWriter.gray8(dir.resolve("m.png"), 8, 8, (x, y) -> x % 2 == 1 ? 255 : 0);
        TinyDatasetWriter.gray16(dir.resolve("d.png"), 8, 8, (x, y) -> 1000 * (x + 1));
        Files.writeString(dir.resolve("index.csv"), "id,bg,fg_bg,mask,depth\na,bg.png,fg.png,m.png,d.png\n");
        LoadedSample out = LoadedSample.allocate(4);
        new SampleLoader(4).load(DatasetIndex.open(dir).samples().get(0), out);
        for (int i = 0; i < 16; i++) {
            assertEquals(150 / 255f, out.bg[i], 1e-5);
            assertEquals(i % 4 < 2 ? 1f : 0f, out.fgBg[i], 1e-5);
            // nearest of output x samples source x = 2x+1 (centre rule floor((x+0.5)*2)).
            assertEquals(1f, out.mask[i]);
            assertEquals(2 * (i % 4) + 2, out.depthM[i], 1e-6);
        }
        // Upscaling works too (bilinear stays within the source range).
        LoadedSample big = LoadedSample.allocate(11);
        new SampleLoader(11).load(DatasetIndex.open(dir).samples().get(0), big);
        for (float v : big.bg) {
            assertTrue(v >= 0f && v <= 200 / 255f + 1e-6, "value " + v);
        }
    }

    @Test
    void missingDepthAndFilesAreReported() throws IOException {
        TinyDatasetWriter.rgb(dir.resolve("bg.png"), 4, 4, (x, y) -> 0);
        TinyDatasetWriter.rgb(dir.resolve("fg.png"), 4, 4, (x, y) -> 0);
        TinyDatasetWriter.gray8(dir.resolve("m.png"), 4, 4, (x, y) -> 0);
        TinyDatasetWriter.gray8(dir.resolve("d8.png"), 4, 4, (x, y) -> 3);
        TinyDatasetWriter.gray8(dir.resolve("m3.png"), 3, 3, (x, y) -> 0);
        Files.writeString(dir.resolve("index.csv"), "id,bg,fg_bg,mask,depth\n"
                + "a,bg.png,fg.png,m.png,\n"
                + "b,bg.png,gone.png,m.png,\n"
                + "c,bg.png,fg.png,m.png,d8.png\n"
                + "d,bg.png,fg.png,m3.png,\n");
        var samples = DatasetIndex.open(dir).samples();
        SampleLoader loader = new SampleLoader(4);
        LoadedSample out = LoadedSample.allocate(4);
        out.depthM[0] = 5f;
        loader.load(samples.get(0), out);
        assertFalse(out.hasDepth);
        assertArrayEquals(new float[16], out.depthM);
        IOException e = assertThrows(NoSuchFileException.class, () -> loader.load(samples.get(1), out));
        assertTrue(e.getMessage().contains("sample 'b': fg_bg image not found"), e.getMessage());
        e = assertThrows(IOException.class, () -> loader.load(samples.get(2), out));
        assertTrue(e.getMessage().contains("16-bit grayscale"), e.getMessage());
        e = assertThrows(IOException.class, () -> loader.load(samples.get(3), out));
        assertTrue(e.getMessage().contains("3x3 but bg is 4x4"), e.getMessage());
    }

    /** The real-photo set in the shared folder (original MDEAS style, relative depth only). */
    @Test
    void loadsTheEva4RealPhotoSamples() throws IOException {
        Path root = SharedData.eva4Samples();
        Assumptions.assumeTrue(root != null, "shared eva4-fgbg-samples folder not present; skipping real-photo check");
        DatasetIndex index = DatasetIndex.open(root);
        assertEquals(13, index.size());
        SampleLoader loader = new SampleLoader(224);
        LoadedSample out = LoadedSample.allocate(224);
        for (Sample s : index.samples()) {
            assertEquals(null, s.depth(), "the set has no metric depth");
            loader.load(s, out);
            double fg = 0;
            for (float v : out.mask) {
                assertTrue(v == 0f || v == 1f);
                fg += v;
            }
            assertTrue(fg > 0 && fg < out.mask.length, s.id() + " mask has both classes");
            assertFalse(out.hasDepth);
        }
    }
}
