package io.mdeas.node.bench;

import ai.onnxruntime.OrtException;
import io.mdeas.node.capture.FrameSource;
import io.mdeas.node.inference.MdeasModel;
import io.mdeas.node.inference.NchwWriter;
import org.bytedeco.opencv.opencv_core.Mat;

import java.io.IOException;

/**
 * The bare model: the ONNX Runtime session run on its preallocated input buffers, filled from real frames. Only
 * {@link MdeasModel#run()} is timed; decoding and filling the inputs happen between timed runs. The background
 * input is the first frame (what the pipeline starts from), the current-frame input each next frame.
 */
public final class ModelBenchmark {
    private ModelBenchmark() {}

    /**
     * Runs the model on {@code warmup + frames} frames of an opened-on-demand source.
     *
     * @return the latency of each timed run in nanoseconds ({@code frames} values; fewer if the source ended)
     */
    public static long[] run(MdeasModel model, FrameSource source, int warmup, int frames) throws IOException, OrtException {
        int size = model.inputSize();
        long[] latencies = new long[frames];
        int timed = 0;
        source.open();
        try (Mat frame = new Mat();
             NchwWriter fg = new NchwWriter(size, model.fgInput());
             NchwWriter bg = new NchwWriter(size, model.bgInput())) {
            if (!source.read(frame)) {
                throw new IOException("source " + source.name() + " gave no frame");
            }
            bg.write(frame);
            for (int i = 0; i < warmup + frames; i++) {
                if (!source.read(frame)) {
                    break;
                }
                fg.write(frame);
                long t0 = System.nanoTime();
                model.run();
                long dt = System.nanoTime() - t0;
                if (i >= warmup) {
                    latencies[timed++] = dt;
                }
            }
        } finally {
            source.close();
        }
        return timed == frames ? latencies : java.util.Arrays.copyOf(latencies, timed);
    }
}
