package io.mdeas.model.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MdeasNetTest {

    @BeforeAll
    static void engine() {
        TorchRuntime.start(null, 1);
    }

    @Test
    void hasTheReferenceParameterCount() {
        try (NDManager m = NDManager.newBaseManager()) {
            MdeasNet net = MdeasNet.initialized(m, 224);
            assertEquals(1_521_026L, net.trainableParameterCount());
        }
    }

    @Test
    void outputsFullResolutionDepthAndMaskAt224And112() {
        try (NDManager m = NDManager.newBaseManager()) {
            MdeasNet net = MdeasNet.initialized(m, 224);
            ParameterStore ps = new ParameterStore(m, false);
            for (int size : new int[] {224, 112}) {
                try (NDManager step = m.newSubManager()) {
                    NDArray bg = step.randomUniform(0, 1, new Shape(2, 3, size, size));
                    NDArray fg = step.randomUniform(0, 1, new Shape(2, 3, size, size));
                    NDList out = net.forward(ps, new NDList(bg, fg), false);
                    assertEquals(new Shape(2, 1, size, size), out.get(0).getShape());
                    assertEquals(new Shape(2, 1, size, size), out.get(1).getShape());
                    float[] mask = out.get(1).toFloatArray();
                    for (float v : mask) {
                        assertTrue(v >= 0 && v <= 1, "mask is a probability");
                    }
                }
            }
        }
    }

    @Test
    void rejectsSizesThatAreNotMultiplesOf16() {
        try (NDManager m = NDManager.newBaseManager()) {
            assertThrows(IllegalArgumentException.class, () -> MdeasNet.initialized(m, 100));
        }
    }

    @Test
    void pixelShuffleMatchesPyTorchChannelOrder() {
        try (NDManager m = NDManager.newBaseManager()) {
            // 1 output channel, r = 2: input channel i*2+j at (h, w) goes to (2h+i, 2w+j).
            NDArray x = m.arange(16f).reshape(1, 4, 2, 2);
            float[] y = Resampling.PIXEL_SHUFFLE_2.apply(x).toFloatArray();
            float[] expected = {0, 4, 1, 5, 8, 12, 9, 13, 2, 6, 3, 7, 10, 14, 11, 15};
            for (int k = 0; k < expected.length; k++) {
                assertEquals(expected[k], y[k], "index " + k);
            }
        }
    }

    @Test
    void nearestUpsamplingRepeatsEachPixelTwoByTwo() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.arange(4f).reshape(1, 1, 2, 2);
            float[] y = Resampling.NEAREST_2.apply(x).toFloatArray();
            float[] expected = {0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 3, 3, 2, 2, 3, 3};
            for (int k = 0; k < expected.length; k++) {
                assertEquals(expected[k], y[k], "index " + k);
            }
        }
    }

    @Test
    void listsLayersWithStablePaths() {
        try (NDManager m = NDManager.newBaseManager()) {
            List<MdeasNet.Layer> layers = MdeasNet.initialized(m, 32).layers();
            assertEquals("stem_bg.conv1", layers.get(0).path());
            assertEquals("mask_out", layers.get(layers.size() - 1).path());
            assertTrue(layers.stream().anyMatch(l -> l.path().equals("aspp_d9.depthwise")));
        }
    }
}
