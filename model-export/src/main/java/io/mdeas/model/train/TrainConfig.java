package io.mdeas.model.train;

/**
 * Everything that defines a training run's arithmetic. Saved in each checkpoint; {@code --resume} continues
 * with the saved config (only the stopping limits and output folder come from the new command line), so a
 * resumed run computes exactly what the uninterrupted one would have.
 *
 * @param trainData training dataset folder
 * @param valData validation dataset folder, or null for none
 * @param size square input side (multiple of 16)
 * @param batch images per step
 * @param epochSamples images per "epoch" (schedule unit, validation and checkpoint period)
 * @param valSamples at most this many validation samples per validation pass
 * @param seed seed of weight initialisation, data order and augmentation
 * @param flip whether to mirror samples horizontally at random (same flip for all four images)
 * @param schedule learning-rate shape over epochs
 * @param weights loss term weights
 * @param beta1 Adam β1
 * @param beta2 Adam β2
 * @param adamEpsilon Adam ε
 * @param depthEncoding depth target encoding id ({@code linear} or {@code log}, see DepthEncoding)
 * @param maxDepthM depth encoding range in metres
 * @param frozenBatchNorm normalise with the running statistics of the starting checkpoint and never update them
 *     (BatchNorm in inference mode; gamma and beta still learn): fine-tuning then optimises exactly the network
 *     that is exported, and statistics conditioned by {@code silence-dead} stay as conditioned. Runs saved before
 *     this option existed read as {@code false}.
 * @param maxGradNorm scale the gradients down to this global L2 norm before each update where they exceed it
 *     ({@link Adam#clipGradientNorm}); 0 = off, the original recipe. Runs saved before this option existed read
 *     as 0.
 */
public record TrainConfig(
        String trainData,
        String valData,
        int size,
        int batch,
        long epochSamples,
        int valSamples,
        long seed,
        boolean flip,
        CyclicLrSchedule schedule,
        LossWeights weights,
        double beta1,
        double beta2,
        double adamEpsilon,
        String depthEncoding,
        double maxDepthM,
        boolean frozenBatchNorm,
        double maxGradNorm) {

    public TrainConfig {
        io.mdeas.model.net.MdeasNet.checkSize(size, size);
        if (batch < 1) {
            throw new IllegalArgumentException("--batch must be at least 1, got " + batch);
        }
        if (epochSamples < batch) {
            throw new IllegalArgumentException("--epoch-samples must be at least the batch size, got " + epochSamples);
        }
        if (!(maxDepthM > 0)) {
            throw new IllegalArgumentException("--max-depth must be positive, got " + maxDepthM);
        }
        DepthEncoding.fromId(depthEncoding);
        if (!(maxGradNorm >= 0) || Double.isInfinite(maxGradNorm)) {
            throw new IllegalArgumentException("--max-grad-norm must be 0 (off) or a positive number, got "
                    + maxGradNorm);
        }
    }

    /** The depth encoding as an enum. */
    public DepthEncoding encoding() {
        return DepthEncoding.fromId(depthEncoding);
    }
}
