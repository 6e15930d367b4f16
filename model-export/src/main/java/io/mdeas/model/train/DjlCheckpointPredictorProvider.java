package io.mdeas.model.train;

import io.mdeas.model.eval.CheckpointPredictorProvider;
import io.mdeas.model.eval.DepthMaskPredictor;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Opens training checkpoint folders for {@code evaluate}; announced in
 * {@code META-INF/services/io.mdeas.model.eval.CheckpointPredictorProvider}.
 */
public final class DjlCheckpointPredictorProvider implements CheckpointPredictorProvider {

    @Override
    public DepthMaskPredictor open(Path dir) throws IOException {
        return CheckpointPredictor.open(dir);
    }
}
