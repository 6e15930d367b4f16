package io.mdeas.model.eval;

/**
 * Something that predicts metric depth and a foreground-mask probability for one (bg, fg_bg) pair: a trained
 * network, an exported ONNX file, or a classical baseline. One instance is used by one thread at a time.
 */
public interface DepthMaskPredictor extends AutoCloseable {

    /** Input side the predictor wants (e.g. 224); evaluation loads samples at this size. */
    int inputSize();

    /**
     * Predicts for one pair of CHW RGB images in [0,1] (3*size*size each).
     *
     * @param outDepthM size*size metres; left untouched when this predictor has no depth
     * @param outMask   size*size foreground probabilities
     * @return true when depth was predicted
     */
    boolean predict(float[] bg, float[] fgBg, int size, float[] outDepthM, float[] outMask) throws Exception;

    /**
     * The depth range's end, metres: predicted depths at or beyond it mean "no return" (an exported model's
     * {@code mdeas.max_depth_m}); unbounded unless the predictor says otherwise.
     */
    default float maxDepthM() {
        return Float.POSITIVE_INFINITY;
    }

    /** One line saying what predicts (model file, baseline and its settings). */
    String describe();
}
