package io.mdeas.model.eval;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Opens an exported {@code .onnx} model file as a {@link DepthMaskPredictor}, running it through the perception
 * node's own inference code so that what is measured is what ships. Announced in
 * {@code META-INF/services/io.mdeas.model.eval.OnnxPredictorProvider} or wired with
 * {@link PredictorFactory#withOnnx}.
 */
@FunctionalInterface
public interface OnnxPredictorProvider {

    /**
     * Loads the model file.
     *
     * @param mirrorAverage average each prediction with its mirror image's, as the node does with
     *                      {@code model.mirror_average}
     */
    DepthMaskPredictor open(Path onnxFile, boolean mirrorAverage) throws IOException;
}
