package io.mdeas.model.eval;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Opens a training checkpoint (a directory) as a {@link DepthMaskPredictor}. The training side implements it
 * and announces it in {@code META-INF/services/io.mdeas.model.eval.CheckpointPredictorProvider}, so evaluation
 * needs no compile-time link to the network code; {@link PredictorFactory#withCheckpoints} wires one directly.
 */
@FunctionalInterface
public interface CheckpointPredictorProvider {

    /**
     * Loads the checkpoint in {@code dir}.
     *
     * @throws IOException              when the directory cannot be read
     * @throws IllegalArgumentException when it is not a checkpoint this provider understands
     */
    DepthMaskPredictor open(Path dir) throws IOException;
}
