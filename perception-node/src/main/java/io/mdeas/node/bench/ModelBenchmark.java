package io.mdeas.node.bench;

import ai.onnxruntime.OrtException;
import io.mdeas.node.capture.FrameSource;
import io.mdeas.node.inference.MdeasModel;
import io.mdeas.node.inference.NchwWriter;
import org.bytedeco.opencv.opencv_core.Mat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * The bare model: the ONNX Runtime session run on its preallocated input buffers, filled from real frames. Only
 * {@link MdeasModel#run()} is timed. The background input is the first frame (what the pipeline starts from),
 * the current-frame input each next frame.
 *
 * <p>Frames are decoded and converted a chunk at a time into staging buffers before that chunk's timed runs,
 * not one frame before each run: a video decoder may keep decoding ahead on its own threads after a read
 * returns, and on a 2-core robot board those threads would compete with the timed inference.
 */
public final class ModelBenchmark {
    /** Frames staged per chunk: 16 × 3·224² floats is 9.6 MB at the reference size. */
    static final int CHUNK = 16;

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
        NchwWriter[] staged = new NchwWriter[CHUNK];
        source.open();
        try (Mat frame = new Mat();
             NchwWriter bg = new NchwWriter(size, model.bgInput())) {
            for (int k = 0; k < CHUNK; k++) {
                staged[k] = new NchwWriter(size,
                        ByteBuffer.allocateDirect(3 * size * size * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer());
            }
            if (!source.read(frame)) {
                throw new IOException("source " + source.name() + " gave no frame");
            }
            bg.write(frame);
            FloatBuffer input = model.fgInput();
            int done = 0;
            int inChunk;
            do {
                inChunk = stage(source, frame, staged, Math.min(CHUNK, warmup + frames - done));
                for (int k = 0; k < inChunk; k++, done++) {
                    input.clear().put(staged[k].buffer().duplicate().clear()); // run() rewinds it
                    long t0 = System.nanoTime();
                    model.run();
                    long dt = System.nanoTime() - t0;
                    if (done >= warmup) {
                        latencies[timed++] = dt;
                    }
                }
            } while (inChunk == CHUNK && done < warmup + frames);
        } finally {
            for (NchwWriter w : staged) {
                if (w != null) {
                    w.close();
                }
            }
            source.close();
        }
        return timed == frames ? latencies : Arrays.copyOf(latencies, timed);
    }

    /** Reads and converts up to {@code max} frames into {@code staged}; fewer only when the source ended. */
    private static int stage(FrameSource source, Mat frame, NchwWriter[] staged, int max) throws IOException {
        int n = 0;
        while (n < max && source.read(frame)) {
            staged[n++].write(frame);
        }
        return n;
    }
}
