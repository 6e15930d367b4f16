package io.mdeas.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mdeas.model.data.DatasetIndex;
import io.mdeas.model.data.Sample;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchSourceTest {

    @TempDir
    Path tmp;

    @Test
    void describesTheSamplesOfAStreamPositionInTheOrderTheyAreLoaded() throws Exception {
        List<Sample> samples = DatasetIndex.open(TinyDataset.write(tmp.resolve("data"), 5, 32, 3)).samples();
        SampleOrder order = new SampleOrder(9, samples.size());
        List<String> expected = new ArrayList<>();
        for (long k = 7; k < 10; k++) {
            expected.add(samples.get(order.sampleAt(k)).id() + (order.flipAt(k) ? " (mirrored)" : ""));
        }
        try (BatchSource source = new BatchSource(samples, 32, 3, 9, 0, true, DepthEncoding.LINEAR, 10, 2)) {
            assertEquals(String.join(", ", expected), source.describe(7, 3));
        }
        try (BatchSource unflipped = new BatchSource(samples, 32, 3, 9, 0, false, DepthEncoding.LINEAR, 10, 2)) {
            assertEquals(String.join(", ", expected).replace(" (mirrored)", ""), unflipped.describe(7, 3));
        }
    }
}
