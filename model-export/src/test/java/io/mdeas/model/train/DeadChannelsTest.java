package io.mdeas.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeadChannelsTest {

    private static TensorFile.Tensor vec(float... v) {
        return new TensorFile.Tensor(new long[] {v.length}, v);
    }

    private static Map<String, TensorFile.Tensor> batchNorm(String layer, float[] var) {
        Map<String, TensorFile.Tensor> p = new LinkedHashMap<>();
        float[] ones = new float[var.length];
        java.util.Arrays.fill(ones, 1f);
        p.put(layer + "_gamma", vec(ones.clone()));
        p.put(layer + "_beta", vec(new float[var.length]));
        p.put(layer + "_runningMean", vec(new float[var.length]));
        p.put(layer + "_runningVar", vec(var));
        return p;
    }

    @Test
    void onlyChannelsWhoseVarianceIsBelowTheLimitAreSilenced() {
        Map<String, TensorFile.Tensor> p = new LinkedHashMap<>();
        p.put("conv_weight", vec(1f, 2f));
        p.putAll(batchNorm("a_norm", new float[] {1e-20f, 0.5f, 5e-7f, 2e-6f}));
        p.putAll(batchNorm("b_norm", new float[] {0.1f, 0.2f}));
        List<DeadChannels.Silenced> s = DeadChannels.silence(p, 1e-6);
        assertEquals(1, s.size(), "b_norm has no dead channel");
        assertEquals("a_norm", s.get(0).layer());
        assertArrayEquals(new int[] {0, 2}, s.get(0).channels());
        assertEquals(4, s.get(0).of());
        assertArrayEquals(new float[] {0f, 1f, 0f, 1f}, p.get("a_norm_gamma").data());
        assertArrayEquals(new float[] {1f, 1f}, p.get("b_norm_gamma").data());
        assertArrayEquals(new float[] {1f, 2f}, p.get("conv_weight").data(), "other tensors untouched");
        assertArrayEquals(new float[] {1e-20f, 0.5f, 5e-7f, 2e-6f}, p.get("a_norm_runningVar").data());
    }

    @Test
    void gainsAboveTheLimitAreCappedByRaisingTheVarianceAndNothingElseMoves() {
        Map<String, TensorFile.Tensor> p = new LinkedHashMap<>();
        // gains |γ|/√(var + 1e-5): ~316 (dead), ~2.2 (healthy), ~-100 (negative γ, nearly dead), 0 (silenced)
        p.putAll(batchNorm("a_norm", new float[] {0f, 0.2f, 9e-5f, 1e-20f}));
        p.get("a_norm_gamma").data()[2] = -1f;
        p.get("a_norm_gamma").data()[3] = 0f;
        p.putAll(batchNorm("b_norm", new float[] {0.5f}));
        List<DeadChannels.Capped> c = DeadChannels.capGain(p, 3.0, 0, 1e-5);
        assertEquals(1, c.size(), "b_norm's gain 1.4 is under the limit");
        assertEquals("a_norm", c.get(0).layer());
        assertArrayEquals(new int[] {0, 2}, c.get(0).channels());
        assertEquals(316.2, c.get(0).gains()[0], 0.1);
        assertEquals(100.0, c.get(0).gains()[1], 0.1);
        float[] var = p.get("a_norm_runningVar").data();
        float[] gamma = p.get("a_norm_gamma").data();
        for (int ch : new int[] {0, 2}) {
            assertEquals(3.0, Math.abs(gamma[ch]) / Math.sqrt(var[ch] + 1e-5), 1e-5, "channel " + ch + " now at the cap");
        }
        assertEquals(0.2f, var[1], "a healthy channel keeps its variance");
        assertEquals(1e-20f, var[3], "a silenced channel (gain 0) is left alone");
        assertArrayEquals(new float[] {1f, 1f, -1f, 0f}, gamma, "gamma is never changed");
        assertArrayEquals(new float[] {0.5f}, p.get("b_norm_runningVar").data());
        assertThrows(IllegalArgumentException.class, () -> DeadChannels.capGain(p, 0, 0, 1e-5));
        assertThrows(IllegalArgumentException.class, () -> DeadChannels.capGain(p, 3.0, -1, 1e-5));
    }

    @Test
    void theRatioSparesLayersWhoseGainsAreAllHighAndStillCapsTheirOutliers() {
        Map<String, TensorFile.Tensor> p = new LinkedHashMap<>();
        // gains 10, 10, 10, 316 against an absolute limit of 4: the median is 10, so a ratio of 4 raises the
        // layer's limit to 40 and only the outlier is capped
        p.putAll(batchNorm("a_norm", new float[] {0.01f - 1e-5f, 0.01f - 1e-5f, 0.01f - 1e-5f, 0f}));
        // gains all 10: none over 40
        p.putAll(batchNorm("b_norm", new float[] {0.01f - 1e-5f, 0.01f - 1e-5f}));
        List<DeadChannels.Capped> c = DeadChannels.capGain(p, 4.0, 4.0, 1e-5);
        assertEquals(1, c.size());
        assertArrayEquals(new int[] {3}, c.get(0).channels());
        assertEquals(40.0, c.get(0).limit(), 1e-3);
        float[] var = p.get("a_norm_runningVar").data();
        assertEquals(40.0, 1 / Math.sqrt(var[3] + 1e-5), 1e-3);
        // the higher of the two limits applies
        Map<String, TensorFile.Tensor> q = batchNorm("a_norm", new float[] {0.01f - 1e-5f, 0.01f - 1e-5f, 0f});
        assertEquals(60.0, DeadChannels.capGain(q, 60.0, 4.0, 1e-5).get(0).limit(), 1e-9);
        // without the ratio every gain over 4 is capped
        Map<String, TensorFile.Tensor> r = batchNorm("a_norm", new float[] {0.01f - 1e-5f, 0.01f - 1e-5f, 0f});
        assertArrayEquals(new int[] {0, 1, 2}, DeadChannels.capGain(r, 4.0, 0, 1e-5).get(0).channels());
    }

    @Test
    void aVarianceWithoutItsGammaIsAnError() {
        Map<String, TensorFile.Tensor> p = new LinkedHashMap<>();
        p.put("x_runningVar", vec(0f));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DeadChannels.silence(p, 1e-6));
        assertTrue(e.getMessage().contains("x"), e.getMessage());
    }
}
