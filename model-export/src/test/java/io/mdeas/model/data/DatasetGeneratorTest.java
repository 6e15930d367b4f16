package io.mdeas.model.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generate pipeline end to end: determinism, the DATASET.md layout, and values readers rely on. */
class DatasetGeneratorTest {
    private static final int COUNT = 24;
    private static final int SIZE = 32;

    @TempDir
    Path tmp;

    @Test
    void outputDoesNotDependOnThreadCountAndRepeatsForASeed() throws IOException {
        Path one = tmp.resolve("one");
        Path two = tmp.resolve("two");
        new DatasetGenerator().generate(one, COUNT, SIZE, 7, DatasetGenerator.Split.TRAIN, 1);
        new DatasetGenerator().generate(two, COUNT, SIZE, 7, DatasetGenerator.Split.TRAIN, 2);
        assertArrayEquals(Files.readAllBytes(one.resolve("index.csv")), Files.readAllBytes(two.resolve("index.csv")));
        for (String dir : new String[] {"bg", "fg_bg", "mask", "depth"}) {
            for (int i = 0; i < COUNT; i++) {
                String name = DatasetWriter.relative(dir, String.format("%06d", i));
                assertArrayEquals(Files.readAllBytes(one.resolve(name)), Files.readAllBytes(two.resolve(name)), name);
            }
        }
        Path other = tmp.resolve("other");
        new DatasetGenerator().generate(other, 2, SIZE, 8, DatasetGenerator.Split.TRAIN, 1);
        assertTrue(!java.util.Arrays.equals(Files.readAllBytes(one.resolve("fg_bg/000000.png")),
                Files.readAllBytes(other.resolve("fg_bg/000000.png"))), "another seed must give other images");
    }

    @Test
    void writesTheDatasetLayoutThatTheReaderAccepts() throws IOException {
        Path out = tmp.resolve("set");
        new DatasetGenerator().generate(out, COUNT, SIZE, 3, DatasetGenerator.Split.TEST, 2);
        DatasetIndex index = DatasetIndex.open(out);
        assertEquals(COUNT, index.size());
        assertTrue(index.camera().isPresent());
        assertEquals(DatasetWriter.GENERATOR_VERSION, index.camera().get().get("generator_version").asText());
        Map<String, Map<String, String>> rows = readCsv(out.resolve("index.csv"));
        int withForeground = 0;
        for (Sample s : index.samples()) {
            Map<String, String> row = rows.get(s.id());
            BufferedImage bg = ImageIO.read(s.bg().toFile());
            BufferedImage fgBg = ImageIO.read(s.fgBg().toFile());
            BufferedImage mask = ImageIO.read(s.mask().toFile());
            BufferedImage depth = ImageIO.read(s.depth().toFile());
            for (BufferedImage img : new BufferedImage[] {bg, fgBg, mask, depth}) {
                assertEquals(SIZE, img.getWidth());
                assertEquals(SIZE, img.getHeight());
            }
            assertEquals(3, bg.getRaster().getNumBands());
            assertEquals(BufferedImage.TYPE_BYTE_GRAY, mask.getType());
            assertEquals(BufferedImage.TYPE_USHORT_GRAY, depth.getType());
            int minMm = Integer.MAX_VALUE;
            int fgPixels = 0;
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    int m = mask.getRaster().getSample(x, y, 0);
                    assertTrue(m == 0 || m == 255, "mask values are 0 or 255");
                    int mm = depth.getRaster().getSample(x, y, 0);
                    assertTrue(mm > 0, "every generated pixel has a known depth");
                    if (m == 255) {
                        fgPixels++;
                        minMm = Math.min(minMm, mm);
                    }
                }
            }
            assertEquals(Integer.parseInt(row.get("fg_pixels")), fgPixels, s.id());
            if (fgPixels == 0) {
                assertNull(s.nearestFgM(), "no foreground, no nearest_fg_m");
            } else {
                withForeground++;
                assertNotNull(s.nearestFgM());
                assertEquals(minMm / 1000.0, s.nearestFgM(), 0.0006, "nearest_fg_m is the smallest mask depth");
            }
            assertTrue(s.cameraHeightM() >= 0.05 && s.cameraHeightM() <= 0.40);
            assertTrue(s.pitchDeg() >= -20 && s.pitchDeg() <= 0);
            assertTrue(s.hfovDeg() >= 55 && s.hfovDeg() <= 90);
            if ("unchanged".equals(row.get("kind"))) {
                assertEquals(0, fgPixels);
                assertArrayEquals(Files.readAllBytes(s.bg()), Files.readAllBytes(s.fgBg()),
                        "an unchanged sample's fg_bg is the bg image itself");
            }
        }
        assertTrue(withForeground > COUNT / 2, "most samples show foreground");
    }

    @Test
    void testSplitNeverReusesATrainingSampleSeed() {
        Set<Long> train = new HashSet<>();
        for (long seed = 0; seed < 4; seed++) {
            for (int i = 0; i < 20_000; i++) {
                train.add(DatasetGenerator.sampleSeed(seed, DatasetGenerator.Split.TRAIN, i));
            }
        }
        for (long seed = 0; seed < 4; seed++) {
            for (int i = 0; i < 20_000; i++) {
                assertTrue(!train.contains(DatasetGenerator.sampleSeed(seed, DatasetGenerator.Split.TEST, i)));
            }
        }
    }

    private static Map<String, Map<String, String>> readCsv(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        String[] header = lines.get(0).split(",", -1);
        assertEquals(List.of("id", "bg", "fg_bg", "mask", "depth"), List.of(header).subList(0, 5));
        Map<String, Map<String, String>> rows = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            assertEquals(header.length, cells.length, line);
            Map<String, String> row = new HashMap<>();
            for (int i = 0; i < header.length; i++) {
                row.put(header[i], cells[i]);
            }
            rows.put(row.get("id"), row);
        }
        return rows;
    }
}
