package io.mdeas.model.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mdeas.model.data.DatasetIndex;
import io.mdeas.node.analysis.DepthEdgeParams;
import io.mdeas.node.analysis.MaskEdgeParams;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node's edge refinements in evaluation: the bundled network on rendered robot-mount scenes, its masks and depth
 * maps scored with and without the refinements the node applies ({@code mask.edge_refine}, {@code depth.edge_refine}).
 */
class EdgeRefinementEvaluationTest {
    @TempDir
    Path dir;

    @Test
    void refinedMapsOfTheBundledNetworkScoreBetterOnRenderedScenes() throws Exception {
        DatasetIndex index = RobotMountScenes.render(dir, 24, 996_000);
        Path model = RobotMountScenes.bundledModel(dir);
        EvaluationResult plain;
        EvaluationResult refined;
        EvaluationResult depthRefined;
        try (DepthMaskPredictor p = PredictorFactory.standard().open(model)) {
            plain = new Evaluator(1).run(index.samples(), p, null);
            refined = new Evaluator(1).withEdges(MaskEdgeParams.DEFAULTS, DepthEdgeParams.OFF).run(index.samples(), p, null);
            depthRefined = new Evaluator(1).withEdges(MaskEdgeParams.OFF, DepthEdgeParams.ON)
                    .run(index.samples(), p, null);
        }
        System.out.println("plain " + plain.asMap() + "\nmask refined " + refined.asMap() + "\ndepth refined "
                + depthRefined.asMap());
        assertTrue(refined.maskFgIou() > plain.maskFgIou() + 0.01,
                "fg IoU " + plain.maskFgIou() + " -> " + refined.maskFgIou());
        assertTrue(refined.maskMiou() > plain.maskMiou(), "mIoU " + plain.maskMiou() + " -> " + refined.maskMiou());
        assertEquals(plain.depthAbsrel(), refined.depthAbsrel(), 1e-12, "depth is not touched by the mask's refinement");
        assertTrue(depthRefined.depthSsim() > plain.depthSsim() + 0.002,
                "depth SSIM " + plain.depthSsim() + " -> " + depthRefined.depthSsim());
        assertTrue(depthRefined.depthAbsrel() < plain.depthAbsrel() + 0.002,
                "depth AbsRel " + plain.depthAbsrel() + " -> " + depthRefined.depthAbsrel());
        assertEquals(plain.maskMiou(), depthRefined.maskMiou(), 1e-12, "the mask is not touched by the depth's");
    }
}
