package io.mdeas.model.eval;

import io.mdeas.model.data.DatasetGenerator;
import io.mdeas.model.data.DatasetIndex;
import io.mdeas.model.data.MountRange;
import io.mdeas.node.inference.ModelOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test fixture: the bundled network and a few rendered scenes of the robot mount it was trained for. */
final class RobotMountScenes {
    /** The test split's mount options (`M` in the model card): what the bundled model was trained on. */
    static final MountRange ROBOT = new MountRange(0.12, 0.18, -12, -4, 65, 75, 4.0 / 3);

    private RobotMountScenes() {}

    /** Renders {@code count} 224×224 test-split scenes from {@code seed} into {@code dir}/data. */
    static DatasetIndex render(Path dir, int count, long seed) throws IOException {
        Path data = dir.resolve("data");
        new DatasetGenerator(ROBOT).generate(data, count, 224, seed, DatasetGenerator.Split.TEST, 2);
        return DatasetIndex.open(data);
    }

    /** Copies the node's bundled model to {@code dir}/mdeas.onnx. */
    static Path bundledModel(Path dir) throws IOException {
        Path model = dir.resolve("mdeas.onnx");
        try (InputStream in = ModelOptions.class.getResourceAsStream(ModelOptions.BUNDLED_RESOURCE)) {
            Files.copy(in, model);
        }
        return model;
    }
}
