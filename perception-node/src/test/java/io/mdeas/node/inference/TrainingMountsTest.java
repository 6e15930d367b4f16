package io.mdeas.node.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingMountsTest {

    private static final Map<String, String> ROBOT = Map.of("mdeas.mount.camera_height_m", "0.12:0.18",
            "mdeas.mount.pitch_deg", "-12:-4", "mdeas.mount.hfov_deg", "65:75");

    @Test
    void aMountInsideTheTrainedRangesFitsWithSlack() {
        List<String> problems = new ArrayList<>();
        TrainingMounts m = TrainingMounts.fromMetadata(ROBOT, problems);
        assertTrue(m.known());
        assertEquals(List.of(), problems);
        assertEquals(List.of(), m.misfits(0.15, -8, 70), "the demo robot's own mount");
        assertEquals(List.of(), m.misfits(0.19, -13.5, 76.5), "within 10 % / 2 degrees of the edges");
    }

    @Test
    void eachOutOfRangeQuantityIsNamedWithItsRange() {
        TrainingMounts m = TrainingMounts.fromMetadata(ROBOT, new ArrayList<>());
        List<String> misfits = m.misfits(0.30, -20, 90);
        assertEquals(List.of("camera.height_m 0.300 not in 0.120:0.180", "camera.pitch_deg -20.0 not in -12.0:-4.00",
                "camera.hfov_deg 90.0 not in 65.0:75.0"), misfits);
    }

    @Test
    void missingOrMalformedRangesAreNotChecked() {
        List<String> problems = new ArrayList<>();
        TrainingMounts none = TrainingMounts.fromMetadata(Map.of(), problems);
        assertFalse(none.known());
        assertEquals(List.of(), none.misfits(2, 60, 160));
        TrainingMounts bad = TrainingMounts.fromMetadata(Map.of("mdeas.mount.camera_height_m", "tall",
                "mdeas.mount.hfov_deg", "90:60"), problems);
        assertFalse(bad.known());
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("mdeas.mount.camera_height_m = 'tall' is not MIN:MAX"), problems.get(0));
    }
}
