package io.mdeas.model.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mdeas.model.data.DatasetIndex;
import io.mdeas.model.data.Sample;
import io.mdeas.node.analysis.FloorAnchorParams;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node's floor anchor in evaluation: the bundled network on rendered robot-mount scenes, scored with and
 * without it. The scenes' mounts are jittered per sample as in the test split, so the network's scale guess is
 * off per image and the floor, seen with each sample's own mount, must bring it back.
 */
class FloorAnchoredDepthTest {
    @TempDir
    Path dir;

    @Test
    void theFloorFixesTheBundledNetworksScaleOnRenderedScenes() throws Exception {
        DatasetIndex index = RobotMountScenes.render(dir, 24, 995_000);
        Path model = RobotMountScenes.bundledModel(dir);
        FloorAnchoredDepth anchor = new FloorAnchoredDepth(FloorAnchorParams.DEFAULTS, 4.0 / 3);
        EvaluationResult plain;
        EvaluationResult anchored;
        try (DepthMaskPredictor p = PredictorFactory.standard().open(model)) {
            plain = new Evaluator(1).run(index.samples(), p, null);
            anchored = new Evaluator(1).withFloorAnchor(anchor).run(index.samples(), p, null);
        }

        assertEquals(24, anchor.anchored() + anchor.held());
        assertTrue(anchor.anchored() >= 20, "floor in view in most rendered scenes: " + anchor.anchored());
        assertTrue(anchored.depthAbsrel() < plain.depthAbsrel() - 0.01,
                "AbsRel " + plain.depthAbsrel() + " -> " + anchored.depthAbsrel());
        System.out.println("plain " + plain.asMap() + "\nanchored " + anchored.asMap());
        assertEquals(plain.maskMiou(), anchored.maskMiou(), 1e-12, "the mask is not touched");
    }

    @Test
    void aSampleWithoutItsMountIsRefusedByName() {
        Sample noMount = new Sample("s7", Path.of("bg.png"), Path.of("fg.png"), Path.of("m.png"), Path.of("d.png"),
                null, null, null, null);
        FloorAnchoredDepth anchor = new FloorAnchoredDepth(FloorAnchorParams.DEFAULTS, 1.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> anchor.apply(noMount, new float[16], new float[16], 4, 10f));
        assertTrue(e.getMessage().contains("sample s7") && e.getMessage().contains("camera_height_m"), e.getMessage());
    }
}
