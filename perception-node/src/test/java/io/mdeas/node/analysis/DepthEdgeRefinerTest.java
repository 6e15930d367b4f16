package io.mdeas.node.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DepthEdgeRefinerTest {
    private static final int S = 48;
    private static final float MAX = 10f;

    /** A grey wall at 3 m with a blue box at 1 m in columns 20..29; the frame (CHW RGB) and the true depth. */
    private static float[] boxScene(float[] truth) {
        float[] chw = new float[3 * S * S];
        for (int y = 0; y < S; y++) {
            for (int x = 0; x < S; x++) {
                int i = y * S + x;
                boolean box = x >= 20 && x < 30;
                truth[i] = box ? 1f : 3f;
                chw[i] = box ? 0.1f : 0.5f;
                chw[S * S + i] = box ? 0.2f : 0.5f;
                chw[2 * S * S + i] = box ? 0.8f : 0.5f;
            }
        }
        return chw;
    }

    /** The truth as a network's pixel shuffle leaves it: every 2×2 block off by its own few percent. */
    private static float[] blocky(float[] truth) {
        float[] d = new float[S * S];
        for (int i = 0; i < S * S; i++) {
            int bx = (i % S) / 2;
            int by = (i / S) / 2;
            d[i] = truth[i] * (1 + 0.08f * (((bx * 7 + by * 13) % 5) - 2) / 2f);
        }
        return d;
    }

    @Test
    void blockArtefactsAreSmoothedAndTheStepAtTheFramesEdgeStaysSharp() {
        float[] truth = new float[S * S];
        float[] frame = boxScene(truth);
        float[] depth = blocky(truth);
        double before = absRel(depth, truth);
        assertTrue(new DepthEdgeRefiner(DepthEdgeParams.ON, S)
                .refine(FloatBuffer.wrap(frame), FloatBuffer.wrap(depth), MAX));
        double after = absRel(depth, truth);
        assertTrue(before > 0.03 && after < before / 2, "AbsRel " + before + " -> " + after);
        int row = S * 24;
        assertTrue(depth[row + 19] > 2.7f && depth[row + 20] < 1.15f, "the step stays where the frame has it: "
                + depth[row + 19] + " | " + depth[row + 20]);
    }

    @Test
    void noReturnPixelsStayAtTheRangeAndNothingLeavesIt() {
        float[] truth = new float[S * S];
        float[] frame = boxScene(truth);
        float[] depth = truth.clone();
        for (int i = 0; i < S * S; i++) {
            if (i % S >= 40) {
                depth[i] = MAX; // far wall beyond the model's range
            }
        }
        new DepthEdgeRefiner(DepthEdgeParams.ON, S).refine(FloatBuffer.wrap(frame), FloatBuffer.wrap(depth), MAX);
        for (int i = 0; i < S * S; i++) {
            if (i % S >= 40) {
                assertEquals(MAX, depth[i], "no return stays no return");
            }
            assertTrue(depth[i] >= DepthEdgeRefiner.MIN_DEPTH_M && depth[i] <= MAX, "in range: " + depth[i]);
        }
    }

    @Test
    void aDepthMapThatAlreadyFollowsTheFrameIsKept() {
        float[] truth = new float[S * S];
        float[] frame = boxScene(truth);
        float[] depth = truth.clone();
        new DepthEdgeRefiner(new DepthEdgeParams(true, 4, 1e-6), S)
                .refine(FloatBuffer.wrap(frame), FloatBuffer.wrap(depth), MAX);
        for (int i = 0; i < S * S; i++) {
            assertEquals(truth[i], depth[i], 1e-3f, "pixel " + i);
        }
    }

    @Test
    void offLeavesTheMapAlone() {
        float[] truth = new float[S * S];
        float[] frame = boxScene(truth);
        float[] depth = new float[S * S];
        Arrays.fill(depth, 2f);
        depth[5] = 7f;
        float[] before = depth.clone();
        assertFalse(new DepthEdgeRefiner(DepthEdgeParams.OFF, S).refine(FloatBuffer.wrap(frame), FloatBuffer.wrap(depth), MAX));
        assertArrayEquals(before, depth);
    }

    @Test
    void bothMapsShareOneFilterAndEachCanBeOff() {
        float[] truth = new float[S * S];
        float[] frame = boxScene(truth);
        float[] mask = new float[S * S];
        for (int i = 0; i < S * S; i++) {
            int x = i % S;
            mask[i] = x >= 20 && x < 32 ? 1f : 0f;
        }
        float[] depth = blocky(truth);
        float[] depthBefore = depth.clone();
        new EdgeRefiner(MaskEdgeParams.DEFAULTS, DepthEdgeParams.OFF, S)
                .refine(FloatBuffer.wrap(frame), FloatBuffer.wrap(mask), FloatBuffer.wrap(depth), MAX);
        assertArrayEquals(depthBefore, depth, "depth refinement off");
        assertTrue(mask[S * 10 + 30] < 0.5f && mask[S * 10 + 25] > 0.5f, "the mask moved to the box's edge: "
                + mask[S * 10 + 30] + ", " + mask[S * 10 + 25]);
        new EdgeRefiner(MaskEdgeParams.OFF, DepthEdgeParams.ON, S)
                .refine(FloatBuffer.wrap(frame), FloatBuffer.wrap(mask), FloatBuffer.wrap(depth), MAX);
        assertTrue(absRel(depth, truth) < absRel(depthBefore, truth) / 2, "depth refined");
    }

    @Test
    void paramsAreCheckedByConfigName() {
        IllegalArgumentException r = assertThrows(IllegalArgumentException.class, () -> new DepthEdgeParams(true, 0, 1e-3));
        assertTrue(r.getMessage().contains("depth.edge_refine_radius_px"), r.getMessage());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DepthEdgeParams(true, 4, -1));
        assertTrue(e.getMessage().contains("depth.edge_refine_eps"), e.getMessage());
    }

    private static double absRel(float[] d, float[] truth) {
        double sum = 0;
        for (int i = 0; i < d.length; i++) {
            sum += Math.abs(d[i] - truth[i]) / truth[i];
        }
        return sum / d.length;
    }
}
