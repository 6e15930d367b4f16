package io.mdeas.model.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** float → float16 rounding of the fp16-weight export against known bit patterns. */
class HalfTest {

    @Test
    void knownValues() {
        assertEquals(0x3C00, bits(1f));
        assertEquals(0xC000, bits(-2f));
        assertEquals(0x3555, bits(1f / 3));
        assertEquals(0x2E66, bits(0.1f));
        assertEquals(0x7BFF, bits(65504f));
        assertEquals(0x7C00, bits(65520f)); // rounds up past the largest finite value
        assertEquals(0x0001, bits(0x1p-24f)); // smallest subnormal
        assertEquals(0x0000, bits(0x1p-26f));
        assertEquals(0x0200, bits(0x1p-15f)); // subnormal
        assertEquals(0x0400, bits(0x1p-14f)); // smallest normal
        assertEquals(0x3C00, bits(1f + 0x1p-11f)); // tie to even (down)
        assertEquals(0x3C02, bits(1f + 3 * 0x1p-11f)); // tie to even (up)
        assertTrue(Float.isNaN(OnnxGraphBuilder.Half.toFloat(OnnxGraphBuilder.Half.fromFloat(Float.NaN))));
    }

    @Test
    void roundTripErrorIsHalfAnUlp() {
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 100_000; i++) {
            float f = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(-4, 4)));
            float back = OnnxGraphBuilder.Half.toFloat(OnnxGraphBuilder.Half.fromFloat(f));
            double tol = Math.abs(f) >= 0x1p-14f ? Math.abs(f) * 0x1p-11 : 0x1p-25;
            assertTrue(Math.abs(back - f) <= tol * 1.0000001, f + " -> " + back);
        }
    }

    private static int bits(float f) {
        return OnnxGraphBuilder.Half.fromFloat(f) & 0xFFFF;
    }
}
