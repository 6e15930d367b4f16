package io.mdeas.model.onnx;

import io.mdeas.model.eval.DepthMaskPredictor;
import io.mdeas.model.eval.OnnxPredictorProvider;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Opens {@code .onnx} files for {@code evaluate} with the perception node's own inference class
 * ({@link OnnxModelPredictor}); announced in {@code META-INF/services}. Touches neither DJL nor PyTorch.
 */
public final class NodeOnnxPredictorProvider implements OnnxPredictorProvider {

    @Override
    public DepthMaskPredictor open(Path onnxFile, boolean mirrorAverage) throws IOException {
        return OnnxModelPredictor.open(onnxFile, 0, mirrorAverage);
    }
}
